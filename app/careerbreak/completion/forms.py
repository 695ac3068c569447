"""What the worker sent on "Compléter une demande", checked, and the rules' problems turned into
messages in the worker's language.

A problem the worker can fix (a birth date, an IBAN, the child named) is a field error: 422, the error
summary links to the field, what was typed is kept. A problem of the period the employer filed (its
length, its blocks, the worker's regime, a maximum over the career) cannot be fixed here: the page
explains that the request cannot be completed as it is, and whom to contact.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, ValidationError

from app.careerbreak.completion.services import (
    HouseholdSituation,
    RequestToComplete,
    Subject,
    SubjectRole,
    WorkerPart,
    subject_role,
)
from app.careerbreak.wording import FORM_PHRASES, KIND_NAMES
from app.rules.careerbreak import CareMotive, LeaveKind, MonthsAndDays, Problem, ProblemCode
from app.web.forms import DateProblem, parse_date
from app.web.i18n import N_, babel_locale, current_language, format_date, format_duration, gettext as _

# ---------------------------------------------------------------------------------------------------
# Wording of the fields

HOUSEHOLD_LABELS = {
    HouseholdSituation.COHABITANT: N_("Cohabitant : je vis avec un ou plusieurs autres adultes"),
    HouseholdSituation.ALONE: N_("Isolé : je vis seul"),
    HouseholdSituation.ONLY_WITH_DEPENDENT_CHILDREN: N_("Je vis exclusivement avec un ou plusieurs enfants à charge"),
}

# The short form of each answer, for the check page.
HOUSEHOLD_ANSWERS = {
    HouseholdSituation.COHABITANT: N_("Cohabitant"),
    HouseholdSituation.ALONE: N_("Isolé (vit seul)"),
    HouseholdSituation.ONLY_WITH_DEPENDENT_CHILDREN: N_("Vit exclusivement avec un ou plusieurs enfants à charge"),
}


@dataclass(frozen=True)
class SubjectWording:
    heading: str
    name_label: str
    name_hint: str
    birth_date_label: str
    name_missing: str
    birth_date_missing: str


SUBJECT_WORDING = {
    SubjectRole.CHILD: SubjectWording(
        N_("L'enfant concerné"), N_("Nom et prénom de l'enfant"),
        N_("L'enfant pour qui vous prenez ce congé."), N_("Date de naissance de l'enfant"),
        N_("Saisissez le nom et le prénom de l'enfant."), N_("Saisissez la date de naissance de l'enfant."),
    ),
    SubjectRole.PATIENT: SubjectWording(
        N_("Le patient"), N_("Nom et prénom du patient"),
        N_("La personne gravement malade pour qui vous prenez ce congé."), N_("Date de naissance du patient"),
        N_("Saisissez le nom et le prénom du patient."), N_("Saisissez la date de naissance du patient."),
    ),
    SubjectRole.PERSON_HELPED: SubjectWording(
        N_("La personne aidée"), N_("Nom et prénom de la personne aidée"),
        N_("La personne dont vous êtes l'aidant proche."), N_("Date de naissance de la personne aidée"),
        N_("Saisissez le nom et le prénom de la personne aidée."),
        N_("Saisissez la date de naissance de la personne aidée."),
    ),
}

# The fields in the order of the page: the error summary lists its messages in this order.
BIRTH_DATE_FIELD = "subject_birth_date"
FIELD_ORDER = (
    "household", "subject_name", f"{BIRTH_DATE_FIELD}-day", "child_is_disabled", "other_activities",
    "other_activities_description", "domicile_country", "iban", "bic",
)
TYPED_FIELDS = (
    "household", "subject_name", f"{BIRTH_DATE_FIELD}-day", f"{BIRTH_DATE_FIELD}-month",
    f"{BIRTH_DATE_FIELD}-year", "child_is_disabled", "other_activities", "other_activities_description",
    "domicile_country", "iban", "bic",
)
NAME_MAX_LENGTH = 200  # CareerBreakRequest.subject_name
DESCRIPTION_MAX_LENGTH = 1000
TYPED_MAX_LENGTH = 2000  # what is kept of a field in the session, however long the post
OLDEST_BIRTH_YEAR = 1900

# ---------------------------------------------------------------------------------------------------
# Countries


# Codes Babel knows that are not countries of ISO 3166-1 (regions, reserved codes, "unknown").
_NOT_COUNTRIES = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})
BELGIUM = "BE"


def _sort_key(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


@cache
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    territories = babel_locale().territories
    others = sorted(
        ((code, name) for code, name in territories.items()
         if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and code != BELGIUM),
        key=lambda item: _sort_key(item[1]),
    )
    return ((BELGIUM, territories[BELGIUM]), *others)


@cache
def _country_names(language: str) -> dict[str, str]:
    return dict(_countries(language))


def country_options() -> tuple[tuple[str, str], ...]:
    """(ISO code, name in the user's language): Belgium first, then the others by name."""
    return _countries(current_language())


def country_name(code: str) -> str:
    return _country_names(current_language()).get(code, code)


def is_country(code: str) -> bool:
    return code in _country_names(current_language())


# ---------------------------------------------------------------------------------------------------
# Parsing


def typed_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The fields of the worker's part as typed (strings only, each of a bounded length): what the page
    shows back and what the session keeps."""
    values = {}
    for name in TYPED_FIELDS:
        value = data.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value:
            values[name] = value[:TYPED_MAX_LENGTH]
    return values


@dataclass
class WorkerPartForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    # The child, patient or person once their name and birth date are usable, even when another
    # answer is not: the rules about them are checked at once.
    subject: Subject | None = None
    part: WorkerPart | None = None  # set when every answer is usable

    def error(self, field_id: str) -> str | None:
        return next((message for name, message in self.errors if name == field_id), None)

    def add_errors(self, errors: list[tuple[str, str]]) -> None:
        """Adds errors and keeps the summary in the order of the page."""
        self.errors = sorted([*self.errors, *errors], key=lambda error: FIELD_ORDER.index(error[0]))
        self.part = None if self.errors else self.part


def _normalise_spaces(text: str) -> str:
    return " ".join(text.split())


def _parse_birth_date(values: dict[str, str], wording: SubjectWording,
                      today: datetime.date) -> tuple[datetime.date | None, str | None]:
    born, problem = parse_date(values, BIRTH_DATE_FIELD, earliest_year=1, latest_year=9999)
    if problem is DateProblem.MISSING:
        return None, _(wording.birth_date_missing)
    if problem is DateProblem.INCOMPLETE:
        return None, _("La date de naissance doit comprendre un jour, un mois et une année.")
    if problem is DateProblem.YEAR_DIGITS:
        return None, _("L'année de naissance doit compter 4 chiffres, par exemple 2019.")
    if problem is not None:
        return None, _("La date de naissance doit être une date réelle, par exemple 12 3 2019.")
    if born > today:
        return None, _("La date de naissance doit être dans le passé.")
    if born.year < OLDEST_BIRTH_YEAR:
        return None, _("L'année de naissance doit être 1900 ou après.")
    return born, None


_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
BELGIAN_IBAN_LENGTH = 16


def _parse_iban(text: str) -> tuple[str | None, str | None]:
    if not text.strip():
        return None, _("Saisissez le numéro de compte IBAN.")
    number = stdnum_iban.compact(text)
    # python-stdnum checks the check digits first: the shape and the Belgian length are told apart
    # before, so that the message says what is wrong.
    if not _IBAN_SHAPE.fullmatch(number):
        return None, _("Le numéro IBAN n'est pas valide. Vérifiez-le, par exemple BE71 0961 2345 6769.")
    if number.startswith(BELGIUM) and len(number) != BELGIAN_IBAN_LENGTH:
        return None, _("Le numéro IBAN n'a pas la longueur prévue pour son pays. Vérifiez-le : un IBAN "
                       "belge compte 16 caractères, par exemple BE71 0961 2345 6769.")
    try:
        return stdnum_iban.validate(number), None
    except InvalidChecksum:
        return None, _("Le numéro IBAN contient une erreur : ses chiffres de contrôle ne correspondent pas. "
                       "Vérifiez-le.")
    except ValidationError:
        return None, _("Le numéro IBAN n'est pas valide. Vérifiez-le, par exemple BE71 0961 2345 6769.")


def _parse_bic(text: str, iban: str | None) -> tuple[str | None, str | None]:
    if iban is None or iban.startswith(BELGIUM):
        return None, None  # not needed for a Belgian account
    if not text.strip():
        return None, _("Saisissez le code BIC de votre banque : il est nécessaire pour un compte ouvert "
                       "hors de Belgique.")
    try:
        return stdnum_bic.validate(text), None
    except ValidationError:
        return None, _("Le code BIC n'est pas valide : il compte 8 ou 11 caractères, par exemple GEBABEBB.")


def parse_worker_part(values: dict[str, str], kind: LeaveKind, care_motive: CareMotive | None,
                      today: datetime.date) -> WorkerPartForm:
    """Checks each answer; `form.part` is set when every answer is usable."""
    form = WorkerPartForm(values=values)
    errors: list[tuple[str, str]] = []

    household = None
    try:
        household = HouseholdSituation(values.get("household", ""))
    except ValueError:
        errors.append(("household", _("Sélectionnez votre situation familiale.")))

    role = subject_role(kind, care_motive)
    if role is not None:
        wording = SUBJECT_WORDING[role]
        name = _normalise_spaces(values.get("subject_name", ""))
        if not name:
            errors.append(("subject_name", _(wording.name_missing)))
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(("subject_name", _("Le nom compte au plus 200 caractères.")))
        born, problem = _parse_birth_date(values, wording, today)
        if problem:
            errors.append((f"{BIRTH_DATE_FIELD}-day", problem))
        if name and len(name) <= NAME_MAX_LENGTH and born is not None:
            disabled = kind is LeaveKind.PARENTAL and values.get("child_is_disabled") == "oui"
            form.subject = Subject(role, name, born, disabled)

    other_activities = values.get("other_activities")
    description = values.get("other_activities_description", "").strip()
    if other_activities not in ("oui", "non"):
        errors.append(("other_activities", _(
            "Indiquez si vous aurez une autre activité ou d'autres revenus pendant l'interruption."
        )))
    elif other_activities == "oui" and not description:
        errors.append(("other_activities_description", _("Décrivez l'autre activité ou les autres revenus.")))
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors.append(("other_activities_description", _("La description compte au plus 1000 caractères.")))

    country = values.get("domicile_country", "").strip().upper()
    if not is_country(country):
        errors.append(("domicile_country", _("Sélectionnez le pays de votre domicile.")))

    iban, problem = _parse_iban(values.get("iban", ""))
    if problem:
        errors.append(("iban", problem))
    bic, problem = _parse_bic(values.get("bic", ""), iban)
    if problem:
        errors.append(("bic", problem))

    form.add_errors(errors)
    if not form.errors:
        form.part = WorkerPart(
            household=household, subject=form.subject, other_activities=other_activities == "oui",
            other_activities_description=description if other_activities == "oui" else None,
            domicile_country=country, iban=iban, bic=bic,
        )
    return form


def format_iban(iban: str) -> str:
    """BE71096123456769 → BE71 0961 2345 6769."""
    return stdnum_iban.format(iban)


# ---------------------------------------------------------------------------------------------------
# The rules' problems, in words


def _length(value: MonthsAndDays) -> str:
    return format_duration(value.months, value.days)


def format_work_regime(regime: Fraction) -> str:
    return _("temps plein") if regime >= 1 else _("{fraction} temps").format(fraction=str(regime))


def _field_of(problem: Problem, request: RequestToComplete) -> str | None:
    """The field the worker can correct for this problem; None when it is about the employer's part."""
    code = problem.code
    if code in (ProblemCode.CHILD_TOO_OLD, ProblemCode.BEFORE_CHILD_ARRIVAL):
        return f"{BIRTH_DATE_FIELD}-day"
    if code is ProblemCode.MISSING_INFORMATION:
        return {"child_birth_date": f"{BIRTH_DATE_FIELD}-day", "subject_id": "subject_name"}.get(
            str(problem.values.get("what")))
    if code is ProblemCode.CEILING_EXCEEDED and problem.values.get("counted_per") != "carriere":
        return "subject_name"
    if code is ProblemCode.OVERLAPS and request.subject_role is not None:
        return "subject_name"
    return None


def _kind(request: RequestToComplete) -> str:
    return _(KIND_NAMES[request.summary.kind])


def _message(problem: Problem, request: RequestToComplete, subject: Subject | None) -> str:
    values = problem.values
    summary = request.summary
    start, end = format_date(summary.start_date), format_date(summary.end_date)
    code = problem.code
    if code is ProblemCode.CHILD_TOO_OLD:
        return _("Le congé doit commencer avant les {age} ans de l'enfant. Il commence le {start}, et "
                 "l'enfant a {age} ans le {birthday}. Vérifiez la date de naissance.").format(
            age=values["age_limit"], start=start, birthday=format_date(values["birthday"]))
    if code is ProblemCode.BEFORE_CHILD_ARRIVAL:
        return _("Le congé parental ne peut pas commencer avant la naissance de l'enfant. Il commence le "
                 "{start}, et l'enfant est né le {arrival}. Vérifiez la date de naissance.").format(
            start=start, arrival=format_date(values["arrival"]))
    if code is ProblemCode.CEILING_EXCEEDED:
        durations = {name: _length(values[name]) for name in ("maximum", "taken", "requested", "available")}
        if values.get("counted_per") != "carriere":
            return _("{kind} pour {name} : vous avez déjà pris {taken}, sur un maximum de {maximum}. Il "
                     "reste {available}, et cette demande compte {requested}. Vérifiez le nom et la date de "
                     "naissance.").format(name=subject.name if subject else "", kind=_kind(request),
                                          **durations)
        return _("{kind} sur l'ensemble de votre carrière : vous avez déjà pris {taken}, sur un maximum de "
                 "{maximum}. Il reste {available}, et cette demande compte {requested}.").format(
            kind=_kind(request), **durations)
    if code is ProblemCode.OVERLAPS:
        other = {"other_start": format_date(values["other_start"]), "other_end": format_date(values["other_end"])}
        if request.subject_role is not None:
            return _("{kind} : une demande déjà envoyée pour cette personne couvre la période du "
                     "{other_start} au {other_end}. Vérifiez le nom et la date de naissance.").format(
                kind=_kind(request), **other)
        return _("{kind} : une demande déjà envoyée couvre la période du {other_start} au {other_end}.").format(
            kind=_kind(request), **other)
    if code is ProblemCode.MISSING_INFORMATION:
        if values.get("what") == "worker_birth_date":
            return _("Votre date de naissance n'est pas connue du Registre national : elle est nécessaire "
                     "pour ce crédit-temps.")
        return _("Une information nécessaire manque.")
    if code is ProblemCode.END_BEFORE_START:
        return _("La date de fin de la période ({end}) précède sa date de début ({start}).").format(
            start=start, end=end)
    if code is ProblemCode.FORM_NOT_OFFERED:
        return _("Ce type de congé ne peut pas prendre la forme « {form} ».").format(
            form=_(FORM_PHRASES[summary.form]))
    if code is ProblemCode.NOT_IN_FORCE:
        if "in_force_from" in values:
            return _("Cette forme de congé existe depuis le {day} ; la période commence le {start}.").format(
                day=format_date(values["in_force_from"]), start=start)
        return _("Cette forme de congé ne peut plus commencer après le {day} ; la période commence le "
                 "{start}.").format(day=format_date(values["in_force_until"]), start=start)
    if code is ProblemCode.NOT_IN_BLOCKS:
        return _("La période doit compter un multiple de {block} mois ; elle compte {length}.").format(
            block=values["block_months"], length=_length(values["length"]))
    if code is ProblemCode.TOO_SHORT:
        return _("La période doit compter au moins {minimum} mois ; elle compte {length}.").format(
            minimum=values["minimum_months"], length=_length(values["length"]))
    if code is ProblemCode.TOO_LONG:
        return _("La période peut compter au plus {maximum} mois ; elle compte {length}.").format(
            maximum=values["maximum_months"], length=_length(values["length"]))
    if code is ProblemCode.WEEKS_NEED_EMPLOYER_AGREEMENT:
        return _("Une période de {weeks} semaines n'est possible qu'avec l'accord de l'employeur.").format(
            weeks=values["weeks"])
    if code is ProblemCode.EMPLOYER_AGREEMENT_REQUIRED:
        return _("Cette forme de congé n'est possible qu'avec l'accord de l'employeur.")
    if code is ProblemCode.WORK_REGIME_TOO_LOW:
        return _("Cette forme de congé demande de travailler au moins à {minimum} ; selon la partie de votre "
                 "employeur, vous travaillez à {regime}.").format(
            minimum=format_work_regime(values["minimum_work_regime"]),
            regime=format_work_regime(values["work_regime"]))
    if code is ProblemCode.WORKER_TOO_YOUNG:
        return _("Ce crédit-temps ne peut commencer qu'à partir de vos {age} ans, le {birthday} ; la période "
                 "commence le {start}.").format(age=values["minimum_age"],
                                                birthday=format_date(values["birthday"]), start=start)
    if code is ProblemCode.CAREER_TOO_SHORT:
        return _("Ce crédit-temps demande {required} ans de carrière ; vous en comptez {years}.").format(
            required=values["required_years"], years=values["career_years"])
    return _("La période de cette demande ne respecte pas les règles.")  # pragma: no cover - every code above


@dataclass(frozen=True)
class ProblemMessages:
    field_errors: list[tuple[str, str]]  # (field id, message): the worker can correct them
    blocking: list[str]  # about the employer's part: the request cannot be completed as it is


def problem_messages(problems: list[Problem], request: RequestToComplete,
                     subject: Subject | None = None) -> ProblemMessages:
    field_errors, blocking = [], []
    for problem in problems:
        field_id = _field_of(problem, request)
        message = _message(problem, request, subject)
        if field_id is None:
            blocking.append(message)
        elif field_id not in dict(field_errors):  # one message per field, the first the reader meets
            field_errors.append((field_id, message))
    return ProblemMessages(field_errors, blocking)
