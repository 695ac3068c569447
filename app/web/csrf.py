"""CSRF protection bound to the session (budget S2).

The token of a request is an HMAC of the session's key digest (which the session middleware gives
with `bind_csrf_tokens` when it loads, starts, rotates or ends a session), so a token taken from another session
is worth nothing and every login (which rotates the session) changes it. A visitor without a session
gets a random seed cookie instead, and a token bound to that seed. Every unsafe request must carry the
token, in the `X-CSRF-Token` header (htmx) or in the form's `_csrf_token` field (no JavaScript).
Routes that stream uploads (`exclude_from_csrf` in their opt) check it themselves with
`token_is_valid`, from the streamed form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from jinja2 import pass_context

from litestar.connection import ASGIConnection, Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.config import get_settings
from app.web.security import add_cookie, guichet_cookie, is_stateless

CSRF_FIELD = "_csrf_token"
CSRF_HEADER = "x-csrf-token"
SEED_COOKIE = "guichet_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
EXCLUDE_OPT = "exclude_from_csrf"
_BINDING_KEY = "guichet_csrf_binding"


class CsrfTokenInvalid(PermissionDeniedException):
    detail = "CSRF token verification failed"


def _sign(purpose: str, value: str) -> str:
    return _signature(get_settings().secret_key, purpose, value)


@lru_cache(maxsize=4096)
def _signature(secret: str, purpose: str, value: str) -> str:
    """A pure function of its arguments, kept for the sessions in use: a page asks for its token
    two to four times (the htmx header, each form), and every page of a session for the same one."""
    return hmac.new(secret.encode(), f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()


def bind_csrf_tokens(scope: Scope, session_digest: str | None) -> None:
    """Binds this request's tokens to its session (its key's digest), or to the visitor's seed when
    it has none."""
    scope.setdefault("state", {})[_BINDING_KEY] = session_digest


def _session_digest(connection: ASGIConnection) -> str | None:
    return connection.scope.get("state", {}).get(_BINDING_KEY)


def expected_token(connection: ASGIConnection) -> str | None:
    """The token this request's forms must send back, or None when there is nothing to bind to."""
    session_digest = _session_digest(connection)
    if session_digest is not None:
        return _sign("session", session_digest)
    seed = connection.scope.get("state", {}).get("guichet_csrf_seed") or connection.cookies.get(SEED_COOKIE)
    return _sign("seed", seed) if seed else None


@pass_context
def csrf_token(context) -> str:
    """For templates: computed when the form renders, after the handler may have started a session."""
    return expected_token(context["request"]) or ""


def token_is_valid(connection: ASGIConnection, sent: object) -> bool:
    """Whether `sent` is this request's token. Anything but an ASCII string is not (a field sent
    twice, a forged value: `hmac.compare_digest` refuses to compare non-ASCII strings)."""
    expected = expected_token(connection)
    if not expected or not isinstance(sent, str) or not sent or not sent.isascii():
        return False
    return hmac.compare_digest(expected, sent)


class CsrfMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_stateless(scope):
            await self.app(scope, receive, send)
            return
        request: Request = Request(scope, receive)
        if scope["method"] in SAFE_METHODS:
            await self._safe(scope, receive, send, request)
            return
        route_handler = scope.get("route_handler")
        if route_handler is not None and route_handler.opt.get(EXCLUDE_OPT):
            await self.app(scope, receive, send)
            return
        sent = request.headers.get(CSRF_HEADER)
        if not sent and request.content_type[0] == RequestEncodingType.URL_ENCODED:
            form = await request.form()  # kept by Litestar for the handler
            sent = form.get(CSRF_FIELD)
        if not token_is_valid(request, sent):
            raise CsrfTokenInvalid()
        await self.app(scope, receive, send)

    async def _safe(self, scope: Scope, receive: Receive, send: Send, request: Request) -> None:
        if _session_digest(request) is not None or request.cookies.get(SEED_COOKIE):
            await self.app(scope, receive, send)  # nothing to add to the response
            return
        new_seed = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["guichet_csrf_seed"] = new_seed

        async def send_with_seed(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_cookie(message, guichet_cookie(SEED_COOKIE, new_seed))
            await send(message)

        await self.app(scope, receive, send_with_seed)
