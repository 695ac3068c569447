"""Managing one's own keys: activating a mobile app, getting a new token card. Both need the
level high (eID or itsme), as CSAM asks, so that a stolen password cannot replace a key."""

from __future__ import annotations

import pyotp
import segno

from app.audit.services import AuditAction
from app.db import transaction
from app.identity.key_events import record_key_event
from app.identity.keys.mobile_app import matching_step
from app.identity.tables import Account
from app.registry.tables import Person

ISSUER = "Guichet"


def new_secret() -> str:
    """160 random bits, in base 32, as authenticator apps expect."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI (allowed by the CSP's img-src), drawn by segno."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """JBSW Y3DP ...: easier to type from the screen."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


async def activate_mobile_app(person_id: int, secret: str, code: str, *, source: str) -> bool:
    """Activates the app whose code proves it holds `secret`; the previous app stops working. An
    audit record, in the same transaction."""
    step = matching_step(secret, code)
    if step is None:
        return False
    async with transaction():
        updated = await Account.update(
            {Account.totp_secret: secret, Account.totp_last_step: step}
        ).where(Account.person == person_id).returning(Account.id)
        if updated:
            await record_key_event(AuditAction.MOBILE_APP_ACTIVATED, person_id, source)
    return bool(updated)


async def username_of(person_id: int) -> str:
    person = await Person.select(Person.username).where(Person.id == person_id).first()
    return person["username"]
