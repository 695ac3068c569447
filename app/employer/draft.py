"""The request being introduced (guide 001, steps 3 to 6): the names of its steps, the check of each
step's answers, and what the accepted answers say, checked again.

The steps' answers are kept by the wizard (app/identity/wizard.py) in the server-side session, one
request in progress per enterprise, so that a reload, "Précédent" or a step left half-typed loses
nothing; its step table is `REQUEST_WIZARD` in routes.py. The confirmation's key and ticket are drawn
when the confirmation page is first shown: the form sends the key back, and the request is filed
under the ticket. Five identical "Confirmer" posts thus file one request (the ticket is a unique
column) and are all answered with that request (budget R1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from app.access.guards import ActingFor
from app.employer.forms import (
    Errors,
    LeaveChoice,
    WorkerChoice,
    check_kind,
    check_leave,
    check_worker,
    problem_message,
    worker_not_found_message,
)
from app.employer.services import Worker, check_period, worker_of
from app.identity.wizard import Progress
from app.rules.careerbreak import LeaveKind

ENTERPRISE_STEP = "entreprise"
WORKER_STEP = "travailleur"
KIND_STEP = "type"
LEAVE_STEP = "conge"  # (their order, and their pages, are the wizard's table: REQUEST_WIZARD in routes.py)


@dataclass
class Resolved:
    worker_choice: WorkerChoice | None = None
    worker: Worker | None = None
    kind: LeaveKind | None = None
    leave: LeaveChoice | None = None


async def resolve(acting: ActingFor, progress: Progress, through: str, *,
                  today: datetime.date) -> tuple[Resolved, str | None]:
    """The values of the steps up to `through`, checked again (a worker may have left the enterprise
    since); or the first step the officer has to go back to."""
    resolved = Resolved()
    steps = progress.wizard.names
    for step in steps[:steps.index(through) + 1]:
        if not progress.is_done(step):
            return resolved, step
        answers = progress.answers_of(step)
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


# ---------------------------------------------------------------------------------------------------
# Each step's check: the errors of what was typed, given the earlier steps' values (`resolved`)


async def worker_errors(acting: ActingFor, _resolved: Resolved, answers: dict[str, str], *,
                        today: datetime.date, source: str) -> Errors:
    choice, errors = check_worker(answers, public_sector=acting.public_sector, today=today)
    if choice is not None and await worker_of(acting, choice.niss) is None:
        return [("niss", worker_not_found_message())]
    return errors


async def kind_errors(acting: ActingFor, _resolved: Resolved, answers: dict[str, str], *,
                      today: datetime.date, source: str) -> Errors:
    return check_kind(answers, public_sector=acting.public_sector)[1]


async def leave_errors(acting: ActingFor, resolved: Resolved, answers: dict[str, str], *,
                       today: datetime.date, source: str) -> Errors:
    """The leave's fields, then the rules with the worker's history (a consultation, audited)."""
    leave, errors = check_leave(answers, resolved.kind, today=today)
    if leave is None:
        return errors
    problems = await check_period(acting, resolved.worker, resolved.kind, leave, source=source)
    return [problem_message(problem, resolved.kind) for problem in problems]
