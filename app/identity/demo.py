"""The demo users' digital keys (acceptance environment only): the password, the mobile-app
secret and a token card whose codes `demo_card_code` gives."""

from __future__ import annotations

from functools import cache

from app.db import transaction
from app.identity.keys.token import (
    CODES_PER_CARD,
    active_card,
    demo_card_code,
    issue_card,
)
from app.identity.passwords import hash_password
from app.identity.tables import Account
from app.registry.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoIdentity
from app.registry.tables import Person


@cache
def demo_password_hash() -> str:
    """The argon2id hash of the published demo password, drawn once per process (about 0.15 s): every
    demo user has that password, and a process that loads the demo data again (each test that starts
    from it) reuses the hash instead of drawing a new one."""
    return hash_password(DEMO_PASSWORD)


async def load_demo_keys(identities: tuple[DemoIdentity, ...]) -> None:
    password_hash = demo_password_hash()
    for identity in identities:
        username = identity.person.username
        person = await Person.select(Person.id).where(Person.username == username).first()
        async with transaction():
            if not await Account.exists().where(Account.person == person["id"]):
                await Account.insert(Account(
                    person=person["id"], password_hash=password_hash, totp_secret=DEMO_TOTP_SECRET,
                ))
        if await active_card(person["id"]) is None:
            codes = [demo_card_code(username, number) for number in range(1, CODES_PER_CARD + 1)]
            await issue_card(person["id"], codes)
