"""What every key with a user name, a password and a security code provides."""

from __future__ import annotations

from typing import Any, Protocol

from litestar.connection import ASGIConnection

from app.rules.assurance import DigitalKey


class KeyUnavailable(Exception):
    """This key cannot be used now; the message says why, in the user's language."""


class SecondFactor(Protocol):
    key: DigitalKey
    template: str

    async def begin(self, connection: ASGIConnection, person_id: int) -> dict[str, Any]: ...

    async def page_context(self, pending: dict[str, Any]) -> dict[str, Any]: ...

    async def verify(self, pending: dict[str, Any], code: str) -> bool: ...
