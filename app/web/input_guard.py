"""Input no browser sends, stopped before any handler reads it (budget R6).

A NUL character anywhere in the path, the query or a posted form (`application/x-www-form-urlencoded`)
answers 400, the error page in the visitor's language (app/web/errors.py). PostgreSQL cannot store
NUL in text, so a NUL that reached a query would fail it with a 500; no field of a browser sends one.
The other control characters are only dropped from the fields of a posted form (app/web/forms.py).

It runs after the CSRF check (an unsafe request without its token is refused 403 first, S2), which has
read a posted form already: Litestar keeps the body for the handler.
"""

from __future__ import annotations

from litestar.connection import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class UnreadableInput(ClientException):
    status_code = 400
    detail = "NUL character in the request"


def _has_nul(encoded: bytes) -> bool:
    """NUL in a query string or a form body, percent-encoded (as browsers send it) or raw."""
    return b"%00" in encoded or b"\x00" in encoded


class InputGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if "\x00" in scope["path"] or _has_nul(scope.get("query_string", b"")):
                raise UnreadableInput()
            if scope["method"] not in SAFE_METHODS:
                request: Request = Request(scope, receive)
                if request.content_type[0] == RequestEncodingType.URL_ENCODED and _has_nul(await request.body()):
                    raise UnreadableInput()
        await self.app(scope, receive, send)
