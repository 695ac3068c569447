"""NISS and enterprise numbers (domain.md §1.4), through python-stdnum."""

import pytest

from app.rules.identifiers import (
    ValidationError,
    compact_enterprise_number,
    compact_niss,
    format_enterprise_number,
    format_niss,
)


@pytest.mark.parametrize(
    "number",
    ["85073003328", "17073003384", "98472899765", "01490700185", "75060898009", "00000100195",
     "00400100184", "85.07.30-033.28", " 88 04 12 002 59 "],
)
def test_valid_niss_and_bis_numbers(number):
    assert len(compact_niss(number)) == 11


@pytest.mark.parametrize("number", ["12345678901", "85133000105", "8507300332", "abcdefghijk", ""])
def test_invalid_niss(number):
    with pytest.raises(ValidationError):
        compact_niss(number)


def test_niss_presentation_format():
    assert format_niss("88041200259") == "88.04.12-002.59"


@pytest.mark.parametrize("number", ["0412.345.614", "0456789133", "BE 0212 345 767"])
def test_valid_enterprise_numbers(number):
    assert format_enterprise_number(compact_enterprise_number(number)) in (
        "0412.345.614", "0456.789.133", "0212.345.767",
    )


def test_invalid_enterprise_number():
    with pytest.raises(ValidationError):
        compact_enterprise_number("0412.345.615")
