"""What every service's forms share: the type of a posted form, the one way to read an id, and the
day / month / year date field (GOV.UK's pattern: three boxes, `name-day`, `name-month`, `name-year`;
the error links to `name-day`; the macro is `date_input` in templates/components/fields.html).

    async def send(self, request: Request, data: FormData) -> Response:
        data.get("document")                 # a str or None, never a list
    parse_id(request_id)                     # an int of the databases' range, or None: not found
    start, problem = parse_date(answers, "debut")
    if problem is DateProblem.MISSING: ...   # each form words the problem for its own field
"""

from __future__ import annotations

import datetime
import enum
import re
from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body


class Form(dict[str, str]):
    """A form posted without JavaScript (or by htmx): each field once, as a string.

    A field sent twice counts by its first value: no form of Guichet repeats a name, and a handler
    that reads a string must never be handed a list. The control characters no field of a browser
    sends (those of C0 but tab, line feed and carriage return, and DEL) are dropped; NUL never gets
    this far (`app/web/input_guard.py` answers 400)."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _one_string(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return _CONTROL.sub("", value) if isinstance(value, str) else ""


def read_form(_type: type, fields: Any) -> Form:
    """Litestar's type decoder of `Form` (`FORM_DECODERS`, given to the app in app/asgi.py)."""
    return Form({str(name): _one_string(value) for name, value in dict(fields).items()})


FORM_DECODERS = [(lambda kind: kind is Form, read_form)]

# The `data` of a handler that reads a posted form.
FormData = Annotated[Form, Body(media_type=RequestEncodingType.URL_ENCODED)]

# Ids and versions are positive integers of the databases' 32-bit integer columns (Piccolo's Serial,
# PostgreSQL's integer); the keys of a keyset page over a 64-bit column (the audit trail's sequence)
# go up to MAX_BIG_ID. A larger number, or anything that is not one, names nothing: not found, never a
# database error.
MAX_ID = 2**31 - 1
MAX_BIG_ID = 2**63 - 1


def parse_id(value: Any, *, maximum: int = MAX_ID) -> int | None:
    """An id from a path, a query or a hidden field (ASCII digits only, no sign), or an int a path
    converter read; None when it is not one of the databases' range."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(maximum)):
        number = int(value)
    else:
        return None
    return number if 0 < number <= maximum else None


DATE_PARTS = ("day", "month", "year")  # the hint, "Par exemple 12 3 2019", is date_input's (fields.html)


class DateProblem(enum.Enum):
    MISSING = "missing"          # nothing typed
    INCOMPLETE = "incomplete"    # a part left empty
    NOT_A_DATE = "not-a-date"    # not digits, or no such day (31 2 2026)
    YEAR_DIGITS = "year-digits"  # the year is not four digits (26 for 2026)
    OUT_OF_RANGE = "out-of-range"  # before or after the years the form accepts


def date_error_field(name: str) -> str:
    """The field an error of the date `name` points to: its first box."""
    return f"{name}-day"


def typed_date(values: dict[str, Any], name: str) -> dict[str, str]:
    """The three parts as typed (what the form shows again), trimmed."""
    parts = {}
    for part in DATE_PARTS:
        value = values.get(f"{name}-{part}")
        parts[part] = value.strip() if isinstance(value, str) else ""
    return parts


def parse_date(values: dict[str, Any], name: str, *, earliest_year: int = 1900,
               latest_year: int = 2100) -> tuple[datetime.date | None, DateProblem | None]:
    """The date typed in the three boxes of `name`, or what is wrong with it. Only ASCII digits
    count (no signs, no other scripts' digits), and the year has four of them."""
    typed = typed_date(values, name)
    day, month, year = (typed[part] for part in DATE_PARTS)
    if not any((day, month, year)):
        return None, DateProblem.MISSING
    if not all((day, month, year)):
        return None, DateProblem.INCOMPLETE
    if not all(part.isascii() and part.isdigit() and len(part) <= 4 for part in (day, month, year)):
        return None, DateProblem.NOT_A_DATE
    if len(year) != 4:
        return None, DateProblem.YEAR_DIGITS
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None, DateProblem.NOT_A_DATE
    if not earliest_year <= date.year <= latest_year:
        return None, DateProblem.OUT_OF_RANGE
    return date, None
