"""The consultations of a citizen's file, read from the audit trail: the records whose subject is the
citizen's NISS and whose actor is someone else (a personnel officer acting for an enterprise), the
newest first, one page at a time (keyset on the record's sequence, on the index of the subject)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from piccolo.query import WhereRaw

from app.audit.services import AuditAction
from app.audit.tables import AuditRecord
from app.db.paging import Page, newest_first
from app.registry.tables import Enterprise, Person

PAGE_SIZE = 20


@dataclass(frozen=True)
class Consultation:
    sequence: int
    at: datetime.datetime
    what: str  # what the enterprise saw: "consultation", "demande", "historique", "formulaire", ...
    enterprise_number: str | None
    enterprise_name: str | None
    request_id: int | None


def _details(value: Any) -> dict[str, Any]:
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


async def consultations_of(person_id: int, *, after: int | None = None, before: int | None = None,
                           page_size: int = PAGE_SIZE) -> Page[Consultation]:
    """Who consulted the person's file: two queries whatever the page holds (the records, then the
    names of the enterprises they name)."""
    niss_of_person = Person.select(Person.niss).where(Person.id == person_id)
    query = AuditRecord.select(AuditRecord.sequence, AuditRecord.occurred_at, AuditRecord.details).where(
        AuditRecord.subject.is_in(niss_of_person)
        & (AuditRecord.action == AuditAction.FILE_ACCESS.value)
        & WhereRaw('"audit_record"."actor" <> "audit_record"."subject"')  # not the citizen's own reading
    )
    page = await newest_first(query, AuditRecord.sequence, "sequence", after=after, before=before,
                              page_size=page_size)
    rows = page.items
    if not rows:
        return Page([], None, None)
    details = [_details(row["details"]) for row in rows]
    numbers = {number for detail in details if (number := _text(detail.get("enterprise")))}
    names: dict[str, str] = {}
    if numbers:
        found = await Enterprise.select(Enterprise.enterprise_number, Enterprise.name).where(
            Enterprise.enterprise_number.is_in(sorted(numbers))
        )
        names = {row["enterprise_number"]: row["name"] for row in found}
    consultations = [
        Consultation(
            sequence=row["sequence"], at=row["occurred_at"], what=_text(detail.get("what")) or "",
            enterprise_number=_text(detail.get("enterprise")),
            enterprise_name=names.get(_text(detail.get("enterprise")) or ""),
            request_id=detail.get("request") if isinstance(detail.get("request"), int) else None,
        )
        for row, detail in zip(rows, details, strict=True)
    ]
    return Page(consultations, page.previous_before, page.next_after)
