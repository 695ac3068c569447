"""The key "avec code de sécurité via token": a personal card of numbered codes.

The login asks for one code by its number. The card keeps only an HMAC of each code; a new card
revokes the previous one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from litestar.connection import ASGIConnection

from app.clock import utcnow
from app.config import get_settings
from app.audit.services import AuditAction
from app.db import transaction
from app.identity.key_events import record_key_event
from app.identity.keys.base import KeyUnavailable
from app.identity.tables import TokenCard as TokenCardTable
from app.rules.assurance import DigitalKey
from app.web.i18n import gettext as _

CODES_PER_CARD = 24
CODE_DIGITS = 6


def code_digest(person_id: int, number: int, code: str) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"token|{person_id}|{number}|{code}".encode(), hashlib.sha256).hexdigest()


def demo_card_code(username: str, number: int) -> str:
    """The codes of the demo users' cards (acceptance only), so that the tests can type them."""
    value = hashlib.sha256(f"guichet-demo-token|{username}|{number}".encode()).hexdigest()
    return f"{int(value, 16) % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


async def issue_card(person_id: int, codes: list[str] | None = None, *, source: str | None = None) -> list[str]:
    """A new card for the person (the previous one stops working); returns its codes, which are
    shown once, to be printed. Asked by the person (`source`, their address): an audit record, in
    the same transaction; the demo data's cards are not."""
    codes = codes or [f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}" for _ in range(CODES_PER_CARD)]
    digests = {str(number): code_digest(person_id, number, code) for number, code in enumerate(codes, 1)}
    async with transaction():
        await TokenCardTable.update({TokenCardTable.revoked_at: utcnow()}).where(
            (TokenCardTable.person == person_id) & TokenCardTable.revoked_at.is_null()
        )
        await TokenCardTable.insert(TokenCardTable(person=person_id, code_digests=digests))
        if source is not None:
            await record_key_event(AuditAction.TOKEN_CARD_ISSUED, person_id, source)
    return codes


async def active_card(person_id: int) -> dict | None:
    return await TokenCardTable.select().where(
        (TokenCardTable.person == person_id) & TokenCardTable.revoked_at.is_null()
    ).order_by(TokenCardTable.id, ascending=False).first()


class TokenCard:
    key = DigitalKey.TOKEN
    template = "identity/code_token.html"

    async def begin(self, connection: ASGIConnection, person_id: int) -> dict[str, Any]:
        card = await active_card(person_id)
        if card is None:
            raise KeyUnavailable(_("Aucune carte token n'est active pour ce compte."))
        return {"token_number": secrets.randbelow(CODES_PER_CARD) + 1}

    async def page_context(self, pending: dict[str, Any]) -> dict[str, Any]:
        return {"token_number": pending["token_number"]}

    async def verify(self, pending: dict[str, Any], code: str) -> bool:
        card = await active_card(pending["person_id"])
        if card is None:
            return False
        digests = card["code_digests"]
        if isinstance(digests, str):  # SQLite gives the JSON text
            digests = json.loads(digests)
        expected = digests.get(str(pending["token_number"]))
        given = code_digest(pending["person_id"], pending["token_number"], code)
        return bool(expected) and hmac.compare_digest(expected, given)
