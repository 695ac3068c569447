"""The allowance estimator's query, read from the URL (its state lives there: a shareable link, and a
plain GET form without JavaScript), checked, with messages in the user's language.

Parameter names are French and stable: they make the link a citizen keeps or sends.
    ?type=assistance-medicale&forme=complete&date=2026-12-01&menage=cohabitant&regime=1
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from app.careerbreak.wording import FORM_NAMES, KIND_NAMES
from app.rules.allowances import AGE_THRESHOLD, SENIORITY_THRESHOLD_YEARS, Household, RateKind, rate_kind_of
from app.rules.careerbreak import LeaveForm, LeaveKind, forms_of
from app.web.i18n import format_date
from app.web.i18n import N_
from app.web.i18n import gettext as _

# The parameters of the estimator; the first one present in a URL asks for an estimate.
KIND, FORM, DATE, HOUSEHOLD, CHILD_BIRTH_DATE, CHILD_DISABLED, SENIORITY, AGE, WORK_REGIME = (
    "type", "forme", "date", "menage", "naissance_enfant", "enfant_handicape", "anciennete", "age", "regime",
)
PARAMETERS = (KIND, FORM, DATE, HOUSEHOLD, CHILD_BIRTH_DATE, CHILD_DISABLED, SENIORITY, AGE, WORK_REGIME)
YES = "oui"

# The kinds a citizen can ask an estimate for: time credit without motive was abolished in 2017 [S13b]
# and only appears in a history.
ESTIMATED_KINDS = tuple(kind for kind in LeaveKind if kind is not LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE)

# Dates the estimator accepts: the rate tables start in 2021; a year outside this range is a typing error.
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


class HouseholdAnswer(str, enum.Enum):
    """Who the worker lives with [S24][S23]: a cohabitant lives with other adults; an isolé lives alone,
    or alone with dependent children (who may open the single-parent increase)."""

    COHABITANT = "cohabitant"
    ALONE = "isole"
    ALONE_WITH_CHILDREN = "isole-avec-enfants"


class SeniorityAnswer(str, enum.Enum):
    """[S24]: the time-credit tables have two seniority categories at the employer."""

    UNDER_5_YEARS = "moins-5-ans"
    FROM_5_YEARS = "5-ans-et-plus"


class AgeAnswer(str, enum.Enum):
    """[S24]: half-time time-credit nets differ under 50 and from 50."""

    UNDER_50 = "moins-50-ans"
    FROM_50 = "50-ans-et-plus"


# The work regime before a complete interruption: its amount is prorated to a part-time job [S23].
WORK_REGIMES: Mapping[str, Fraction] = {
    "1": Fraction(1), "4/5": Fraction(4, 5), "3/4": Fraction(3, 4), "1/2": Fraction(1, 2),
}
DEFAULT_WORK_REGIME = "1"

HOUSEHOLD_NAMES = {
    HouseholdAnswer.COHABITANT: N_("Je vis avec un ou plusieurs autres adultes (cohabitant)"),
    HouseholdAnswer.ALONE: N_("Je vis seul(e)"),
    HouseholdAnswer.ALONE_WITH_CHILDREN: N_("Je vis seul(e) avec un ou plusieurs enfants à charge"),
}
SENIORITY_NAMES = {
    SeniorityAnswer.UNDER_5_YEARS: N_("Moins de 5 ans"),
    SeniorityAnswer.FROM_5_YEARS: N_("5 ans ou plus"),
}
AGE_NAMES = {
    AgeAnswer.UNDER_50: N_("Moins de 50 ans"),
    AgeAnswer.FROM_50: N_("50 ans ou plus"),
}
WORK_REGIME_NAMES = {
    "1": N_("Temps plein"), "4/5": N_("4/5 temps"), "3/4": N_("3/4 temps"), "1/2": N_("Mi-temps"),
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WRITTEN_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


class DateProblem(str, enum.Enum):
    MALFORMED = "malformed"
    OUT_OF_RANGE = "out-of-range"


def parse_date(typed: str, earliest: datetime.date, latest: datetime.date) -> datetime.date | DateProblem:
    """A date as a browser's date field sends it (2026-12-01) or as a person writes it (01/12/2026,
    01.12.2026)."""
    text = typed.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _WRITTEN_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return DateProblem.MALFORMED
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        return DateProblem.MALFORMED
    if not earliest <= value <= latest:
        return DateProblem.OUT_OF_RANGE
    return value


def _choice(enum_class, typed: str | None):
    try:
        return enum_class(typed)
    except ValueError:
        return None


@dataclass
class EstimateForm:
    """What the citizen asked; `typed` keeps every value as it came, to show it back."""

    typed: dict[str, str]
    asked: bool = False  # the URL carries the estimator's parameters
    kind: LeaveKind | None = None
    form: LeaveForm | None = None
    on: datetime.date | None = None
    household: HouseholdAnswer | None = None
    child_birth_date: datetime.date | None = None
    child_disabled: bool = False
    seniority: SeniorityAnswer | None = None
    age: AgeAnswer | None = None
    work_regime: Fraction = Fraction(1)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def offered_forms(self) -> list[LeaveForm]:
        """The forms to offer: those of the chosen kind, or every form before a kind is chosen."""
        return forms_of(self.kind) if self.kind is not None else list(LeaveForm)

    def error(self, field_id: str) -> str | None:
        return next((message for field_id_, message in self.errors if field_id_ == field_id), None)

    # The answers as the rules of app/rules/allowances.py read them.

    @property
    def lives_only_with_dependent_children(self) -> bool:
        return self.household is HouseholdAnswer.ALONE_WITH_CHILDREN

    @property
    def rules_household(self) -> Household | None:
        """[S24]: an isolé lives alone, with or without dependent children."""
        if self.household is None:
            return None
        return Household.COHABITANT if self.household is HouseholdAnswer.COHABITANT else Household.SINGLE

    @property
    def seniority_years(self) -> int | None:
        # The tables have two categories [S24]: the threshold itself stands for "5 years or more".
        if self.seniority is None:
            return None
        return SENIORITY_THRESHOLD_YEARS if self.seniority is SeniorityAnswer.FROM_5_YEARS else 0

    @property
    def worker_age(self) -> int | None:
        # Under 50 / 50 and over [S24]: the threshold stands for "50 and over", the year before for "under".
        if self.age is None:
            return None
        return AGE_THRESHOLD if self.age is AgeAnswer.FROM_50 else AGE_THRESHOLD - 1

    @classmethod
    def parse(cls, query: Mapping[str, str], today: datetime.date) -> EstimateForm:
        """Reads the query. Without any estimator parameter, the form starts from today's date and a
        full-time job, and asks nothing."""
        typed = {name: str(query.get(name) or "")[:100] for name in PARAMETERS}
        asked = any(name in query for name in PARAMETERS)
        if DATE not in query:
            typed[DATE] = today.isoformat()
        if WORK_REGIME not in query:
            typed[WORK_REGIME] = DEFAULT_WORK_REGIME
        form = cls(typed=typed, asked=asked)
        if asked:
            form._check()
        else:
            form.on = today
        return form

    def _check(self) -> None:
        typed = self.typed
        self.kind = _choice(LeaveKind, typed[KIND])
        if self.kind not in ESTIMATED_KINDS:
            self.kind = None
            self.errors.append((KIND, _("Choisissez le type de congé.") if not typed[KIND]
                                else _("Choisissez un type de congé de la liste.")))

        self.form = _choice(LeaveForm, typed[FORM])
        if self.form is None:
            self.errors.append((FORM, _("Choisissez la forme de l'interruption.") if not typed[FORM]
                                else _("Choisissez une forme de la liste.")))
        elif self.kind is not None and self.form not in forms_of(self.kind):
            self.errors.append((FORM, _(
                "La forme « {form} » n'est pas prévue pour ce type de congé ({kind}). Choisissez : {forms}."
            ).format(form=_(FORM_NAMES[self.form]), kind=_(KIND_NAMES[self.kind]),
                     forms=", ".join(_(FORM_NAMES[offered]) for offered in forms_of(self.kind)))))
            self.form = None

        self._check_date()

        self.household = _choice(HouseholdAnswer, typed[HOUSEHOLD])
        self.seniority = _choice(SeniorityAnswer, typed[SENIORITY])
        self.age = _choice(AgeAnswer, typed[AGE])
        self.child_disabled = typed[CHILD_DISABLED] == YES
        rate_kind = rate_kind_of(self.kind) if self.kind is not None else None
        household_needed = rate_kind is RateKind.THEMATIC_LEAVE or (
            rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE and self.form is LeaveForm.HALF_TIME)
        if self.household is None and (household_needed or typed[HOUSEHOLD]):
            self.errors.append((HOUSEHOLD, _("Indiquez votre situation de ménage.")))

        child_needed = (rate_kind is RateKind.THEMATIC_LEAVE
                        and self.household is HouseholdAnswer.ALONE_WITH_CHILDREN)
        if typed[CHILD_BIRTH_DATE] or child_needed:
            self._check_child_birth_date()

        if self.seniority is None and (rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE or typed[SENIORITY]):
            self.errors.append((SENIORITY, _("Indiquez votre ancienneté chez l'employeur.")))
        age_needed = rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE and self.form is LeaveForm.HALF_TIME
        if self.age is None and (age_needed or typed[AGE]):
            self.errors.append((AGE, _("Indiquez votre âge.")))

        regime = WORK_REGIMES.get(typed[WORK_REGIME])
        if regime is None:
            self.errors.append((WORK_REGIME, _("Choisissez votre régime de travail dans la liste.")))
        else:
            self.work_regime = regime

    def _check_date(self) -> None:
        typed = self.typed[DATE]
        if not typed.strip():
            self.errors.append((DATE, _("Saisissez la date à laquelle calculer l'allocation.")))
            return
        on = parse_date(typed, EARLIEST_DATE, LATEST_DATE)
        if on is DateProblem.MALFORMED:
            self.errors.append((DATE, _("Saisissez une date réelle, par exemple {example}.").format(
                example=format_date(datetime.date(2026, 12, 1)))))
        elif on is DateProblem.OUT_OF_RANGE:
            self.errors.append((DATE, _("La date doit se situer entre le {earliest} et le {latest}.").format(
                earliest=format_date(EARLIEST_DATE), latest=format_date(LATEST_DATE))))
        else:
            self.on = on

    def _check_child_birth_date(self) -> None:
        typed = self.typed[CHILD_BIRTH_DATE]
        field_id = CHILD_BIRTH_DATE
        if not typed.strip():
            self.errors.append((field_id, _(
                "Saisissez la date de naissance de votre plus jeune enfant à charge.")))
            return
        born = parse_date(typed, EARLIEST_BIRTH_DATE, LATEST_DATE)
        if born is DateProblem.MALFORMED:
            self.errors.append((field_id, _(
                "Saisissez une date de naissance réelle, par exemple {example}.").format(
                example=format_date(datetime.date(2019, 3, 12)))))
        elif born is DateProblem.OUT_OF_RANGE or (self.on is not None and born > self.on):
            self.errors.append((field_id, _(
                "La date de naissance doit précéder la date à laquelle l'allocation est calculée.")))
        else:
            self.child_birth_date = born


def estimator_options(form: EstimateForm) -> dict[str, list[tuple[str, str]]]:
    """The choices of each radio group, as (value, label) in the user's language; the forms are those
    of the chosen kind."""
    return {
        KIND: [(kind.value, _(KIND_NAMES[kind])) for kind in ESTIMATED_KINDS],
        FORM: [(leave_form.value, _(FORM_NAMES[leave_form])) for leave_form in form.offered_forms],
        HOUSEHOLD: [(answer.value, _(HOUSEHOLD_NAMES[answer])) for answer in HouseholdAnswer],
        SENIORITY: [(answer.value, _(SENIORITY_NAMES[answer])) for answer in SeniorityAnswer],
        AGE: [(answer.value, _(AGE_NAMES[answer])) for answer in AgeAnswer],
        WORK_REGIME: [(value, _(name)) for value, name in WORK_REGIME_NAMES.items()],
        CHILD_DISABLED: [(YES, _("Mon plus jeune enfant est handicapé : la limite d'âge passe à 21 ans"))],
    }
