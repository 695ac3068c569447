"""Belgian identifiers, validated by python-stdnum (domain.md §1)."""

from __future__ import annotations

from stdnum.be import ssn, vat
from stdnum.exceptions import ValidationError


def compact_niss(value: str) -> str:
    """The 11 digits of a NISS (national register or BIS number), or ValidationError."""
    number = ssn.compact(value)
    ssn.validate(number)
    return number


def format_niss(value: str) -> str:
    """`88041200259` → `88.04.12-002.59`, the presentation format."""
    return ssn.format(value)


def compact_enterprise_number(value: str) -> str:
    """The 10 digits of an enterprise number (BCE/KBO), or ValidationError."""
    number = vat.compact(value)
    vat.validate(number)
    return number


def format_enterprise_number(value: str) -> str:
    """`0412345614` → `0412.345.614`."""
    number = vat.compact(value)
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


__all__ = [
    "ValidationError",
    "compact_enterprise_number",
    "compact_niss",
    "format_enterprise_number",
    "format_niss",
]
