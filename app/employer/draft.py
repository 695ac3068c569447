"""The request being introduced, kept in the server-side session between the steps of guide 001, so
that a reload, "Précédent" or a step left half-typed loses nothing.

    {"enterprise": 12,                        # the enterprise it is for: another one starts afresh
     "answers": {"travailleur": {...}, ...},  # each step's fields as typed
     "done": ["entreprise", ...],             # the steps whose answers were accepted
     "confirmation": {"key": ..., "ticket": ...}}

The confirmation's key and ticket are drawn when the confirmation page is first shown: the form
sends the key back, and the request is filed under the ticket. Five identical "Confirmer" posts thus
file one request (the ticket is a unique column) and are all answered with that ticket (budget R1).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection

from app.access.guards import ActingFor
from app.employer.forms import (
    LeaveChoice,
    WorkerChoice,
    check_kind,
    check_leave,
    check_worker,
)
from app.employer.services import Worker, worker_of
from app.identity.sessions import current_session, update_session_data
from app.rules.careerbreak import LeaveKind
from app.rules.tickets import new_ticket_number

DRAFT_KEY = "employer_request"
SENT_KEY = "employer_request_sent"  # {"key": confirmation key, "request": id}: the last one filed

ENTERPRISE_STEP = "entreprise"
WORKER_STEP = "travailleur"
KIND_STEP = "type"
LEAVE_STEP = "conge"
STEPS = (ENTERPRISE_STEP, WORKER_STEP, KIND_STEP, LEAVE_STEP)


@dataclass
class Draft:
    enterprise_id: int
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    confirmation: dict[str, str] | None = None

    def answers_of(self, step: str) -> dict[str, str]:
        return dict(self.answers.get(step, {}))

    def is_done(self, step: str) -> bool:
        return step in self.done

    def first_step_to_do(self) -> str | None:
        return next((step for step in STEPS if step not in self.done), None)

    def keep(self, step: str, answers: dict[str, str]) -> None:
        """What was typed at `step`, accepted or not; a change sends the officer through the later
        steps again (their answers stay), since they depend on it, and draws a new confirmation."""
        if self.answers.get(step) != answers:
            self.answers[step] = answers
            self.confirmation = None
            position = STEPS.index(step)
            self.done = [name for name in self.done if STEPS.index(name) < position]

    def accept(self, step: str) -> None:
        if step not in self.done:
            self.done.append(step)

    def confirmation_of(self) -> dict[str, str]:
        """The key the confirmation form sends back and the ticket the request will have."""
        if self.confirmation is None:
            self.confirmation = {"key": secrets.token_urlsafe(16), "ticket": new_ticket_number()}
        return self.confirmation

    def to_data(self) -> dict[str, Any]:
        return {"enterprise": self.enterprise_id, "answers": self.answers, "done": self.done,
                "confirmation": self.confirmation}


def load_draft(connection: ASGIConnection, enterprise_id: int) -> Draft:
    """The request in progress for this enterprise, or a new one."""
    session = current_session(connection)
    data = session.data.get(DRAFT_KEY) if session else None
    if not isinstance(data, dict) or data.get("enterprise") != enterprise_id:
        return Draft(enterprise_id)
    return Draft(enterprise_id, answers=dict(data.get("answers") or {}), done=list(data.get("done") or []),
                 confirmation=data.get("confirmation"))


def has_draft(connection: ASGIConnection, enterprise_id: int) -> bool:
    session = current_session(connection)
    data = session.data.get(DRAFT_KEY) if session else None
    return isinstance(data, dict) and data.get("enterprise") == enterprise_id and bool(data.get("answers"))


async def save_draft(connection: ASGIConnection, draft: Draft) -> None:
    await update_session_data(connection, **{DRAFT_KEY: draft.to_data()})


async def forget_draft(connection: ASGIConnection) -> None:
    await update_session_data(connection, **{DRAFT_KEY: None})


async def remember_sent(connection: ASGIConnection, key: str, request_id: int) -> None:
    """The request is filed: the draft goes, and a repeated post of the same form finds the request."""
    await update_session_data(connection, **{DRAFT_KEY: None, SENT_KEY: {"key": key, "request": request_id}})


def sent_request_for(connection: ASGIConnection, key: str) -> int | None:
    session = current_session(connection)
    sent = session.data.get(SENT_KEY) if session else None
    if isinstance(sent, dict) and key and sent.get("key") == key:
        return sent.get("request")
    return None


# ---------------------------------------------------------------------------------------------------
# What the accepted steps say, checked again


@dataclass
class Resolved:
    worker_choice: WorkerChoice | None = None
    worker: Worker | None = None
    kind: LeaveKind | None = None
    leave: LeaveChoice | None = None


async def resolve(acting: ActingFor, draft: Draft, through: str, *, today: datetime.date) -> tuple[Resolved, str | None]:
    """The values of the steps up to `through`, checked again (a worker may have left the enterprise
    since); or the first step the officer has to go back to."""
    resolved = Resolved()
    for step in STEPS[:STEPS.index(through) + 1]:
        if not draft.is_done(step):
            return resolved, step
        answers = draft.answers_of(step)
        if step == WORKER_STEP:
            choice, errors = check_worker(answers, public_sector=acting.public_sector, today=today)
            worker = await worker_of(acting, choice.niss) if choice else None
            if worker is None:
                return resolved, step
            resolved.worker_choice, resolved.worker = choice, worker
        elif step == KIND_STEP:
            resolved.kind, errors = check_kind(answers, public_sector=acting.public_sector)
            if errors:
                return resolved, step
        elif step == LEAVE_STEP:
            resolved.leave, errors = check_leave(answers, resolved.kind, today=today)
            if errors:
                return resolved, step
    return resolved, None
