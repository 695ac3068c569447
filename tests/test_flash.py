"""Flash messages (app/identity/flash.py): kept in the session for one page, shown once."""

from __future__ import annotations

from litestar.connection import ASGIConnection

from app.identity.flash import flash, take_flash
from app.identity.sessions import ensure_session


def connection() -> ASGIConnection:
    return ASGIConnection({"type": "http", "headers": [], "state": {}, "path": "/", "query_string": b""})


async def test_a_notice_is_taken_once_and_only_by_its_page():
    request = connection()
    await ensure_session(request)
    await flash(request, "/mes-cles", {"done": "mot-de-passe"})
    assert await take_flash(request, "/ebox") is None  # another page leaves it in place
    assert await take_flash(request, "/mes-cles") == {"done": "mot-de-passe"}
    assert await take_flash(request, "/mes-cles") is None


async def test_without_a_session_there_is_nothing_to_take():
    assert await take_flash(connection(), "/mes-cles") is None
