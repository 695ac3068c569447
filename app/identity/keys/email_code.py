"""The key "avec un code de sécurité envoyé par e-mail".

A code of 6 digits, valid 10 minutes, used once, bound to the login attempt (not only to the
person), at most 5 tries; at most 3 codes per account per 15 minutes.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from litestar.connection import ASGIConnection

from app.clock import utcnow
from app.config import get_settings
from app.identity import throttling
from app.identity.keys.base import KeyUnavailable
from app.identity.tables import EmailCode as EmailCodeTable
from app.mail.services import send_mail
from app.registry.tables import Person
from app.rules.assurance import DigitalKey
from app.web.i18n import gettext as _

CODE_DIGITS = 6
VALIDITY = datetime.timedelta(minutes=10)


def code_digest(login_attempt: str, code: str) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"email|{login_attempt}|{code}".encode(), hashlib.sha256).hexdigest()


def masked(address: str) -> str:
    """m•••••@example.be: enough to recognise one's address, not to learn it."""
    name, _, domain = address.partition("@")
    return f"{name[:1]}{'•' * max(len(name) - 1, 1)}@{domain}"


async def send_code(person_id: int, login_attempt: str) -> None:
    """Sends a new code for this login attempt, within the limit of 3 per 15 minutes."""
    scope = throttling.email_code_scope(person_id)
    if await throttling.reserve(scope) > throttling.MAX_EMAIL_CODES:
        raise KeyUnavailable(_(
            "Vous avez demandé trop de codes. Attendez 15 minutes avant d'en demander un nouveau."
        ))
    person = await Person.select(Person.email, Person.language).where(Person.id == person_id).first()
    if not person or not person["email"]:
        raise KeyUnavailable(_("Aucune adresse e-mail n'est connue pour ce compte."))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    await EmailCodeTable.insert(EmailCodeTable(
        login_attempt=login_attempt, person=person_id, code_digest=code_digest(login_attempt, code),
        expires_at=utcnow() + VALIDITY,
    ))
    await send_mail(
        person["email"],
        _("Votre code de sécurité"),
        _("Votre code de sécurité pour vous identifier est : %(code)s\n\n"
          "Il est valable 10 minutes. Si vous n'avez pas demandé ce code, ignorez ce message.")
        % {"code": code},
    )


class EmailCode:
    key = DigitalKey.EMAIL_CODE
    template = "identity/code_email.html"

    async def begin(self, connection: ASGIConnection, person_id: int) -> dict[str, Any]:
        login_attempt = secrets.token_urlsafe(24)
        await send_code(person_id, login_attempt)
        return {"login_attempt": login_attempt}

    async def page_context(self, pending: dict[str, Any]) -> dict[str, Any]:
        person = await Person.select(Person.email).where(Person.id == pending["person_id"]).first()
        return {"masked_email": masked(person["email"]) if person and person["email"] else ""}

    async def verify(self, pending: dict[str, Any], code: str) -> bool:
        latest = await EmailCodeTable.select().where(
            EmailCodeTable.login_attempt == pending["login_attempt"]
        ).order_by(EmailCodeTable.id, ascending=False).first()
        if latest is None or latest["used_at"] is not None or utcnow() >= latest["expires_at"]:
            return False
        if latest["tries"] >= throttling.MAX_CODE_TRIES:
            return False
        if not hmac.compare_digest(latest["code_digest"], code_digest(pending["login_attempt"], code)):
            await EmailCodeTable.update({EmailCodeTable.tries: EmailCodeTable.tries + 1}).where(
                EmailCodeTable.id == latest["id"]
            )
            return False
        used = await EmailCodeTable.update({EmailCodeTable.used_at: utcnow()}).where(
            (EmailCodeTable.id == latest["id"]) & EmailCodeTable.used_at.is_null()
        ).returning(EmailCodeTable.id)
        return bool(used)
