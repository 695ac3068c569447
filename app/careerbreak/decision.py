"""ONEM's decision on a career-break request (domain.md §2.5 and §3, the C62).

ONEM's back office is not part of the portal: its decision comes in through `guichet decide TICKET`
(app/cli.py), which names the request by the worker's ticket number.

`decide_request` decides a request whose worker's part was sent, in one transaction: the
compare-and-set move to "decided" on the request's version (budget R3) with its dated event and
`decided_on`, the audit record, and in the outbox (app/outbox) what the decision promises: the copy
of the decision (C62) to the worker's e-Box and a notice of it to the enterprise's e-Box
(templates/pdf/employer_decision.html), both in the request's language. Once that has committed, they
are delivered at once, and by the outbox after a crash. Five identical calls at once give one
decision, one event and one document in each e-Box (budget R1): the others find the request decided
and are refused.

The decision stands whatever happens to its documents: one that cannot be made is logged and shown
as missing in `Decision.documents`, and the outbox tries again later; `send_decision_documents` sends
what an e-Box still lacks (running it again changes nothing: each document has the key of its outbox
item), and `decide_ticket` does so when the request is already decided.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from app.audit.services import record
from app.careerbreak.documents import (
    DECISION_COPY_ITEM,
    DocumentKind,
    DocumentNotAvailable,
    decision_copy_key,
    send_decision_copy,
)
from app.careerbreak.services import StaleRequest, ebox_subject, move_request
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.careerbreak.wording import CARE_MOTIVE_NAMES, FORM_NAMES, KIND_NAMES, request_description
from app.db import transaction
from app.ebox.services import Owner, belgian_date, first_sent, send_document, sent_with_key, speaking, utcnow
from app.outbox.services import Item, deliver, enqueue
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.identifiers import format_enterprise_number, format_niss
from app.rules.request_states import RequestState
from app.rules.tickets import InvalidTicketNumber, parse_ticket_number
from app.web.i18n import format_date
from app.web.i18n import gettext as _

logger = logging.getLogger("guichet.careerbreak.decision")

AUDIT_ACTION = "careerbreak_request_decided"
ENTERPRISE_DOCUMENT = "decision-employeur"  # EboxMessage.document_kind of the enterprise's notice
ENTERPRISE_TEMPLATE = "pdf/employer_decision.html"
# A decision that meets another change of the request (the worker's upload moves the version on, not
# the state) reads the request again and tries again, this many times in all.
ATTEMPTS = 3


# ---------------------------------------------------------------------------------------------------
# Refusals: the reasons are for ONEM's operator, in the command's language (English).


class DecisionRefused(Exception):
    """The request cannot be decided now; `reason` says why. Nothing was changed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RequestNotFound(DecisionRefused):
    """No request has this worker's ticket number (or it is not a ticket number)."""


class NotAwaitingDecision(DecisionRefused):
    """The request is not waiting for a decision: its worker's part is not sent, it was cancelled, or
    it is already decided (`decided_on`)."""

    def __init__(self, request_id: int, state: RequestState, decided_on: datetime.date | None) -> None:
        self.request_id, self.state, self.decided_on = request_id, state, decided_on
        if state is RequestState.DECIDED:
            why = f"it was already decided on {decided_on.isoformat() if decided_on else 'an unknown day'}"
        elif state is RequestState.CANCELLED:
            why = "it was cancelled"
        else:
            why = "it is waiting for the worker's part"
        super().__init__(f"the request is not waiting for a decision: {why}")


class WrongDecisionDate(DecisionRefused):
    """The day of the decision is after today, or before the worker's part was sent."""


def decision_date_problem(decided_on: datetime.date, *, sent_on: datetime.date | None,
                          today: datetime.date) -> str | None:
    """Why ONEM cannot have decided on that day, or None: not in the future, not before the request
    was complete."""
    if decided_on > today:
        return f"the day of the decision ({decided_on.isoformat()}) is after today ({today.isoformat()})"
    if sent_on is not None and decided_on < sent_on:
        return (f"the day of the decision ({decided_on.isoformat()}) is before the worker's part was sent "
                f"({sent_on.isoformat()})")
    return None


# ---------------------------------------------------------------------------------------------------
# What a decision gives


@dataclass(frozen=True)
class Delivery:
    """One document of the decision: its public id in the e-Box, or None when it could not be made
    (the error is logged); `sent_now` is False when the e-Box already had it."""

    public_id: str | None
    sent_now: bool = True


@dataclass(frozen=True)
class DecisionDocuments:
    worker_copy: Delivery  # the copy of the decision (C62), in the worker's e-Box
    enterprise_notice: Delivery  # the notice of the decision, in the enterprise's e-Box

    @property
    def complete(self) -> bool:
        return self.worker_copy.public_id is not None and self.enterprise_notice.public_id is not None

    @property
    def any_sent_now(self) -> bool:
        return any(delivery.public_id is not None and delivery.sent_now
                   for delivery in (self.worker_copy, self.enterprise_notice))


@dataclass(frozen=True)
class Decision:
    """A decided request. `repeated`: it was decided before this call, which only sent the documents
    its e-Boxes lacked."""

    request_id: int
    ticket_number: str | None
    decided_on: datetime.date
    worker_name: str
    enterprise_name: str
    language: str
    documents: DecisionDocuments
    repeated: bool = False


# ---------------------------------------------------------------------------------------------------
# Reading the request


_COLUMNS = (
    CareerBreakRequest.id, CareerBreakRequest.state, CareerBreakRequest.version, CareerBreakRequest.decided_on,
    CareerBreakRequest.ticket_number, CareerBreakRequest.employer_ticket, CareerBreakRequest.language,
    CareerBreakRequest.kind, CareerBreakRequest.form, CareerBreakRequest.care_motive,
    CareerBreakRequest.start_date, CareerBreakRequest.end_date,
    CareerBreakRequest.worker, CareerBreakRequest.worker.first_name, CareerBreakRequest.worker.last_name,
    CareerBreakRequest.worker.niss,
    CareerBreakRequest.enterprise, CareerBreakRequest.enterprise.name,
    CareerBreakRequest.enterprise.enterprise_number,
)


async def _request(request_id: int) -> dict[str, Any] | None:
    return await CareerBreakRequest.select(*_COLUMNS).where(CareerBreakRequest.id == request_id).first()


def _worker_name(row: dict[str, Any]) -> str:
    return f"{row['worker.first_name']} {row['worker.last_name']}".strip()


async def _worker_part_sent_on(request_id: int) -> datetime.date | None:
    event = await RequestEvent.select(RequestEvent.at).where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value)
    ).order_by(RequestEvent.at, ascending=False).first()
    return belgian_date(event["at"]) if event else None


async def request_with_ticket(ticket_number: str) -> int:
    """The request whose worker's part has this ticket number (typed in any case, with or without
    its dashes). Raises RequestNotFound when there is none, or when it is not a ticket number."""
    try:
        ticket = parse_ticket_number(ticket_number)
    except InvalidTicketNumber:
        raise RequestNotFound(f"{ticket_number!r} is not a ticket number (nine characters, like K7F-4TR-9XW)") \
            from None
    row = await CareerBreakRequest.select(CareerBreakRequest.id).where(
        CareerBreakRequest.ticket_number == ticket
    ).first()
    if row is None:
        raise RequestNotFound(f"no request has the worker's ticket number {ticket}")
    return row["id"]


# ---------------------------------------------------------------------------------------------------
# The decision


async def decide_request(request_id: int, *, decided_by: str, decided_on: datetime.date | None = None,
                         source: str = "guichet-cli", at: datetime.datetime | None = None) -> Decision:
    """ONEM decides the request: it must be waiting for a decision (its worker's part sent), and
    `decided_on` (the Belgian day of `at` by default) can be neither after that day nor before the
    worker's part was sent. `decided_by` and `source` go to the audit trail; `at` dates the event.
    Then the documents go to the e-Boxes. Raises a DecisionRefused with its reason."""
    at = at or utcnow()
    today = belgian_date(at)
    decided_on = decided_on or today
    for attempt in range(ATTEMPTS):
        try:
            async with transaction():
                row = await _request(request_id)
                if row is None:
                    raise RequestNotFound(f"there is no request {request_id}")
                state = RequestState(row["state"])
                if state is not RequestState.WORKER_PART_SENT:
                    raise NotAwaitingDecision(request_id, state, row["decided_on"])
                problem = decision_date_problem(decided_on, sent_on=await _worker_part_sent_on(request_id),
                                                today=today)
                if problem is not None:
                    raise WrongDecisionDate(problem)
                await move_request(request_id, row["version"], RequestState.DECIDED, at=at,
                                   decided_on=decided_on)
                await record(AUDIT_ACTION, actor=decided_by, subject=row["worker.niss"], source=source,
                             outcome="success", details={"request": request_id, "ticket": row["ticket_number"],
                                                         "decided_on": decided_on.isoformat()})
                # What the decision promises, with it: the outbox sends it, after a crash too.
                await enqueue(DECISION_COPY_ITEM, {"request_id": request_id}, key=decision_copy_key(request_id))
                await enqueue(ENTERPRISE_NOTICE_ITEM, {"request_id": request_id},
                              key=enterprise_notice_key(request_id))
        except StaleRequest:
            # Decided, cancelled or changed by someone else in the meantime: read it again.
            if attempt == ATTEMPTS - 1:
                raise DecisionRefused("the request kept changing while it was being decided: try again") from None
            continue
        documents = await _deliver_decision_documents(request_id)
        return Decision(request_id, row["ticket_number"], decided_on, _worker_name(row), row["enterprise.name"],
                        row["language"], documents)
    raise AssertionError("unreachable")  # pragma: no cover


async def decide_ticket(ticket_number: str, *, decided_by: str, decided_on: datetime.date | None = None,
                        source: str = "guichet-cli") -> Decision:
    """`guichet decide`: decides the request with this worker's ticket number. A request already
    decided whose e-Boxes lack one of its documents gets it now (the Decision is `repeated`); one
    with all its documents is refused like any request not waiting for a decision."""
    request_id = await request_with_ticket(ticket_number)
    try:
        return await decide_request(request_id, decided_by=decided_by, decided_on=decided_on, source=source)
    except NotAwaitingDecision as refused:
        if refused.state is not RequestState.DECIDED:
            raise
        documents = await send_decision_documents(request_id)
        if not documents.any_sent_now:
            raise
    row = await _request(request_id)
    return Decision(request_id, row["ticket_number"], row["decided_on"], _worker_name(row), row["enterprise.name"],
                    row["language"], documents, repeated=True)


# ---------------------------------------------------------------------------------------------------
# The documents


def enterprise_decision_context(row: dict[str, Any]) -> dict[str, Any]:
    """The enterprise's notice, in the active language: the request, the tickets and the day of the
    decision; not the worker's answers (household, account, the child or patient)."""
    kind, form = LeaveKind(row["kind"]), LeaveForm(row["form"])
    motive = CareMotive(row["care_motive"]) if row["care_motive"] else None
    start, end = format_date(row["start_date"]), format_date(row["end_date"])
    return {
        "enterprise": {"name": row["enterprise.name"],
                       "number": format_enterprise_number(row["enterprise.enterprise_number"])},
        "worker": {"name": _worker_name(row), "niss": format_niss(row["worker.niss"])},
        "decided_on": row["decided_on"],
        "request": {
            "description": request_description(kind, form, start, end),
            "kind": _(KIND_NAMES[kind]),
            "form": _(FORM_NAMES[form]),
            "care_motive": _(CARE_MOTIVE_NAMES[motive]) if motive else None,
            "start": start,
            "end": end,
            "employer_ticket": row["employer_ticket"],
            "ticket": row["ticket_number"],
        },
    }


async def send_enterprise_decision(request_id: int, *, key: str | None = None) -> str:
    """The notice of ONEM's decision, in the request's language, to the enterprise's e-Box (once under
    `key`: `enterprise_notice_key`). Returns its public id; raises DocumentNotAvailable when the request
    is not decided."""
    row = await _request(request_id)
    if row is None or RequestState(row["state"]) is not RequestState.DECIDED or row["decided_on"] is None:
        raise DocumentNotAvailable(request_id)
    with speaking(row["language"]):
        context = enterprise_decision_context(row)
    return await send_document(enterprise_id=row["enterprise"], subject=ebox_subject(request_id),
                               document_kind=ENTERPRISE_DOCUMENT, language=row["language"],
                               template=ENTERPRISE_TEMPLATE, context=context, key=key)


# The outbox's items of a decision (written with it, `decide_request`), and their handlers.
ENTERPRISE_NOTICE_ITEM = "careerbreak.decision_notice"


def enterprise_notice_key(request_id: int) -> str:
    return f"careerbreak.decision-notice:{request_id}"


async def deliver_enterprise_decision(item: Item) -> None:
    """The outbox's handler of ENTERPRISE_NOTICE_ITEM."""
    await send_enterprise_decision(item.payload["request_id"], key=item.key)


async def _deliver_decision_documents(request_id: int) -> DecisionDocuments:
    """After the decision's commit: its items delivered now (unless another deliverer has them), and
    what the e-Boxes hold. A document that could not be made now is None: the outbox tries again
    later, and `guichet decide` sends it at once."""
    copy_key, notice_key = decision_copy_key(request_id), enterprise_notice_key(request_id)
    await deliver([copy_key, notice_key])
    copy, notice = await sent_with_key(copy_key), await sent_with_key(notice_key)
    return DecisionDocuments(worker_copy=Delivery(copy, sent_now=copy is not None),
                             enterprise_notice=Delivery(notice, sent_now=notice is not None))


async def _in_ebox(request_id: int, document_kind: str, owner: Owner) -> str | None:
    return await first_sent(owner, ebox_subject(request_id), document_kind)


async def _deliver(what: str, request_id: int, send, existing: str | None) -> Delivery:
    if existing is not None:
        return Delivery(existing, sent_now=False)
    try:
        return Delivery(await send(request_id))
    except Exception:  # noqa: BLE001 - the decision stands; `guichet decide` again sends what is missing
        logger.exception("the %s of the decision on request %s could not be sent", what, request_id)
        return Delivery(None, sent_now=False)


async def send_decision_documents(request_id: int, *, only_missing: bool = True) -> DecisionDocuments:
    """The decided request's copy (C62) to the worker's e-Box and its notice to the enterprise's, each
    unless that e-Box already has it (`only_missing=False` does not look). Each is sent under the key of
    the outbox's item, so that the outbox, delivering it later, finds it there. A document that cannot
    be made is logged, never raised."""
    worker_copy = enterprise_notice = None
    if only_missing:
        row = await CareerBreakRequest.select(CareerBreakRequest.worker, CareerBreakRequest.enterprise).where(
            CareerBreakRequest.id == request_id
        ).first()
        if row is not None:
            worker_copy = await _in_ebox(request_id, DocumentKind.DECISION_COPY.value,
                                         Owner.person(row["worker"]))
            enterprise_notice = await _in_ebox(request_id, ENTERPRISE_DOCUMENT,
                                               Owner.enterprise(row["enterprise"]))
    return DecisionDocuments(
        worker_copy=await _deliver("copy (C62)", request_id,
                                   lambda request: send_decision_copy(request, key=decision_copy_key(request)),
                                   worker_copy),
        enterprise_notice=await _deliver(
            "enterprise's notice", request_id,
            lambda request: send_enterprise_decision(request, key=enterprise_notice_key(request)), enterprise_notice),
    )

