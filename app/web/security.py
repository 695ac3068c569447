"""Security headers on every response (budget S8) and the cross-site check of unsafe requests (S2)."""

from __future__ import annotations

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.config import get_settings

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=63072000; includeSubDomains"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Route opt of the endpoints that need no session and no CSRF seed (health check, static files).
STATELESS = {"stateless": True}


def is_stateless(scope: Scope) -> bool:
    route_handler = scope.get("route_handler")
    return route_handler is not None and bool(route_handler.opt.get("stateless"))


class CrossSiteRequest(PermissionDeniedException):
    detail = "cross-site request"


def _raw(name: str, value: str) -> tuple[bytes, bytes]:
    return name.lower().encode("latin-1"), value.encode("latin-1")


# The headers as ASGI writes them, encoded once: a response only appends them (each
# `MutableScopeHeaders` assignment would scan and decode all the response's headers again).
_RAW_HEADERS = tuple(_raw(name, value) for name, value in _HEADERS.items())
_RAW_HSTS = _raw("Strict-Transport-Security", HSTS)
_RAW_NO_STORE = _raw("Cache-Control", "no-store")
_SET_HERE = frozenset(name for name, _ in (*_RAW_HEADERS, _RAW_HSTS))


async def add_security_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook: runs for every response, routed or not (404, 405, static files).

    The security headers replace any of the same name; `Cache-Control: no-store` is added unless the
    response says otherwise."""
    if message["type"] != "http.response.start":
        return
    headers = [header for header in message.get("headers", ()) if header[0].lower() not in _SET_HERE]
    headers += _RAW_HEADERS
    if get_settings().is_production:
        headers.append(_RAW_HSTS)
    if not any(name.lower() == b"cache-control" for name, _ in headers):
        # Pages may hold personal data: nothing is stored unless a response says otherwise
        # (the fingerprinted static files do).
        headers.append(_RAW_NO_STORE)
    message["headers"] = headers


class CrossSiteRequestGuard:
    """Rejects an unsafe request that the browser marks `Sec-Fetch-Site: cross-site`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] in UNSAFE_METHODS:
            for name, value in scope["headers"]:
                if name == b"sec-fetch-site" and value == b"cross-site":
                    raise CrossSiteRequest()
        await self.app(scope, receive, send)


def guichet_cookie(key: str, value: str, *, max_age: int | None = None) -> Cookie:
    """Every cookie Guichet sets (budget S1): HttpOnly, SameSite=Lax, Secure in production."""
    return Cookie(key=key, value=value, path="/", httponly=True, samesite="lax",
                  secure=get_settings().is_production, max_age=max_age)


def add_cookie(message: Message, cookie: Cookie) -> None:
    """Adds a Set-Cookie header to the start of a response, from a middleware."""
    MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
