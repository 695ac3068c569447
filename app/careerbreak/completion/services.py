"""The use cases of "Compléter une demande": which requests wait for the worker, what the rules say of
the worker's answers, and the confirmation that sends the worker's part with a ticket number
(compare-and-set on the request's version: budgets R1 and R3)."""

from __future__ import annotations

import datetime
import enum
import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from stdnum.be import ssn

from app.careerbreak.documents import ACKNOWLEDGEMENT_ITEM, acknowledgement_key
from app.careerbreak.events import WORKER_PART_SENT
from app.careerbreak.history import history_of, subject_id
from app.careerbreak.services import RequestSummary, StaleRequest, move_request, request_of, requests_of
from app.careerbreak.tables import CareerBreakRequest
from app.db import transaction
from app.outbox.services import deliver, enqueue, publish_later
from app.rules.allowances import domicile_allows_allowance
from app.rules.careerbreak import (
    CareMotive,
    LeaveKind,
    Problem,
    ProblemCode,
    RequestContext,
    TakenPeriod,
    check_requested_period,
)
from app.rules.request_states import RequestState, worker_can_complete
from app.rules.tickets import new_ticket_number

# ---------------------------------------------------------------------------------------------------
# The worker's answers

logger = logging.getLogger(__name__)


class HouseholdSituation(str, enum.Enum):
    """The household, as the single-parent increase needs it (domain.md §2.3.1, allowances.Household):
    a cohabitant lives with other adults; an isolé lives alone, or exclusively with dependent children."""

    COHABITANT = "cohabitant"
    ALONE = "isole"
    ONLY_WITH_DEPENDENT_CHILDREN = "isole-avec-enfants"

    @property
    def lives_only_with_dependent_children(self) -> bool:
        return self is HouseholdSituation.ONLY_WITH_DEPENDENT_CHILDREN


class SubjectRole(str, enum.Enum):
    """Who the leave is taken for, when the kind counts its maximum per person (rules.CountedPer)."""

    CHILD = "enfant"
    PATIENT = "patient"
    PERSON_HELPED = "personne-aidee"


_CHILD_MOTIVES = (CareMotive.CHILD_UNDER_8, CareMotive.DISABLED_CHILD_UNDER_21,
                  CareMotive.SERIOUSLY_ILL_MINOR_CHILD)


def subject_role(kind: LeaveKind, care_motive: CareMotive | None) -> SubjectRole | None:
    """The person the worker must name for this kind of leave, or None for the kinds that are not taken
    for someone (training, end of career, public sector)."""
    if kind is LeaveKind.PARENTAL:
        return SubjectRole.CHILD
    if kind in (LeaveKind.MEDICAL_ASSISTANCE, LeaveKind.PALLIATIVE_CARE):
        return SubjectRole.PATIENT
    if kind is LeaveKind.AIDANT_PROCHE:
        return SubjectRole.PERSON_HELPED
    if kind is LeaveKind.TIME_CREDIT_CARE:
        if care_motive in _CHILD_MOTIVES:
            return SubjectRole.CHILD
        if care_motive in (CareMotive.PALLIATIVE_CARE, CareMotive.SERIOUSLY_ILL_RELATIVE):
            return SubjectRole.PATIENT
        return SubjectRole.PERSON_HELPED
    return None


@dataclass(frozen=True)
class Subject:
    """The child, patient or person helped, as the worker names them."""

    role: SubjectRole
    name: str
    birth_date: datetime.date
    child_is_disabled: bool = False  # parental leave: up to 21 years instead of 12 [S5]

    @property
    def id(self) -> str | None:
        """How Break@work tells them apart (history.subject_id)."""
        return subject_id(self.name, self.birth_date)


@dataclass(frozen=True)
class WorkerPart:
    """The worker's part of a request, checked (forms.parse_worker_part). Stored as `worker_part`
    (to_json) when confirmed: the acknowledgement and ONEM's decision read it from there."""

    household: HouseholdSituation
    subject: Subject | None  # None for the kinds not taken for someone
    other_activities: bool
    other_activities_description: str | None
    domicile_country: str  # ISO 3166-1 alpha-2
    iban: str  # compact, as stdnum.iban.compact gives it
    bic: str | None  # only for an account outside Belgium

    @property
    def allowance_possible(self) -> bool:
        """domain.md §2.1: the allowance needs a domicile in Belgium, the EEA or Switzerland."""
        return domicile_allows_allowance(self.domicile_country)

    @property
    def subject_name(self) -> str | None:
        return self.subject.name if self.subject else None

    @property
    def subject_birth_date(self) -> datetime.date | None:
        return self.subject.birth_date if self.subject else None

    def to_json(self) -> dict[str, Any]:
        subject = self.subject
        return {
            "household": self.household.value,
            "subject_role": subject.role.value if subject else None,
            "subject_name": subject.name if subject else None,
            "subject_birth_date": subject.birth_date.isoformat() if subject else None,
            "child_is_disabled": subject.child_is_disabled if subject else False,
            "other_activities": self.other_activities,
            "other_activities_description": self.other_activities_description,
            "domicile_country": self.domicile_country,
            "allowance_possible": self.allowance_possible,
            "iban": self.iban,
            "bic": self.bic,
        }


# ---------------------------------------------------------------------------------------------------
# The request the worker completes


@dataclass(frozen=True)
class RequestToComplete:
    """A request as this screen needs it: the summary, and what the rules need beyond it."""

    summary: RequestSummary
    work_regime: Fraction | None  # the worker's regime before the leave, from the employer's part
    worker_birth_date: datetime.date | None  # from the NISS (National Register or BIS)

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def subject_role(self) -> SubjectRole | None:
        return subject_role(self.summary.kind, self.summary.care_motive)

    @property
    def can_be_completed(self) -> bool:
        return worker_can_complete(self.summary.state)


async def completable_requests(person_id: int) -> list[RequestSummary]:
    """The citizen's requests waiting for their part, most recent period first."""
    return [summary for summary in await requests_of(person_id) if worker_can_complete(summary.state)]


def _work_regime(text: str | None) -> Fraction | None:
    try:
        return Fraction(text) if text else None
    except (ValueError, ZeroDivisionError):
        return None


def _birth_date(niss: str) -> datetime.date | None:
    try:
        return ssn.get_birth_date(niss)
    except ValueError:  # stdnum's ValidationError: a date unknown (month or day 00), or a bad number
        return None


async def request_to_complete(person_id: int, request_id: int) -> RequestToComplete | None:
    """The request, when it is this citizen's; None otherwise (another citizen's id is not found)."""
    summary = await request_of(person_id, request_id)
    if summary is None:
        return None
    row = await CareerBreakRequest.select(
        CareerBreakRequest.work_regime, CareerBreakRequest.worker.niss
    ).where(CareerBreakRequest.id == request_id).first()
    return RequestToComplete(summary, _work_regime(row["work_regime"]), _birth_date(row["worker.niss"]))


# ---------------------------------------------------------------------------------------------------
# What the rules say


def request_context(request: RequestToComplete, subject: Subject | None,
                    history: Sequence[TakenPeriod]) -> RequestContext:
    """The context of the period checks.

    The employer's agreement is taken as given: the employer filed the period (in weeks, at 1/10),
    and filing it is the agreement the rules ask for (domain.md §2.5: the employer's part comes first).
    """
    is_child = subject is not None and subject.role is SubjectRole.CHILD
    return RequestContext(
        subject_id=subject.id if subject else None,
        child_birth_date=subject.birth_date if is_child else None,
        child_is_disabled=is_child and subject.child_is_disabled,
        care_motive=request.summary.care_motive,
        worker_birth_date=request.worker_birth_date,
        employer_agreement=True,
        work_regime=request.work_regime,
        history=tuple(history),
    )


# What the rules cannot say before the worker names the child, patient or person helped.
_DEPENDS_ON_SUBJECT = frozenset({ProblemCode.MISSING_INFORMATION, ProblemCode.CEILING_EXCEEDED,
                                 ProblemCode.OVERLAPS})


def period_problems(request: RequestToComplete, subject: Subject | None,
                    history: Sequence[TakenPeriod]) -> list[Problem]:
    """The problems of the request's period for this subject; with `subject` None for a kind taken for
    someone, only those that do not depend on who it is."""
    summary = request.summary
    problems = check_requested_period(summary.kind, summary.form, summary.start_date, summary.end_date,
                                      request_context(request, subject, history))
    if subject is None and request.subject_role is not None:
        problems = [problem for problem in problems if problem.code not in _DEPENDS_ON_SUBJECT
                    or problem.values.get("what") == "worker_birth_date"]
    return problems


async def check_period(person_id: int, request: RequestToComplete, subject: Subject | None) -> list[Problem]:
    """The period checks against the citizen's history of sent and decided requests (this request,
    still waiting for its worker's part, is not in it)."""
    history = await history_of(person_id)
    return period_problems(request, subject, history.periods)


# ---------------------------------------------------------------------------------------------------
# Confirming: one ticket, one effect


class Outcome(str, enum.Enum):
    SENT = "envoyee"  # this submission sent the worker's part
    ALREADY_SENT = "deja-envoyee"  # the same submission was sent already (a double click, a retry)
    CHANGED = "modifiee"  # the request changed since the citizen checked it: nothing was sent


@dataclass(frozen=True)
class Confirmation:
    outcome: Outcome
    ticket_number: str | None
    state: RequestState | None


TICKET_ATTEMPTS = 3  # a new number on the rare collision with an existing ticket (rules.tickets)


def _is_unique_violation(error: Exception) -> bool:
    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error).upper()
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(error, asyncpg.exceptions.UniqueViolationError)


def _stored_answers(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):  # SQLite gives the JSON text
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


async def outcome_of_sent_request(person_id: int, request_id: int, part: WorkerPart | None) -> Confirmation:
    """After a confirmation that changed nothing: was it the same submission as the one already
    sent (then the citizen gets the ticket it gave), or did the request change?"""
    row = await CareerBreakRequest.select(
        CareerBreakRequest.state, CareerBreakRequest.ticket_number, CareerBreakRequest.worker_part
    ).where((CareerBreakRequest.id == request_id) & (CareerBreakRequest.worker == person_id)).first()
    if row is None:
        return Confirmation(Outcome.CHANGED, None, None)
    state = RequestState(row["state"])
    sent = state in (RequestState.WORKER_PART_SENT, RequestState.DECIDED) and row["ticket_number"]
    if sent and part is not None and _stored_answers(row["worker_part"]) == part.to_json():
        return Confirmation(Outcome.ALREADY_SENT, row["ticket_number"], state)
    return Confirmation(Outcome.CHANGED, None, state)


async def confirm_worker_part(person_id: int, request: RequestToComplete, expected_version: int,
                              part: WorkerPart, *,
                              new_ticket: Callable[[], str] = new_ticket_number) -> Confirmation:
    """Sends the worker's part: in one transaction, the request moves to "worker's part sent" if it is
    still at `expected_version`, with a new ticket number, the answers, and the child, patient or
    person helped (Break@work counts per person), and what the part promises is written to the outbox:
    the acknowledgement to the worker's e-Box and `WORKER_PART_SENT` (the enterprise's notice), which
    `send_acknowledgement_after_sending` delivers. Five identical clicks give one ticket: the others
    find the request sent with the same answers and get that ticket (R1); a request that changed
    meanwhile (cancelled in another tab) is left as it is (R3)."""
    for attempt in range(TICKET_ATTEMPTS):
        ticket = new_ticket()
        try:
            async with transaction():
                await move_request(
                    request.id, expected_version, RequestState.WORKER_PART_SENT,
                    event_ticket=ticket, ticket_number=ticket, worker_part=part.to_json(),
                    subject_name=part.subject_name, subject_birth_date=part.subject_birth_date,
                )
                await enqueue(ACKNOWLEDGEMENT_ITEM, {"request_id": request.id}, key=acknowledgement_key(request.id))
                await publish_later(WORKER_PART_SENT, request.id, key=worker_part_sent_key(request.id))
        except StaleRequest:
            return await outcome_of_sent_request(person_id, request.id, part)
        except Exception as error:
            if not _is_unique_violation(error) or attempt == TICKET_ATTEMPTS - 1:
                raise
            continue
        return Confirmation(Outcome.SENT, ticket, RequestState.WORKER_PART_SENT)
    raise AssertionError("unreachable")  # pragma: no cover


def worker_part_sent_key(request_id: int) -> str:
    """The outbox's key of `WORKER_PART_SENT` for this request (its part is sent once)."""
    return f"careerbreak.worker-part-sent:{request_id}"


async def send_acknowledgement_after_sending(request_id: int) -> None:
    """Domain.md §2.5: once the worker's part is sent, the acknowledgement of receipt (a PDF of every
    answer) goes to the worker's e-Box, and a notice to the employer's. Called after the part's
    transaction has committed, which wrote both to the outbox: they are delivered now, so that the
    citizen finds the acknowledgement at once. The part is sent whatever happens here: what cannot be
    delivered now (an error, a crash) the outbox delivers later, once."""
    await deliver([acknowledgement_key(request_id), worker_part_sent_key(request_id)])
