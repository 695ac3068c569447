"""Break@work's estimator rules (app/rules/breakatwork.py): the working of one estimate, the single parent's
age limit, and the rows of the rate tables the page cites beside the one in force.

Every figure comes from domain.md §2.3; the source key is next to it. The balances are tested with the
other career-break rules, in tests/test_rules_careerbreak.py.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.allowances import (
    ALLOWANCE_RATES,
    PARENTAL_ALLOWANCE_BASIS,
    THEMATIC_ALLOWANCE_BASIS,
    TIME_CREDIT_ALLOWANCE_BASIS,
    TIME_CREDIT_SINGLE_PARENT_BASIS,
    AllowanceCategory,
    AllowanceEstimate,
    AllowanceRate,
    Household,
    NoRateKnown,
    NoRateReason,
    RateKind,
    indicative_allowance,
    rate_in_force,
    rate_kind_of,
    single_parent_increase_applies,
)
from app.rules.breakatwork import (
    allowance_working,
    first_rate_date,
    latest_official_gross,
    single_parent_child_age_limit,
)
from app.rules.careerbreak import LeaveForm, LeaveKind, birthday

COMPLETE, HALF, FIFTH, TENTH = LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH, LeaveForm.ONE_TENTH
THEMATIC_KINDS = [kind for kind in LeaveKind if rate_kind_of(kind) is RateKind.THEMATIC_LEAVE]


def row(kind: RateKind, form: LeaveForm, category: AllowanceCategory, valid_from: date) -> AllowanceRate:
    """The row of ALLOWANCE_RATES with these keys."""
    return next(rate for rate in ALLOWANCE_RATES if (rate.kind, rate.form, rate.category, rate.valid_from)
                == (kind, form, category, valid_from))


# --- the working of one estimate ---------------------------------------------------------------------------


def test_a_single_parent_on_parental_leave_reads_the_increased_row():
    """[S23][S25]: living only with a child of 6, the increased amount; 1 527,70 net from 01/11/2023."""
    working = allowance_working(LeaveKind.PARENTAL, COMPLETE, date(2026, 12, 1),
                                lives_only_with_dependent_children=True, child_birth_date=date(2020, 1, 1))
    assert (working.rate_kind, working.basis, working.single_parent, working.single_parent_basis,
            working.category) == (RateKind.THEMATIC_LEAVE, PARENTAL_ALLOWANCE_BASIS, True, PARENTAL_ALLOWANCE_BASIS,
                                  AllowanceCategory.SINGLE_PARENT)
    assert isinstance(working.result, AllowanceEstimate)
    assert (working.result.gross, working.result.net) == (None, Decimal("1527.70"))


def test_the_increase_stops_at_the_childs_twelfth_birthday_for_parental_leave():
    """[S23]: under 12 for parental leave; the base row is read from the birthday on."""
    working = allowance_working(LeaveKind.PARENTAL, COMPLETE, date(2026, 1, 1),
                                lives_only_with_dependent_children=True, child_birth_date=date(2014, 1, 1))
    assert (working.single_parent, working.category) == (False, AllowanceCategory.BASE)
    assert working.result.net == Decimal("896.73")


def test_no_table_for_the_end_of_career():
    working = allowance_working(LeaveKind.END_OF_CAREER, HALF, date(2026, 3, 1), seniority_years=20,
                                household=Household.SINGLE, worker_age=58)
    assert (working.rate_kind, working.basis, working.single_parent_basis, working.category) == (None, None, None, None)
    assert isinstance(working.result, NoRateKnown) and working.result.reason is NoRateReason.NO_TABLE_FOR_KIND


def test_half_time_time_credit_without_the_age_misses_an_information():
    """[S24]: half-time nets depend on the household and on the age."""
    working = allowance_working(LeaveKind.TIME_CREDIT_CARE, HALF, date(2023, 1, 1), seniority_years=3,
                                household=Household.SINGLE)
    assert (working.basis, working.category) == (TIME_CREDIT_ALLOWANCE_BASIS, None)
    assert working.result.reason is NoRateReason.MISSING_INFORMATION


def test_one_fifth_time_credit_names_the_increase_but_never_applies_it():
    """[S27]: the 1/5 time credit is increased for a single parent, but no amount was found (§2.3.2)."""
    working = allowance_working(LeaveKind.TIME_CREDIT_TRAINING, FIFTH, date(2024, 1, 1), seniority_years=8,
                                lives_only_with_dependent_children=True, child_birth_date=date(2020, 1, 1))
    assert (working.single_parent, working.single_parent_basis) == (False, TIME_CREDIT_SINGLE_PARENT_BASIS)
    assert (working.category, working.result.reason) == (AllowanceCategory.FROM_5_YEARS, NoRateReason.NO_ROW)


def test_the_other_thematic_leaves_have_no_legal_text_of_their_own():
    working = allowance_working(LeaveKind.AIDANT_PROCHE, HALF, date(2023, 3, 1))
    assert working.basis == working.single_parent_basis == THEMATIC_ALLOWANCE_BASIS
    assert working.result.net == Decimal("405.23")


@settings(max_examples=300)
@given(
    kind=st.sampled_from(list(LeaveKind)), form=st.sampled_from(list(LeaveForm)),
    on=st.dates(date(2020, 1, 1), date(2030, 12, 31)), alone_with_children=st.booleans(),
    child_birth_date=st.none() | st.dates(date(2000, 1, 1), date(2030, 12, 31)), disabled=st.booleans(),
    seniority_years=st.none() | st.integers(0, 40), household=st.none() | st.sampled_from(list(Household)),
    worker_age=st.none() | st.integers(18, 67),
    work_regime=st.sampled_from([Fraction(1), Fraction(4, 5), Fraction(3, 4), Fraction(1, 2)]),
)
def test_the_working_is_the_estimate_and_explains_it(kind, form, on, alone_with_children, child_birth_date, disabled,
                                                     seniority_years, household, worker_age, work_regime):
    working = allowance_working(kind, form, on, lives_only_with_dependent_children=alone_with_children,
                                child_birth_date=child_birth_date, child_is_disabled=disabled,
                                seniority_years=seniority_years, household=household, worker_age=worker_age,
                                work_regime=work_regime)
    assert working.result == indicative_allowance(kind, form, on, single_parent=working.single_parent,
                                                  seniority_years=seniority_years, household=household,
                                                  worker_age=worker_age, work_regime=work_regime)
    assert (working.basis is None) == (working.rate_kind is None)
    if working.single_parent:
        assert working.rate_kind is RateKind.THEMATIC_LEAVE and alone_with_children
        assert working.single_parent_basis is not None
    if isinstance(working.result, AllowanceEstimate):
        assert working.result.rate.category is working.category
        assert working.result.rate.kind is working.rate_kind


# --- the single parent's age limit -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "disabled", "limit"),
    [
        (LeaveKind.PARENTAL, False, 12),  # [S5]
        (LeaveKind.MEDICAL_ASSISTANCE, False, 18),  # [S23]: the other thematic leaves
        (LeaveKind.AIDANT_PROCHE, False, 18),
        (LeaveKind.PARENTAL, True, 21),  # [S5][S13]: a disabled child
        (LeaveKind.PALLIATIVE_CARE, True, 21),
    ],
)
def test_the_youngest_child_must_be_under_an_age_by_kind(kind, disabled, limit):
    assert single_parent_child_age_limit(kind, child_is_disabled=disabled) == limit


@given(st.sampled_from(THEMATIC_KINDS), st.booleans(), st.dates(date(1990, 1, 1), date(2030, 12, 31)),
       st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_the_increase_applies_exactly_while_the_child_is_under_the_limit(kind, disabled, born, on):
    """The limit the page states is the one single_parent_increase_applies applies."""
    limit = single_parent_child_age_limit(kind, child_is_disabled=disabled)
    assert single_parent_increase_applies(kind, lives_only_with_dependent_children=True, child_birth_date=born, on=on,
                                          child_is_disabled=disabled) == (born <= on < birthday(born, limit))


# --- the rows beside the one in force ----------------------------------------------------------------------


def test_a_net_only_row_points_to_the_last_official_gross():
    """[S25] publishes only nets from 01/11/2023; the last gross is [S23]'s: 978,24 and 1 666,57."""
    base = latest_official_gross(row(RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.BASE, date(2023, 11, 1)))
    assert (base.gross, base.valid_from, base.source) == (Decimal("978.24"), date(2022, 12, 1), "S23")
    single = latest_official_gross(row(RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.SINGLE_PARENT,
                                       date(2023, 11, 1)))
    assert (single.gross, single.valid_from) == (Decimal("1666.57"), date(2023, 7, 1))


def test_no_official_gross_for_the_one_fifth_and_one_tenth_thematic_leaves():
    for form in (FIFTH, TENTH):
        assert latest_official_gross(row(RateKind.THEMATIC_LEAVE, form, AllowanceCategory.BASE,
                                         date(2023, 11, 1))) is None


def test_a_row_with_its_gross_is_its_own_latest_official_gross():
    rate = row(RateKind.TIME_CREDIT_WITH_MOTIVE, COMPLETE, AllowanceCategory.FROM_5_YEARS, date(2022, 5, 1))
    assert latest_official_gross(rate) is rate


rows = st.builds(
    AllowanceRate, st.sampled_from(list(RateKind)), st.sampled_from([COMPLETE, HALF]),
    st.sampled_from([AllowanceCategory.BASE, AllowanceCategory.SINGLE_PARENT]),
    st.dates(date(2020, 1, 1), date(2026, 12, 31)),
    st.none() | st.decimals(min_value=Decimal("1"), max_value=Decimal("2000"), places=2),
    st.none() | st.decimals(min_value=Decimal("1"), max_value=Decimal("2000"), places=2),
    st.just("test"),
)


@given(st.lists(rows, max_size=12), st.data())
def test_the_latest_official_gross_is_the_latest_row_of_the_same_case_with_a_gross(rates, data):
    rate = data.draw(st.sampled_from(rates) if rates else rows)
    same_case = [other for other in rates if (other.kind, other.form, other.category)
                 == (rate.kind, rate.form, rate.category) and other.gross is not None
                 and other.valid_from <= rate.valid_from]
    found = latest_official_gross(rate, rates)
    if not same_case:
        assert found is None
    else:
        assert found in same_case
        assert found.valid_from == max(other.valid_from for other in same_case)


@pytest.mark.parametrize(
    ("kind", "form", "category", "first"),
    [
        (RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.BASE, date(2022, 12, 1)),  # [S23]
        (RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.SINGLE_PARENT, date(2023, 7, 1)),  # [S23]
        (RateKind.THEMATIC_LEAVE, FIFTH, AllowanceCategory.BASE, date(2023, 11, 1)),  # [S25]
        (RateKind.TIME_CREDIT_WITH_MOTIVE, COMPLETE, AllowanceCategory.UNDER_5_YEARS, date(2021, 9, 1)),  # [S24]
        (RateKind.TIME_CREDIT_WITH_MOTIVE, HALF, AllowanceCategory.FROM_5_YEARS_SINGLE_FROM_50, date(2022, 5, 1)),
        (RateKind.TIME_CREDIT_WITH_MOTIVE, FIFTH, AllowanceCategory.UNDER_5_YEARS, None),  # not found (§2.3.2)
    ],
)
def test_the_oldest_known_rate_of_a_case(kind, form, category, first):
    assert first_rate_date(kind, form, category) == first


@given(st.sampled_from(list(RateKind)), st.sampled_from(list(LeaveForm)), st.sampled_from(list(AllowanceCategory)),
       st.dates(date(2015, 1, 1), date(2030, 12, 31)))
def test_no_rate_is_in_force_before_the_oldest_known_one(kind, form, category, on):
    first = first_rate_date(kind, form, category)
    in_force = rate_in_force(kind, form, category, on)
    assert isinstance(in_force, NoRateKnown) == (first is None or on < first)
