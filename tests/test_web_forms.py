"""What every form shares (app/web/forms.py): the posted form, the id, the day / month / year field."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.web.forms import MAX_BIG_ID, MAX_ID, DateProblem, Form, parse_date, parse_id, read_form, typed_date


def typed(day: str, month: str, year: str) -> dict[str, str]:
    return {"d-day": day, "d-month": month, "d-year": year}


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_real_date_typed_as_people_type_it_is_read(date):
    for day, month in ((str(date.day), str(date.month)), (f"{date.day:02}", f"{date.month:02}")):
        assert parse_date(typed(f" {day}", month, f"{date.year} "), "d") == (date, None)


@pytest.mark.parametrize(("day", "month", "year", "problem"), [
    ("", "", "", DateProblem.MISSING),
    ("12", "", "2019", DateProblem.INCOMPLETE),
    ("31", "2", "2026", DateProblem.NOT_A_DATE),
    ("12", "13", "2019", DateProblem.NOT_A_DATE),
    ("+1", "3", "2019", DateProblem.NOT_A_DATE),
    ("١٢", "3", "2019", DateProblem.NOT_A_DATE),  # Arabic-Indic digits: int() would take them
    ("12", "3", "19", DateProblem.YEAR_DIGITS),
    ("12", "3", "1899", DateProblem.OUT_OF_RANGE),
    ("12", "3", "2101", DateProblem.OUT_OF_RANGE),
])
def test_each_fault_is_named(day, month, year, problem):
    assert parse_date(typed(day, month, year), "d") == (None, problem)


def test_the_range_is_the_form_s():
    assert parse_date(typed("1", "1", "1850"), "d", earliest_year=1) == (datetime.date(1850, 1, 1), None)


def test_what_was_typed_is_kept_for_the_form_and_anything_else_is_ignored():
    assert typed_date({"d-day": " 4 ", "d-month": ["x"], "other": "1"}, "d") == {"day": "4", "month": "", "year": ""}


@pytest.mark.parametrize("day", ["2147483648", "9" * 10_000])
def test_a_part_past_any_integer_is_not_a_date(day):
    assert parse_date(typed(day, "3", "2019"), "d") == (None, DateProblem.NOT_A_DATE)
    assert parse_date(typed("12", day, "2019"), "d") == (None, DateProblem.NOT_A_DATE)


def test_a_posted_form_gives_each_field_once_as_a_string_without_control_characters():
    posted = {"a": ["1", "2"], "b": "x\x01y\tz\r\n\x7f", "c": [], "d": "\x00"}
    assert read_form(Form, posted) == {"a": "1", "b": "xy\tz\r\n", "c": "", "d": ""}


@given(st.integers())
def test_an_id_is_a_number_of_the_databases_range(number):
    expected = number if 0 < number <= MAX_ID else None
    assert parse_id(str(number)) == expected
    assert parse_id(number) == expected
    assert parse_id(str(number), maximum=MAX_BIG_ID) == (number if 0 < number <= MAX_BIG_ID else None)


@pytest.mark.parametrize("value", ["", " 1", "1 ", "+1", "1.0", "١", "²", "0x1", "1_0", "9" * 10_000, None,
                                   ["1"], True])
def test_anything_else_is_no_id(value):
    assert parse_id(value) is None
