"""Addresses built from route names, never typed twice: the route decorator holds the path, and
templates and redirects ask for it by the route's name.

    {{ url_for("careerbreak_attachments_request", request_id=summary.id) }}    (templates)
    Redirect(path=path_for(request, "my_keys"), status_code=303)                 (routes)
    path_for(request, "careerbreak_consultations", query={"avant": 12})         → …/consultations?avant=12

Both are Litestar's `route_reverse` on the application, kept per (application, name, parameters): a
page asks for the same few addresses on every view (its layout, its menu, its forms). A number may be
given for a `:str` path parameter (the career-break paths take a request's id as text).

The templates' `url_for` belongs to one application (`template_url_for`, bound by create_app through
app/web/templates.py): a plain function, so it needs no Jinja context. It works in macros imported
without context (Jinja keeps those modules: the attachment row, budget P3) and in loops, where a
function asking for the context would make Jinja derive a new context at every call.

The paths still written outside route decorators, each for a reason:

- the prefixes of controllers (`SERVICE_PATH`, `EBOX_PATH`, ...): part of the route table itself;
- the portal's catalogue (app/portal/catalogue.py: `Audience.path`, `Theme.path`, `topic_path`; the
  `OnlineService.path` a service declares; leaving_belgium's `TOPIC_PAGE`): declared at import,
  before any application exists, and one handler serves every audience's pages, so a route name
  cannot tell /citoyen/… from /entreprise/…;
- the wizards' step tables (the employer's `STEP_PATHS`, `WORKER_FILE_PATH`, `CONFIRMATION_PATH`;
  the completion's `WORKER_PART`): app/identity/wizard.py computes "Précédent", "Modifier" and the
  redirects without a request, from paths with an `{owner}`;
- the built-in OpenID provider's issuer (`BUILTIN_PROVIDER_PATH`) and its well-known discovery
  address: identifiers of the protocol, not pages;
- `safe_local_path`'s default "/" (app/web/redirects.py), the site's root; and the static files
  (`STATIC_PREFIX`, `static_url`), which are not routes with names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.exceptions import NoRouteMatchFoundException


@dataclass(frozen=True)
class MenuEntry:
    """An entry of a service's menu: its key (the page that is `active`), its label (French source text,
    marked N_) and the name of the route it opens, resolved by the layout with `url_for`."""

    key: str
    label: str
    route: str


@lru_cache(maxsize=4096)
def _reverse(app: Litestar, name: str, parameters: tuple[tuple[str, Any], ...]) -> str:
    values = dict(parameters)
    try:
        return app.route_reverse(name, **values)
    except NoRouteMatchFoundException:
        if not any(isinstance(value, int) and not isinstance(value, bool) for value in values.values()):
            raise
    # A number for a `:str` parameter: Litestar wants the declared type; the path is the same text.
    return app.route_reverse(name, **{key: str(value) if isinstance(value, int) else value
                                      for key, value in values.items()})


def _address(app: Litestar, name: str, query: Mapping[str, Any] | None, parameters: dict[str, Any]) -> str:
    path = _reverse(app, name, tuple(sorted(parameters.items())) if parameters else ())
    if query:
        kept = {key: value for key, value in query.items() if value is not None and value != ""}
        if kept:
            return f"{path}?{urlencode(kept)}"
    return path


def path_for(connection: ASGIConnection, name: str, /, query: Mapping[str, Any] | None = None,
             **parameters: Any) -> str:
    """The path of the route named `name` with these path parameters, and `query` as its query
    string (its None and empty values left out). An unknown name, or missing parameters, raise
    Litestar's `NoRouteMatchFoundException`."""
    return _address(connection.app, name, query, parameters)


def template_url_for(app: Litestar) -> Callable[..., str]:
    """The templates' `url_for(name, query=None, **path_parameters)` for the routes of `app`."""

    def url_for(name: str, /, query: Mapping[str, Any] | None = None, **parameters: Any) -> str:
        return _address(app, name, query, parameters)

    return url_for
