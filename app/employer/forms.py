"""What the personnel officer sent at each step of guide 001, checked, with messages in their language.

Every step keeps what was typed as text (`answers`: the same names as the form's fields), so that a
page shows it back after an error, a reload or "Précédent"; `check_*` turns the answers into values
or into a list of (field id, message), in the order of the fields.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from app.careerbreak.wording import KIND_NAMES
from app.rules.careerbreak import (
    CareMotive,
    LeaveForm,
    LeaveKind,
    MonthsAndDays,
    Problem,
    ProblemCode,
    forms_of,
)
from app.rules.employer import (
    NissProblem,
    WorkerStatus,
    compact,
    is_commission_paritaire_code,
    kinds_for,
    niss_problem,
    statuses_for,
)
from app.employer.joint_committees import joint_committee
from app.web.forms import DATE_PARTS, DateProblem, date_error_field, parse_date
from app.web.i18n import format_date, format_duration
from app.web.i18n import N_
from app.web.i18n import gettext as _

Errors = list[tuple[str, str]]
ANSWER_LENGTH = 100  # longer text is cut: no field of these forms needs more

WORKER_FIELDS = ("niss", "statut", "commission_paritaire")
KIND_FIELDS = ("type",)
LEAVE_DATE_FIELDS = ("debut", "fin", "avertissement")
LEAVE_FIELDS = ("forme", "motif", "regime", "accord",
                *(f"{name}-{part}" for name in LEAVE_DATE_FIELDS for part in DATE_PARTS))

STATUS_NAMES = {
    WorkerStatus.MANUAL: N_("Ouvrier"),
    WorkerStatus.WHITE_COLLAR: N_("Employé"),
    WorkerStatus.CONTRACT_STAFF: N_("Contractuel"),
    WorkerStatus.STATUTORY: N_("Statutaire"),
}

# The work regimes offered: a fraction of a full-time job (CareerBreakRequest.work_regime).
WORK_REGIMES = {
    "1": N_("Temps plein"),
    "4/5": N_("4/5 temps"),
    "3/4": N_("3/4 temps"),
    "1/2": N_("Mi-temps"),
}


def answers_of(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    """The fields of a step as typed (a list, from a repeated field, gives its first value)."""
    answers = {}
    for name in fields:
        value = data.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None:
            continue
        answers[name] = str(value)[:ANSWER_LENGTH]
    return answers


def error_of(errors: Errors, field_id: str) -> str | None:
    return next((message for field, message in errors if field == field_id), None)


# ---------------------------------------------------------------------------------------------------
# Step 4: the worker, the status and the joint committee


def niss_message(problem: NissProblem) -> str:
    return {
        NissProblem.EMPTY: _("Saisissez le numéro de registre national du travailleur."),
        NissProblem.FORMAT: _(
            "Le numéro de registre national ne contient que des chiffres (les espaces, points et "
            "tirets sont permis), par exemple 85.07.30-033.28."
        ),
        NissProblem.LENGTH: _("Le numéro de registre national compte 11 chiffres."),
        NissProblem.CHECK_DIGITS: _(
            "Les deux derniers chiffres (chiffres de contrôle) ne correspondent pas aux 9 premiers. "
            "Vérifiez le numéro."
        ),
        NissProblem.FUTURE_BIRTH_YEAR: _(
            "Ce numéro ne serait valable que pour une personne née en 2000 ou après, dans une année "
            "qui n'est pas encore passée. Vérifiez les deux premiers chiffres."
        ),
        NissProblem.MONTH: _(
            "Le mois de naissance (3e et 4e chiffres) doit être compris entre 01 et 12. Vérifiez le numéro."
        ),
        NissProblem.BIS_MONTH: _(
            "Ce numéro BIS n'est pas valable : dans un numéro BIS, le mois (3e et 4e chiffres) est "
            "compris entre 20 et 32 ou entre 40 et 52."
        ),
    }[problem]


@dataclass(frozen=True)
class WorkerChoice:
    niss: str
    status: WorkerStatus
    commission_paritaire: str


def check_worker(answers: dict[str, str], *, public_sector: bool,
                 today: datetime.date) -> tuple[WorkerChoice | None, Errors]:
    """The NISS's form, the status of the employer's sector and a joint committee of the list. Whether
    the NISS is one of the enterprise's workers is the service's question."""
    errors: Errors = []
    typed_niss = answers.get("niss", "")
    problem = niss_problem(typed_niss, today)
    if problem is not None:
        errors.append(("niss", niss_message(problem)))
    status = None
    try:
        status = WorkerStatus(answers.get("statut", ""))
    except ValueError:
        pass
    if status not in statuses_for(public_sector):
        errors.append(("statut", _("Choisissez le statut du travailleur.")))
    code = answers.get("commission_paritaire", "").strip()
    if not code and public_sector:
        pass  # the public sector's staff have no joint committee: the field may stay empty
    elif not code:
        errors.append(("commission_paritaire", _("Choisissez la commission paritaire du travailleur.")))
    elif not is_commission_paritaire_code(code):
        errors.append(("commission_paritaire", _(
            "Le code d'une commission paritaire compte 3 chiffres, suivis le cas échéant d'un point et "
            "de 2 chiffres pour une sous-commission, par exemple 200 ou 140.03."
        )))
    elif joint_committee(code) is None:
        errors.append(("commission_paritaire", _(
            "Cette commission paritaire n'est pas dans la liste des codes. Recherchez-la par son numéro "
            "ou par un mot de son nom."
        )))
    if errors:
        return None, errors
    return WorkerChoice(compact(typed_niss), status, code), []


def worker_not_found_message() -> str:
    return _(
        "Ce numéro n'est pas celui d'un travailleur de votre entreprise dans le fichier du personnel "
        "(Dimona). Vérifiez le numéro."
    )


# ---------------------------------------------------------------------------------------------------
# Step 5: the type of interruption


def check_kind(answers: dict[str, str], *, public_sector: bool) -> tuple[LeaveKind | None, Errors]:
    try:
        kind = LeaveKind(answers.get("type", ""))
    except ValueError:
        kind = None
    if kind not in kinds_for(public_sector):
        return None, [("type", _("Choisissez le type d'interruption de prestations."))]
    return kind, []


# ---------------------------------------------------------------------------------------------------
# Step 6: the leave


@dataclass(frozen=True)
class LeaveChoice:
    form: LeaveForm
    care_motive: CareMotive | None
    start: datetime.date
    end: datetime.date
    work_regime: str
    notice: datetime.date
    employer_agreement: bool

    @property
    def work_regime_fraction(self) -> Fraction:
        return Fraction(self.work_regime)


def _date(answers: dict[str, str], name: str, label_missing: str, label_invalid: str,
          errors: Errors) -> datetime.date | None:
    date, problem = parse_date(answers, name)
    if problem is not None:
        errors.append((date_error_field(name), label_missing if problem is DateProblem.MISSING else label_invalid))
    return date


def check_leave(answers: dict[str, str], kind: LeaveKind, *,
                today: datetime.date) -> tuple[LeaveChoice | None, Errors]:
    """The fields one by one; the rules on the period itself come after (`problem_message`)."""
    errors: Errors = []
    form = None
    try:
        form = LeaveForm(answers.get("forme", ""))
    except ValueError:
        pass
    if form not in forms_of(kind):
        errors.append(("forme", _("Choisissez la forme de l'interruption.")))
    care_motive = None
    if kind is LeaveKind.TIME_CREDIT_CARE:
        try:
            care_motive = CareMotive(answers.get("motif", ""))
        except ValueError:
            errors.append(("motif", _("Choisissez le motif du crédit-temps.")))
    start = _date(answers, "debut", _("Saisissez la date de début du congé."),
                  _("La date de début doit être une vraie date, par exemple 01/03/2027."), errors)
    end = _date(answers, "fin", _("Saisissez la date de fin du congé."),
                _("La date de fin doit être une vraie date, par exemple 31/08/2027."), errors)
    regime = answers.get("regime", "")
    if regime not in WORK_REGIMES:
        errors.append(("regime", _("Choisissez le régime de travail du travailleur.")))
    notice = _date(answers, "avertissement", _("Saisissez la date de l'avertissement écrit."),
                   _("La date de l'avertissement écrit doit être une vraie date, par exemple 01/12/2026."),
                   errors)
    if notice is not None and notice > today:
        errors.append(("avertissement-day", _(
            "La date de l'avertissement écrit ne peut pas être dans le futur : indiquez le jour où "
            "le travailleur vous a averti."
        )))
    elif notice is not None and start is not None and notice > start:
        errors.append(("avertissement-day", _(
            "L'avertissement écrit précède le début du congé : sa date ne peut pas suivre la date de début."
        )))
    if errors:
        return None, errors
    return LeaveChoice(form, care_motive, start, end, regime, notice, answers.get("accord") == "oui"), []


def months_and_days(length: MonthsAndDays) -> str:
    """3 mois, 14 jours, 1 mois et 11 jours."""
    return format_duration(length.months, length.days)


def _months(count: int) -> str:
    return months_and_days(MonthsAndDays(count))


def _regime(value: Fraction) -> str:
    return _(WORK_REGIMES.get(str(value), "")) or str(value)


COUNTED_PER_PHRASES = {
    "enfant": N_("par enfant"),
    "patient": N_("par patient"),
    "personne-aidee": N_("par personne aidée"),
    "carriere": N_("sur toute la carrière"),
}


def problem_message(problem: Problem, kind: LeaveKind) -> tuple[str, str]:
    """The field a problem of `check_requested_period` belongs to, and what to tell the officer."""
    values = problem.values
    code = problem.code
    if code is ProblemCode.END_BEFORE_START:
        return "fin-day", _("La date de fin doit suivre la date de début.")
    if code is ProblemCode.FORM_NOT_OFFERED:
        return "forme", _("Choisissez une forme d'interruption proposée pour ce type de congé.")
    if code is ProblemCode.NOT_IN_FORCE:
        if "in_force_from" in values:
            return "debut-day", _("Ce congé n'existe que depuis le {date} : il ne peut pas commencer plus tôt.").format(
                date=format_date(values["in_force_from"]))
        return "debut-day", _("Ce congé ne peut plus commencer après le {date}.").format(
            date=format_date(values["in_force_until"]))
    if code is ProblemCode.NOT_IN_BLOCKS:
        return "fin-day", _(
            "Sous cette forme, le congé se prend par périodes de {block} ou d'un multiple de {block} : "
            "la période demandée compte {length}."
        ).format(block=_months(values["block_months"]), length=months_and_days(values["length"]))
    if code is ProblemCode.TOO_SHORT:
        return "fin-day", _(
            "La période demandée ({length}) est trop courte : elle doit compter au moins {minimum}."
        ).format(length=months_and_days(values["length"]), minimum=_months(values["minimum_months"]))
    if code is ProblemCode.TOO_LONG:
        return "fin-day", _(
            "La période demandée ({length}) est trop longue : une demande compte au plus {maximum}."
        ).format(length=months_and_days(values["length"]), maximum=_months(values["maximum_months"]))
    if code is ProblemCode.WEEKS_NEED_EMPLOYER_AGREEMENT:
        return "accord", _(
            "Une période en semaines ({weeks}) n'est possible qu'avec l'accord de l'employeur : cochez "
            "la case si vous marquez votre accord, ou demandez des mois entiers."
        ).format(weeks=values["weeks"])
    if code is ProblemCode.EMPLOYER_AGREEMENT_REQUIRED:
        return "accord", _(
            "Cette forme d'interruption demande l'accord de l'employeur : cochez la case si vous "
            "marquez votre accord."
        )
    if code is ProblemCode.WORK_REGIME_TOO_LOW:
        return "regime", _(
            "Cette forme d'interruption demande un régime de travail d'au moins {minimum} : le "
            "travailleur travaille à {regime}."
        ).format(minimum=_regime(values["minimum_work_regime"]), regime=_regime(values["work_regime"]))
    if code is ProblemCode.CEILING_EXCEEDED:
        per = COUNTED_PER_PHRASES[values["counted_per"]]
        return "fin-day", _(
            "La demande dépasse le maximum de {maximum} {per} : le travailleur a déjà pris {taken}, "
            "il lui reste {available} et la demande porte sur {requested}."
        ).format(maximum=months_and_days(values["maximum"]), per=_(per),
                 taken=months_and_days(values["taken"]), available=months_and_days(values["available"]),
                 requested=months_and_days(values["requested"]))
    if code is ProblemCode.WORKER_TOO_YOUNG:
        return "debut-day", _(
            "{kind} n'est possible qu'à partir de {age} ans : le travailleur les aura le {date}."
        ).format(kind=_(KIND_NAMES[kind]), age=values["minimum_age"], date=format_date(values["birthday"]))
    if code is ProblemCode.OVERLAPS:
        return "debut-day", _(
            "Le travailleur a déjà un congé de ce type du {start} au {end} : les périodes ne peuvent "
            "pas se chevaucher."
        ).format(start=format_date(values["other_start"]), end=format_date(values["other_end"]))
    # The other codes are about the child, the patient or the career, which the worker's part gives.
    return "debut-day", _("La période demandée ne respecte pas les règles de ce congé.")


def certification_error() -> tuple[str, str]:
    return "certification", _("Cochez la case pour certifier que les données introduites sont exactes.")
