"""Career break, time credit and thematic leaves (domain.md §2.1, §2.2, §2.4, §2.5).

The kinds and forms of leave, the maximums per child, patient, person helped or career (`Ceiling`),
the shape a period must have (`PeriodRule`: blocks, minimum and maximum lengths, weeks with the
employer's agreement), the age limits, the documents each kind needs, and `check_requested_period`,
which returns the problems of a requested period as small values (a code and the numbers the message
needs). The messages are written by the service, in the user's language.

Durations are counted in calendar months from the start date, then days (`period_length`). A capital
is kept as an exact number of months (`Fraction`): the days left over count 1/30 of a month each, and a
period of whole weeks on a kind that may be taken in weeks counts 1/4 of a month a week (1 month = 4
weeks [S5][S6]). Every figure carries its source key in domain.md.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

DAYS_PER_MONTH = 30  # how the days left over after whole months count against a capital (see module doc)
WEEKS_PER_MONTH = 4  # [S5][S6]: 1 month = 4 weeks, 1 week = 7 calendar days


# ---------------------------------------------------------------------------------------------------
# Vocabulary


class LeaveKind(str, enum.Enum):
    """The kinds of leave of the ONEM's service [S28b][S13][S19][S21]."""

    PARENTAL = "conge-parental"
    MEDICAL_ASSISTANCE = "assistance-medicale"
    PALLIATIVE_CARE = "soins-palliatifs"
    AIDANT_PROCHE = "aidant-proche"
    TIME_CREDIT_CARE = "credit-temps-motif-soins"
    TIME_CREDIT_TRAINING = "credit-temps-motif-formation"
    END_OF_CAREER = "credit-temps-fin-de-carriere"
    PUBLIC_SECTOR_CAREER_BREAK = "interruption-de-carriere-secteur-public"
    # Only found in a history: abolished from 1 April 2017 by CCT 103ter [S13b][S13c]. Still deducted,
    # pro rata, from the time credit with motive [S14].
    TIME_CREDIT_WITHOUT_MOTIVE = "credit-temps-sans-motif"


THEMATIC_LEAVES = (
    LeaveKind.PARENTAL,
    LeaveKind.MEDICAL_ASSISTANCE,
    LeaveKind.PALLIATIVE_CARE,
    LeaveKind.AIDANT_PROCHE,
)

TIME_CREDIT_WITHOUT_MOTIVE_LAST_START = date(2017, 3, 31)  # [S13b]: no longer possible from 1 April 2017


class LeaveForm(str, enum.Enum):
    """How much of the work is interrupted [S23b]: all of it, half, one fifth, one tenth."""

    COMPLETE = "complete"
    HALF_TIME = "mi-temps"
    ONE_FIFTH = "un-cinquieme"
    ONE_TENTH = "un-dixieme"

    @property
    def interrupted_fraction(self) -> Fraction:
        return _INTERRUPTED_FRACTION[self]


_INTERRUPTED_FRACTION = {
    LeaveForm.COMPLETE: Fraction(1),
    LeaveForm.HALF_TIME: Fraction(1, 2),
    LeaveForm.ONE_FIFTH: Fraction(1, 5),
    LeaveForm.ONE_TENTH: Fraction(1, 10),
}

class CountedPer(str, enum.Enum):
    """What a maximum is counted for."""

    CHILD = "enfant"
    PATIENT = "patient"
    PERSON_HELPED = "personne-aidee"
    CAREER = "carriere"


class CareMotive(str, enum.Enum):
    """The care motives of the time credit [S13]."""

    CHILD_UNDER_8 = "enfant-moins-8-ans"
    PALLIATIVE_CARE = "soins-palliatifs"
    SERIOUSLY_ILL_RELATIVE = "membre-gravement-malade"
    DISABLED_CHILD_UNDER_21 = "enfant-handicape-moins-21-ans"
    SERIOUSLY_ILL_MINOR_CHILD = "enfant-mineur-gravement-malade"


class Sex(str, enum.Enum):
    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True)
class LegalBasis:
    """Where a rule comes from, as domain.md gives it: the legal text by its Belgian name and date (an AR
    or a CCT), or NO_LEGAL_TEXT_CITED when domain.md names none; and the keys of the pages (domain.md §10)
    that state the rule."""

    text: str
    source_keys: tuple[str, ...]


# For the rules whose sources name no arrêté or CCT: said as it is, rather than naming a page as a law.
NO_LEGAL_TEXT_CITED = "Aucun texte légal cité par les sources consultées"


# ---------------------------------------------------------------------------------------------------
# Durations


@dataclass(frozen=True, order=True)
class MonthsAndDays:
    """A duration as Break@work shows it: whole months, then days."""

    months: int
    days: int = 0

    def as_months(self) -> Fraction:
        return self.months + Fraction(self.days, DAYS_PER_MONTH)

    @classmethod
    def from_months(cls, months: Fraction | int) -> MonthsAndDays:
        """Whole months, then the rest in days, rounded down (never shows more than there is)."""
        months = Fraction(months)
        whole = months.numerator // months.denominator
        days = (months - whole) * DAYS_PER_MONTH
        return cls(whole, days.numerator // days.denominator)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_length(start: date, end: date) -> MonthsAndDays:
    """The length of the period from `start` to `end`, both included, in calendar months then days.

    02/04/2025 → 01/05/2025 is 1 month; 01/01/2025 → 14/01/2025 is 14 days.
    """
    day_after = end + timedelta(days=1)
    months = (day_after.year - start.year) * 12 + day_after.month - start.month
    while months > 0 and add_months(start, months) > day_after:
        months -= 1
    return MonthsAndDays(months, (day_after - add_months(start, months)).days)


def length_in_days(start: date, end: date) -> int:
    return (end - start).days + 1


def birthday(born: date, years: int) -> date:
    """The day someone born on `born` reaches `years` (1 March for a 29 February in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


# ---------------------------------------------------------------------------------------------------
# The shape of a period: blocks, minimum and maximum lengths, weeks


@dataclass(frozen=True)
class PeriodRule:
    """What one requested period of a kind and form must look like [S5]-[S21]."""

    kind: LeaveKind
    form: LeaveForm
    block_months: int | None = None  # the length must be a whole multiple of this many months
    minimum_months: int | None = None
    maximum_months: int | None = None  # per period
    block_months_with_agreement: int | None = None  # smaller blocks when the employer agrees
    weeks_with_agreement: tuple[int, ...] = ()  # whole weeks allowed when the employer agrees
    employer_agreement_required: bool = False
    minimum_work_regime: Fraction | None = None  # 1 = full-time
    in_force_from: date | None = None
    in_force_until: date | None = None  # the last day a period may start
    legal_basis: LegalBasis | None = None


# §2.1 [S14b][S20] names the legal texts: parental leave, AR 29.10.1997; the right to time credit towards
# the employer, CCT n° 103, amended by CCT n° 103/6 of 27.09.2022, and for the end of career by CCT n° 103/7
# in force on 1.1.2026; time credit without motive ended by CCT n° 103ter [S13b]. It names none for medical
# assistance, palliative care, caregiver leave and the federal public sector: only the pages of their keys.
PARENTAL_BASIS = LegalBasis("AR du 29.10.1997 (congé parental)", ("S5", "S6", "S7"))
MEDICAL_ASSISTANCE_BASIS = LegalBasis(NO_LEGAL_TEXT_CITED, ("S8", "S9"))
PALLIATIVE_CARE_BASIS = LegalBasis(NO_LEGAL_TEXT_CITED, ("S10", "S10b"))
AIDANT_PROCHE_BASIS = LegalBasis(NO_LEGAL_TEXT_CITED, ("S11",))
TIME_CREDIT_BASIS = LegalBasis("CCT n° 103 (crédit-temps), modifiée par la CCT n° 103/6 du 27.09.2022",
                               ("S14b", "S13", "S14", "S15", "S18"))
TIME_CREDIT_WITHOUT_MOTIVE_BASIS = LegalBasis("CCT n° 103ter (fin du crédit-temps sans motif)", ("S13b",))
END_OF_CAREER_BASIS = LegalBasis(
    "CCT n° 103 (crédit-temps), modifiée pour la fin de carrière par la CCT n° 103/7 (en vigueur le 01.01.2026)",
    ("S20", "S19"))
PUBLIC_SECTOR_BASIS = LegalBasis(NO_LEGAL_TEXT_CITED, ("S21", "S21b"))

FULL_TIME = Fraction(1)
THREE_QUARTER_TIME = Fraction(3, 4)

PERIOD_RULES: tuple[PeriodRule, ...] = (
    # Parental leave [S5][S6][S6b][S7]: blocks of 1 / 2 / 5 / 10 months; complete in weeks and half-time
    # in 1-month blocks with the employer's agreement; 1/10 needs that agreement, since 1.6.2019.
    PeriodRule(LeaveKind.PARENTAL, LeaveForm.COMPLETE, block_months=1,
               weeks_with_agreement=tuple(range(1, 4 * WEEKS_PER_MONTH + 1)), legal_basis=PARENTAL_BASIS),
    PeriodRule(LeaveKind.PARENTAL, LeaveForm.HALF_TIME, block_months=2, block_months_with_agreement=1,
               minimum_work_regime=FULL_TIME, legal_basis=PARENTAL_BASIS),
    PeriodRule(LeaveKind.PARENTAL, LeaveForm.ONE_FIFTH, block_months=5,
               minimum_work_regime=FULL_TIME, legal_basis=PARENTAL_BASIS),
    PeriodRule(LeaveKind.PARENTAL, LeaveForm.ONE_TENTH, block_months=10, employer_agreement_required=True,
               minimum_work_regime=FULL_TIME, in_force_from=date(2019, 6, 1), legal_basis=PARENTAL_BASIS),
    # Medical assistance [S8][S9]: periods of 1 to 3 months; complete in 1, 2 or 3 weeks with the
    # employer's agreement (since 1.6.2019); 1/5 for full-time workers, half-time from 3/4-time.
    PeriodRule(LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.COMPLETE, minimum_months=1, maximum_months=3,
               weeks_with_agreement=(1, 2, 3), legal_basis=MEDICAL_ASSISTANCE_BASIS),
    PeriodRule(LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.HALF_TIME, minimum_months=1, maximum_months=3,
               minimum_work_regime=THREE_QUARTER_TIME, legal_basis=MEDICAL_ASSISTANCE_BASIS),
    PeriodRule(LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.ONE_FIFTH, minimum_months=1, maximum_months=3,
               minimum_work_regime=FULL_TIME, legal_basis=MEDICAL_ASSISTANCE_BASIS),
    # Palliative care [S10]: 1 month, whatever the form; each of the two extensions is a new month.
    *(PeriodRule(LeaveKind.PALLIATIVE_CARE, form, minimum_months=1, maximum_months=1,
                 legal_basis=PALLIATIVE_CARE_BASIS)
      for form in (LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH)),
    # Aidant proche [S11]: since 1.9.2020; complete in 1-month blocks, half and 1/5 in 2-month blocks,
    # for full-time workers.
    PeriodRule(LeaveKind.AIDANT_PROCHE, LeaveForm.COMPLETE, block_months=1,
               in_force_from=date(2020, 9, 1), legal_basis=AIDANT_PROCHE_BASIS),
    *(PeriodRule(LeaveKind.AIDANT_PROCHE, form, block_months=2, minimum_work_regime=FULL_TIME,
                 in_force_from=date(2020, 9, 1), legal_basis=AIDANT_PROCHE_BASIS)
      for form in (LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH)),
    # Time credit with motive [S18][S16]: at least 3 months (complete, half), 6 months (1/5); half-time
    # from 3/4-time, 1/5 for full-time workers. The care motives may shorten this (TIME_CREDIT_CARE_PERIODS).
    *(PeriodRule(kind, LeaveForm.COMPLETE, minimum_months=3, legal_basis=TIME_CREDIT_BASIS)
      for kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING)),
    *(PeriodRule(kind, LeaveForm.HALF_TIME, minimum_months=3, minimum_work_regime=THREE_QUARTER_TIME,
                 legal_basis=TIME_CREDIT_BASIS)
      for kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING)),
    *(PeriodRule(kind, LeaveForm.ONE_FIFTH, minimum_months=6, minimum_work_regime=FULL_TIME,
                 legal_basis=TIME_CREDIT_BASIS)
      for kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING)),
    # End of career [S19][S20]: half-time or 1/5 until the pension, at least 3 / 6 months.
    PeriodRule(LeaveKind.END_OF_CAREER, LeaveForm.HALF_TIME, minimum_months=3,
               legal_basis=END_OF_CAREER_BASIS),
    PeriodRule(LeaveKind.END_OF_CAREER, LeaveForm.ONE_FIFTH, minimum_months=6,
               legal_basis=END_OF_CAREER_BASIS),
    # Public sector, federal administrations [S21][S21b]: periods of 3 to 12 months.
    *(PeriodRule(LeaveKind.PUBLIC_SECTOR_CAREER_BREAK, form, minimum_months=3, maximum_months=12,
                 legal_basis=PUBLIC_SECTOR_BASIS)
      for form in (LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH)),
    # Time credit without motive: history only [S13b].
    *(PeriodRule(LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE, form, in_force_until=TIME_CREDIT_WITHOUT_MOTIVE_LAST_START,
                 legal_basis=TIME_CREDIT_WITHOUT_MOTIVE_BASIS)
      for form in (LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH)),
)

_PERIOD_RULE = {(rule.kind, rule.form): rule for rule in PERIOD_RULES}

# Time credit for a care motive [S13][S18]: palliative care from 1 month; a seriously ill member of the
# household or family: periods of 1 to 3 months. (minimum, maximum) in months.
TIME_CREDIT_CARE_PERIODS: Mapping[CareMotive, tuple[int, int | None]] = {
    CareMotive.PALLIATIVE_CARE: (1, None),
    CareMotive.SERIOUSLY_ILL_RELATIVE: (1, 3),
    CareMotive.SERIOUSLY_ILL_MINOR_CHILD: (1, 3),
}


def period_rule(kind: LeaveKind, form: LeaveForm) -> PeriodRule | None:
    """The shape of a period of this kind and form, or None when the kind has no such form."""
    return _PERIOD_RULE.get((kind, form))


def forms_of(kind: LeaveKind) -> list[LeaveForm]:
    """The forms a kind of leave can take, in the order of LeaveForm."""
    return [form for form in LeaveForm if (kind, form) in _PERIOD_RULE]


def is_in_weeks(rule: PeriodRule, start: date, end: date) -> bool:
    """A period of whole weeks, not whole months, as many as the kind and form may be taken in.

    A medical assistance of 42 days is 1 month and 11 days, not 6 weeks: that form has at most 3 weeks.
    """
    days = length_in_days(start, end)
    return (
        bool(rule.weeks_with_agreement)
        and period_length(start, end).days != 0
        and days % 7 == 0
        and days // 7 in rule.weeks_with_agreement
    )


# ---------------------------------------------------------------------------------------------------
# Maximums (ceilings) and the conversion between forms


class Counting(str, enum.Enum):
    """How a month of leave counts against a ceiling."""

    # Each calendar month counts one, whatever the form (time credit with motive [S15], thematic
    # leaves other than parental, public sector).
    CALENDAR_MONTHS = "mois-calendrier"
    # A month at 1/2, 1/5 or 1/10 counts that fraction of a month of complete interruption (parental
    # leave: 1 month complete = 2 half = 5 at 1/5 = 10 at 1/10 [S5], DERIVED from 4/8/20/40).
    COMPLETE_EQUIVALENT = "equivalent-interruption-complete"


@dataclass(frozen=True)
class Ceiling:
    """A maximum: `months` of the kinds and forms it covers, per child, patient, person or career.

    `months` is None for the end-of-career time credit, which runs until the pension.
    """

    key: str  # a stable code for the rule, also used by the service to name it
    kinds: frozenset[LeaveKind]
    forms: frozenset[LeaveForm]
    counted_per: CountedPer
    months: int | None
    counting: Counting
    legal_basis: LegalBasis
    pro_rata_kinds: frozenset[LeaveKind] = frozenset()  # kinds counted pro rata whatever `counting` says
    doubled_for_single_parent_of_ill_child: bool = False

    def covers(self, kind: LeaveKind, form: LeaveForm) -> bool:
        return kind in self.kinds and form in self.forms

    def months_for(self, *, doubled: bool = False) -> int | None:
        if self.months is not None and doubled and self.doubled_for_single_parent_of_ill_child:
            return self.months * 2
        return self.months

    def in_form(self, months: Fraction, form: LeaveForm) -> Fraction:
        """A number of months of this ceiling, expressed in months of leave at `form`."""
        if self.counting is Counting.COMPLETE_EQUIVALENT:
            return months / form.interrupted_fraction
        return months


_ALL_FORMS = frozenset(LeaveForm)
_COMPLETE = frozenset({LeaveForm.COMPLETE})
_HALF_AND_FIFTH = frozenset({LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH})

CEILINGS: tuple[Ceiling, ...] = (
    # [S5]: 4 months FTE per child and per parent: 4 complete, 8 half, 20 at 1/5, 40 at 1/10, one capital.
    Ceiling("parental-per-child", frozenset({LeaveKind.PARENTAL}), _ALL_FORMS, CountedPer.CHILD, 4,
            Counting.COMPLETE_EQUIVALENT, PARENTAL_BASIS),
    # [S8][S9]: 12 months complete, 24 months partial per patient; doubled for a worker living alone
    # with a seriously ill child of 16 or less. Independent ceilings until checked (§2.4).
    Ceiling("medical-assistance-complete-per-patient", frozenset({LeaveKind.MEDICAL_ASSISTANCE}), _COMPLETE,
            CountedPer.PATIENT, 12, Counting.CALENDAR_MONTHS, MEDICAL_ASSISTANCE_BASIS,
            doubled_for_single_parent_of_ill_child=True),
    Ceiling("medical-assistance-partial-per-patient", frozenset({LeaveKind.MEDICAL_ASSISTANCE}),
            _HALF_AND_FIFTH, CountedPer.PATIENT, 24, Counting.CALENDAR_MONTHS, MEDICAL_ASSISTANCE_BASIS,
            doubled_for_single_parent_of_ill_child=True),
    # [S10]: 1 month, extendable twice by 1 month: 3 months per patient, the same whatever the form.
    Ceiling("palliative-care-per-patient", frozenset({LeaveKind.PALLIATIVE_CARE}),
            frozenset({LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH}), CountedPer.PATIENT, 3,
            Counting.CALENDAR_MONTHS, PALLIATIVE_CARE_BASIS),
    # [S11]: complete 3 months per person helped, 6 over the career; half and 1/5 6 per person, 12 over
    # the career.
    Ceiling("aidant-proche-complete-per-person", frozenset({LeaveKind.AIDANT_PROCHE}), _COMPLETE,
            CountedPer.PERSON_HELPED, 3, Counting.CALENDAR_MONTHS, AIDANT_PROCHE_BASIS),
    Ceiling("aidant-proche-partial-per-person", frozenset({LeaveKind.AIDANT_PROCHE}), _HALF_AND_FIFTH,
            CountedPer.PERSON_HELPED, 6, Counting.CALENDAR_MONTHS, AIDANT_PROCHE_BASIS),
    Ceiling("aidant-proche-complete-career", frozenset({LeaveKind.AIDANT_PROCHE}), _COMPLETE,
            CountedPer.CAREER, 6, Counting.CALENDAR_MONTHS, AIDANT_PROCHE_BASIS),
    Ceiling("aidant-proche-partial-career", frozenset({LeaveKind.AIDANT_PROCHE}), _HALF_AND_FIFTH,
            CountedPer.CAREER, 12, Counting.CALENDAR_MONTHS, AIDANT_PROCHE_BASIS),
    # [S13][S15]: 51 months for the care motives, 36 for training, not cumulative (51 in all), not pro
    # rata by form. [S14]: earlier time credit without motive is deducted pro rata.
    Ceiling("time-credit-with-motive-career",
            frozenset({LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING,
                       LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE}),
            frozenset({LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH}), CountedPer.CAREER, 51,
            Counting.CALENDAR_MONTHS, TIME_CREDIT_BASIS,
            pro_rata_kinds=frozenset({LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE})),
    Ceiling("time-credit-training-career", frozenset({LeaveKind.TIME_CREDIT_TRAINING}),
            frozenset({LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH}), CountedPer.CAREER, 36,
            Counting.CALENDAR_MONTHS, TIME_CREDIT_BASIS),
    # [S19][S20]: until the pension.
    Ceiling("end-of-career-until-pension", frozenset({LeaveKind.END_OF_CAREER}), _HALF_AND_FIFTH,
            CountedPer.CAREER, None, Counting.CALENDAR_MONTHS, END_OF_CAREER_BASIS),
    # [S21]: 60 months complete and 60 months partial over the career, separate capitals.
    Ceiling("public-sector-complete-career", frozenset({LeaveKind.PUBLIC_SECTOR_CAREER_BREAK}), _COMPLETE,
            CountedPer.CAREER, 60, Counting.CALENDAR_MONTHS, PUBLIC_SECTOR_BASIS),
    Ceiling("public-sector-partial-career", frozenset({LeaveKind.PUBLIC_SECTOR_CAREER_BREAK}),
            _HALF_AND_FIFTH, CountedPer.CAREER, 60, Counting.CALENDAR_MONTHS, PUBLIC_SECTOR_BASIS),
)


def ceilings_for(kind: LeaveKind, form: LeaveForm) -> list[Ceiling]:
    """Every maximum a period of this kind and form counts against."""
    return [ceiling for ceiling in CEILINGS if ceiling.covers(kind, form)]


@dataclass(frozen=True)
class TakenPeriod:
    """A period of leave in a person's history (taken, running, or granted).

    `subject_id` names the child, patient or person helped (any stable identifier the service keeps);
    it is None for the kinds counted over the career, and for past periods whose person is not yet known.
    """

    kind: LeaveKind
    form: LeaveForm
    start: date
    end: date
    subject_id: str | None = None


def months_counted(period: TakenPeriod, ceiling: Ceiling) -> Fraction:
    """How many months of `ceiling` a period uses: the conversion between forms lives here."""
    rule = period_rule(period.kind, period.form)
    if rule is not None and is_in_weeks(rule, period.start, period.end):
        calendar_months = Fraction(length_in_days(period.start, period.end) // 7, WEEKS_PER_MONTH)
    else:
        calendar_months = period_length(period.start, period.end).as_months()
    if ceiling.counting is Counting.COMPLETE_EQUIVALENT or period.kind in ceiling.pro_rata_kinds:
        return calendar_months * period.form.interrupted_fraction
    return calendar_months


def periods_counted(history: Iterable[TakenPeriod], ceiling: Ceiling,
                    subject_id: str | None) -> list[TakenPeriod]:
    """The periods of `history` that count against `ceiling` for this subject (any subject for a career)."""
    return [
        period for period in history
        if ceiling.covers(period.kind, period.form)
        and (ceiling.counted_per is CountedPer.CAREER or period.subject_id == subject_id)
    ]


def months_taken(history: Iterable[TakenPeriod], ceiling: Ceiling, subject_id: str | None) -> Fraction:
    return sum((months_counted(period, ceiling) for period in periods_counted(history, ceiling, subject_id)),
               Fraction(0))


# ---------------------------------------------------------------------------------------------------
# Age limits


PARENTAL_CHILD_AGE_LIMIT = 12  # [S5]: before the child's 12th birthday (adoption too)
DISABLED_CHILD_AGE_LIMIT = 21  # [S5][S13]: 21 for a disabled child
TIME_CREDIT_CHILD_AGE_LIMIT = 8  # [S13]: own child under 8
MINOR_CHILD_AGE_LIMIT = 18  # [S13]: a seriously ill minor child

END_OF_CAREER_AGE = 60  # [S19][S20]
END_OF_CAREER_EXCEPTION_AGE = 55  # [S19][S20]: in exception cases

# [S20] (CCT 103/7, in force 1.1.2026): years of career needed, women / men: 26 / 31 in 2026, rising every
# year to 30 / 35 in 2030 [DERIVED: one year more each year]. Not known before 2026.
END_OF_CAREER_YEARS: Mapping[int, Mapping[Sex, int]] = {
    2026: {Sex.FEMALE: 26, Sex.MALE: 31},
    2027: {Sex.FEMALE: 27, Sex.MALE: 32},
    2028: {Sex.FEMALE: 28, Sex.MALE: 33},
    2029: {Sex.FEMALE: 29, Sex.MALE: 34},
    2030: {Sex.FEMALE: 30, Sex.MALE: 35},
}


def end_of_career_years_needed(year: int, sex: Sex) -> int | None:
    """The years of career needed for an end-of-career time credit starting in `year`, or None if unknown."""
    if year < min(END_OF_CAREER_YEARS):
        return None
    return END_OF_CAREER_YEARS[min(year, max(END_OF_CAREER_YEARS))][sex]


def child_age_limit(kind: LeaveKind, *, child_is_disabled: bool = False,
                    care_motive: CareMotive | None = None) -> int | None:
    """The age before which the leave must start, for the kinds that are taken for a child."""
    if kind is LeaveKind.PARENTAL:
        return DISABLED_CHILD_AGE_LIMIT if child_is_disabled else PARENTAL_CHILD_AGE_LIMIT
    if kind is LeaveKind.TIME_CREDIT_CARE:
        return {
            CareMotive.CHILD_UNDER_8: TIME_CREDIT_CHILD_AGE_LIMIT,
            CareMotive.DISABLED_CHILD_UNDER_21: DISABLED_CHILD_AGE_LIMIT,
            CareMotive.SERIOUSLY_ILL_MINOR_CHILD: MINOR_CHILD_AGE_LIMIT,
        }.get(care_motive)
    return None


# ---------------------------------------------------------------------------------------------------
# Checking a requested period


class ProblemCode(str, enum.Enum):
    END_BEFORE_START = "fin-avant-debut"
    FORM_NOT_OFFERED = "forme-non-prevue"  # kind, form
    NOT_IN_FORCE = "pas-en-vigueur"  # in_force_from or in_force_until
    MISSING_INFORMATION = "information-manquante"  # what
    NOT_IN_BLOCKS = "pas-par-blocs"  # block_months, length
    TOO_SHORT = "trop-court"  # minimum_months, length
    TOO_LONG = "trop-long"  # maximum_months, length
    WEEKS_NEED_EMPLOYER_AGREEMENT = "semaines-accord-employeur"  # weeks
    EMPLOYER_AGREEMENT_REQUIRED = "accord-employeur-requis"
    WORK_REGIME_TOO_LOW = "regime-de-travail-insuffisant"  # minimum_work_regime, work_regime
    CEILING_EXCEEDED = "maximum-depasse"  # ceiling, counted_per, maximum, taken, requested, available
    BEFORE_CHILD_ARRIVAL = "avant-arrivee-enfant"  # arrival
    CHILD_TOO_OLD = "enfant-trop-age"  # age_limit, birthday
    WORKER_TOO_YOUNG = "travailleur-trop-jeune"  # minimum_age, birthday
    CAREER_TOO_SHORT = "carriere-trop-courte"  # required_years, career_years
    OVERLAPS = "chevauchement"  # other_start, other_end


ProblemValue = int | str | date | Fraction | MonthsAndDays


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: a code and the values its message needs."""

    code: ProblemCode
    values: Mapping[str, ProblemValue] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestContext:
    """What the checks need beyond the kind, form and dates; unknown values are None."""

    subject_id: str | None = None  # the child, patient or person helped
    child_birth_date: date | None = None
    child_adoption_date: date | None = None  # registration in the household, for an adopted child
    child_is_disabled: bool = False
    care_motive: CareMotive | None = None  # time credit for a care motive
    worker_birth_date: date | None = None
    worker_sex: Sex | None = None
    career_years: int | None = None
    end_of_career_exception: bool = False  # the cases where the right starts at 55 [S19][S20]
    employer_agreement: bool = False
    work_regime: Fraction | None = None  # 1 = full-time, 3/4, ...
    lives_alone_with_seriously_ill_child: bool = False  # medical assistance doubled [S9]
    history: Sequence[TakenPeriod] = ()  # what was already taken, without the request itself


def check_requested_period(kind: LeaveKind, form: LeaveForm, start: date, end: date,
                           context: RequestContext = RequestContext()) -> list[Problem]:
    """The problems of a requested period, in the order a reader meets them; empty when it is fine."""
    if end < start:
        return [Problem(ProblemCode.END_BEFORE_START)]
    rule = period_rule(kind, form)
    if rule is None:
        return [Problem(ProblemCode.FORM_NOT_OFFERED, {"kind": kind.value, "form": form.value})]
    problems = _in_force(rule, start)
    problems += _shape(rule, start, end, context)
    problems += _work_regime(rule, context)
    problems += _child(kind, start, context)
    problems += _worker(kind, start, context)
    problems += _ceilings(kind, form, start, end, context)
    problems += _overlaps(kind, start, end, context)
    return problems


def _in_force(rule: PeriodRule, start: date) -> list[Problem]:
    if rule.in_force_from is not None and start < rule.in_force_from:
        return [Problem(ProblemCode.NOT_IN_FORCE, {"in_force_from": rule.in_force_from})]
    if rule.in_force_until is not None and start > rule.in_force_until:
        return [Problem(ProblemCode.NOT_IN_FORCE, {"in_force_until": rule.in_force_until})]
    return []


def _shape(rule: PeriodRule, start: date, end: date, context: RequestContext) -> list[Problem]:
    length = period_length(start, end)
    if is_in_weeks(rule, start, end):
        if not context.employer_agreement:
            weeks = length_in_days(start, end) // 7
            return [Problem(ProblemCode.WEEKS_NEED_EMPLOYER_AGREEMENT, {"weeks": weeks})]
        return []

    problems = []
    block = rule.block_months
    if block is not None and context.employer_agreement and rule.block_months_with_agreement is not None:
        block = rule.block_months_with_agreement
    if block is not None and (length.days != 0 or length.months % block != 0):
        problems.append(Problem(ProblemCode.NOT_IN_BLOCKS, {"block_months": block, "length": length}))

    minimum, maximum = rule.minimum_months, rule.maximum_months
    if rule.kind is LeaveKind.TIME_CREDIT_CARE and context.care_motive in TIME_CREDIT_CARE_PERIODS:
        minimum, maximum = TIME_CREDIT_CARE_PERIODS[context.care_motive]
    if minimum is not None and length < MonthsAndDays(minimum):
        problems.append(Problem(ProblemCode.TOO_SHORT, {"minimum_months": minimum, "length": length}))
    if maximum is not None and length > MonthsAndDays(maximum):
        problems.append(Problem(ProblemCode.TOO_LONG, {"maximum_months": maximum, "length": length}))
    return problems


def _work_regime(rule: PeriodRule, context: RequestContext) -> list[Problem]:
    problems = []
    if rule.employer_agreement_required and not context.employer_agreement:
        problems.append(Problem(ProblemCode.EMPLOYER_AGREEMENT_REQUIRED))
    minimum = rule.minimum_work_regime
    if minimum is not None and context.work_regime is not None and context.work_regime < minimum:
        problems.append(Problem(ProblemCode.WORK_REGIME_TOO_LOW,
                                {"minimum_work_regime": minimum, "work_regime": context.work_regime}))
    return problems


def _child(kind: LeaveKind, start: date, context: RequestContext) -> list[Problem]:
    age_limit = child_age_limit(kind, child_is_disabled=context.child_is_disabled,
                                care_motive=context.care_motive)
    if age_limit is None:
        return []
    if context.child_birth_date is None:
        return [Problem(ProblemCode.MISSING_INFORMATION, {"what": "child_birth_date"})]
    problems = []
    arrival = max(context.child_birth_date, context.child_adoption_date or context.child_birth_date)
    if kind is LeaveKind.PARENTAL and start < arrival:
        # [S6 family, droitsquotidiens.be]: not before the birth, nor before an adopted child is
        # registered in the household.
        problems.append(Problem(ProblemCode.BEFORE_CHILD_ARRIVAL, {"arrival": arrival}))
    limit_reached = birthday(context.child_birth_date, age_limit)
    if start >= limit_reached:
        # The child must be under the limit when the leave starts; it may reach it during the leave.
        problems.append(Problem(ProblemCode.CHILD_TOO_OLD,
                                {"age_limit": age_limit, "birthday": limit_reached}))
    return problems


def _worker(kind: LeaveKind, start: date, context: RequestContext) -> list[Problem]:
    if kind is not LeaveKind.END_OF_CAREER:
        return []
    if context.worker_birth_date is None:
        return [Problem(ProblemCode.MISSING_INFORMATION, {"what": "worker_birth_date"})]
    problems = []
    minimum_age = END_OF_CAREER_EXCEPTION_AGE if context.end_of_career_exception else END_OF_CAREER_AGE
    reached = birthday(context.worker_birth_date, minimum_age)
    if start < reached:
        problems.append(Problem(ProblemCode.WORKER_TOO_YOUNG,
                                {"minimum_age": minimum_age, "birthday": reached}))
    if context.worker_sex is not None and context.career_years is not None:
        required = end_of_career_years_needed(start.year, context.worker_sex)
        if required is not None and context.career_years < required:
            problems.append(Problem(ProblemCode.CAREER_TOO_SHORT,
                                    {"required_years": required, "career_years": context.career_years}))
    return problems


def _ceilings(kind: LeaveKind, form: LeaveForm, start: date, end: date,
              context: RequestContext) -> list[Problem]:
    ceilings = ceilings_for(kind, form)
    if context.subject_id is None and any(c.counted_per is not CountedPer.CAREER for c in ceilings):
        return [Problem(ProblemCode.MISSING_INFORMATION, {"what": "subject_id"})]
    problems = []
    requested = TakenPeriod(kind, form, start, end, context.subject_id)
    for ceiling in ceilings:
        maximum = ceiling.months_for(doubled=context.lives_alone_with_seriously_ill_child)
        if maximum is None:
            continue
        taken = months_taken(context.history, ceiling, context.subject_id)
        asked = months_counted(requested, ceiling)
        available = max(maximum - taken, Fraction(0))
        if taken + asked > maximum:
            problems.append(Problem(ProblemCode.CEILING_EXCEEDED, {
                "ceiling": ceiling.key,
                "counted_per": ceiling.counted_per.value,
                "maximum": MonthsAndDays.from_months(ceiling.in_form(Fraction(maximum), form)),
                "taken": MonthsAndDays.from_months(ceiling.in_form(taken, form)),
                "requested": MonthsAndDays.from_months(ceiling.in_form(asked, form)),
                "available": MonthsAndDays.from_months(ceiling.in_form(available, form)),
            }))
    return problems


def _overlaps(kind: LeaveKind, start: date, end: date, context: RequestContext) -> list[Problem]:
    return [
        Problem(ProblemCode.OVERLAPS, {"other_start": period.start, "other_end": period.end})
        for period in context.history
        if period.kind is kind and period.subject_id == context.subject_id
        and period.start <= end and start <= period.end
    ]


# ---------------------------------------------------------------------------------------------------
# Documents


class DocumentType(str, enum.Enum):
    """The documents a request can carry (guide 000, domain.md §0 and §2.5)."""

    MEDICAL_CERTIFICATE = "attestation-medicale"
    BIRTH_CERTIFICATE = "acte-de-naissance"
    COURT_JUDGMENT = "jugement"
    HOUSEHOLD_COMPOSITION = "composition-de-menage"
    PROOF_OF_TRAINING = "preuve-de-formation"
    PROOF_OF_MOTIVE = "preuve-du-motif"
    COMPANY_CCT = "cct-entreprise"
    OTHER = "autre"


@dataclass(frozen=True)
class DocumentRequirement:
    document: DocumentType
    mandatory: bool


_MANDATORY_MEDICAL_CERTIFICATE = DocumentRequirement(DocumentType.MEDICAL_CERTIFICATE, True)
_HOUSEHOLD = DocumentRequirement(DocumentType.HOUSEHOLD_COMPOSITION, False)  # for the single-parent increase
_COMPANY_CCT = DocumentRequirement(DocumentType.COMPANY_CCT, False)
_OTHER = DocumentRequirement(DocumentType.OTHER, False)

# [S32b]: for time credit with motive, medical assistance or palliative leave, the proof of the motive or
# the doctor's certificate must be uploaded. Guide 000: "Attestation médicale *"; the documents it names
# (birth certificate, judgment, household composition, company CCT) are optional otherwise.
_DOCUMENTS: Mapping[LeaveKind, tuple[DocumentRequirement, ...]] = {
    LeaveKind.PARENTAL: (DocumentRequirement(DocumentType.BIRTH_CERTIFICATE, False),
                         DocumentRequirement(DocumentType.COURT_JUDGMENT, False), _HOUSEHOLD),
    LeaveKind.MEDICAL_ASSISTANCE: (_MANDATORY_MEDICAL_CERTIFICATE, _HOUSEHOLD),
    LeaveKind.PALLIATIVE_CARE: (_MANDATORY_MEDICAL_CERTIFICATE, _HOUSEHOLD),
    LeaveKind.AIDANT_PROCHE: (_HOUSEHOLD,),
    LeaveKind.TIME_CREDIT_TRAINING: (DocumentRequirement(DocumentType.PROOF_OF_TRAINING, True), _COMPANY_CCT),
    LeaveKind.END_OF_CAREER: (_COMPANY_CCT,),
    LeaveKind.PUBLIC_SECTOR_CAREER_BREAK: (),
    LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE: (),
}

_CARE_MOTIVE_PROOF: Mapping[CareMotive, DocumentRequirement] = {
    CareMotive.CHILD_UNDER_8: DocumentRequirement(DocumentType.BIRTH_CERTIFICATE, True),
    CareMotive.PALLIATIVE_CARE: _MANDATORY_MEDICAL_CERTIFICATE,
    CareMotive.SERIOUSLY_ILL_RELATIVE: _MANDATORY_MEDICAL_CERTIFICATE,
    CareMotive.DISABLED_CHILD_UNDER_21: _MANDATORY_MEDICAL_CERTIFICATE,
    CareMotive.SERIOUSLY_ILL_MINOR_CHILD: _MANDATORY_MEDICAL_CERTIFICATE,
}


def documents_needed(kind: LeaveKind, care_motive: CareMotive | None = None) -> list[DocumentRequirement]:
    """The checklist of a request: mandatory documents first, "other" (optional) last."""
    if kind is LeaveKind.TIME_CREDIT_CARE:
        proof = _CARE_MOTIVE_PROOF.get(care_motive, DocumentRequirement(DocumentType.PROOF_OF_MOTIVE, True))
        documents = (proof, _COMPANY_CCT)
    else:
        documents = _DOCUMENTS[kind]
    return sorted(documents, key=lambda requirement: not requirement.mandatory) + [_OTHER]


def has_mandatory_document(kind: LeaveKind, care_motive: CareMotive | None = None) -> bool:
    """Guide 000: when no document is mandatory, an optional one can only be added right after confirming."""
    return any(requirement.mandatory for requirement in documents_needed(kind, care_motive))
