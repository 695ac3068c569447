"""The requests of a citizen, as every screen of the service reads them, and the changes of state
they all go through (compare-and-set on the request's version, budget R3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.db import transaction
from app.registry.tables import Enterprise
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.request_states import RequestState, can_move


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


@dataclass(frozen=True)
class RequestSummary:
    """A request as the citizen's screens show it."""

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
            id=row["id"], kind=LeaveKind(row["kind"]), form=LeaveForm(row["form"]),
            care_motive=CareMotive(row["care_motive"]) if row["care_motive"] else None,
            start_date=row["start_date"], end_date=row["end_date"], state=RequestState(row["state"]),
            version=row["version"], language=row["language"], enterprise_id=row["enterprise"],
            enterprise_name=row["enterprise.name"], subject_name=row["subject_name"],
            subject_birth_date=row["subject_birth_date"], ticket_number=row["ticket_number"],
            cancellation_ticket=row["cancellation_ticket"], decided_on=row["decided_on"],
        )


_SUMMARY_COLUMNS = (
    CareerBreakRequest.id, CareerBreakRequest.kind, CareerBreakRequest.form, CareerBreakRequest.care_motive,
    CareerBreakRequest.start_date, CareerBreakRequest.end_date, CareerBreakRequest.state,
    CareerBreakRequest.version, CareerBreakRequest.language, CareerBreakRequest.enterprise,
    CareerBreakRequest.enterprise.name, CareerBreakRequest.subject_name,
    CareerBreakRequest.subject_birth_date, CareerBreakRequest.ticket_number,
    CareerBreakRequest.cancellation_ticket, CareerBreakRequest.decided_on,
)


async def requests_of(person_id: int) -> list[RequestSummary]:
    """The citizen's requests, the most recent period first (one query)."""
    rows = await CareerBreakRequest.select(*_SUMMARY_COLUMNS).where(
        CareerBreakRequest.worker == person_id
    ).order_by(CareerBreakRequest.start_date, ascending=False).order_by(CareerBreakRequest.id, ascending=False)
    return [RequestSummary.from_row(row) for row in rows]


async def request_of(person_id: int, request_id: int) -> RequestSummary | None:
    """The request, when it is this citizen's; None otherwise (another citizen's id is not found)."""
    row = await CareerBreakRequest.select(*_SUMMARY_COLUMNS).where(
        (CareerBreakRequest.id == request_id) & (CareerBreakRequest.worker == person_id)
    ).first()
    return RequestSummary.from_row(row) if row else None


@dataclass(frozen=True)
class Event:
    request_id: int
    state: RequestState
    at: datetime.datetime
    ticket_number: str | None


async def events_of(request_ids: list[int]) -> dict[int, list[Event]]:
    """The dated history of these requests, oldest first (one query for all of them)."""
    if not request_ids:
        return {}
    rows = await RequestEvent.select(
        RequestEvent.request, RequestEvent.state, RequestEvent.at, RequestEvent.ticket_number
    ).where(RequestEvent.request.is_in(request_ids)).order_by(RequestEvent.at).order_by(RequestEvent.id)
    history: dict[int, list[Event]] = {request_id: [] for request_id in request_ids}
    for row in rows:
        history[row["request"]].append(
            Event(row["request"], RequestState(row["state"]), row["at"], row["ticket_number"])
        )
    return history


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
