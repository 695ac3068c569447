"""The audit records of a person's own keys: a token card issued, a mobile app activated (S9)."""

from __future__ import annotations

from app.audit.services import AuditAction, Outcome, record
from app.registry.tables import Person


async def record_key_event(action: AuditAction, person_id: int, source: str) -> None:
    """Within the caller's transaction: the person is both the actor and the subject."""
    person = await Person.select(Person.niss).where(Person.id == person_id).first()
    await record(action, actor=person["niss"], subject=person["niss"], source=source, outcome=Outcome.SUCCESS)
