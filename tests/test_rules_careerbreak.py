"""Career break rules: durations, blocks, maximums, ages, documents, allowances, Break@work, tickets.

Every figure comes from domain.md §2 and §3; the source key is next to it.
"""

import random
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.allowances import (
    ALLOWANCE_RATES,
    WITHHOLDING_COMPLETE,
    WITHHOLDING_PARTIAL_COHABITANT,
    WITHHOLDING_PARTIAL_SINGLE,
    AllowanceCategory,
    AllowanceEstimate,
    AllowanceRate,
    Household,
    NoRateKnown,
    NoRateReason,
    RateKind,
    allowance_basis,
    domicile_allows_allowance,
    indicative_allowance,
    net_from_gross,
    rate_in_force,
    single_parent_increase_applies,
    single_parent_increase_basis,
)
from app.rules.breakatwork import balance, balances, balances_by_kind, parental_paid_months
from app.rules.careerbreak import (
    CEILINGS,
    NO_LEGAL_TEXT_CITED,
    CareMotive,
    CountedPer,
    DocumentType,
    LeaveForm,
    LeaveKind,
    MonthsAndDays,
    ProblemCode,
    RequestContext,
    Sex,
    TakenPeriod,
    add_months,
    ceilings_for,
    check_requested_period,
    documents_needed,
    end_of_career_years_needed,
    forms_of,
    has_mandatory_document,
    months_counted,
    period_length,
)
from app.rules.tickets import (
    TICKET_ALPHABET,
    InvalidTicketNumber,
    is_ticket_number,
    new_ticket_number,
    parse_ticket_number,
)

PARENTAL, MEDICAL, PALLIATIVE, AIDANT = (
    LeaveKind.PARENTAL, LeaveKind.MEDICAL_ASSISTANCE, LeaveKind.PALLIATIVE_CARE, LeaveKind.AIDANT_PROCHE,
)
COMPLETE, HALF, FIFTH, TENTH = LeaveForm.COMPLETE, LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH, LeaveForm.ONE_TENTH

CHILD_BORN_2019 = date(2019, 5, 14)


def months_from(start: date, months: int) -> tuple[date, date]:
    """A period of exactly `months` calendar months from `start`."""
    return start, add_months(start, months) - timedelta(days=1)


def codes(problems) -> list[ProblemCode]:
    return [problem.code for problem in problems]


def parental_context(**changes) -> RequestContext:
    values = {"subject_id": "lea", "child_birth_date": CHILD_BORN_2019, "employer_agreement": False}
    values.update(changes)
    return RequestContext(**values)


# --- durations ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 4, 2), date(2025, 5, 1), MonthsAndDays(1)),  # guide 000's example
        (date(2025, 1, 1), date(2025, 1, 14), MonthsAndDays(0, 14)),
        (date(2024, 1, 1), date(2024, 12, 31), MonthsAndDays(12)),
        (date(2024, 2, 1), date(2024, 2, 29), MonthsAndDays(1)),  # leap year February
        (date(2025, 3, 1), date(2025, 4, 4), MonthsAndDays(1, 4)),
        (date(2025, 6, 10), date(2025, 6, 10), MonthsAndDays(0, 1)),
    ],
)
def test_period_length_in_calendar_months_then_days(start, end, expected):
    assert period_length(start, end) == expected


@given(st.dates(date(2000, 1, 1), date(2060, 12, 31)), st.integers(0, 800))
def test_period_length_adds_back_up_to_the_day_after_the_end(start, days):
    end = start + timedelta(days=days)
    length = period_length(start, end)
    assert 0 <= length.days < 31
    assert add_months(start, length.months) + timedelta(days=length.days) == end + timedelta(days=1)


def test_months_and_days_rounds_the_days_down():
    assert MonthsAndDays.from_months(Fraction(5, 2)) == MonthsAndDays(2, 15)
    assert MonthsAndDays.from_months(Fraction(1, 4)) == MonthsAndDays(0, 7)
    assert MonthsAndDays(1, 15).as_months() == Fraction(3, 2)


# --- kinds and forms -------------------------------------------------------------------------------------


def test_only_parental_leave_has_the_one_tenth_form():
    """[S28b]: 1/10 exists only for parental leave; end of career is half-time or 1/5 [S19]."""
    assert forms_of(PARENTAL) == [COMPLETE, HALF, FIFTH, TENTH]
    for kind in LeaveKind:
        if kind is not PARENTAL:
            assert TENTH not in forms_of(kind)
    assert forms_of(LeaveKind.END_OF_CAREER) == [HALF, FIFTH]


def test_a_form_the_kind_does_not_have_is_a_problem():
    problems = check_requested_period(MEDICAL, TENTH, date(2025, 1, 1), date(2025, 1, 31),
                                      RequestContext(subject_id="p"))
    assert codes(problems) == [ProblemCode.FORM_NOT_OFFERED]
    assert problems[0].values == {"kind": "assistance-medicale", "form": "un-dixieme"}


def test_an_end_before_the_start_is_the_only_problem_reported():
    assert codes(check_requested_period(PARENTAL, COMPLETE, date(2025, 2, 1), date(2025, 1, 31))) == [
        ProblemCode.END_BEFORE_START
    ]


# --- parental leave [S5][S6][S7] ---------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "months"), [(COMPLETE, 4), (HALF, 8), (FIFTH, 20), (TENTH, 40)])
def test_parental_capital_is_4_8_20_40_months_per_child(form, months):
    (ceiling,) = ceilings_for(PARENTAL, form)
    assert ceiling.counted_per is CountedPer.CHILD
    assert ceiling.in_form(Fraction(ceiling.months), form) == months


@pytest.mark.parametrize(("form", "months"), [(COMPLETE, 1), (HALF, 2), (FIFTH, 5), (TENTH, 10)])
def test_one_month_complete_is_2_half_5_at_a_fifth_10_at_a_tenth(form, months):
    (ceiling,) = ceilings_for(PARENTAL, form)
    start, end = months_from(date(2025, 1, 1), months)
    assert months_counted(TakenPeriod(PARENTAL, form, start, end, "lea"), ceiling) == 1


@given(st.sampled_from([COMPLETE, HALF, FIFTH, TENTH]), st.integers(1, 40), st.dates(date(2015, 1, 1), date(2030, 12, 1)))
def test_parental_months_count_pro_rata_of_the_interrupted_fraction(form, months, start):
    (ceiling,) = ceilings_for(PARENTAL, form)
    start, end = months_from(start, months)
    assert months_counted(TakenPeriod(PARENTAL, form, start, end, "lea"), ceiling) == months * form.interrupted_fraction


@pytest.mark.parametrize(("form", "block"), [(COMPLETE, 1), (HALF, 2), (FIFTH, 5), (TENTH, 10)])
def test_parental_leave_is_taken_in_blocks(form, block):
    context = parental_context(employer_agreement=form is TENTH)
    assert check_requested_period(PARENTAL, form, *months_from(date(2025, 1, 1), block), context) == []
    if block > 1:
        problems = check_requested_period(PARENTAL, form, *months_from(date(2025, 1, 1), block + 1), context)
        assert codes(problems) == [ProblemCode.NOT_IN_BLOCKS]
        assert problems[0].values == {"block_months": block, "length": MonthsAndDays(block + 1)}


def test_parental_half_time_in_one_month_blocks_with_the_employers_agreement():
    """[S6b]: 1-month blocks of half-time with the employer's agreement."""
    period = months_from(date(2025, 1, 1), 1)
    assert codes(check_requested_period(PARENTAL, HALF, *period, parental_context())) == [ProblemCode.NOT_IN_BLOCKS]
    assert check_requested_period(PARENTAL, HALF, *period, parental_context(employer_agreement=True)) == []


def test_parental_one_tenth_needs_the_employers_agreement_and_exists_since_june_2019():
    """[S7]: 1/10 needs the employer's agreement; since 1.6.2019."""
    period = months_from(date(2025, 1, 1), 10)
    assert codes(check_requested_period(PARENTAL, TENTH, *period, parental_context())) == [
        ProblemCode.EMPLOYER_AGREEMENT_REQUIRED
    ]
    early = check_requested_period(PARENTAL, TENTH, *months_from(date(2019, 5, 1), 10),
                                   parental_context(child_birth_date=date(2018, 1, 1), employer_agreement=True))
    assert codes(early) == [ProblemCode.NOT_IN_FORCE]
    assert early[0].values == {"in_force_from": date(2019, 6, 1)}


def test_complete_parental_leave_in_weeks_with_the_employers_agreement():
    """[S5][S6]: weeks with the employer's agreement; 1 month = 4 weeks."""
    two_weeks = (date(2025, 3, 3), date(2025, 3, 16))
    problems = check_requested_period(PARENTAL, COMPLETE, *two_weeks, parental_context())
    assert codes(problems) == [ProblemCode.WEEKS_NEED_EMPLOYER_AGREEMENT]
    assert problems[0].values == {"weeks": 2}
    assert check_requested_period(PARENTAL, COMPLETE, *two_weeks, parental_context(employer_agreement=True)) == []
    (ceiling,) = ceilings_for(PARENTAL, COMPLETE)
    assert months_counted(TakenPeriod(PARENTAL, COMPLETE, *two_weeks, "lea"), ceiling) == Fraction(1, 2)


def test_ten_days_is_neither_blocks_nor_weeks():
    problems = check_requested_period(PARENTAL, COMPLETE, date(2025, 3, 3), date(2025, 3, 12),
                                      parental_context(employer_agreement=True))
    assert codes(problems) == [ProblemCode.NOT_IN_BLOCKS]


def test_parental_leave_starts_before_the_12th_birthday():
    """[S5]: child under 12; droitsquotidiens.be: it may turn 12 during the leave."""
    born = date(2013, 9, 20)
    eve = check_requested_period(PARENTAL, FIFTH, *months_from(date(2025, 9, 19), 5),
                                 parental_context(child_birth_date=born))
    assert eve == []
    on_the_day = check_requested_period(PARENTAL, FIFTH, *months_from(date(2025, 9, 20), 5),
                                        parental_context(child_birth_date=born))
    assert codes(on_the_day) == [ProblemCode.CHILD_TOO_OLD]
    assert on_the_day[0].values == {"age_limit": 12, "birthday": date(2025, 9, 20)}


def test_parental_leave_for_a_disabled_child_until_21():
    """[S5]: < 21 if disabled."""
    context = parental_context(child_birth_date=date(2008, 1, 1), child_is_disabled=True)
    assert check_requested_period(PARENTAL, COMPLETE, *months_from(date(2025, 1, 1), 1), context) == []
    late = check_requested_period(PARENTAL, COMPLETE, *months_from(date(2029, 1, 1), 1), context)
    assert late[0].values == {"age_limit": 21, "birthday": date(2029, 1, 1)}


def test_parental_leave_not_before_the_child_arrives():
    before_birth = check_requested_period(PARENTAL, COMPLETE, *months_from(date(2025, 1, 1), 1),
                                          parental_context(child_birth_date=date(2025, 2, 1)))
    assert codes(before_birth) == [ProblemCode.BEFORE_CHILD_ARRIVAL]
    before_adoption = check_requested_period(
        PARENTAL, COMPLETE, *months_from(date(2025, 1, 1), 1),
        parental_context(child_birth_date=date(2020, 1, 1), child_adoption_date=date(2025, 3, 1)))
    assert before_adoption[0].values == {"arrival": date(2025, 3, 1)}


def test_parental_leave_needs_the_childs_birth_date_and_identity():
    missing_birth = check_requested_period(PARENTAL, COMPLETE, *months_from(date(2025, 1, 1), 1),
                                           RequestContext(subject_id="lea"))
    assert [problem.values for problem in missing_birth] == [{"what": "child_birth_date"}]
    missing_child = check_requested_period(PARENTAL, COMPLETE, *months_from(date(2025, 1, 1), 1),
                                           RequestContext(child_birth_date=CHILD_BORN_2019))
    assert [problem.values for problem in missing_child] == [{"what": "subject_id"}]


def test_parental_capital_is_shared_between_the_forms():
    """3 months complete taken: 5 months at 1/5 fit (= 1 month), 10 do not; another child has a full capital."""
    history = [TakenPeriod(PARENTAL, COMPLETE, *months_from(date(2020, 1, 1), 3), "lea")]
    context = parental_context(history=history)
    assert check_requested_period(PARENTAL, FIFTH, *months_from(date(2025, 1, 1), 5), context) == []
    problems = check_requested_period(PARENTAL, FIFTH, *months_from(date(2025, 1, 1), 10), context)
    assert codes(problems) == [ProblemCode.CEILING_EXCEEDED]
    assert problems[0].values == {
        "ceiling": "parental-per-child",
        "counted_per": "enfant",
        "maximum": MonthsAndDays(20),
        "taken": MonthsAndDays(15),
        "requested": MonthsAndDays(10),
        "available": MonthsAndDays(5),
    }
    other_child = parental_context(subject_id="tom", history=history)
    assert check_requested_period(PARENTAL, FIFTH, *months_from(date(2025, 1, 1), 20), other_child) == []


def test_parental_half_time_needs_a_full_time_worker():
    """[S5][S6]: half, 1/5 and 1/10 for full-time workers."""
    problems = check_requested_period(PARENTAL, HALF, *months_from(date(2025, 1, 1), 2),
                                      parental_context(work_regime=Fraction(4, 5)))
    assert codes(problems) == [ProblemCode.WORK_REGIME_TOO_LOW]
    assert problems[0].values == {"minimum_work_regime": Fraction(1), "work_regime": Fraction(4, 5)}


def test_a_period_overlapping_one_already_taken_for_the_same_child():
    history = [TakenPeriod(PARENTAL, COMPLETE, date(2025, 1, 1), date(2025, 1, 31), "lea")]
    problems = check_requested_period(PARENTAL, COMPLETE, date(2025, 1, 1), date(2025, 1, 31),
                                      parental_context(history=history))
    assert ProblemCode.OVERLAPS in codes(problems)


# --- medical assistance [S8][S9] ------------------------------------------------------------------------------


def test_the_guides_request_has_no_problem():
    """Guide 000: medical assistance, complete, 02/04/2025 to 01/05/2025."""
    assert check_requested_period(MEDICAL, COMPLETE, date(2025, 4, 2), date(2025, 5, 1),
                                  RequestContext(subject_id="patient-1")) == []


@pytest.mark.parametrize(("form", "maximum"), [(COMPLETE, 12), (HALF, 24), (FIFTH, 24)])
def test_medical_assistance_is_12_months_complete_and_24_partial_per_patient(form, maximum):
    history = [TakenPeriod(MEDICAL, form, *months_from(add_months(date(2020, 1, 1), 3 * n), 3), "mother")
               for n in range(maximum // 3)]
    period = months_from(date(2025, 1, 1), 1)
    same_patient = check_requested_period(MEDICAL, form, *period, RequestContext(subject_id="mother", history=history))
    assert codes(same_patient) == [ProblemCode.CEILING_EXCEEDED]
    assert same_patient[0].values["maximum"] == MonthsAndDays(maximum)
    assert same_patient[0].values["available"] == MonthsAndDays(0)
    other_patient = check_requested_period(MEDICAL, form, *period, RequestContext(subject_id="father", history=history))
    assert other_patient == []


def test_medical_assistance_complete_and_partial_are_separate_ceilings():
    """§2.4: treated as independent until checked."""
    history = [TakenPeriod(MEDICAL, COMPLETE, *months_from(add_months(date(2020, 1, 1), 3 * n), 3), "mother")
               for n in range(4)]
    assert check_requested_period(MEDICAL, HALF, *months_from(date(2025, 1, 1), 3),
                                  RequestContext(subject_id="mother", history=history)) == []


def test_medical_assistance_doubled_for_a_single_parent_of_a_seriously_ill_child():
    """[S9]: 24 / 48 months for a worker living alone with a seriously ill child of 16 or less."""
    history = [TakenPeriod(MEDICAL, COMPLETE, *months_from(add_months(date(2020, 1, 1), 3 * n), 3), "child")
               for n in range(4)]
    context = RequestContext(subject_id="child", history=history, lives_alone_with_seriously_ill_child=True)
    assert check_requested_period(MEDICAL, COMPLETE, *months_from(date(2025, 1, 1), 3), context) == []
    (complete,) = ceilings_for(MEDICAL, COMPLETE)
    (partial,) = ceilings_for(MEDICAL, HALF)
    assert (complete.months_for(doubled=True), partial.months_for(doubled=True)) == (24, 48)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 1), date(2025, 1, 20), [ProblemCode.TOO_SHORT]),
        (date(2025, 1, 1), date(2025, 4, 30), [ProblemCode.TOO_LONG]),
        (date(2025, 1, 1), date(2025, 3, 31), []),
        (date(2025, 1, 1), date(2025, 2, 15), []),  # no blocks: 1 month 15 days is a period of 1 to 3 months
    ],
)
def test_medical_assistance_periods_of_1_to_3_months(start, end, expected):
    assert codes(check_requested_period(MEDICAL, HALF, start, end, RequestContext(subject_id="p"))) == expected


@pytest.mark.parametrize(("days", "expected"), [(7, []), (14, []), (21, []), (28, [ProblemCode.TOO_SHORT])])
def test_complete_medical_assistance_in_1_2_or_3_weeks_with_the_employers_agreement(days, expected):
    start = date(2025, 3, 1)
    context = RequestContext(subject_id="p", employer_agreement=True)
    assert codes(check_requested_period(MEDICAL, COMPLETE, start, start + timedelta(days=days - 1), context)) == expected
    if days < 28:
        without_agreement = check_requested_period(MEDICAL, COMPLETE, start, start + timedelta(days=days - 1),
                                                   RequestContext(subject_id="p"))
        assert codes(without_agreement) == [ProblemCode.WEEKS_NEED_EMPLOYER_AGREEMENT]


def test_six_weeks_of_medical_assistance_are_a_month_and_eleven_days_not_weeks():
    period = TakenPeriod(MEDICAL, COMPLETE, date(2025, 3, 1), date(2025, 4, 11), "p")
    assert check_requested_period(MEDICAL, COMPLETE, period.start, period.end, RequestContext(subject_id="p")) == []
    (ceiling,) = ceilings_for(MEDICAL, COMPLETE)
    assert months_counted(period, ceiling) == 1 + Fraction(11, 30)


# --- palliative care [S10] and aidant proche [S11] ---------------------------------------------------------------


def test_palliative_care_is_one_month_at_a_time_three_per_patient():
    context = RequestContext(subject_id="p")
    assert check_requested_period(PALLIATIVE, HALF, *months_from(date(2025, 1, 1), 1), context) == []
    assert codes(check_requested_period(PALLIATIVE, HALF, *months_from(date(2025, 1, 1), 2), context)) == [
        ProblemCode.TOO_LONG
    ]
    history = [TakenPeriod(PALLIATIVE, form, *months_from(date(2025, n, 1), 1), "p")
               for n, form in ((1, COMPLETE), (2, HALF), (3, FIFTH))]
    fourth = check_requested_period(PALLIATIVE, COMPLETE, *months_from(date(2025, 4, 1), 1),
                                    RequestContext(subject_id="p", history=history))
    assert codes(fourth) == [ProblemCode.CEILING_EXCEEDED]
    assert fourth[0].values["maximum"] == MonthsAndDays(3)


def test_aidant_proche_3_months_per_person_and_6_over_the_career():
    history = [
        TakenPeriod(AIDANT, COMPLETE, *months_from(date(2021, 1, 1), 3), "grandmother"),
        TakenPeriod(AIDANT, COMPLETE, *months_from(date(2022, 1, 1), 3), "uncle"),
    ]
    same_person = check_requested_period(AIDANT, COMPLETE, *months_from(date(2025, 1, 1), 1),
                                         RequestContext(subject_id="uncle", history=history))
    assert [problem.values["ceiling"] for problem in same_person] == [
        "aidant-proche-complete-per-person", "aidant-proche-complete-career",
    ]
    new_person = check_requested_period(AIDANT, COMPLETE, *months_from(date(2025, 1, 1), 1),
                                        RequestContext(subject_id="neighbour", history=history))
    assert [problem.values["ceiling"] for problem in new_person] == ["aidant-proche-complete-career"]
    assert new_person[0].values["maximum"] == MonthsAndDays(6)


def test_aidant_proche_partial_in_2_month_blocks_since_september_2020():
    context = RequestContext(subject_id="p")
    assert check_requested_period(AIDANT, FIFTH, *months_from(date(2025, 1, 1), 4), context) == []
    assert codes(check_requested_period(AIDANT, FIFTH, *months_from(date(2025, 1, 1), 3), context)) == [
        ProblemCode.NOT_IN_BLOCKS
    ]
    assert codes(check_requested_period(AIDANT, COMPLETE, *months_from(date(2020, 8, 1), 1), context)) == [
        ProblemCode.NOT_IN_FORCE
    ]
    partial_per_person, partial_career = ceilings_for(AIDANT, HALF)
    assert (partial_per_person.months, partial_career.months) == (6, 12)


# --- time credit [S13]-[S18] -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "minimum"), [(COMPLETE, 3), (HALF, 3), (FIFTH, 6)])
def test_time_credit_minimum_periods(form, minimum):
    kind = LeaveKind.TIME_CREDIT_TRAINING
    assert check_requested_period(kind, form, *months_from(date(2025, 1, 1), minimum)) == []
    problems = check_requested_period(kind, form, *months_from(date(2025, 1, 1), minimum - 1))
    assert codes(problems) == [ProblemCode.TOO_SHORT]
    assert problems[0].values["minimum_months"] == minimum


def test_time_credit_is_51_months_for_care_36_for_training_not_pro_rata():
    """[S13][S15]: a fixed credit, not pro rata by form; 36 + 51 not cumulative."""
    history = [
        TakenPeriod(LeaveKind.TIME_CREDIT_TRAINING, HALF, *months_from(date(2015, 1, 1), 36)),
        TakenPeriod(LeaveKind.TIME_CREDIT_CARE, FIFTH, *months_from(date(2019, 1, 1), 9)),
    ]
    training = check_requested_period(LeaveKind.TIME_CREDIT_TRAINING, FIFTH, *months_from(date(2025, 1, 1), 6),
                                      RequestContext(history=history))
    assert [problem.values["ceiling"] for problem in training] == ["time-credit-training-career"]
    ill = CareMotive.SERIOUSLY_ILL_RELATIVE
    care = RequestContext(history=history, care_motive=ill)
    assert check_requested_period(LeaveKind.TIME_CREDIT_CARE, FIFTH, *months_from(date(2025, 1, 1), 3), care) == []
    more = [*history, TakenPeriod(LeaveKind.TIME_CREDIT_CARE, COMPLETE, *months_from(date(2021, 1, 1), 4))]
    too_much = check_requested_period(LeaveKind.TIME_CREDIT_CARE, FIFTH, *months_from(date(2025, 1, 1), 3),
                                      RequestContext(history=more, care_motive=ill))
    assert [problem.values["ceiling"] for problem in too_much] == ["time-credit-with-motive-career"]
    assert too_much[0].values["taken"] == MonthsAndDays(49)
    assert too_much[0].values["available"] == MonthsAndDays(2)


def test_earlier_time_credit_without_motive_is_deducted_pro_rata():
    """[S14]: 12 months half-time without motive use 6 of the 51 months."""
    history = [TakenPeriod(LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE, HALF, *months_from(date(2010, 1, 1), 12))]
    (shared, _training) = ceilings_for(LeaveKind.TIME_CREDIT_TRAINING, HALF)
    assert months_counted(history[0], shared) == 6
    assert codes(check_requested_period(LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE, HALF,
                                        *months_from(date(2025, 1, 1), 12))) == [ProblemCode.NOT_IN_FORCE]


def test_time_credit_care_motives_change_the_periods_and_the_child_age():
    """[S13][S18]: palliative from 1 month; seriously ill relative 1 to 3 months; own child under 8."""
    palliative = RequestContext(care_motive=CareMotive.PALLIATIVE_CARE)
    assert check_requested_period(LeaveKind.TIME_CREDIT_CARE, COMPLETE, *months_from(date(2025, 1, 1), 1),
                                  palliative) == []
    ill = RequestContext(care_motive=CareMotive.SERIOUSLY_ILL_RELATIVE)
    assert codes(check_requested_period(LeaveKind.TIME_CREDIT_CARE, COMPLETE, *months_from(date(2025, 1, 1), 4),
                                        ill)) == [ProblemCode.TOO_LONG]
    child = RequestContext(care_motive=CareMotive.CHILD_UNDER_8, child_birth_date=date(2017, 6, 1))
    eight = check_requested_period(LeaveKind.TIME_CREDIT_CARE, FIFTH, *months_from(date(2025, 6, 1), 6), child)
    assert eight[0].values == {"age_limit": 8, "birthday": date(2025, 6, 1)}


# --- end of career [S19][S20] and public sector [S21] ------------------------------------------------------------


def test_end_of_career_from_60_or_55_in_the_exception_cases():
    worker = RequestContext(worker_birth_date=date(1966, 3, 15))
    young = check_requested_period(LeaveKind.END_OF_CAREER, FIFTH, *months_from(date(2026, 1, 1), 6), worker)
    assert codes(young) == [ProblemCode.WORKER_TOO_YOUNG]
    assert young[0].values == {"minimum_age": 60, "birthday": date(2026, 3, 15)}
    assert check_requested_period(LeaveKind.END_OF_CAREER, FIFTH, *months_from(date(2026, 3, 15), 6), worker) == []
    exception = RequestContext(worker_birth_date=date(1970, 3, 15), end_of_career_exception=True)
    assert check_requested_period(LeaveKind.END_OF_CAREER, HALF, *months_from(date(2026, 1, 1), 3), exception) == []


@pytest.mark.parametrize(
    ("year", "women", "men"), [(2026, 26, 31), (2027, 27, 32), (2030, 30, 35), (2034, 30, 35)],
)
def test_end_of_career_years_of_career(year, women, men):
    """[S20]: 26 / 31 years in 2026, rising every year to 30 / 35 in 2030."""
    assert end_of_career_years_needed(year, Sex.FEMALE) == women
    assert end_of_career_years_needed(year, Sex.MALE) == men


def test_end_of_career_years_before_2026_are_not_known_so_not_checked():
    assert end_of_career_years_needed(2025, Sex.MALE) is None
    context = RequestContext(worker_birth_date=date(1960, 1, 1), worker_sex=Sex.MALE, career_years=20)
    assert check_requested_period(LeaveKind.END_OF_CAREER, HALF, *months_from(date(2025, 1, 1), 3), context) == []


def test_end_of_career_with_a_short_career():
    context = RequestContext(worker_birth_date=date(1964, 1, 1), worker_sex=Sex.MALE, career_years=30)
    problems = check_requested_period(LeaveKind.END_OF_CAREER, HALF, *months_from(date(2026, 2, 1), 3), context)
    assert problems[0].values == {"required_years": 31, "career_years": 30}
    assert codes(check_requested_period(LeaveKind.END_OF_CAREER, HALF, *months_from(date(2026, 2, 1), 2), context)) == [
        ProblemCode.TOO_SHORT, ProblemCode.CAREER_TOO_SHORT,
    ]


def test_end_of_career_needs_the_workers_birth_date_and_has_no_complete_form():
    assert check_requested_period(LeaveKind.END_OF_CAREER, HALF, *months_from(date(2026, 1, 1), 3))[0].values == {
        "what": "worker_birth_date"
    }
    assert codes(check_requested_period(LeaveKind.END_OF_CAREER, COMPLETE, *months_from(date(2026, 1, 1), 3))) == [
        ProblemCode.FORM_NOT_OFFERED
    ]


def test_public_sector_career_break_periods_of_3_to_12_months_and_60_months():
    kind = LeaveKind.PUBLIC_SECTOR_CAREER_BREAK
    assert codes(check_requested_period(kind, COMPLETE, *months_from(date(2025, 1, 1), 2))) == [ProblemCode.TOO_SHORT]
    assert codes(check_requested_period(kind, COMPLETE, *months_from(date(2025, 1, 1), 13))) == [ProblemCode.TOO_LONG]
    history = [TakenPeriod(kind, COMPLETE, *months_from(date(2000 + n, 1, 1), 12)) for n in range(5)]
    full = check_requested_period(kind, COMPLETE, *months_from(date(2025, 1, 1), 3), RequestContext(history=history))
    assert full[0].values["maximum"] == MonthsAndDays(60)
    assert check_requested_period(kind, HALF, *months_from(date(2025, 1, 1), 3), RequestContext(history=history)) == []


@settings(max_examples=300)
@given(
    st.sampled_from(list(LeaveKind)),
    st.sampled_from(list(LeaveForm)),
    st.dates(date(2010, 1, 1), date(2035, 12, 31)),
    st.integers(-5, 1500),
    st.booleans(),
)
def test_checking_any_period_returns_problems_and_never_fails(kind, form, start, days, agreement):
    context = RequestContext(subject_id="someone", child_birth_date=date(2015, 1, 1),
                             worker_birth_date=date(1962, 1, 1), employer_agreement=agreement)
    problems = check_requested_period(kind, form, start, start + timedelta(days=days), context)
    assert all(isinstance(problem.code, ProblemCode) for problem in problems)
    if days < 0:
        assert codes(problems) == [ProblemCode.END_BEFORE_START]


# --- documents (guide 000, §2.5) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [MEDICAL, PALLIATIVE])
def test_medical_assistance_and_palliative_care_need_a_medical_certificate(kind):
    documents = documents_needed(kind)
    assert documents[0].document is DocumentType.MEDICAL_CERTIFICATE and documents[0].mandatory
    assert has_mandatory_document(kind)


def test_parental_leave_offers_the_birth_certificate_as_optional():
    documents = {requirement.document: requirement.mandatory for requirement in documents_needed(PARENTAL)}
    assert documents[DocumentType.BIRTH_CERTIFICATE] is False
    assert not has_mandatory_document(PARENTAL)


def test_training_needs_its_proof_and_care_motives_their_proof():
    training = documents_needed(LeaveKind.TIME_CREDIT_TRAINING)
    assert (training[0].document, training[0].mandatory) == (DocumentType.PROOF_OF_TRAINING, True)
    child = documents_needed(LeaveKind.TIME_CREDIT_CARE, CareMotive.CHILD_UNDER_8)
    assert (child[0].document, child[0].mandatory) == (DocumentType.BIRTH_CERTIFICATE, True)
    unknown_motive = documents_needed(LeaveKind.TIME_CREDIT_CARE)
    assert (unknown_motive[0].document, unknown_motive[0].mandatory) == (DocumentType.PROOF_OF_MOTIVE, True)


@pytest.mark.parametrize("kind", list(LeaveKind))
def test_every_request_can_carry_an_other_document_listed_last_and_mandatory_ones_first(kind):
    documents = documents_needed(kind)
    assert (documents[-1].document, documents[-1].mandatory) == (DocumentType.OTHER, False)
    flags = [requirement.mandatory for requirement in documents]
    assert flags == sorted(flags, reverse=True)


# --- allowances (§2.3) -----------------------------------------------------------------------------------------


def test_complete_thematic_leave_978_24_gross_879_15_net_from_december_2022():
    """[S23]: index 01/12/2022."""
    estimate = indicative_allowance(MEDICAL, COMPLETE, date(2023, 3, 1))
    assert isinstance(estimate, AllowanceEstimate)
    assert (estimate.gross, estimate.net, estimate.valid_from) == (Decimal("978.24"), Decimal("879.15"),
                                                                    date(2022, 12, 1))
    half = indicative_allowance(PARENTAL, HALF, date(2023, 3, 1))
    assert (half.gross, half.net) == (Decimal("489.11"), Decimal("405.23"))


def test_single_parent_amounts_from_july_2023_and_none_before():
    """[S23]: 1 666,57 / 1 497,75 complete and 833,29 / 690,39 half-time, from 01/07/2023."""
    complete = indicative_allowance(PARENTAL, COMPLETE, date(2023, 8, 1), single_parent=True)
    assert (complete.gross, complete.net) == (Decimal("1666.57"), Decimal("1497.75"))
    half = indicative_allowance(PARENTAL, HALF, date(2023, 8, 1), single_parent=True)
    assert (half.gross, half.net, half.valid_from) == (Decimal("833.29"), Decimal("690.39"), date(2023, 7, 1))
    before = indicative_allowance(PARENTAL, COMPLETE, date(2023, 6, 30), single_parent=True)
    assert isinstance(before, NoRateKnown) and before.reason is NoRateReason.NO_ROW


def test_from_november_2023_the_net_amounts_only():
    """[S25]: 896,73 / 413,34 / 140,23 / 70,11 net; the gross is not published, so it is not guessed."""
    expected = {COMPLETE: "896.73", HALF: "413.34", FIFTH: "140.23", TENTH: "70.11"}
    for form, net in expected.items():
        estimate = indicative_allowance(PARENTAL, form, date(2026, 1, 15))
        assert (estimate.gross, estimate.net, estimate.valid_from) == (None, Decimal(net), date(2023, 11, 1))
    assert indicative_allowance(PARENTAL, COMPLETE, date(2026, 1, 15), single_parent=True).net == Decimal("1527.70")


def test_no_rate_known_rather_than_a_guess():
    assert indicative_allowance(PARENTAL, FIFTH, date(2023, 3, 1)).reason is NoRateReason.NO_ROW
    assert indicative_allowance(LeaveKind.END_OF_CAREER, HALF, date(2026, 3, 1)).reason is NoRateReason.NO_TABLE_FOR_KIND
    assert indicative_allowance(LeaveKind.TIME_CREDIT_CARE, FIFTH, date(2023, 3, 1),
                                seniority_years=8).reason is NoRateReason.NO_ROW
    assert indicative_allowance(LeaveKind.TIME_CREDIT_CARE, COMPLETE,
                                date(2023, 3, 1)).reason is NoRateReason.MISSING_INFORMATION
    assert indicative_allowance(LeaveKind.TIME_CREDIT_CARE, COMPLETE, date(2021, 8, 31),
                                seniority_years=8).reason is NoRateReason.NO_ROW


@pytest.mark.parametrize(
    ("on", "seniority", "gross", "net"),
    [
        (date(2022, 1, 1), 2, "531.08", "477.29"),
        (date(2022, 1, 1), 5, "619.59", "556.83"),
        (date(2024, 1, 1), 4, "563.59", "506.50"),
        (date(2024, 1, 1), 12, "657.53", "590.93"),
    ],
)
def test_complete_time_credit_by_seniority_and_date(on, seniority, gross, net):
    """[S24]: < 5 years / ≥ 5 years; indexes 01/09/2021 and 01/05/2022."""
    estimate = indicative_allowance(LeaveKind.TIME_CREDIT_TRAINING, COMPLETE, on, seniority_years=seniority)
    assert (estimate.gross, estimate.net) == (Decimal(gross), Decimal(net))


@pytest.mark.parametrize(
    ("seniority", "household", "age", "net"),
    [
        (3, Household.COHABITANT, 40, "197.26"),
        (3, Household.SINGLE, 40, "233.47"),
        (3, Household.COHABITANT, 50, "183.17"),
        (7, Household.COHABITANT, 55, "213.70"),
        (7, Household.SINGLE, 49, "272.38"),
    ],
)
def test_half_time_time_credit_net_by_household_and_age(seniority, household, age, net):
    estimate = indicative_allowance(LeaveKind.TIME_CREDIT_CARE, HALF, date(2023, 1, 1), seniority_years=seniority,
                                    household=household, worker_age=age)
    assert estimate.net == Decimal(net)
    assert estimate.rate.category.value.startswith("moins-5-ans" if seniority < 5 else "5-ans-et-plus")


def _withholding_of(rate: AllowanceRate) -> Decimal | None:
    if rate.form is COMPLETE:
        return WITHHOLDING_COMPLETE
    if rate.kind is RateKind.THEMATIC_LEAVE or "-isole-" in rate.category.value:
        return WITHHOLDING_PARTIAL_SINGLE
    if rate.category.value.endswith("moins-50-ans"):
        return WITHHOLDING_PARTIAL_COHABITANT
    return None  # cohabitant of 50 and over: not in domain.md


@pytest.mark.parametrize(
    "rate", [rate for rate in ALLOWANCE_RATES if rate.gross and rate.net and _withholding_of(rate)],
    ids=lambda rate: f"{rate.kind.value}-{rate.form.value}-{rate.category.value}-{rate.valid_from}",
)
def test_the_withholding_rates_give_back_every_net_of_the_tables(rate):
    """[S24]: 10,13 % complete, 30 % partial cohabitant, 17,15 % partial single; 978,24 → 879,15."""
    assert net_from_gross(rate.gross, _withholding_of(rate)) == rate.net


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
       st.sampled_from([WITHHOLDING_COMPLETE, WITHHOLDING_PARTIAL_COHABITANT, WITHHOLDING_PARTIAL_SINGLE]))
def test_the_withholding_is_the_rate_cut_to_the_cent(gross, rate):
    withheld = gross - net_from_gross(gross, rate)
    assert withheld <= gross * rate < withheld + Decimal("0.01")


def test_a_new_row_with_gross_only_gets_its_net_from_the_withholding():
    new_row = AllowanceRate(RateKind.THEMATIC_LEAVE, HALF, AllowanceCategory.BASE, date(2026, 3, 1),
                            Decimal("500.00"), None, "operator")
    rates = (*ALLOWANCE_RATES, new_row)
    single = indicative_allowance(PARENTAL, HALF, date(2026, 3, 1), household=Household.SINGLE, rates=rates)
    assert (single.net, single.withholding_rate, single.valid_from) == (Decimal("414.25"), Decimal("0.1715"),
                                                                         date(2026, 3, 1))
    unknown_household = indicative_allowance(PARENTAL, HALF, date(2026, 3, 1), rates=rates)
    assert (unknown_household.gross, unknown_household.net) == (Decimal("500.00"), None)
    assert indicative_allowance(PARENTAL, HALF, date(2026, 2, 28), rates=rates).net == Decimal("413.34")


def test_complete_interruption_of_a_part_time_job_is_prorated():
    """[S23]: prorated to the work regime."""
    estimate = indicative_allowance(MEDICAL, COMPLETE, date(2023, 3, 1), work_regime=Fraction(1, 2))
    assert (estimate.gross, estimate.net) == (Decimal("489.12"), Decimal("439.58"))


def test_rate_in_force_takes_the_latest_row_on_or_before_the_date():
    assert rate_in_force(RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.BASE, date(2023, 10, 31)).net == Decimal(
        "879.15")
    assert rate_in_force(RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.BASE, date(2023, 11, 1)).net == Decimal(
        "896.73")
    assert isinstance(rate_in_force(RateKind.THEMATIC_LEAVE, COMPLETE, AllowanceCategory.BASE, date(2022, 11, 30)),
                      NoRateKnown)


@pytest.mark.parametrize(
    ("kind", "born", "disabled", "expected"),
    [
        (PARENTAL, date(2014, 6, 1), False, True),  # 11
        (PARENTAL, date(2013, 6, 1), False, False),  # 12
        (MEDICAL, date(2008, 6, 2), False, True),  # 17
        (PALLIATIVE, date(2007, 6, 1), False, False),  # 18
        (AIDANT, date(2005, 6, 2), True, True),  # 20, disabled
        (LeaveKind.TIME_CREDIT_CARE, date(2020, 1, 1), False, False),
    ],
)
def test_single_parent_increase_by_the_childs_age(kind, born, disabled, expected):
    """[S23]: child under 12 (parental), under 18 (other thematic leaves), under 21 if disabled."""
    assert single_parent_increase_applies(kind, lives_only_with_dependent_children=True, child_birth_date=born,
                                          on=date(2025, 6, 1), child_is_disabled=disabled) is expected


def test_no_single_parent_increase_when_living_with_another_adult():
    assert not single_parent_increase_applies(PARENTAL, lives_only_with_dependent_children=False,
                                              child_birth_date=CHILD_BORN_2019, on=date(2025, 6, 1))


@pytest.mark.parametrize(("country", "allowed"), [("BE", True), ("nl", True), ("CH", True), ("NO", True),
                                                  ("GB", False), ("US", False), ("MA", False)])
def test_allowance_only_with_a_domicile_in_the_eea_or_switzerland(country, allowed):
    """[S28]: Belgium, another EEA country or Switzerland."""
    assert domicile_allows_allowance(country) is allowed


# --- legal bases (§2.1, §2.3.1) ----------------------------------------------------------------------------------


def basis_of(kind: LeaveKind):
    (basis,) = {ceiling.legal_basis for ceiling in CEILINGS if kind in ceiling.kinds}
    return basis


@pytest.mark.parametrize(("kind", "text"), [
    (PARENTAL, "AR du 29.10.1997 (congé parental)"),
    (LeaveKind.TIME_CREDIT_CARE, "CCT n° 103 (crédit-temps), modifiée par la CCT n° 103/6 du 27.09.2022"),
    (LeaveKind.TIME_CREDIT_TRAINING, "CCT n° 103 (crédit-temps), modifiée par la CCT n° 103/6 du 27.09.2022"),
    (LeaveKind.END_OF_CAREER,
     "CCT n° 103 (crédit-temps), modifiée pour la fin de carrière par la CCT n° 103/7 (en vigueur le 01.01.2026)"),
])
def test_the_maximums_name_the_legal_text_domain_md_gives(kind, text):
    """§2.1 [S14b][S20]: AR 29.10.1997 for parental leave; CCT n° 103, amended by 103/6 and 103/7."""
    basis = basis_of(kind)
    assert basis.text == text and basis.source_keys


@pytest.mark.parametrize(("kind", "pages"), [
    (MEDICAL, ("S8", "S9")), (PALLIATIVE, ("S10", "S10b")), (AIDANT, ("S11",)),
    (LeaveKind.PUBLIC_SECTOR_CAREER_BREAK, ("S21", "S21b")),
])
def test_without_a_legal_text_in_domain_md_the_maximums_say_so_and_keep_their_pages(kind, pages):
    basis = basis_of(kind)
    assert (basis.text, basis.source_keys) == (NO_LEGAL_TEXT_CITED, pages)
    assert "ONEM" not in basis.text  # a page is not named as if it were a law


def test_the_allowance_names_its_legal_basis():
    """§2.1: the right to the ONEM allowance of the time credit is AR 12.12.2001, amended by AR 26.01.2023 in
    force on 1.2.2023; parental leave has its AR; no legal text is given for the other thematic leaves."""
    for kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING):
        assert allowance_basis(kind).text == ("AR du 12.12.2001 (droit aux allocations de l'ONEM), modifié par "
                                              "l'AR du 26.01.2023 (en vigueur le 01.02.2023)")
    assert allowance_basis(PARENTAL).text == "AR du 29.10.1997 (congé parental)"
    for kind in (MEDICAL, PALLIATIVE, AIDANT):
        assert (allowance_basis(kind).text, allowance_basis(kind).source_keys) == (NO_LEGAL_TEXT_CITED, ("S23",))
    assert allowance_basis(LeaveKind.END_OF_CAREER) is None  # no table known here
    assert allowance_basis(LeaveKind.PUBLIC_SECTOR_CAREER_BREAK) is None


def test_the_single_parent_increase_of_the_one_fifth_time_credit_cites_the_ar_of_31_august_2021():
    """§2.3.1 [S27]: AR 31.08.2021, in force 1.07.2021, for the 1/5 time credit only."""
    for kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING):
        basis = single_parent_increase_basis(kind, FIFTH)
        assert basis.text == "AR du 31.08.2021 (montant majoré du crédit-temps à 1/5, en vigueur le 01.07.2021)"
        assert basis.source_keys == ("S27",)
        assert single_parent_increase_basis(kind, HALF) is None
        assert single_parent_increase_basis(kind, COMPLETE) is None
    assert single_parent_increase_basis(PARENTAL, TENTH) == allowance_basis(PARENTAL)
    assert single_parent_increase_basis(MEDICAL, COMPLETE) == allowance_basis(MEDICAL)
    assert single_parent_increase_basis(LeaveKind.END_OF_CAREER, FIFTH) is None


# --- Break@work (§2.4) ------------------------------------------------------------------------------------------


def test_break_at_work_for_a_parental_leave_at_a_fifth():
    """Demo data: Marie's 1/5 parental leave for her daughter born in 2019: 10 months at 1/5 = 2 months."""
    history = [
        TakenPeriod(PARENTAL, FIFTH, *months_from(date(2021, 1, 1), 5), "lea"),
        TakenPeriod(PARENTAL, FIFTH, *months_from(date(2022, 1, 1), 5), "lea"),
    ]
    (lea,) = [item for item in balances(history, children={"lea": CHILD_BORN_2019}) if item.rule == "parental-per-child"]
    assert (lea.subject_id, lea.taken, lea.available) == ("lea", MonthsAndDays(2), MonthsAndDays(2))
    assert (lea.taken_in(FIFTH), lea.available_in(FIFTH), lea.available_in(TENTH)) == (
        MonthsAndDays(10), MonthsAndDays(10), MonthsAndDays(20))
    assert lea.paid_available_months == 2
    assert "29.10.1997" in lea.legal_basis.text
    assert [counted.length for counted in lea.counted] == [MonthsAndDays(5), MonthsAndDays(5)]
    assert [counted.months for counted in lea.counted] == [1, 1]


def test_parental_fourth_month_paid_only_for_children_from_8_march_2012():
    """[S5]."""
    assert parental_paid_months(date(2012, 3, 7)) == 3
    assert parental_paid_months(date(2012, 3, 8)) == 4


def test_break_at_work_per_patient_and_over_the_career():
    history = [
        TakenPeriod(MEDICAL, COMPLETE, *months_from(date(2023, 1, 1), 3), "mother"),
        TakenPeriod(MEDICAL, COMPLETE, *months_from(date(2024, 1, 1), 2), "father"),
        TakenPeriod(MEDICAL, COMPLETE, date(2024, 6, 3), date(2024, 6, 16), "father"),  # 2 weeks
        TakenPeriod(MEDICAL, HALF, *months_from(date(2019, 1, 1), 1)),  # for whom is not yet known
        TakenPeriod(LeaveKind.TIME_CREDIT_CARE, HALF, *months_from(date(2020, 1, 1), 12)),
        TakenPeriod(LeaveKind.TIME_CREDIT_TRAINING, FIFTH, *months_from(date(2022, 1, 1), 6)),
    ]
    result = {(item.rule, item.subject_id): item for item in balances(history)}
    father = result[("medical-assistance-complete-per-patient", "father")]
    assert (father.taken, father.available) == (MonthsAndDays(2, 15), MonthsAndDays(9, 15))
    assert [counted.in_weeks for counted in father.counted] == [False, True]
    assert result[("medical-assistance-complete-per-patient", "mother")].available == MonthsAndDays(9)
    assert result[("medical-assistance-partial-per-patient", None)].taken == MonthsAndDays(1)
    assert result[("time-credit-with-motive-career", None)].taken == MonthsAndDays(18)
    assert result[("time-credit-with-motive-career", None)].available == MonthsAndDays(33)
    assert result[("time-credit-training-career", None)].available == MonthsAndDays(30)
    assert result[("end-of-career-until-pension", None)].available is None
    career_rules = {ceiling.key for ceiling in CEILINGS if ceiling.counted_per is CountedPer.CAREER}
    assert career_rules <= {rule for rule, _subject in result}


def test_break_at_work_grouped_by_kind():
    grouped = balances_by_kind(balances([], children={"lea": CHILD_BORN_2019}))
    assert [item.rule for item in grouped[PARENTAL]] == ["parental-per-child"]
    assert grouped[PARENTAL][0].available_in(TENTH) == MonthsAndDays(40)
    shared = "time-credit-with-motive-career"
    assert shared in [item.rule for item in grouped[LeaveKind.TIME_CREDIT_CARE]]
    assert shared in [item.rule for item in grouped[LeaveKind.TIME_CREDIT_TRAINING]]
    assert MEDICAL not in grouped  # no patient yet: a new patient starts with the full maximum


def test_break_at_work_shows_an_exceeded_maximum_and_the_doubled_one():
    history = [TakenPeriod(MEDICAL, COMPLETE, *months_from(date(2010, 1, 1), 14), "child")]
    (ceiling,) = ceilings_for(MEDICAL, COMPLETE)
    plain = balance(ceiling, history, "child")
    assert plain.exceeded and plain.available == MonthsAndDays(0)
    doubled = balance(ceiling, history, "child", doubled=True)
    assert (doubled.maximum_months, doubled.available, doubled.exceeded) == (24, MonthsAndDays(10), False)


@given(st.lists(st.tuples(st.sampled_from([COMPLETE, HALF, FIFTH, TENTH]), st.integers(1, 6),
                          st.integers(0, 200)), max_size=6))
def test_taken_and_available_make_the_capital(periods):
    history = [TakenPeriod(PARENTAL, form, *months_from(add_months(date(2015, 1, 1), offset), months), "lea")
               for form, months, offset in periods]
    (ceiling,) = ceilings_for(PARENTAL, COMPLETE)
    result = balance(ceiling, history, "lea")
    if not result.exceeded:
        assert result.taken_months + result.available_months == 4
    else:
        assert result.available_months == 0


# --- tickets (§3) -----------------------------------------------------------------------------------------------


def test_the_ticket_alphabet_leaves_out_the_characters_people_confuse():
    assert len(TICKET_ALPHABET) == len(set(TICKET_ALPHABET)) == 30
    assert not set("IOQZ01") & set(TICKET_ALPHABET)


def test_a_ticket_number_is_three_groups_of_three():
    pattern = re.compile(rf"[{TICKET_ALPHABET}]{{3}}-[{TICKET_ALPHABET}]{{3}}-[{TICKET_ALPHABET}]{{3}}")
    for _ in range(200):
        assert pattern.fullmatch(new_ticket_number())


def test_ticket_numbers_come_from_the_random_source_and_do_not_repeat():
    assert new_ticket_number(random.Random(4).choice) == new_ticket_number(random.Random(4).choice)
    assert len({new_ticket_number() for _ in range(5000)}) == 5000


@pytest.mark.parametrize("typed", ["K7F-4TR-9XW", "k7f 4tr 9xw", " k7f4tr9xw ", "K7F–4TR–9XW", "k7f-4TR 9xw"])
def test_a_typed_ticket_number_is_read_back(typed):
    assert parse_ticket_number(typed) == "K7F-4TR-9XW"


@pytest.mark.parametrize("typed", ["", "K7F-4TR-9X", "K7F-4TR-9XWW", "K7F-4TR-9X0", "KOF-4TR-9XW", "K1F-4TR-9XW",
                                   "Z7F-4TR-9XW", "K7F_4TR_9XW", "k7f4tr9xß"])
def test_what_cannot_be_a_ticket_number_is_refused(typed):
    with pytest.raises(InvalidTicketNumber):
        parse_ticket_number(typed)
    assert not is_ticket_number(typed)


@given(st.randoms(use_true_random=False), st.lists(st.sampled_from(["", " ", "-", "  "]), min_size=10, max_size=10),
       st.booleans())
def test_any_ticket_number_survives_spacing_and_case(rng, separators, lower):
    number = new_ticket_number(rng.choice)
    characters = number.replace("-", "")
    typed = "".join(separator + character for separator, character in zip(separators, characters)) + separators[-1]
    assert parse_ticket_number(typed.lower() if lower else typed) == number


@given(st.text(max_size=15))
def test_parsing_any_text_gives_a_ticket_number_or_refuses_it(text):
    try:
        number = parse_ticket_number(text)
    except InvalidTicketNumber:
        return
    assert parse_ticket_number(number) == number
    assert set(number.replace("-", "")) <= set(TICKET_ALPHABET)
