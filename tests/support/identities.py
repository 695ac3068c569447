"""Valid identifiers for tests that need many distinct people."""

from __future__ import annotations

import datetime


def niss_for(birth_date: datetime.date, sequence: int) -> str:
    """A valid national register number (born before 2000) for this date and daily sequence."""
    if birth_date.year >= 2000:
        raise ValueError("this helper makes numbers for people born in the 1900s")
    base = f"{birth_date:%y%m%d}{sequence:03d}"
    return f"{base}{97 - int(base) % 97:02d}"
