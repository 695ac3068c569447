"""The key "avec un code de sécurité via une application mobile": TOTP (RFC 6238) with pyotp.

30-second steps, a window of one step either side, and a code is never accepted twice: the accepted
step is stored with a compare-and-set, so two requests with the same code cannot both pass.
"""

from __future__ import annotations

import time
from typing import Any

import pyotp
from litestar.connection import ASGIConnection

from app.identity.keys.base import KeyUnavailable
from app.identity.tables import Account
from app.rules.assurance import DigitalKey
from app.web.i18n import gettext as _

STEP_SECONDS = 30
WINDOW_STEPS = 1


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (within ±1 of now) whose code is `code`, or None."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int((now if now is not None else time.time()) // STEP_SECONDS)
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


class MobileApp:
    key = DigitalKey.MOBILE_APP
    template = "identity/code_mobile_app.html"

    async def begin(self, connection: ASGIConnection, person_id: int) -> dict[str, Any]:
        account = await Account.select(Account.totp_secret).where(Account.person == person_id).first()
        if not account or not account["totp_secret"]:
            raise KeyUnavailable(_("Aucune application mobile n'est activée pour ce compte."))
        return {}

    async def page_context(self, pending: dict[str, Any]) -> dict[str, Any]:
        return {}

    async def verify(self, pending: dict[str, Any], code: str) -> bool:
        account = await Account.select(Account.totp_secret).where(
            Account.person == pending["person_id"]
        ).first()
        if not account or not account["totp_secret"]:
            return False
        step = matching_step(account["totp_secret"], code)
        if step is None:
            return False
        accepted = await Account.update({Account.totp_last_step: step}).where(
            (Account.person == pending["person_id"]) & (Account.totp_last_step < step)
        ).returning(Account.id)
        return bool(accepted)
