"""Guards: every protected service declares the minimum level of assurance it needs.

    @get("/mes-cles", guards=[requires(Level.SUBSTANTIAL)])

A visitor who is not identified, or identified at a lower level, is sent to the identification page
with the keys that qualify, and comes back to the service once identified (single sign-on: a
session at this level or higher opens the service without identifying again).
"""

from __future__ import annotations

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect

from app.identity.sessions import SessionEnded, current_session
from app.rules.assurance import Level, satisfies
from app.web.urls import path_for


class IdentificationRequired(NotAuthorizedException):
    def __init__(self, minimum: Level, next_path: str) -> None:
        super().__init__(detail="identification required")
        self.minimum = minimum
        self.next_path = next_path


def requires(minimum: Level):
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        # async: it waits on nothing, and Litestar would run a plain function in a thread pool.
        session = current_session(connection)
        if session is None or not session.signed_in or not satisfies(session.level, minimum):
            path = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
            raise IdentificationRequired(minimum, path)

    return guard


# The citizen's services (guides 000, 002's signed-in parts, the e-Box) open with a key of level
# substantial or high.
CITIZEN_GUARD = requires(Level.SUBSTANTIAL)


def signed_in_person_id(connection: ASGIConnection) -> int:
    """The person of a guarded request: every screen reads them from the session, never from the URL."""
    return current_session(connection).person_id


def identification_url(connection: ASGIConnection, minimum: Level, next_path: str) -> str:
    return path_for(connection, "identification", query={"next": next_path, "niveau": int(minimum)})


def identification_required_handler(request: Request, exception: IdentificationRequired) -> Response:
    return _to_identification(request, identification_url(request, exception.minimum, exception.next_path))


def session_ended_handler(request: Request, _exception: SessionEnded) -> Response:
    """The session was ended (logged out in another tab, blocked, expired) while this request was on
    its way: the visitor identifies again, and comes back to the page they were on."""
    path = request.url.path if request.method == "GET" else path_for(request, "home")
    return _to_identification(request, identification_url(request, Level.SUBSTANTIAL, path))


def _to_identification(request: Request, target: str) -> Response:
    if request.headers.get("hx-request") == "true":
        return Response(content=b"", status_code=204, headers={"HX-Redirect": target})
    return Redirect(path=target, status_code=303)
