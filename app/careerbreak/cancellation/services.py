"""Annulation (guide 000, "Annuler une demande"): which requests a citizen can cancel, the
cancellation itself and its confirmation e-mail.

The cancellation is one transaction: the compare-and-set on the version the citizen saw (budget R3),
the new state with its ticket code, the audit record. Repeating the same submission (a double
click, a retry) finds the request cancelled just after that version and answers with the same
ticket (budget R1); any other change in between is a conflict and nothing is done.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg

from app.audit.services import record
from app.careerbreak.services import RequestSummary, StaleRequest, move_request, request_of, requests_of
from app.careerbreak.wording import request_description
from app.config import ConfigurationError
from app.db import transaction
from app.mail.services import MailNotSent, send_mail
from app.registry.tables import Person
from app.rules.request_states import RequestState, worker_can_cancel
from app.rules.tickets import new_ticket_number
from app.web.i18n import activate, current_language, format_date
from app.web.i18n import gettext as _

logger = logging.getLogger("guichet.careerbreak.cancellation")

AUDIT_ACTION = "careerbreak_request_cancelled"
# A new ticket code is drawn when the one drawn is already taken (30⁹ codes: it practically never is).
TICKET_ATTEMPTS = 3


@dataclass(frozen=True)
class Citizen:
    """What the cancellation needs to know of the person: who they are for the audit trail, and
    where the confirmation e-mail goes."""

    niss: str
    first_name: str
    last_name: str
    email: str | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


async def citizen(person_id: int) -> Citizen:
    row = await Person.select(Person.niss, Person.first_name, Person.last_name, Person.email).where(
        Person.id == person_id
    ).first()
    return Citizen(row["niss"], row["first_name"], row["last_name"], row["email"] or None)


async def cancellable_requests(person_id: int) -> list[RequestSummary]:
    """The requests "Annulation" offers: those neither decided nor already cancelled."""
    return [summary for summary in await requests_of(person_id) if worker_can_cancel(summary.state)]


@dataclass(frozen=True)
class Cancellation:
    ticket: str
    repeated: bool  # True when this submission repeated one that had already cancelled the request


class CancellationConflict(Exception):
    """The request changed since the citizen saw it, by something other than this cancellation:
    nothing was done. `current` is the request as it is now."""

    def __init__(self, current: RequestSummary) -> None:
        super().__init__(f"request {current.id} is at version {current.version}")
        self.current = current


def _is_duplicate_ticket(error: Exception) -> bool:
    return isinstance(error, (asyncpg.exceptions.UniqueViolationError, sqlite3.IntegrityError))


async def cancel_request(person_id: int, request_id: int, seen_version: int, *, actor: Citizen,
                         source: str) -> Cancellation:
    """Cancels the citizen's request if it is still at `seen_version`.

    Returns the ticket code, the same one for every repetition of the same submission; raises
    CancellationConflict when the request changed otherwise, LookupError when it is not this
    citizen's."""
    for attempt in range(TICKET_ATTEMPTS):
        ticket = new_ticket_number()
        try:
            async with transaction():
                if await request_of(person_id, request_id) is None:
                    raise LookupError(request_id)
                await move_request(request_id, seen_version, RequestState.CANCELLED,
                                   event_ticket=ticket, cancellation_ticket=ticket)
                await record(AUDIT_ACTION, actor=actor.niss, subject=actor.niss, source=source,
                             outcome="success", details={"request": request_id, "ticket": ticket})
            return Cancellation(ticket, repeated=False)
        except StaleRequest:
            break
        except Exception as error:
            if not _is_duplicate_ticket(error) or attempt == TICKET_ATTEMPTS - 1:
                raise
    current = await request_of(person_id, request_id)
    if current is None:
        raise LookupError(request_id)
    if (current.state is RequestState.CANCELLED and current.version == seen_version + 1
            and current.cancellation_ticket):
        return Cancellation(current.cancellation_ticket, repeated=True)
    raise CancellationConflict(current)


# -- the confirmation e-mail -------------------------------------------------------------------


@contextlib.contextmanager
def written_in(language: str) -> Iterator[None]:
    """Translates and formats in `language` for the time of the block, then back to the page's."""
    previous = current_language()
    activate(language)
    try:
        yield
    finally:
        activate(previous)


def confirmation_mail(person: Citizen, summary: RequestSummary, ticket: str) -> tuple[str, str]:
    """The subject and text of the confirmation e-mail, in the active language."""
    sentence = request_description(summary.kind, summary.form, format_date(summary.start_date),
                                   format_date(summary.end_date))
    subject = _("Annulation de votre demande – code de ticket %(ticket)s") % {"ticket": ticket}
    body = "\n\n".join([
        _("Bonjour %(name)s,") % {"name": person.name},
        _("Vous avez annulé une demande dans le service en ligne Interruption de carrière."),
        f"{sentence}\n" + _("Employeur : %(employer)s") % {"employer": summary.enterprise_name},
        _("Code de ticket : %(ticket)s") % {"ticket": ticket}
        + "\n" + _("Ce code de ticket unique est la confirmation de votre annulation."),
        _("Ce message est envoyé automatiquement. N'y répondez pas."),
    ])
    return subject, body


async def send_confirmation(person: Citizen, summary: RequestSummary, ticket: str) -> bool:
    """Sends the confirmation e-mail in the request's language; False when it could not be sent
    (the cancellation stands: the ticket code on the page proves it)."""
    if not person.email:
        return False
    with written_in(summary.language):
        subject, body = confirmation_mail(person, summary, ticket)
    try:
        await send_mail(person.email, subject, body)
    except (MailNotSent, ConfigurationError, ValueError) as error:
        logger.warning("cancellation e-mail for request %s not sent: %s", summary.id, error)
        return False
    return True
