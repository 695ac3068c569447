"""Interruption allowances of the ONEM: dated rate tables and the indicative amount (domain.md §2.3).

The amounts are flat monthly amounts tied to the health index, so they are data: one dated row per
kind of table, form and category (`AllowanceRate`). An operator adds a row when the ONEM publishes new
figures; a lookup returns the row in force on a date, and the page names that row's date. When no row
is known, the answer says so (`NoRateKnown`) rather than guessing.

The ONEM tables for 2024, 2025 and 2026 were not found [§2.3, NOT FOUND]: the rows below are the latest
figures of domain.md, each with its source key.

Each allowance also names its legal basis as domain.md gives it (`allowance_basis`,
`single_parent_increase_basis`): an AR with its date, or plainly none when the sources cite none.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from app.rules.careerbreak import (
    DISABLED_CHILD_AGE_LIMIT,
    MINOR_CHILD_AGE_LIMIT,
    NO_LEGAL_TEXT_CITED,
    PARENTAL_BASIS,
    PARENTAL_CHILD_AGE_LIMIT,
    LeaveForm,
    LeaveKind,
    LegalBasis,
    birthday,
)

CENT = Decimal("0.01")


class RateKind(str, enum.Enum):
    """Which table of the ONEM a kind of leave is paid from."""

    THEMATIC_LEAVE = "conges-thematiques"  # parental, medical assistance, palliative care, aidant proche
    TIME_CREDIT_WITH_MOTIVE = "credit-temps-avec-motif"


def rate_kind_of(kind: LeaveKind) -> RateKind | None:
    """The table a kind of leave is paid from, or None when no table is known here."""
    if kind in (LeaveKind.PARENTAL, LeaveKind.MEDICAL_ASSISTANCE, LeaveKind.PALLIATIVE_CARE,
                LeaveKind.AIDANT_PROCHE):
        return RateKind.THEMATIC_LEAVE
    if kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING):
        return RateKind.TIME_CREDIT_WITH_MOTIVE
    return None  # end of career, public sector: no figures in domain.md


class Household(str, enum.Enum):
    """[S24]: a cohabitant lives with other adults; isolé (alleenwonend) lives alone, or alone with
    dependent children."""

    COHABITANT = "cohabitant"
    SINGLE = "isole"


class AllowanceCategory(str, enum.Enum):
    # Thematic leaves [S23]: the base amount, and the increased amount of the single parent.
    BASE = "base"
    SINGLE_PARENT = "parent-isole"
    # Time credit with motive [S24]: by seniority with the employer; half-time nets also by household
    # and age (under 50 / 50 and over).
    UNDER_5_YEARS = "moins-5-ans"
    FROM_5_YEARS = "5-ans-et-plus"
    UNDER_5_YEARS_COHABITANT_UNDER_50 = "moins-5-ans-cohabitant-moins-50-ans"
    UNDER_5_YEARS_SINGLE_UNDER_50 = "moins-5-ans-isole-moins-50-ans"
    UNDER_5_YEARS_COHABITANT_FROM_50 = "moins-5-ans-cohabitant-50-ans-et-plus"
    UNDER_5_YEARS_SINGLE_FROM_50 = "moins-5-ans-isole-50-ans-et-plus"
    FROM_5_YEARS_COHABITANT_UNDER_50 = "5-ans-et-plus-cohabitant-moins-50-ans"
    FROM_5_YEARS_SINGLE_UNDER_50 = "5-ans-et-plus-isole-moins-50-ans"
    FROM_5_YEARS_COHABITANT_FROM_50 = "5-ans-et-plus-cohabitant-50-ans-et-plus"
    FROM_5_YEARS_SINGLE_FROM_50 = "5-ans-et-plus-isole-50-ans-et-plus"


@dataclass(frozen=True)
class AllowanceRate:
    """One dated row: the gross and net monthly amounts (euros, full-time base) from `valid_from`.

    Either amount may be None when the source gives only the other one.
    """

    kind: RateKind
    form: LeaveForm
    category: AllowanceCategory
    valid_from: date
    gross: Decimal | None
    net: Decimal | None
    source: str  # the source key in domain.md


def _row(kind: RateKind, form: LeaveForm, category: AllowanceCategory, valid_from: date,
         gross: str | None, net: str | None, source: str) -> AllowanceRate:
    return AllowanceRate(kind, form, category, valid_from, None if gross is None else Decimal(gross),
                         None if net is None else Decimal(net), source)


# Short names so that each row reads as one line of the published table.
_T, _C = RateKind.THEMATIC_LEAVE, RateKind.TIME_CREDIT_WITH_MOTIVE
_A = AllowanceCategory

ALLOWANCE_RATES: tuple[AllowanceRate, ...] = (
    # Thematic leaves, private sector, index 01/12/2022 [S23], single-parent increase from 01/07/2023 [S23].
    _row(_T, LeaveForm.COMPLETE, _A.BASE, date(2022, 12, 1), "978.24", "879.15", "S23"),
    _row(_T, LeaveForm.HALF_TIME, _A.BASE, date(2022, 12, 1), "489.11", "405.23", "S23"),
    _row(_T, LeaveForm.COMPLETE, _A.SINGLE_PARENT, date(2023, 7, 1), "1666.57", "1497.75", "S23"),
    _row(_T, LeaveForm.HALF_TIME, _A.SINGLE_PARENT, date(2023, 7, 1), "833.29", "690.39", "S23"),
    # From 01/11/2023 (index +2 %), net amounts only, published by a job site [S25]. The gross amounts
    # are not published (≈ 997,80 for complete is DERIVED, hence not stored).
    _row(_T, LeaveForm.COMPLETE, _A.BASE, date(2023, 11, 1), None, "896.73", "S25"),
    _row(_T, LeaveForm.HALF_TIME, _A.BASE, date(2023, 11, 1), None, "413.34", "S25"),
    _row(_T, LeaveForm.ONE_FIFTH, _A.BASE, date(2023, 11, 1), None, "140.23", "S25"),
    _row(_T, LeaveForm.ONE_TENTH, _A.BASE, date(2023, 11, 1), None, "70.11", "S25"),
    _row(_T, LeaveForm.COMPLETE, _A.SINGLE_PARENT, date(2023, 11, 1), None, "1527.70", "S25"),
    # Time credit with motive, private sector, index 01/09/2021 [S24] (half-time: under 50 only).
    _row(_C, LeaveForm.COMPLETE, _A.UNDER_5_YEARS, date(2021, 9, 1), "531.08", "477.29", "S24"),
    _row(_C, LeaveForm.COMPLETE, _A.FROM_5_YEARS, date(2021, 9, 1), "619.59", "556.83", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.UNDER_5_YEARS_COHABITANT_UNDER_50, date(2021, 9, 1), "265.53", "185.88", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.UNDER_5_YEARS_SINGLE_UNDER_50, date(2021, 9, 1), "265.53", "220.00", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.FROM_5_YEARS_COHABITANT_UNDER_50, date(2021, 9, 1), "309.79", "216.86", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.FROM_5_YEARS_SINGLE_UNDER_50, date(2021, 9, 1), "309.79", "256.67", "S24"),
    # Time credit with motive, private sector, index 01/05/2022 [S24].
    _row(_C, LeaveForm.COMPLETE, _A.UNDER_5_YEARS, date(2022, 5, 1), "563.59", "506.50", "S24"),
    _row(_C, LeaveForm.COMPLETE, _A.FROM_5_YEARS, date(2022, 5, 1), "657.53", "590.93", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.UNDER_5_YEARS_COHABITANT_UNDER_50, date(2022, 5, 1), "281.79", "197.26", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.UNDER_5_YEARS_SINGLE_UNDER_50, date(2022, 5, 1), "281.79", "233.47", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.UNDER_5_YEARS_COHABITANT_FROM_50, date(2022, 5, 1), "281.79", "183.17", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.UNDER_5_YEARS_SINGLE_FROM_50, date(2022, 5, 1), "281.79", "233.47", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.FROM_5_YEARS_COHABITANT_UNDER_50, date(2022, 5, 1), "328.76", "230.14", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.FROM_5_YEARS_SINGLE_UNDER_50, date(2022, 5, 1), "328.76", "272.38", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.FROM_5_YEARS_COHABITANT_FROM_50, date(2022, 5, 1), "328.76", "213.70", "S24"),
    _row(_C, LeaveForm.HALF_TIME, _A.FROM_5_YEARS_SINGLE_FROM_50, date(2022, 5, 1), "328.76", "272.38", "S24"),
    # The 1/5 time credit and every 2024-2026 figure: NOT FOUND (§2.3, §9).
)


# ---------------------------------------------------------------------------------------------------
# Withholding tax: net = gross − withholding [S24]


WITHHOLDING_COMPLETE = Decimal("0.1013")  # [S24] complete interruption
WITHHOLDING_PARTIAL_COHABITANT = Decimal("0.30")  # [S24] partial interruption, cohabitant
WITHHOLDING_PARTIAL_SINGLE = Decimal("0.1715")  # [S24] partial interruption, single worker


def withholding_rate(form: LeaveForm, household: Household | None) -> Decimal | None:
    """The withholding rate of a form, or None for a partial form when the household is not known."""
    if form is LeaveForm.COMPLETE:
        return WITHHOLDING_COMPLETE
    if household is None:
        return None
    return WITHHOLDING_PARTIAL_SINGLE if household is Household.SINGLE else WITHHOLDING_PARTIAL_COHABITANT


def net_from_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The net amount, the withholding being cut to the cent below.

    [DERIVED]: cutting (not rounding) the withholding reproduces every gross/net pair of §2.3, e.g.
    978,24 − 99,09 = 879,15 and 833,29 − 142,90 = 690,39.
    """
    return gross - (gross * rate).quantize(CENT, rounding=ROUND_DOWN)


# ---------------------------------------------------------------------------------------------------
# Categories and the single-parent increase


def single_parent_increase_applies(kind: LeaveKind, *, lives_only_with_dependent_children: bool,
                                   child_birth_date: date | None, on: date,
                                   child_is_disabled: bool = False) -> bool:
    """The increased amount of the travailleur isolé, thematic leaves [S23][S27].

    The worker lives exclusively with one or more dependent children and is their first-degree parent
    (or brings them up); the child is under 12 for parental leave, under 18 for the other thematic
    leaves, under 21 if disabled, on the day looked at.
    """
    if rate_kind_of(kind) is not RateKind.THEMATIC_LEAVE or not lives_only_with_dependent_children:
        return False
    if child_birth_date is None:
        return False
    if child_is_disabled:
        age_limit = DISABLED_CHILD_AGE_LIMIT
    elif kind is LeaveKind.PARENTAL:
        age_limit = PARENTAL_CHILD_AGE_LIMIT
    else:
        age_limit = MINOR_CHILD_AGE_LIMIT
    return child_birth_date <= on < birthday(child_birth_date, age_limit)


_TIME_CREDIT_HALF_TIME = {
    # (5 years or more, single, 50 or over) → category
    (False, False, False): AllowanceCategory.UNDER_5_YEARS_COHABITANT_UNDER_50,
    (False, True, False): AllowanceCategory.UNDER_5_YEARS_SINGLE_UNDER_50,
    (False, False, True): AllowanceCategory.UNDER_5_YEARS_COHABITANT_FROM_50,
    (False, True, True): AllowanceCategory.UNDER_5_YEARS_SINGLE_FROM_50,
    (True, False, False): AllowanceCategory.FROM_5_YEARS_COHABITANT_UNDER_50,
    (True, True, False): AllowanceCategory.FROM_5_YEARS_SINGLE_UNDER_50,
    (True, False, True): AllowanceCategory.FROM_5_YEARS_COHABITANT_FROM_50,
    (True, True, True): AllowanceCategory.FROM_5_YEARS_SINGLE_FROM_50,
}

SENIORITY_THRESHOLD_YEARS = 5  # [S24]: < 5 years / ≥ 5 years with the employer
AGE_THRESHOLD = 50  # [S24]: half-time nets under 50 / 50 and over


def allowance_category(kind: LeaveKind, form: LeaveForm, *, single_parent: bool = False,
                       seniority_years: int | None = None, household: Household | None = None,
                       worker_age: int | None = None) -> AllowanceCategory | None:
    """The category of the table to read, or None when an input it depends on is missing."""
    rate_kind = rate_kind_of(kind)
    if rate_kind is RateKind.THEMATIC_LEAVE:
        return AllowanceCategory.SINGLE_PARENT if single_parent else AllowanceCategory.BASE
    if rate_kind is not RateKind.TIME_CREDIT_WITH_MOTIVE or seniority_years is None:
        return None
    senior = seniority_years >= SENIORITY_THRESHOLD_YEARS
    if form is not LeaveForm.HALF_TIME:
        return AllowanceCategory.FROM_5_YEARS if senior else AllowanceCategory.UNDER_5_YEARS
    if household is None or worker_age is None:
        return None
    return _TIME_CREDIT_HALF_TIME[(senior, household is Household.SINGLE, worker_age >= AGE_THRESHOLD)]


# ---------------------------------------------------------------------------------------------------
# Legal bases of the allowances, as domain.md gives them


# §2.1 [S14b][S20]: the right to the ONEM's allowance of the time credit (the page of the time credit with
# motive is [S14b]; [S20] is the end of career's, which has no table here).
TIME_CREDIT_ALLOWANCE_BASIS = LegalBasis(
    "AR du 12.12.2001 (droit aux allocations de l'ONEM), modifié par l'AR du 26.01.2023 "
    "(en vigueur le 01.02.2023)", ("S14b",))
# §2.1: the parental leave's own AR; its amounts are on the ONEM's page [S23], its paid months in [S5].
PARENTAL_ALLOWANCE_BASIS = LegalBasis(PARENTAL_BASIS.text, ("S5",))
# Medical assistance, palliative care, caregiver leave: domain.md names no legal text for their allowance,
# only the ONEM's page of amounts [S23].
THEMATIC_ALLOWANCE_BASIS = LegalBasis(NO_LEGAL_TEXT_CITED, ("S23",))
# §2.3.1 [S27]: the 1/5 time credit, whatever its motive, is increased for a worker living only with
# dependent children. Its amounts were not found (§2.3.2), so no row or category carries it.
TIME_CREDIT_SINGLE_PARENT_BASIS = LegalBasis(
    "AR du 31.08.2021 (montant majoré du crédit-temps à 1/5, en vigueur le 01.07.2021)", ("S27",))
TIME_CREDIT_SINGLE_PARENT_FROM = date(2021, 7, 1)
# [S24] publishes the withholding rates; domain.md names no legal text for them.
WITHHOLDING_BASIS = LegalBasis(NO_LEGAL_TEXT_CITED, ("S24",))


def allowance_basis(kind: LeaveKind) -> LegalBasis | None:
    """The legal basis of the allowance of a kind of leave, or None when no table is known here."""
    rate_kind = rate_kind_of(kind)
    if rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE:
        return TIME_CREDIT_ALLOWANCE_BASIS
    if kind is LeaveKind.PARENTAL:
        return PARENTAL_ALLOWANCE_BASIS
    if rate_kind is RateKind.THEMATIC_LEAVE:
        return THEMATIC_ALLOWANCE_BASIS
    return None


def single_parent_increase_basis(kind: LeaveKind, form: LeaveForm) -> LegalBasis | None:
    """The legal basis of the single parent's increase for a kind and form, or None when there is none:
    every form of the thematic leaves [S23], the 1/5 form of the time credit with motive [S27]."""
    rate_kind = rate_kind_of(kind)
    if rate_kind is RateKind.THEMATIC_LEAVE:
        return allowance_basis(kind)
    if rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE and form is LeaveForm.ONE_FIFTH:
        return TIME_CREDIT_SINGLE_PARENT_BASIS
    return None


# ---------------------------------------------------------------------------------------------------
# Lookups


class NoRateReason(str, enum.Enum):
    NO_TABLE_FOR_KIND = "pas-de-bareme"  # end of career, public sector: no figures known here
    MISSING_INFORMATION = "information-manquante"  # seniority, household or age not given
    NO_ROW = "aucun-montant-connu"  # no row for this form and category on that date


@dataclass(frozen=True)
class NoRateKnown:
    """No amount is known for this request: the page says so instead of showing a guess."""

    kind: LeaveKind | RateKind
    form: LeaveForm
    on: date
    reason: NoRateReason
    category: AllowanceCategory | None = None


def rate_in_force(kind: RateKind, form: LeaveForm, category: AllowanceCategory, on: date,
                  rates: Sequence[AllowanceRate] = ALLOWANCE_RATES) -> AllowanceRate | NoRateKnown:
    """The row in force on `on`: the latest one of this kind, form and category from on or before it."""
    candidates = [
        rate for rate in rates
        if rate.kind is kind and rate.form is form and rate.category is category and rate.valid_from <= on
    ]
    if not candidates:
        return NoRateKnown(kind, form, on, NoRateReason.NO_ROW, category)
    return max(candidates, key=lambda rate: rate.valid_from)


@dataclass(frozen=True)
class AllowanceEstimate:
    """The indicative monthly allowance and how it was obtained (the page shows its working)."""

    rate: AllowanceRate  # the dated row used; the page names rate.valid_from
    gross: Decimal | None
    net: Decimal | None
    withholding_rate: Decimal | None  # set when the net was derived from the gross
    work_regime: Fraction  # the complete-interruption amount is prorated to a part-time job [S23]

    @property
    def valid_from(self) -> date:
        return self.rate.valid_from


def indicative_allowance(kind: LeaveKind, form: LeaveForm, on: date, *, single_parent: bool = False,
                         seniority_years: int | None = None, household: Household | None = None,
                         worker_age: int | None = None, work_regime: Fraction = Fraction(1),
                         rates: Sequence[AllowanceRate] = ALLOWANCE_RATES) -> AllowanceEstimate | NoRateKnown:
    """The indicative gross and net monthly allowance for a kind and form on a date.

    `single_parent` says the increase applies (see single_parent_increase_applies). `work_regime` is the
    worker's regime before a complete interruption (1 = full-time).
    """
    rate_kind = rate_kind_of(kind)
    if rate_kind is None:
        return NoRateKnown(kind, form, on, NoRateReason.NO_TABLE_FOR_KIND)
    category = allowance_category(kind, form, single_parent=single_parent, seniority_years=seniority_years,
                                  household=household, worker_age=worker_age)
    if category is None:
        return NoRateKnown(kind, form, on, NoRateReason.MISSING_INFORMATION)
    rate = rate_in_force(rate_kind, form, category, on, rates)
    if isinstance(rate, NoRateKnown):
        return NoRateKnown(kind, form, on, NoRateReason.NO_ROW, category)

    gross, net, withholding = rate.gross, rate.net, None
    if net is None and gross is not None:
        withholding = withholding_rate(form, household)
        if withholding is not None:
            net = net_from_gross(gross, withholding)
    if form is LeaveForm.COMPLETE and work_regime != 1:
        gross, net = _prorated(gross, work_regime), _prorated(net, work_regime)
    return AllowanceEstimate(rate, gross, net, withholding, work_regime)


def _prorated(amount: Decimal | None, work_regime: Fraction) -> Decimal | None:
    if amount is None:
        return None
    share = Decimal(work_regime.numerator) / Decimal(work_regime.denominator)
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------
# Domicile


# [S28][S28c]: the allowance needs a domicile in Belgium, another EEA country or Switzerland.
# [S45b]: the EEA is the 27 EU member states plus Iceland, Liechtenstein and Norway (ISO 3166-1 alpha-2).
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
EEA_AND_SWITZERLAND = EU_MEMBER_STATES | {"IS", "LI", "NO", "CH"}


def domicile_allows_allowance(country_code: str) -> bool:
    return country_code.strip().upper() in EEA_AND_SWITZERLAND
