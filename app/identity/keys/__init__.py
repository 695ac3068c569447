"""The second factors of the keys with a user name and a password, behind one dispatch table.

Each key is a module with a `SecondFactor` (keys/base.py): `begin` runs once the password is right
(it sends the e-mail, or picks the token code to ask), `page_context` says what the code page shows,
`verify` checks the code. eID and itsme are OpenID Connect keys (app/identity/oidc/).
"""

from __future__ import annotations

from app.identity.keys.base import KeyUnavailable, SecondFactor
from app.identity.keys.email_code import EmailCode
from app.identity.keys.mobile_app import MobileApp
from app.identity.keys.token import TokenCard
from app.rules.assurance import DigitalKey

SECOND_FACTORS: dict[DigitalKey, SecondFactor] = {
    DigitalKey.EMAIL_CODE: EmailCode(),
    DigitalKey.MOBILE_APP: MobileApp(),
    DigitalKey.TOKEN: TokenCard(),
}

__all__ = ["SECOND_FACTORS", "KeyUnavailable", "SecondFactor"]
