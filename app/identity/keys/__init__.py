"""The second factors of the keys with a user name and a password, behind one dispatch table.

Each key is a module with a `SecondFactor`: `begin` runs once the password is right (it sends the
e-mail, or picks the token code to ask), `page_context` says what the code page shows, `verify`
checks the code. eID and itsme are OpenID Connect keys (app/identity/oidc/).
"""

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


def second_factors() -> dict[DigitalKey, SecondFactor]:
    from app.identity.keys.email_code import EmailCode
    from app.identity.keys.mobile_app import MobileApp
    from app.identity.keys.token import TokenCard

    return {
        DigitalKey.EMAIL_CODE: EmailCode(),
        DigitalKey.MOBILE_APP: MobileApp(),
        DigitalKey.TOKEN: TokenCard(),
    }
