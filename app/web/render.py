"""One URL, one template: the whole page, or one of its blocks when htmx asks."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.enums import MediaType
from litestar.response import Template


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and "hx-boosted" not in request.headers


def render(
    request: Request,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Template:
    """Answer with `template_name`; with only its block `fragment` to an htmx request.

    The context is the same dict for the page and for its fragments. `Vary: HX-Request` tells
    caches that the two answers differ.
    """
    all_headers = {"Vary": "HX-Request", **(headers or {})}
    # text/html, said here rather than guessed from the template's name on every response.
    if fragment is not None and is_htmx(request):
        return HTMXBlockTemplate(
            template_name=template_name,
            block_name=fragment,
            context=context or {},
            status_code=status_code,
            headers=all_headers,
            media_type=MediaType.HTML,
        )
    return Template(
        template_name=template_name,
        context=context or {},
        status_code=status_code,
        headers=all_headers,
        media_type=MediaType.HTML,
    )
