"""The documents the career-break service puts in the citizen's e-Box (domain.md §2.4, §2.5, §3):
the Break@work attestation of the periods taken and the balance, the acknowledgement of receipt of
the worker's part, and the copy of ONEM's decision (C62).

Each `send_*` builds the document's context in the document's language (the person's for the
attestation, the request's for the others), every value already written as the reader will see it,
and hands it to the e-Box, which renders the PDF and the HTML twin from it.
"""

from __future__ import annotations

import datetime
import enum
import logging
import re
from dataclasses import dataclass
from typing import Any

from babel import Locale
from stdnum import iban

from app.careerbreak.history import History, history_of
from app.careerbreak.services import ebox_subject
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.careerbreak.wording import (
    CARE_MOTIVE_NAMES,
    FORM_NAMES,
    KIND_NAMES,
    N_,
    request_description,
)
from app.ebox.services import belgian_date, send_document, speaking, utcnow
from app.outbox.services import Item
from app.registry.tables import Person
from app.rules.breakatwork import Balance
from app.rules.careerbreak import (
    CEILINGS,
    CareMotive,
    Ceiling,
    Counting,
    CountedPer,
    LeaveForm,
    LeaveKind,
    MonthsAndDays,
)
from app.rules.identifiers import format_niss
from app.rules.request_states import RequestState
from app.web.i18n import BABEL_LOCALES, format_date, gettext as _

logger = logging.getLogger("guichet.careerbreak.documents")


class DocumentKind(str, enum.Enum):
    """What `EboxMessage.document_kind` says of the service's documents."""

    BALANCE_ATTESTATION = "attestation-break-at-work"
    ACKNOWLEDGEMENT = "accuse-de-reception"
    DECISION_COPY = "decision-c62"


TEMPLATES = {
    DocumentKind.BALANCE_ATTESTATION: "pdf/balance_attestation.html",
    DocumentKind.ACKNOWLEDGEMENT: "pdf/acknowledgement.html",
    DocumentKind.DECISION_COPY: "pdf/decision_copy.html",
}

# The acknowledgement exists once the worker's part is sent; the copy of the decision once it is decided.
ACKNOWLEDGED_STATES = frozenset({RequestState.WORKER_PART_SENT, RequestState.DECIDED})
DECIDED_STATES = frozenset({RequestState.DECIDED})


class DocumentNotAvailable(Exception):
    """The request has no such document (yet): its worker's part was not sent, or it is not decided."""


def can_acknowledge(state: RequestState) -> bool:
    return state in ACKNOWLEDGED_STATES


def has_decision(state: RequestState) -> bool:
    return state in DECIDED_STATES


# ---------------------------------------------------------------------------------------------------
# Words of the documents


CEILING_NAMES = {
    "parental-per-child": N_("Congé parental, par enfant"),
    "medical-assistance-complete-per-patient": N_("Assistance médicale, interruption complète, par patient"),
    "medical-assistance-partial-per-patient": N_("Assistance médicale, réduction des prestations, par patient"),
    "palliative-care-per-patient": N_("Soins palliatifs, par patient"),
    "aidant-proche-complete-per-person": N_("Aidants proches, interruption complète, par personne aidée"),
    "aidant-proche-partial-per-person": N_("Aidants proches, réduction des prestations, par personne aidée"),
    "aidant-proche-complete-career": N_("Aidants proches, interruption complète, sur la carrière"),
    "aidant-proche-partial-career": N_("Aidants proches, réduction des prestations, sur la carrière"),
    "time-credit-with-motive-career": N_("Crédit-temps avec motif (soins ou formation), sur la carrière"),
    "time-credit-training-career": N_("Crédit-temps avec motif de formation, sur la carrière"),
    "end-of-career-until-pension": N_("Crédit-temps fin de carrière"),
    "public-sector-complete-career": N_("Secteur public, interruption complète, sur la carrière"),
    "public-sector-partial-career": N_("Secteur public, réduction des prestations, sur la carrière"),
}

OTHER_SUBJECT = {
    CountedPer.CHILD: N_("Tout autre enfant"),
    CountedPer.PATIENT: N_("Tout autre patient"),
    CountedPer.PERSON_HELPED: N_("Toute autre personne aidée"),
}

# The worker's answers (CareerBreakRequest.worker_part, as completion.services.WorkerPart.to_json stores
# them), with the words of the check page of "Compléter une demande", in the order the acknowledgement
# lists them. `subject_role` only chooses the words; `allowance_possible` is derived, not an answer.
ANSWER_LABELS = {
    "household": N_("Situation familiale"),
    "subject_name": {
        "enfant": N_("Nom et prénom de l'enfant"),
        "patient": N_("Nom et prénom du patient"),
        "personne-aidee": N_("Nom et prénom de la personne aidée"),
    },
    "subject_birth_date": {
        "enfant": N_("Date de naissance de l'enfant"),
        "patient": N_("Date de naissance du patient"),
        "personne-aidee": N_("Date de naissance de la personne aidée"),
    },
    "child_is_disabled": N_("Enfant avec un handicap"),
    "other_activities": N_("Autre activité ou autres revenus pendant l'interruption"),
    "other_activities_description": N_("Description de l'activité ou des revenus"),
    "domicile_country": N_("Pays du domicile"),
    "iban": N_("Numéro de compte (IBAN)"),
    "bic": N_("Code BIC"),
}
NOT_ANSWERS = frozenset({"subject_role", "allowance_possible"})
HOUSEHOLD_ANSWERS = {
    "cohabitant": N_("Cohabitant"),
    "isole": N_("Isolé (vit seul)"),
    "isole-avec-enfants": N_("Vit exclusivement avec un ou plusieurs enfants à charge"),
}
_SUBJECT_ID = re.compile(r"^(?P<name>.*) \((?P<born>\d{4}-\d{2}-\d{2})\)$")


def duration_text(duration: MonthsAndDays) -> str:
    """"2 mois et 10 jours", in the active language."""
    months = _("1 mois") if duration.months == 1 else _("{count} mois").format(count=duration.months)
    if not duration.days:
        return months
    days = _("1 jour") if duration.days == 1 else _("{count} jours").format(count=duration.days)
    if not duration.months:
        return days
    return _("{months} et {days}").format(months=months, days=days)


def subject_text(subject_id: str) -> str:
    """A child, patient or person helped as `history.subject_id` names them, with the date written as
    the reader writes dates: "Emma Dubois (12/03/2019)"."""
    match = _SUBJECT_ID.match(subject_id)
    if match is None:
        return subject_id
    return f"{match['name']} ({format_date(datetime.date.fromisoformat(match['born']))})"


def _ceiling_name(ceiling: Ceiling) -> str:
    name = CEILING_NAMES.get(ceiling.key)
    if name is not None:
        return _(name)
    return ", ".join(_(KIND_NAMES[kind]) for kind in LeaveKind if kind in ceiling.kinds)


def _forms_of(ceiling: Ceiling) -> list[LeaveForm]:
    return [form for form in LeaveForm if form in ceiling.forms]


def _maximum_text(ceiling: Ceiling, maximum_months: int | None) -> str:
    if maximum_months is None:
        return _("Jusqu'à la pension")
    text = duration_text(MonthsAndDays(maximum_months))
    if ceiling.counting is Counting.COMPLETE_EQUIVALENT:
        return _("{duration} en interruption complète").format(duration=text)
    return text


def _available_text(balance: Balance) -> str:
    available = balance.available
    if available is None:
        return _("Jusqu'à la pension")
    if balance.ceiling.counting is Counting.COMPLETE_EQUIVALENT:
        # Parental leave: the same capital in months of each form (1 month complete = 5 months at 1/5).
        text = "; ".join(
            _("{form} : {duration}").format(form=_(FORM_NAMES[form]),
                                            duration=duration_text(balance.available_in(form)))
            for form in _forms_of(balance.ceiling)
        )
    else:
        text = duration_text(available)
    if balance.exceeded:
        text = _("{available} (maximum dépassé)").format(available=text)
    return text


def _balance_row(balance: Balance) -> dict[str, Any]:
    if balance.counted_per is CountedPer.CAREER:
        subject = _("Sur l'ensemble de la carrière")
    elif balance.subject_id is None:
        subject = _("Personne non précisée")
    else:
        subject = subject_text(balance.subject_id)
    return {
        "name": _ceiling_name(balance.ceiling),
        "subject": subject,
        "maximum": _maximum_text(balance.ceiling, balance.maximum_months),
        "taken": duration_text(balance.taken),
        "available": _available_text(balance),
        "legal_basis": balance.legal_basis.text,
    }


def _other_subject_row(ceiling: Ceiling) -> dict[str, Any]:
    """A child, patient or person helped not met yet starts with the whole maximum."""
    return {
        "name": _ceiling_name(ceiling),
        "subject": _(OTHER_SUBJECT[ceiling.counted_per]),
        "maximum": _maximum_text(ceiling, ceiling.months),
        "taken": duration_text(MonthsAndDays(0)),
        "available": _maximum_text(ceiling, ceiling.months),
        "legal_basis": ceiling.legal_basis.text,
    }


def balance_rows(balances: list[Balance]) -> list[dict[str, Any]]:
    """Every balance, in the order of the maximums, each maximum counted per subject followed by the
    line of any other subject."""
    rows = []
    for ceiling in CEILINGS:
        rows += [_balance_row(balance) for balance in balances if balance.ceiling is ceiling]
        if ceiling.counted_per in OTHER_SUBJECT:
            rows.append(_other_subject_row(ceiling))
    return rows


def _answer_value(key: str, value: Any, language: str) -> str:
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, (list, tuple)):
        return ", ".join(_answer_value(key, item, language) for item in value)
    text = str(value)
    if key == "household":
        return _(HOUSEHOLD_ANSWERS[text]) if text in HOUSEHOLD_ANSWERS else text
    if key == "iban":
        return iban.format(text) if iban.is_valid(text) else text
    if key.endswith("country") and len(text) == 2:
        return Locale.parse(BABEL_LOCALES[language]).territories.get(text.upper(), text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return format_date(datetime.date.fromisoformat(text))
    return text


def _answer_label(key: str, answers: dict[str, Any]) -> str:
    label = ANSWER_LABELS.get(key)
    if isinstance(label, dict):
        label = label.get(answers.get("subject_role") or "enfant")
    return _(label) if label else key.replace("_", " ").capitalize()


def answer_rows(worker_part: dict[str, Any] | None, language: str) -> list[dict[str, str]]:
    """The worker's answers as the acknowledgement lists them, in the active language: the known
    questions first, in their order, then any other answer under its own name. Unanswered questions
    (none, empty) are left out, and the disability question is asked for a child only."""
    answers = worker_part or {}
    keys = [key for key in ANSWER_LABELS if key in answers]
    keys += [key for key in answers if key not in ANSWER_LABELS and key not in NOT_ANSWERS]
    rows = []
    for key in keys:
        value = answers[key]
        if value is None or value == "" or value == []:
            continue
        if key == "child_is_disabled" and answers.get("subject_role") not in (None, "enfant"):
            continue
        if key == "other_activities_description" and not answers.get("other_activities"):
            continue
        rows.append({"label": _answer_label(key, answers), "value": _answer_value(key, value, language)})
    return rows


# ---------------------------------------------------------------------------------------------------
# Contexts


@dataclass(frozen=True)
class Worker:
    id: int
    name: str
    niss: str
    language: str


async def _person(person_id: int) -> Worker:
    row = await Person.select(Person.id, Person.first_name, Person.last_name, Person.niss,
                              Person.language).where(Person.id == person_id).first()
    if row is None:
        raise LookupError(f"no person {person_id}")
    return Worker(row["id"], f"{row['first_name']} {row['last_name']}", row["niss"], row["language"])


def _person_context(worker: Worker, today: datetime.date) -> dict[str, Any]:
    return {"person": {"name": worker.name, "niss": format_niss(worker.niss)}, "issued_on": today}


def balance_attestation_context(worker: Worker, history: History, today: datetime.date) -> dict[str, Any]:
    """What the attestation says, in the active language (dates of the document itself are left to the
    template's `date` filter)."""
    periods = [
        {
            "kind": _(KIND_NAMES[period.kind]),
            "form": _(FORM_NAMES[period.form]),
            "start": format_date(period.start),
            "end": format_date(period.end),
            "subject": subject_text(period.subject_id) if period.subject_id else _("Non précisé"),
        }
        for period in history.periods
    ]
    return {**_person_context(worker, today), "periods": periods,
            "balances": balance_rows(history.balances())}


_REQUEST_COLUMNS = (
    CareerBreakRequest.id, CareerBreakRequest.worker, CareerBreakRequest.kind, CareerBreakRequest.form,
    CareerBreakRequest.care_motive, CareerBreakRequest.start_date, CareerBreakRequest.end_date,
    CareerBreakRequest.language, CareerBreakRequest.state, CareerBreakRequest.subject_name,
    CareerBreakRequest.subject_birth_date, CareerBreakRequest.worker_part, CareerBreakRequest.ticket_number,
    CareerBreakRequest.decided_on, CareerBreakRequest.enterprise.name,
)


async def _request(request_id: int) -> dict[str, Any]:
    row = await CareerBreakRequest.select(*_REQUEST_COLUMNS).where(CareerBreakRequest.id == request_id).output(
        load_json=True
    ).first()
    if row is None:
        raise LookupError(f"no request {request_id}")
    return row


async def _sent_on(request_id: int) -> datetime.date | None:
    """The day the worker's part was sent, from the request's history."""
    event = await RequestEvent.select(RequestEvent.at).where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value)
    ).order_by(RequestEvent.at, ascending=False).first()
    return belgian_date(event["at"]) if event else None


def request_context(row: dict[str, Any]) -> dict[str, Any]:
    """The request as the acknowledgement and the decision describe it, in the active language."""
    kind, form = LeaveKind(row["kind"]), LeaveForm(row["form"])
    motive = CARE_MOTIVE_NAMES[CareMotive(row["care_motive"])] if row["care_motive"] else None
    subject = None
    if row["subject_name"]:
        subject = row["subject_name"]
        if row["subject_birth_date"]:
            subject = f"{subject} ({format_date(row['subject_birth_date'])})"
    return {
        "description": request_description(kind, form, format_date(row["start_date"]), format_date(row["end_date"])),
        "kind": _(KIND_NAMES[kind]),
        "form": _(FORM_NAMES[form]),
        "care_motive": _(motive) if motive else None,
        "start": format_date(row["start_date"]),
        "end": format_date(row["end_date"]),
        "employer": row["enterprise.name"],
        "subject": subject,
        "ticket_number": row["ticket_number"],
    }


# ---------------------------------------------------------------------------------------------------
# Sending


async def send_balance_attestation(person_id: int) -> str:
    """The Break@work attestation (periods taken, for whom and why, and the balance per kind of
    leave), in the person's language, to their e-Box. Returns the document's public id."""
    worker = await _person(person_id)
    history = await history_of(person_id)
    with speaking(worker.language):
        context = balance_attestation_context(worker, history, belgian_date(utcnow()))
    kind = DocumentKind.BALANCE_ATTESTATION
    return await send_document(person_id=person_id, document_kind=kind.value, language=worker.language,
                               template=TEMPLATES[kind], context=context)


async def send_acknowledgement(request_id: int, *, key: str | None = None) -> str:
    """The acknowledgement of receipt of the worker's part (the request, the worker's answers, the
    ticket number), in the request's language, to the worker's e-Box (once under `key`: the outbox's,
    `acknowledgement_key`). Raises DocumentNotAvailable when the worker's part was not sent."""
    row = await _request(request_id)
    if not can_acknowledge(RequestState(row["state"])):
        raise DocumentNotAvailable(request_id)
    worker = await _person(row["worker"])
    sent_on = await _sent_on(request_id)
    language = row["language"]
    with speaking(language):
        context = {
            **_person_context(worker, belgian_date(utcnow())),
            "request": request_context(row),
            "received_on": sent_on,
            "answers": answer_rows(row["worker_part"], language),
        }
    kind = DocumentKind.ACKNOWLEDGEMENT
    return await send_document(person_id=worker.id, subject=ebox_subject(request_id),
                               document_kind=kind.value, language=language, template=TEMPLATES[kind],
                               context=context, key=key)


async def send_decision_copy(request_id: int, *, key: str | None = None) -> str:
    """The copy of ONEM's decision (C62) on the request, in the request's language, to the worker's
    e-Box (once under `key`: `decision_copy_key`). Raises DocumentNotAvailable when the request is not
    decided."""
    row = await _request(request_id)
    if not has_decision(RequestState(row["state"])) or row["decided_on"] is None:
        raise DocumentNotAvailable(request_id)
    worker = await _person(row["worker"])
    language = row["language"]
    with speaking(language):
        context = {
            **_person_context(worker, belgian_date(utcnow())),
            "request": request_context(row),
            "decided_on": row["decided_on"],
        }
    kind = DocumentKind.DECISION_COPY
    return await send_document(person_id=worker.id, subject=ebox_subject(request_id),
                               document_kind=kind.value, language=language, template=TEMPLATES[kind],
                               context=context, key=key)


# ---------------------------------------------------------------------------------------------------
# Through the outbox (app/outbox): written in the transaction of the state change, sent after it.
# A request's part is sent once and decided once, so the request names each promise.

ACKNOWLEDGEMENT_ITEM = "careerbreak.acknowledgement"
DECISION_COPY_ITEM = "careerbreak.decision_copy"


def acknowledgement_key(request_id: int) -> str:
    return f"careerbreak.acknowledgement:{request_id}"


def decision_copy_key(request_id: int) -> str:
    return f"careerbreak.decision-copy:{request_id}"


async def deliver_acknowledgement(item: Item) -> None:
    """The outbox's handler of ACKNOWLEDGEMENT_ITEM. A part cancelled before its acknowledgement was
    drawn has nothing left to acknowledge (the citizen's "Attestations" refuses it too)."""
    try:
        await send_acknowledgement(item.payload["request_id"], key=item.key)
    except DocumentNotAvailable:
        logger.warning("request %s: the acknowledgement is no longer available, not sent", item.payload["request_id"])


async def deliver_decision_copy(item: Item) -> None:
    """The outbox's handler of DECISION_COPY_ITEM."""
    await send_decision_copy(item.payload["request_id"], key=item.key)
