"""The use cases of the employer's part (guide 001): the enterprise's workers, the check of a leave
against the rules and the worker's history, filing the request, and the Consultation.

Every query is scoped to the enterprise the personnel officer acts for (`ActingFor`): another
enterprise's worker or request is simply not found. Every consultation of a worker's data is written
to the audit trail, with the worker as its subject.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine

from app.access.guards import ActingFor
from app.audit.services import AuditAction, AuditEvent, record_many
from app.careerbreak.history import history_of
from app.careerbreak.services import Event, NewRequest, create_request, events_of
from app.careerbreak.tables import CareerBreakRequest
from app import clock
from app.clock import utcnow
from app.db import transaction
from app.db.paging import Page, newest_first
from app.db.transactions import engine
from app.employer.documents import (
    FiledRequest,
    enqueue_filing_documents,
    enterprise_facts,
    send_worker_part_notice,
)
from app.employer.forms import LeaveChoice, WorkerChoice
from app.outbox.services import deliver
from app.registry.tables import Employment
from app.rules.careerbreak import (
    CareMotive,
    CountedPer,
    LeaveForm,
    LeaveKind,
    Problem,
    ProblemCode,
    RequestContext,
    ceilings_for,
    check_requested_period,
)
from app.rules.employer import birth_date_of, sex_of
from app.rules.identifiers import format_niss
from app.rules.request_states import RequestState
from app.web.forms import parse_id

logger = logging.getLogger("guichet.employer")

WORKER_ROLE = "worker"
CONSULTATION_YEARS = 2  # domain.md §2.5: the employees' requests of the last two years
PAGE_SIZE = 20

# The child, patient or person helped is named in the worker's part. For a kind counted per child,
# patient or person, the employer's check counts the request alone against those maximums (an unnamed
# subject that no past period has), and the worker's whole history against the maximums over the career.
UNNAMED_SUBJECT = "partie-employeur:sujet-non-nomme"
# What the employer's part can check; the child's age and arrival, and the end-of-career years, are the
# worker's part.
EMPLOYER_CHECKS = frozenset({
    ProblemCode.END_BEFORE_START, ProblemCode.FORM_NOT_OFFERED, ProblemCode.NOT_IN_FORCE,
    ProblemCode.NOT_IN_BLOCKS, ProblemCode.TOO_SHORT, ProblemCode.TOO_LONG,
    ProblemCode.WEEKS_NEED_EMPLOYER_AGREEMENT, ProblemCode.EMPLOYER_AGREEMENT_REQUIRED,
    ProblemCode.WORK_REGIME_TOO_LOW, ProblemCode.CEILING_EXCEEDED, ProblemCode.WORKER_TOO_YOUNG,
    ProblemCode.OVERLAPS,
})


@dataclass(frozen=True)
class Worker:
    person_id: int
    niss: str
    first_name: str
    last_name: str
    language: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_niss(self) -> str:
        return format_niss(self.niss)


def _worker(row: dict[str, Any]) -> Worker:
    return Worker(row["person.id"], row["person.niss"], row["person.first_name"], row["person.last_name"],
                  row["person.language"])


_WORKER_COLUMNS = (Employment.person.id, Employment.person.niss, Employment.person.first_name,
                   Employment.person.last_name, Employment.person.language)


async def workers_of(acting: ActingFor) -> list[Worker]:
    """The enterprise's personnel file (Dimona): its workers, by name."""
    rows = await Employment.select(*_WORKER_COLUMNS).where(
        (Employment.enterprise == acting.enterprise_id) & (Employment.role == WORKER_ROLE)
    ).order_by(Employment.person.last_name).order_by(Employment.person.first_name)
    return [_worker(row) for row in rows]


async def worker_of(acting: ActingFor, niss: str) -> Worker | None:
    """The worker of the enterprise with this NISS; None for anyone else (who is not told apart)."""
    row = await Employment.select(*_WORKER_COLUMNS).where(
        (Employment.enterprise == acting.enterprise_id) & (Employment.role == WORKER_ROLE)
        & (Employment.person.niss == niss)
    ).first()
    return _worker(row) if row else None


async def audit_consultation(acting: ActingFor, worker_nisses: list[str], what: str, *, source: str,
                             request_id: int | None = None) -> None:
    """One record per worker whose data the officer saw, all appended at once (`record_many`: the
    cost does not grow with the number of workers on the page)."""
    details: dict[str, Any] = {"enterprise": acting.enterprise_number, "what": what}
    if request_id is not None:
        details["request"] = request_id
    await record_many(
        AuditEvent(AuditAction.FILE_ACCESS, actor=acting.niss, subject=niss, source=source,
                   outcome="success", details=details)
        for niss in dict.fromkeys(worker_nisses)
    )


async def check_period(acting: ActingFor, worker: Worker, kind: LeaveKind, leave: LeaveChoice, *,
                       source: str | None = None) -> list[Problem]:
    """The rules on the requested period: blocks, minimum and maximum lengths, the work regime, the
    employer's agreement, and the maximums with the worker's history (read from the ONEM's file: a
    consultation, audited when `source` is given)."""
    history = await history_of(worker.person_id)
    if source is not None:
        await audit_consultation(acting, [worker.niss], "historique", source=source)
    counted_per_subject = any(ceiling.counted_per is not CountedPer.CAREER
                              for ceiling in ceilings_for(kind, leave.form))
    context = RequestContext(
        subject_id=UNNAMED_SUBJECT if counted_per_subject else None, care_motive=leave.care_motive,
        worker_birth_date=birth_date_of(worker.niss), worker_sex=sex_of(worker.niss),
        employer_agreement=leave.employer_agreement, work_regime=leave.work_regime_fraction,
        history=history.periods,
    )
    problems = check_requested_period(kind, leave.form, leave.start, leave.end, context)
    return [problem for problem in problems if problem.code in EMPLOYER_CHECKS]


class TicketTaken(Exception):
    """The ticket drawn for this request already names another request (a collision of random
    numbers, about one in 10¹³): nothing was filed; draw a new one."""


async def file_request(acting: ActingFor, worker: Worker, kind: LeaveKind, leave: LeaveChoice,
                       ticket: str, *, worker_choice: WorkerChoice | None = None,
                       completion_url: str | None = None) -> tuple[int, bool]:
    """Files the employer's part under `ticket` and hands the request to the worker. Returns the
    request's id and whether it is new: the same confirmation posted again finds the request that
    its ticket already names (the ticket is a unique column).

    What the filing promises (the form to the worker's e-Box, the e-mail linking to `completion_url`,
    the acknowledgement to the enterprise's e-Box) is written to the outbox in the same transaction
    (R5), then delivered at once; after a crash the outbox delivers it, once. So a repeat of the post
    may answer with the ticket as soon as the request exists: its documents are committed with it."""
    new = NewRequest(
        worker_id=worker.person_id, enterprise_id=acting.enterprise_id, kind=kind, form=leave.form,
        start_date=leave.start, end_date=leave.end, language=worker.language,
        care_motive=leave.care_motive, work_regime=leave.work_regime, employer_ticket=ticket,
    )
    try:
        async with transaction():
            request_id = await create_request(new)
            promised = await enqueue_filing_documents(FiledRequest(
                request_id=request_id, ticket=ticket, filed_at=clock.utcnow(),  # the clock's, as the route's was
                enterprise_id=acting.enterprise_id, enterprise=enterprise_facts(acting),
                worker_id=worker.person_id, worker_name=worker.full_name, worker_niss=worker.niss,
                language=worker.language, kind=kind, form=leave.form, care_motive=leave.care_motive,
                start=leave.start, end=leave.end, work_regime=leave.work_regime,
                choice=worker_choice, leave=leave,
            ), completion_url=completion_url)
    except Exception:
        existing = await CareerBreakRequest.select(
            CareerBreakRequest.id, CareerBreakRequest.enterprise, CareerBreakRequest.worker,
            CareerBreakRequest.kind, CareerBreakRequest.form, CareerBreakRequest.start_date,
            CareerBreakRequest.end_date,
        ).where(CareerBreakRequest.employer_ticket == ticket).first()
        if existing is None:
            raise
        same = (existing["enterprise"], existing["worker"], existing["kind"], existing["form"],
                existing["start_date"], existing["end_date"]) == (
                acting.enterprise_id, worker.person_id, kind.value, leave.form.value, leave.start, leave.end)
        if not same:
            raise TicketTaken() from None
        return existing["id"], False
    await deliver(promised)
    return request_id, True


# ---------------------------------------------------------------------------------------------------
# Consultation


@dataclass(frozen=True)
class Filters:
    """The search of the Consultation: on the worker (name or NISS) and on the characteristics."""

    worker: str = ""
    niss: str | None = None  # the worker's text, when it is a valid NISS
    kind: LeaveKind | None = None
    form: LeaveForm | None = None
    state: RequestState | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None


@dataclass(frozen=True)
class EmployerRequest:
    """A request as the enterprise's screens show it."""

    id: int
    worker_name: str
    worker_niss: str
    kind: LeaveKind
    form: LeaveForm
    care_motive: CareMotive | None
    start_date: datetime.date
    end_date: datetime.date
    work_regime: str
    state: RequestState
    employer_ticket: str | None
    filed_at: datetime.datetime
    language: str

    @property
    def formatted_niss(self) -> str:
        return format_niss(self.worker_niss)


_REQUEST_COLUMNS = (
    CareerBreakRequest.id, CareerBreakRequest.worker.first_name, CareerBreakRequest.worker.last_name,
    CareerBreakRequest.worker.niss, CareerBreakRequest.kind, CareerBreakRequest.form,
    CareerBreakRequest.care_motive, CareerBreakRequest.start_date, CareerBreakRequest.end_date,
    CareerBreakRequest.work_regime, CareerBreakRequest.state, CareerBreakRequest.employer_ticket,
    CareerBreakRequest.created_at, CareerBreakRequest.language,
)


def _request(row: dict[str, Any]) -> EmployerRequest:
    return EmployerRequest(
        id=row["id"], worker_name=f"{row['worker.first_name']} {row['worker.last_name']}",
        worker_niss=row["worker.niss"], kind=LeaveKind(row["kind"]), form=LeaveForm(row["form"]),
        care_motive=CareMotive(row["care_motive"]) if row["care_motive"] else None,
        start_date=row["start_date"], end_date=row["end_date"], work_regime=row["work_regime"],
        state=RequestState(row["state"]), employer_ticket=row["employer_ticket"], filed_at=row["created_at"],
        language=row["language"],
    )


def _contains(column: Any, word: str) -> Any:
    """Case-insensitive: SQLite's LIKE already is (for ASCII letters); PostgreSQL's ILIKE is."""
    pattern = f"%{word}%"
    return column.like(pattern) if isinstance(engine(), SQLiteEngine) else column.ilike(pattern)


def _like_words(text: str) -> list[str]:
    """The words of a name search, without the characters LIKE reads as wildcards."""
    cleaned = "".join(" " if char in "%_\\" else char for char in text)
    return [word for word in cleaned.split() if word][:5]


async def consultation(acting: ActingFor, filters: Filters, *, after: int | None = None,
                       before: int | None = None, now: datetime.datetime | None = None,
                       page_size: int = PAGE_SIZE) -> Page[EmployerRequest]:
    """The enterprise's requests filed in the last two years, the newest first, one page at a time
    (keyset pagination on the id: the cost of a page does not grow with the table)."""
    now = now or utcnow()
    since = now - datetime.timedelta(days=365 * CONSULTATION_YEARS + 1)
    query = CareerBreakRequest.select(*_REQUEST_COLUMNS).where(
        (CareerBreakRequest.enterprise == acting.enterprise_id) & (CareerBreakRequest.created_at >= since)
    )
    if filters.niss:
        query = query.where(CareerBreakRequest.worker.niss == filters.niss)
    else:
        for word in _like_words(filters.worker):
            query = query.where(_contains(CareerBreakRequest.worker.first_name, word)
                                | _contains(CareerBreakRequest.worker.last_name, word))
    if filters.kind:
        query = query.where(CareerBreakRequest.kind == filters.kind.value)
    if filters.form:
        query = query.where(CareerBreakRequest.form == filters.form.value)
    if filters.state:
        query = query.where(CareerBreakRequest.state == filters.state.value)
    if filters.period_from:
        query = query.where(CareerBreakRequest.end_date >= filters.period_from)
    if filters.period_to:
        query = query.where(CareerBreakRequest.start_date <= filters.period_to)

    page = await newest_first(query, CareerBreakRequest.id, "id", after=after, before=before,
                              page_size=page_size)
    return page.map(_request)


async def request_of_enterprise(acting: ActingFor, request_id: int) -> EmployerRequest | None:
    """The request, when the enterprise filed it; None otherwise (another enterprise's id is not found,
    nor a number past the ids' range: the paths' `{request_id:int}` take any integer)."""
    if parse_id(request_id) is None:
        return None
    row = await CareerBreakRequest.select(*_REQUEST_COLUMNS).where(
        (CareerBreakRequest.id == request_id) & (CareerBreakRequest.enterprise == acting.enterprise_id)
    ).first()
    return _request(row) if row else None


async def history_of_request(request_id: int) -> tuple[Event, ...]:
    return (await events_of([request_id]))[request_id]


# ---------------------------------------------------------------------------------------------------
# The hand-off back to the enterprise


async def notify_enterprise_of_worker_part(request_id: int) -> None:
    """Once the worker's part is sent (careerbreak's `WORKER_PART_SENT`, delivered by the outbox after
    its transaction): the enterprise's e-Box gets the notice that the worker completed the request,
    once (the notice has a key of its own). The worker's part stands whatever happens here: a notice
    that cannot be made raises, and the outbox delivers the event again later."""
    await send_worker_part_notice(request_id)
