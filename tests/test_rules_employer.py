"""The employer's part: pure rules (guide 001, domain.md §1.4, §2.2, §7)."""

import datetime

import pytest

from app.rules.careerbreak import LeaveKind, Sex
from app.rules.employer import (
    NissProblem,
    WorkerStatus,
    birth_date_of,
    compact,
    is_commission_paritaire_code,
    kinds_for,
    latest_notice_date,
    may_pick_from_dimona,
    niss_problem,
    notice_is_late,
    notice_months,
    sex_of,
    statuses_for,
)

TODAY = datetime.date(2026, 11, 22)


def with_check_digits(nine: str, *, born_in_2000s: bool = False) -> str:
    base = int(("2" if born_in_2000s else "") + nine)
    return f"{nine}{97 - base % 97:02d}"


@pytest.mark.parametrize("number", [
    "85073003328", "17073003384", "98472899765", "01490700185", "75060898009", "00000100195", "00400100184",
    "85.07.30-033.28", " 85 07 30 033 28 ",
])
def test_the_valid_vectors_of_domain_1_4(number):
    assert niss_problem(number, TODAY) is None


@pytest.mark.parametrize("number, problem", [
    ("", NissProblem.EMPTY),
    ("   ", NissProblem.EMPTY),
    ("abcdefghijk", NissProblem.FORMAT),
    ("85073003328x", NissProblem.FORMAT),
    ("00000000000", NissProblem.FORMAT),
    ("8507300332", NissProblem.LENGTH),
    ("850730033280", NissProblem.LENGTH),
    ("12345678901", NissProblem.CHECK_DIGITS),  # domain.md §1.4: invalid checksum
    ("85073003329", NissProblem.CHECK_DIGITS),
    ("85133000105", NissProblem.MONTH),  # domain.md §1.4: invalid month 13
    (with_check_digits("851530001"), NissProblem.MONTH),  # month 15: neither NN nor BIS
    (with_check_digits("853330001"), NissProblem.BIS_MONTH),  # month 33: 20-32 or 40-52 only
    (with_check_digits("855530001"), NissProblem.BIS_MONTH),  # month 55
    (with_check_digits("990101001", born_in_2000s=True), NissProblem.FUTURE_BIRTH_YEAR),  # 2099
])
def test_each_wrong_niss_has_its_own_reason(number, problem):
    assert niss_problem(number, TODAY) is problem


def test_wide_digits_are_read_as_digits():
    """python-stdnum's clean() maps full-width digits (a phone's keyboard) to ASCII ones."""
    assert niss_problem("８５０７３００３３２８", TODAY) is None
    assert compact("８５.０７.３０-０３３.２８") == "85073003328"


def test_the_2000_rule_depends_on_the_year_reached():
    born_2017 = "17073003384"  # domain.md §1.4: only the 2000 rule fits
    assert niss_problem(born_2017, TODAY) is None
    assert niss_problem(born_2017, datetime.date(2016, 1, 1)) is None  # python-stdnum decides on today's date


def test_the_birth_date_and_sex_a_niss_tells():
    assert birth_date_of("85073003328") == datetime.date(1985, 7, 30)
    assert birth_date_of("17073003384") == datetime.date(2017, 7, 30)
    assert birth_date_of("98472899765") == datetime.date(1998, 7, 28)  # BIS, month 47
    assert birth_date_of("00000100195") is None  # unknown date
    assert sex_of("85073003328") is Sex.MALE
    assert sex_of("75060898009") is Sex.FEMALE
    assert sex_of("98472899765") is Sex.MALE  # BIS, month + 40: the sex was known
    assert sex_of(with_check_digits("982728997")) is None  # BIS, month + 20: it was not


@pytest.mark.parametrize("code, valid", [
    ("200", True), ("140.03", True), ("102.01", True), ("100", True),
    ("20", False), ("2000", False), ("200.1", False), ("200.123", False), ("200.", False), (".01", False),
    ("abc", False), ("", False), ("200 ", False), ("200\n", False), ("２００", False),
])
def test_the_commission_paritaire_format(code, valid):
    assert is_commission_paritaire_code(code) is valid


@pytest.mark.parametrize("headcount, allowed", [(42, True), (99, True), (100, False), (180, False), (None, False)])
def test_the_dimona_file_only_below_100_workers(headcount, allowed):
    assert may_pick_from_dimona(headcount) is allowed


@pytest.mark.parametrize("public_sector, headcount, months", [
    (False, 21, 3), (False, 180, 3), (False, 20, 6), (False, 1, 6), (False, None, None), (True, None, 2),
])
def test_the_notice_period_by_headcount(public_sector, headcount, months):
    assert notice_months(public_sector=public_sector, workers_under_contract=headcount) == months


def test_a_late_notice_is_told_apart():
    start = datetime.date(2027, 1, 1)
    assert latest_notice_date(start, 3) == datetime.date(2026, 10, 1)
    assert latest_notice_date(datetime.date(2027, 5, 31), 3) == datetime.date(2027, 2, 28)
    assert not notice_is_late(datetime.date(2026, 10, 1), start, 3)
    assert notice_is_late(datetime.date(2026, 10, 2), start, 3)
    assert notice_is_late(datetime.date(2026, 10, 2), start, 6)
    assert not notice_is_late(datetime.date(2026, 12, 31), start, None)


def test_the_sector_decides_the_kinds_and_statuses():
    assert LeaveKind.TIME_CREDIT_CARE in kinds_for(False)
    assert LeaveKind.PUBLIC_SECTOR_CAREER_BREAK not in kinds_for(False)
    assert LeaveKind.PUBLIC_SECTOR_CAREER_BREAK in kinds_for(True)
    assert LeaveKind.END_OF_CAREER not in kinds_for(True)
    assert all(LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE not in kinds_for(sector) for sector in (False, True))
    assert LeaveKind.PARENTAL in kinds_for(True) and LeaveKind.PARENTAL in kinds_for(False)
    assert statuses_for(False) == (WorkerStatus.MANUAL, WorkerStatus.WHITE_COLLAR)
    assert statuses_for(True) == (WorkerStatus.CONTRACT_STAFF, WorkerStatus.STATUTORY)
