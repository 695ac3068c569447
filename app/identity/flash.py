"""Flash messages: what a POST tells the page it redirects to, shown there once (POST → 303 → GET).

    await flash(request, "/mes-cles", {"done": "mot-de-passe"})        # before the redirect
    notice = await take_flash(request, "/mes-cles")                     # the page: once, then gone

The notice is kept in the server-side session (never in the address, so a reload or a shared link
does not show it again, and it can carry what the user typed, such as a file's name), for the page it
was meant for only: another page leaves it in place. It lives here, beside the sessions, because it
is their data; htmx answers that swap a fragment give their message in the fragment instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.connection import ASGIConnection

from app.identity.sessions import current_session, update_session_data

FLASH_KEY = "flash"


async def flash(connection: ASGIConnection, page: str, notice: Mapping[str, Any]) -> None:
    """Keeps `notice` (JSON values) for the next view of `page` (a path)."""
    await update_session_data(connection, **{FLASH_KEY: {"page": page, "notice": dict(notice)}})


async def take_flash(connection: ASGIConnection, page: str) -> dict[str, Any] | None:
    """The notice kept for `page`, removed from the session; None when there is none for it."""
    session = current_session(connection)
    kept = session.data.get(FLASH_KEY) if session is not None else None
    if not isinstance(kept, dict) or kept.get("page") != page or not isinstance(kept.get("notice"), dict):
        return None
    await update_session_data(connection, **{FLASH_KEY: None})
    return kept["notice"]
