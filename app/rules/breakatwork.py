"""Break@work: the months and days taken and still available, from a person's history (domain.md §2.4),
and the rules one estimate of the allowance goes through (domain.md §2.3).

One `Balance` per maximum (`careerbreak.CEILINGS`) and per child, patient or person helped, or over the
career. Each balance carries its working, so the page can show it: the rule (its key and legal basis),
the maximum, each period counted with its length and what it counted for, and the result.

The estimator's `AllowanceWorking` carries its working too: the table read, the legal bases, whether the
single parent's increase applies, the category of the row, and the amount or why none is known (the
rates and their lookups are in allowances.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from app.rules.allowances import (
    ALLOWANCE_RATES,
    AllowanceCategory,
    AllowanceEstimate,
    AllowanceRate,
    Household,
    NoRateKnown,
    RateKind,
    allowance_basis,
    allowance_category,
    indicative_allowance,
    rate_kind_of,
    single_parent_increase_applies,
    single_parent_increase_basis,
)
from app.rules.careerbreak import (
    CEILINGS,
    DISABLED_CHILD_AGE_LIMIT,
    MINOR_CHILD_AGE_LIMIT,
    PARENTAL_CHILD_AGE_LIMIT,
    Ceiling,
    CountedPer,
    LeaveForm,
    LeaveKind,
    LegalBasis,
    MonthsAndDays,
    TakenPeriod,
    is_in_weeks,
    months_counted,
    period_length,
    period_rule,
    periods_counted,
)

# [S5]: parental leave is always paid for 3 months complete (6 half, 15 at 1/5, 30 at 1/10); the 4th month
# (7th-8th, 16th-20th, 31st-40th) only for a child born or adopted on or after 8 March 2012.
PARENTAL_PAID_MONTHS = 3
PARENTAL_FOURTH_MONTH_PAID_FROM = date(2012, 3, 8)


def parental_paid_months(child_arrival: date) -> int:
    """The months (complete-equivalent) of parental leave paid by the ONEM, by the child's arrival."""
    return PARENTAL_PAID_MONTHS + (1 if child_arrival >= PARENTAL_FOURTH_MONTH_PAID_FROM else 0)


@dataclass(frozen=True)
class CountedPeriod:
    """A period of the history, and what it counted for against one maximum."""

    period: TakenPeriod
    length: MonthsAndDays  # in calendar months, then days
    in_weeks: bool  # counted at 1/4 month a week (1 month = 4 weeks [S5][S6])
    months: Fraction  # what it used of the maximum, after conversion between forms


@dataclass(frozen=True)
class Balance:
    """What is taken and still available of one maximum, for one subject (None: the career, or a past
    period whose child, patient or person is not yet known)."""

    ceiling: Ceiling
    subject_id: str | None
    maximum_months: int | None  # None: until the pension
    counted: tuple[CountedPeriod, ...]
    doubled: bool = False  # medical assistance for a single parent of a seriously ill child [S9]
    paid_maximum_months: int | None = None  # parental leave: the months with an allowance [S5]

    @property
    def rule(self) -> str:
        return self.ceiling.key

    @property
    def legal_basis(self) -> LegalBasis:
        return self.ceiling.legal_basis

    @property
    def counted_per(self) -> CountedPer:
        return self.ceiling.counted_per

    @property
    def taken_months(self) -> Fraction:
        return sum((counted.months for counted in self.counted), Fraction(0))

    @property
    def available_months(self) -> Fraction | None:
        if self.maximum_months is None:
            return None
        return max(self.maximum_months - self.taken_months, Fraction(0))

    @property
    def exceeded(self) -> bool:
        return self.maximum_months is not None and self.taken_months > self.maximum_months

    @property
    def taken(self) -> MonthsAndDays:
        return MonthsAndDays.from_months(self.taken_months)

    @property
    def available(self) -> MonthsAndDays | None:
        available = self.available_months
        return None if available is None else MonthsAndDays.from_months(available)

    def taken_in(self, form: LeaveForm) -> MonthsAndDays:
        """What was taken, in months of leave at `form` (parental: 1 month complete = 5 at 1/5)."""
        return MonthsAndDays.from_months(self.ceiling.in_form(self.taken_months, form))

    def available_in(self, form: LeaveForm) -> MonthsAndDays | None:
        available = self.available_months
        return None if available is None else MonthsAndDays.from_months(self.ceiling.in_form(available, form))

    @property
    def paid_available_months(self) -> Fraction | None:
        """Parental leave: what is left of the months paid by the ONEM."""
        if self.paid_maximum_months is None:
            return None
        return max(self.paid_maximum_months - self.taken_months, Fraction(0))


def _counted_period(period: TakenPeriod, ceiling: Ceiling) -> CountedPeriod:
    rule = period_rule(period.kind, period.form)
    in_weeks = rule is not None and is_in_weeks(rule, period.start, period.end)
    length = period_length(period.start, period.end)
    return CountedPeriod(period, length, in_weeks, months_counted(period, ceiling))


def balance(ceiling: Ceiling, history: Iterable[TakenPeriod], subject_id: str | None = None, *,
            doubled: bool = False, child_arrival: date | None = None) -> Balance:
    """The balance of one maximum for one subject (the subject is ignored for a career maximum).

    `child_arrival` (birth or adoption) gives parental leave its paid months.
    """
    counted = tuple(
        _counted_period(period, ceiling)
        for period in sorted(periods_counted(history, ceiling, subject_id), key=lambda period: period.start)
    )
    doubled = doubled and ceiling.doubled_for_single_parent_of_ill_child
    paid = None
    if child_arrival is not None and LeaveKind.PARENTAL in ceiling.kinds:
        paid = parental_paid_months(child_arrival)
    return Balance(ceiling, subject_id, ceiling.months_for(doubled=doubled), counted, doubled, paid)


def balances(history: Sequence[TakenPeriod], *, children: Mapping[str, date] | None = None,
             doubled_patients: Collection[str] = ()) -> list[Balance]:
    """Every balance of a person, in the order of the maximums.

    Career maximums always appear, even when nothing was taken. Per child, patient or person helped:
    one balance for each one met in the history, and for each child of `children` (subject id → birth
    or adoption date). A new patient or person starts with `ceiling.months`.
    `doubled_patients`: the patients for whom medical assistance is doubled [S9].
    """
    children = children or {}
    result = []
    for ceiling in CEILINGS:
        if ceiling.counted_per is CountedPer.CAREER:
            result.append(balance(ceiling, history))
            continue
        subjects = {period.subject_id for period in history if ceiling.covers(period.kind, period.form)}
        if ceiling.counted_per is CountedPer.CHILD:
            subjects |= set(children)
        for subject_id in sorted(subjects, key=lambda subject: (subject is None, subject or "")):
            result.append(balance(
                ceiling, history, subject_id,
                doubled=subject_id in doubled_patients,
                child_arrival=children.get(subject_id) if subject_id is not None else None,
            ))
    return result


def balances_by_kind(all_balances: Iterable[Balance]) -> dict[LeaveKind, list[Balance]]:
    """The balances grouped as the page lists them, per kind of leave (a shared maximum, such as the
    51 months of time credit, appears under each kind it covers)."""
    all_balances = list(all_balances)
    grouped: dict[LeaveKind, list[Balance]] = {}
    for kind in LeaveKind:
        of_kind = [item for item in all_balances if kind in item.ceiling.kinds]
        if of_kind:
            grouped[kind] = of_kind
    return grouped


# ---------------------------------------------------------------------------------------------------
# The estimate of the allowance, with its working


@dataclass(frozen=True)
class AllowanceWorking:
    """One estimate and each rule it went through, so the page can show them in order."""

    rate_kind: RateKind | None  # the table read; None when no table is known for the kind
    basis: LegalBasis | None  # the allowance's legal basis; None exactly when rate_kind is None
    single_parent: bool  # the single parent's increase of the thematic leaves applies
    single_parent_basis: LegalBasis | None  # the legal basis of an increase for this kind and form, if any
    category: AllowanceCategory | None  # the row's category; None when an input it needs is missing
    result: AllowanceEstimate | NoRateKnown


def allowance_working(kind: LeaveKind, form: LeaveForm, on: date, *,
                      lives_only_with_dependent_children: bool = False, child_birth_date: date | None = None,
                      child_is_disabled: bool = False, seniority_years: int | None = None,
                      household: Household | None = None, worker_age: int | None = None,
                      work_regime: Fraction = Fraction(1),
                      rates: Sequence[AllowanceRate] = ALLOWANCE_RATES) -> AllowanceWorking:
    """The indicative monthly allowance of a kind and form on a date, and how it was obtained.

    The inputs are those of allowances.single_parent_increase_applies and indicative_allowance.
    """
    single_parent = single_parent_increase_applies(
        kind, lives_only_with_dependent_children=lives_only_with_dependent_children,
        child_birth_date=child_birth_date, on=on, child_is_disabled=child_is_disabled)
    return AllowanceWorking(
        rate_kind=rate_kind_of(kind),
        basis=allowance_basis(kind),
        single_parent=single_parent,
        single_parent_basis=single_parent_increase_basis(kind, form),
        category=allowance_category(kind, form, single_parent=single_parent, seniority_years=seniority_years,
                                    household=household, worker_age=worker_age),
        result=indicative_allowance(kind, form, on, single_parent=single_parent, seniority_years=seniority_years,
                                    household=household, worker_age=worker_age, work_regime=work_regime,
                                    rates=rates),
    )


def single_parent_child_age_limit(kind: LeaveKind, *, child_is_disabled: bool) -> int:
    """The age the youngest child must be under for the single parent's increase [S23][S27]: 21 when
    disabled, 12 for parental leave, 18 for the other thematic leaves."""
    if child_is_disabled:
        return DISABLED_CHILD_AGE_LIMIT
    if kind is LeaveKind.PARENTAL:
        return PARENTAL_CHILD_AGE_LIMIT
    return MINOR_CHILD_AGE_LIMIT


def latest_official_gross(rate: AllowanceRate,
                          rates: Sequence[AllowanceRate] = ALLOWANCE_RATES) -> AllowanceRate | None:
    """The latest row of the same table, form and category as `rate`, not later than it, that publishes a
    gross amount (a row may give only the net [S25]); None when there is none."""
    rows = [row for row in rates if row.kind is rate.kind and row.form is rate.form
            and row.category is rate.category and row.gross is not None and row.valid_from <= rate.valid_from]
    return max(rows, key=lambda row: row.valid_from, default=None)


def first_rate_date(kind: RateKind, form: LeaveForm, category: AllowanceCategory,
                    rates: Sequence[AllowanceRate] = ALLOWANCE_RATES) -> date | None:
    """The date of the oldest row known for a table, form and category; None when there is no row."""
    return min((row.valid_from for row in rates if row.kind is kind and row.form is form
                and row.category is category), default=None)
