"""The use cases of identification: completing a login with a digital key, logging out."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException

from app.audit.services import AuditAction, record
from app.db import transaction
from app.identity.passwords import hash_password
from app.identity.sessions import (
    current_session,
    session_store,
    sign_in,
    sign_out,
    update_session_data,
)
from app.identity.tables import Account
from app.registry.tables import Person
from app.rules.assurance import DigitalKey, level_of
from app.web.redirects import safe_local_path


def client_address(connection: ASGIConnection) -> str:
    client = connection.scope.get("client")
    return client[0] if client else "inconnue"


async def remember_destination(connection: ASGIConnection, next_path: str | None) -> None:
    """Where to go once identified (a same-origin path)."""
    await update_session_data(connection, next=safe_local_path(next_path))


class AccountBlocked(PermissionDeniedException):
    detail = "account blocked"


async def complete_login(connection: ASGIConnection, person_id: int, key: DigitalKey) -> str:
    """The person proved who they are with `key`: sign in (a new session key), write the audit
    trail, and return the path to go to (the service that asked, else the home page)."""
    if await Account.exists().where((Account.person == person_id) & (Account.blocked == True)):  # noqa: E712
        await sign_out(connection)
        raise AccountBlocked()
    before = current_session(connection)
    destination = safe_local_path(before.data.get("next") if before else None)
    step_up = before is not None and before.signed_in and before.person_id == person_id
    level = level_of(key)
    await sign_in(connection, person_id, key, level)
    person = await Person.select(Person.niss).where(Person.id == person_id).first()
    await record(
        AuditAction.STEP_UP if step_up else AuditAction.LOGIN,
        actor=person["niss"], source=client_address(connection), outcome="success",
        details={"key": key.value, "level": level.name.lower()},
    )
    return destination


async def log_out(connection: ASGIConnection) -> None:
    session = current_session(connection)
    if session is not None and session.person_id is not None:
        person = await Person.select(Person.niss).where(Person.id == session.person_id).first()
        await record(AuditAction.LOGOUT, actor=person["niss"] if person else "inconnu",
                     source=client_address(connection), outcome="success")
    await sign_out(connection)



async def set_account_blocked(username: str, blocked: bool, *, administrator: str) -> bool:
    """Blocks (or unblocks) an account; blocking ends every session of the person at once.
    Returns False when no account has this user name."""
    person = await Person.select(Person.id, Person.niss).where(Person.username == username).first()
    if person is None:
        return False
    async with transaction():
        updated = await Account.update({Account.blocked: blocked}).where(
            Account.person == person["id"]
        ).returning(Account.id)
        if not updated:
            return False
        await record(
            AuditAction.ACCOUNT_BLOCKED if blocked else AuditAction.ACCOUNT_UNBLOCKED,
            actor=administrator, subject=person["niss"], source="guichet-cli", outcome="success",
        )
    if blocked:
        await session_store().delete_for_person(person["id"])
    return True


async def change_password(connection: ASGIConnection, new_password: str) -> None:
    """A new password: every other session of the person ends, this one gets a new key."""
    session = current_session(connection)
    new_hash = hash_password(new_password)
    async with transaction():
        await Account.update({Account.password_hash: new_hash}).where(Account.person == session.person_id)
        person = await Person.select(Person.niss).where(Person.id == session.person_id).first()
        await record(AuditAction.PASSWORD_CHANGED, actor=person["niss"], subject=person["niss"],
                     source=client_address(connection), outcome="success")
    await session_store().delete_for_person(session.person_id)
    await sign_in(connection, session.person_id, session.digital_key, session.level)
