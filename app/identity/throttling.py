"""Throttling (budget S4), with counters in the database so that every instance shares them.

- a password: at most 10 failures per account per 15 minutes, each failure answered more slowly;
- a one-time code: at most 5 tries, then the login attempt starts again;
- e-mail codes: at most 3 sent per account per 15 minutes.

Every attempt is reserved (`reserve`) before it is checked, so that concurrent guesses count one by
one; a success clears the scope (`clear`).
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib

from app.clock import utcnow
from app.db import transaction
from app.identity.tables import ThrottleCounter

WINDOW = datetime.timedelta(minutes=15)
MAX_PASSWORD_FAILURES = 10
MAX_CODE_TRIES = 5
MAX_EMAIL_CODES = 3


# One statement, atomic on both databases: the first attempt of a scope inserts its row, the next
# ones add one (a new window starts at one), and each gets its own number back. Two instances, or two
# tabs, guessing at once thus count every guess, and never both insert the row.
_RESERVE = (
    f"INSERT INTO {ThrottleCounter._meta.tablename} (scope, window_started_at, failures) "
    "VALUES ({}, {}, 1) ON CONFLICT (scope) DO UPDATE SET "
    f"failures = CASE WHEN {ThrottleCounter._meta.tablename}.window_started_at <= {{}} THEN 1 "
    f"ELSE {ThrottleCounter._meta.tablename}.failures + 1 END, "
    f"window_started_at = CASE WHEN {ThrottleCounter._meta.tablename}.window_started_at <= {{}} "
    f"THEN excluded.window_started_at ELSE {ThrottleCounter._meta.tablename}.window_started_at END "
    "RETURNING failures"
)


async def reserve(scope: str) -> int:
    """Counts one more attempt in the scope's current window, before the attempt is checked, and
    returns its number: the caller refuses it when the number is past the limit."""
    now = utcnow()
    window_start = now - WINDOW
    async with transaction():
        rows = await ThrottleCounter.raw(_RESERVE, scope, now, window_start, window_start)
    return rows[0]["failures"]


async def clear(scope: str) -> None:
    await ThrottleCounter.delete().where(ThrottleCounter.scope == scope)


def password_scope(username: str) -> str:
    name = username.strip().lower()
    if len(name) > 64:  # never longer than the column, whatever was typed
        name = hashlib.sha256(name.encode()).hexdigest()
    return f"password:{name}"


def email_code_scope(person_id: int) -> str:
    return f"email-code:{person_id}"


def code_scope(login_attempt: str) -> str:
    """The tries of one login attempt's security code."""
    return f"code:{login_attempt}"


async def slow_down_after_failure(failures: int) -> None:
    """The growing delay: 0.25 s after the first failure, doubling, at most 4 s."""
    await asyncio.sleep(min(0.25 * 2 ** (failures - 1), 4.0))
