"""The requests of a citizen, as every screen of the service reads them, and the changes of state
they all go through (compare-and-set on the request's version, budget R3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple

from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.clock import utcnow
from app.db import transaction
from app.db.sqlite import on_event_loop
from app.ebox.services import Subject
from app.registry.tables import Enterprise
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.request_states import RequestState, can_move

# How the e-Box names a request that a document is about (`EboxMessage.subject_service`).
EBOX_SUBJECT_SERVICE = "careerbreak"


def ebox_subject(request_id: int) -> Subject:
    """A request as the subject of e-Box documents: the acknowledgement, the decision, the employer's
    form and notices are sent with it, and found by it."""
    return Subject(EBOX_SUBJECT_SERVICE, request_id)


def request_of_subject(subject: Subject | None) -> int | None:
    """The request an e-Box document is about; None when it is about no request."""
    return subject.id if subject is not None and subject.service == EBOX_SUBJECT_SERVICE else None


_MEMBERS: dict[type[Enum], dict[Any, Enum]] = {
    enum: {member.value: member for member in enum} for enum in (LeaveKind, LeaveForm, CareMotive, RequestState)
}


def _member(enum: type[Enum], value: Any) -> Any:
    """`enum(value)` for the values every page view reads, found in a dict instead of through enum's
    call (about 1 µs each, 70 of them for "Mon dossier"); an unknown value still raises ValueError."""
    member = _MEMBERS[enum].get(value)
    return member if member is not None else enum(value)


class RequestSummary(NamedTuple):
    """A request as the citizen's screens show it. A named tuple rather than a dataclass: "Mon dossier"
    keeps each request's card under its summary and history (app/web/fragments.py), and a tuple is
    hashed and compared in C, where a dataclass builds a tuple of its fields in Python every time."""

    id: int
    kind: LeaveKind
    form: LeaveForm
    care_motive: CareMotive | None
    start_date: datetime.date
    end_date: datetime.date
    state: RequestState
    version: int
    language: str
    enterprise_id: int
    enterprise_name: str
    subject_name: str | None
    subject_birth_date: datetime.date | None
    ticket_number: str | None
    cancellation_ticket: str | None
    decided_on: datetime.date | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RequestSummary:
        return cls(
            id=row["id"], kind=_member(LeaveKind, row["kind"]), form=_member(LeaveForm, row["form"]),
            care_motive=_member(CareMotive, row["care_motive"]) if row["care_motive"] else None,
            start_date=row["start_date"], end_date=row["end_date"], state=_member(RequestState, row["state"]),
            version=row["version"], language=row["language"], enterprise_id=row["enterprise"],
            enterprise_name=row["enterprise.name"], subject_name=row["subject_name"],
            subject_birth_date=row["subject_birth_date"], ticket_number=row["ticket_number"],
            cancellation_ticket=row["cancellation_ticket"], decided_on=row["decided_on"],
        )


# "Mon dossier" and every screen of the service read these on each page view (budget P3): the SQL is
# written once here, parameterised, instead of being built by the ORM on every call (building a
# select with a join costs more than running it). Piccolo still runs it, on either database; on
# SQLite these small indexed reads (one citizen's rows) run on the event loop's thread
# (app/db/sqlite.py, on_event_loop).
_REQUEST = CareerBreakRequest._meta.tablename
_EVENT = RequestEvent._meta.tablename
_ENTERPRISE = Enterprise._meta.tablename
_SUMMARY_SELECT = (
    'SELECT r.id, r.kind, r.form, r.care_motive, r.start_date, r.end_date, r.state, r.version, '
    'r.language, r.enterprise, e.name AS "enterprise.name", r.subject_name, r.subject_birth_date, '
    'r.ticket_number, r.cancellation_ticket, r.decided_on '
    f'FROM {_REQUEST} r LEFT JOIN {_ENTERPRISE} e ON e.id = r.enterprise '
)
_REQUESTS_OF = _SUMMARY_SELECT + "WHERE r.worker = {} ORDER BY r.start_date DESC, r.id DESC"
_REQUEST_OF = _SUMMARY_SELECT + "WHERE r.id = {} AND r.worker = {}"
_EVENTS_OF = (f'SELECT request, state, "at", ticket_number FROM {_EVENT} '
              'WHERE request IN ({}) ORDER BY "at", id')


async def requests_of(person_id: int) -> list[RequestSummary]:
    """The citizen's requests, the most recent period first (one query)."""
    with on_event_loop():
        rows = await CareerBreakRequest.raw(_REQUESTS_OF, person_id)
    return [RequestSummary.from_row(row) for row in rows]


async def request_of(person_id: int, request_id: int) -> RequestSummary | None:
    """The request, when it is this citizen's; None otherwise (another citizen's id is not found)."""
    with on_event_loop():
        rows = await CareerBreakRequest.raw(_REQUEST_OF, request_id, person_id)
    return RequestSummary.from_row(rows[0]) if rows else None


class Event(NamedTuple):
    """One dated step of a request's history (a named tuple, for the same reason as RequestSummary)."""

    request_id: int
    state: RequestState
    at: datetime.datetime
    ticket_number: str | None


async def events_of(request_ids: list[int]) -> dict[int, tuple[Event, ...]]:
    """The dated history of these requests, oldest first (one query for all of them); tuples, so that
    a history can be part of a key (app/web/fragments.py)."""
    if not request_ids:
        return {}
    placeholders = ", ".join(["{}"] * len(request_ids))
    with on_event_loop():
        rows = await RequestEvent.raw(_EVENTS_OF.replace("({})", f"({placeholders})"), *request_ids)
    history: dict[int, list[Event]] = {request_id: [] for request_id in request_ids}
    for row in rows:
        state = _member(RequestState, row["state"])
        history[row["request"]].append(Event(row["request"], state, row["at"], row["ticket_number"]))
    return {request_id: tuple(events) for request_id, events in history.items()}


@dataclass(frozen=True)
class NewRequest:
    """The employer's part of a request (guide 001)."""

    worker_id: int
    enterprise_id: int
    kind: LeaveKind
    form: LeaveForm
    start_date: datetime.date
    end_date: datetime.date
    language: str = "fr"
    care_motive: CareMotive | None = None
    work_regime: str = "1"
    employer_ticket: str | None = None


async def create_request(new: NewRequest, *, at: datetime.datetime | None = None) -> int:
    """Files the employer's part and hands the request to the worker: the state becomes "waiting for
    the worker's part", with both steps in the history."""
    at = at or utcnow()
    async with transaction():
        rows = await CareerBreakRequest.insert(CareerBreakRequest(
            worker=new.worker_id, enterprise=new.enterprise_id, kind=new.kind.value, form=new.form.value,
            care_motive=new.care_motive.value if new.care_motive else None,
            start_date=new.start_date, end_date=new.end_date, work_regime=new.work_regime,
            language=new.language, state=RequestState.WAITING_FOR_WORKER.value,
            employer_ticket=new.employer_ticket, created_at=at, updated_at=at,
        )).returning(CareerBreakRequest.id)
        request_id = rows[0]["id"]
        await RequestEvent.insert(
            RequestEvent(request=request_id, state=RequestState.EMPLOYER_PART_SUBMITTED.value, at=at,
                         ticket_number=new.employer_ticket),
            RequestEvent(request=request_id, state=RequestState.WAITING_FOR_WORKER.value, at=at),
        )
    return request_id


class StaleRequest(Exception):
    """The request changed since the citizen saw it (another tab, another click): nothing was done."""


async def move_request(request_id: int, expected_version: int, target: RequestState, *,
                       event_ticket: str | None = None, at: datetime.datetime | None = None,
                       **changes: Any) -> None:
    """Moves the request to `target` if it is still at `expected_version` (compare-and-set), records
    the event (with `event_ticket`, the ticket it gave), and raises StaleRequest otherwise. `changes`
    are other columns to set. Call it inside the caller's transaction."""
    at = at or utcnow()
    current = await CareerBreakRequest.select(CareerBreakRequest.state).where(
        CareerBreakRequest.id == request_id
    ).first()
    if current is None or not can_move(RequestState(current["state"]), target):
        raise StaleRequest()
    updated = await CareerBreakRequest.update({
        CareerBreakRequest.state: target.value,
        CareerBreakRequest.version: expected_version + 1,
        CareerBreakRequest.updated_at: at,
        **{getattr(CareerBreakRequest, name): value for name, value in changes.items()},
    }).where(
        (CareerBreakRequest.id == request_id) & (CareerBreakRequest.version == expected_version)
    ).returning(CareerBreakRequest.id)
    if not updated:
        raise StaleRequest()
    await RequestEvent.insert(
        RequestEvent(request=request_id, state=target.value, at=at, ticket_number=event_ticket)
    )


async def enterprise_name(enterprise_id: int) -> str:
    row = await Enterprise.select(Enterprise.name).where(Enterprise.id == enterprise_id).first()
    return row["name"] if row else ""
