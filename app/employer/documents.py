"""What the employer's part sends once a request is filed (guide 001, step 7), and what the portal
sends the enterprise afterwards.

- The request's form (templates/pdf/employer_request.html), in the worker's language: to the
  worker's e-Box, saying that the worker must now complete their part; and to the enterprise's
  e-Box as the acknowledgement of its filing (the Consultation's PDF of the request is that copy).
- An e-mail to the worker, when their address is known, in their language, with the link to
  "Compléter une demande".
- When the worker has sent their part: a notice to the enterprise's e-Box
  (templates/pdf/employer_worker_part.html), without the worker's private answers.

Every value of a document is written in the document's language before it is stored (the e-Box
renders the PDF and the HTML twin from that context). What the filing promises is written to the
outbox in its transaction (`enqueue_filing_documents`) and delivered after it, once, even after a
crash; the notice of the worker's part is sent under a key of its own, so that its event, delivered
again, sends it once. The filing stands whatever happens here: a document or an e-mail that cannot be
made is logged and tried again, never turned into an error page.
"""

from __future__ import annotations

import datetime
import enum
import logging
from dataclasses import dataclass
from typing import Any

from app.careerbreak.services import ebox_subject
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.careerbreak.wording import CARE_MOTIVE_NAMES, FORM_NAMES, KIND_NAMES, request_description
from app.ebox.pdf import render_pdf
from app.ebox.services import (
    Owner,
    belgian_date,
    enqueue_document,
    last_pdf_sent,
    render_document,
    send_document,
    speaking,
    storable,
)
from app.employer.forms import STATUS_NAMES, WORK_REGIMES, LeaveChoice, WorkerChoice
from app.access.guards import ActingFor
from app.employer.joint_committees import joint_committee
from app.mail.services import enqueue_mail
from app.registry.tables import Person
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.identifiers import format_enterprise_number, format_niss
from app.rules.request_states import RequestState
from app.web.i18n import format_date
from app.web.i18n import gettext as _

logger = logging.getLogger("guichet.employer")


class EmployerDocument(str, enum.Enum):
    """What `EboxMessage.document_kind` says of the employer service's documents."""

    WORKER_FORM = "formulaire-employeur"  # to the worker: complete your part
    FILING_ACKNOWLEDGEMENT = "accuse-partie-employeur"  # to the enterprise: the form as filed
    WORKER_PART_SENT = "partie-travailleur-envoyee"  # to the enterprise: the worker completed it


REQUEST_TEMPLATE = "pdf/employer_request.html"
WORKER_PART_TEMPLATE = "pdf/employer_worker_part.html"
TO_WORKER = "travailleur"
TO_ENTERPRISE = "entreprise"


@dataclass(frozen=True)
class FiledRequest:
    """What the officer confirmed, as the form shows it. `choice` and `leave` are None for a request
    filed before its form was kept (the status, the joint committee and the notice are then unknown)."""

    request_id: int
    ticket: str | None
    filed_at: datetime.datetime
    enterprise_id: int
    enterprise: dict[str, Any]  # name, number, onss_number, address
    worker_id: int | None
    worker_name: str
    worker_niss: str
    language: str
    kind: LeaveKind
    form: LeaveForm
    care_motive: CareMotive | None
    start: datetime.date
    end: datetime.date
    work_regime: str
    choice: WorkerChoice | None = None
    leave: LeaveChoice | None = None


def enterprise_facts(acting: ActingFor) -> dict[str, Any]:
    return {"name": acting.enterprise_name, "number": format_enterprise_number(acting.enterprise_number),
            "onss_number": acting.onss_number, "address": acting.address}


def _regime_text(value: str) -> str:
    label = WORK_REGIMES.get(value)
    return _(label) if label else value


def form_context(filed: FiledRequest, recipient: str) -> dict[str, Any]:
    """The form's context, in the active language: every value as the reader will see it."""
    committee = None
    status = None
    if filed.choice is not None:
        status = _(STATUS_NAMES[filed.choice.status])
        found = joint_committee(filed.choice.commission_paritaire)
        committee = f"{found.code} – {_(found.name)}" if found else _("Sans objet")
    leave = filed.leave
    return {
        "recipient": recipient,
        "filed_on": belgian_date(filed.filed_at),
        "enterprise": filed.enterprise,
        "worker": {"name": filed.worker_name, "niss": format_niss(filed.worker_niss), "status": status,
                   "committee": committee},
        "request": {
            "description": request_description(filed.kind, filed.form, format_date(filed.start),
                                               format_date(filed.end)),
            "kind": _(KIND_NAMES[filed.kind]),
            "form": _(FORM_NAMES[filed.form]),
            "care_motive": _(CARE_MOTIVE_NAMES[filed.care_motive]) if filed.care_motive else None,
            "start": format_date(filed.start),
            "end": format_date(filed.end),
            "work_regime": _regime_text(filed.work_regime),
            "notice": format_date(leave.notice) if leave else None,
            "employer_agreement": (_("Oui") if leave.employer_agreement else _("Non")) if leave else None,
            "ticket": filed.ticket,
        },
    }


# ---------------------------------------------------------------------------------------------------
# On filing


def completion_mail(filed: FiledRequest, link: str) -> tuple[str, str]:
    """The e-mail to the worker, in the active language."""
    subject = _("Votre employeur a introduit une demande : complétez votre partie")
    sentence = request_description(filed.kind, filed.form, format_date(filed.start), format_date(filed.end))
    body = "\n\n".join([
        _("Bonjour %(name)s,") % {"name": filed.worker_name},
        _("%(employer)s a introduit sa partie de votre demande auprès de l'ONEM.")
        % {"employer": filed.enterprise["name"]},
        sentence + ("\n" + _("Numéro de ticket de l'employeur : %(ticket)s") % {"ticket": filed.ticket}
                    if filed.ticket else ""),
        _("Vous devez maintenant compléter votre partie de la demande dans le service en ligne "
          "Interruption de carrière, sous « Compléter une demande » :") + f"\n{link}",
        _("Le formulaire de la demande est aussi dans votre e-Box."),
        _("Ce message est envoyé automatiquement. N'y répondez pas."),
    ])
    return subject, body


async def _worker_email(person_id: int) -> str | None:
    row = await Person.select(Person.email).where(Person.id == person_id).first()
    return row["email"] if row and row["email"] else None


async def enqueue_filing_documents(filed: FiledRequest, *, completion_url: str | None) -> list[str]:
    """In the filing's transaction, what it promises, written to the outbox (app/outbox), which sends
    each once even after a crash: the form to the worker's e-Box, the e-mail to the worker (when their
    address is known and `completion_url`, the address it links to, "https://host/…/completer", is
    given), the acknowledgement to the enterprise's e-Box. Returns the items' keys, to `deliver` after
    the commit."""
    with speaking(filed.language):
        to_worker = form_context(filed, TO_WORKER)
        to_enterprise = form_context(filed, TO_ENTERPRISE)
    prefix = f"employer.filing:{filed.request_id}"
    subject = ebox_subject(filed.request_id)
    keys = [await enqueue_document(key=f"{prefix}:worker-form", person_id=filed.worker_id, subject=subject,
                                   document_kind=EmployerDocument.WORKER_FORM.value, language=filed.language,
                                   template=REQUEST_TEMPLATE, context=to_worker)]
    email = await _worker_email(filed.worker_id) if completion_url else None
    if email:
        with speaking(filed.language):
            mail_subject, body = completion_mail(filed, completion_url)
        keys.append(await enqueue_mail(email, mail_subject, body, key=f"{prefix}:mail"))
    keys.append(await enqueue_document(key=f"{prefix}:acknowledgement", enterprise_id=filed.enterprise_id,
                                       subject=subject, document_kind=EmployerDocument.FILING_ACKNOWLEDGEMENT.value,
                                       language=filed.language, template=REQUEST_TEMPLATE, context=to_enterprise))
    return keys


# ---------------------------------------------------------------------------------------------------
# The Consultation's PDF of a request


async def stored_form_pdf(enterprise_id: int, request_id: int) -> bytes | None:
    """The form the enterprise's e-Box received when the request was filed, if it did."""
    return await last_pdf_sent(Owner.enterprise(enterprise_id), ebox_subject(request_id),
                               EmployerDocument.FILING_ACKNOWLEDGEMENT.value)


async def draw_form_pdf(filed: FiledRequest) -> bytes:
    """The form drawn now from the same template, for a request filed before its form was kept."""
    with speaking(filed.language):
        context = storable(form_context(filed, TO_ENTERPRISE))
    document = render_document(REQUEST_TEMPLATE, context, filed.language)
    return await render_pdf(document.html)


# ---------------------------------------------------------------------------------------------------
# When the worker has sent their part


async def _worker_part_sent_on(request_id: int) -> datetime.date | None:
    event = await RequestEvent.select(RequestEvent.at).where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value)
    ).order_by(RequestEvent.at, ascending=False).first()
    return belgian_date(event["at"]) if event else None


async def send_worker_part_notice(request_id: int) -> str | None:
    """Tells the enterprise, in its e-Box and in the request's language, that the worker has sent
    their part (the request, the worker's ticket, the day). The worker's answers (household, account,
    the child or patient) are not the employer's to read: they are left out. Returns the document's
    public id, or None when the worker's part is not sent."""
    row = await CareerBreakRequest.select(
        CareerBreakRequest.enterprise, CareerBreakRequest.enterprise.name,
        CareerBreakRequest.enterprise.enterprise_number, CareerBreakRequest.worker.first_name,
        CareerBreakRequest.worker.last_name, CareerBreakRequest.worker.niss, CareerBreakRequest.kind,
        CareerBreakRequest.form, CareerBreakRequest.care_motive, CareerBreakRequest.start_date,
        CareerBreakRequest.end_date, CareerBreakRequest.language, CareerBreakRequest.state,
        CareerBreakRequest.ticket_number, CareerBreakRequest.employer_ticket,
    ).where(CareerBreakRequest.id == request_id).first()
    if row is None or RequestState(row["state"]) not in (RequestState.WORKER_PART_SENT, RequestState.DECIDED):
        return None
    kind, form = LeaveKind(row["kind"]), LeaveForm(row["form"])
    motive = CareMotive(row["care_motive"]) if row["care_motive"] else None
    language = row["language"]
    sent_on = await _worker_part_sent_on(request_id)
    with speaking(language):
        context = {
            "enterprise": {"name": row["enterprise.name"],
                           "number": format_enterprise_number(row["enterprise.enterprise_number"])},
            "worker": {"name": f"{row['worker.first_name']} {row['worker.last_name']}",
                       "niss": format_niss(row["worker.niss"])},
            "sent_on": sent_on,
            "request": {
                "description": request_description(kind, form, format_date(row["start_date"]),
                                                   format_date(row["end_date"])),
                "kind": _(KIND_NAMES[kind]),
                "form": _(FORM_NAMES[form]),
                "care_motive": _(CARE_MOTIVE_NAMES[motive]) if motive else None,
                "start": format_date(row["start_date"]),
                "end": format_date(row["end_date"]),
                "employer_ticket": row["employer_ticket"],
                "ticket": row["ticket_number"],
            },
        }
    return await send_document(enterprise_id=row["enterprise"], subject=ebox_subject(request_id),
                               document_kind=EmployerDocument.WORKER_PART_SENT.value, language=language,
                               template=WORKER_PART_TEMPLATE, context=context,
                               key=f"employer.worker-part-notice:{request_id}")  # a part is sent once
