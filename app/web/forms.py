"""What every service's forms share: the type of a posted form, and the day / month / year date field
(GOV.UK's pattern: three boxes, `name-day`, `name-month`, `name-year`; the error links to `name-day`;
the macro is `date_input` in templates/components/fields.html).

    start, problem = DATE_FIELD.parse(answers, "debut")
    if problem is DateProblem.MISSING: ...   # each form words the problem for its own field
"""

from __future__ import annotations

import datetime
import enum
from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body


# A form posted without JavaScript (or by htmx): its fields as strings.
FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

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
