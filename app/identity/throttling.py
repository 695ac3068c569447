"""Throttling (budget S4), with counters in the database so that every instance shares them.

- a password: at most 10 failures per account per 15 minutes, each failure answered more slowly;
- a one-time code: at most 5 tries, then the login attempt starts again;
- e-mail codes: at most 3 sent per account per 15 minutes.
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


async def count(scope: str) -> int:
    row = await ThrottleCounter.select(
        ThrottleCounter.failures, ThrottleCounter.window_started_at
    ).where(ThrottleCounter.scope == scope).first()
    if row is None or utcnow() - row["window_started_at"] >= WINDOW:
        return 0
    return row["failures"]


async def add(scope: str) -> int:
    """Counts one more event in the current window; returns the new count."""
    now = utcnow()
    async with transaction():
        row = await ThrottleCounter.select().where(ThrottleCounter.scope == scope).first()
        if row is None:
            await ThrottleCounter.insert(
                ThrottleCounter(scope=scope, window_started_at=now, failures=1)
            )
            return 1
        if now - row["window_started_at"] >= WINDOW:
            await ThrottleCounter.update(
                {ThrottleCounter.window_started_at: now, ThrottleCounter.failures: 1}
            ).where(ThrottleCounter.scope == scope)
            return 1
        await ThrottleCounter.update(
            {ThrottleCounter.failures: ThrottleCounter.failures + 1}
        ).where(ThrottleCounter.scope == scope)
        return row["failures"] + 1


async def clear(scope: str) -> None:
    await ThrottleCounter.delete().where(ThrottleCounter.scope == scope)


def password_scope(username: str) -> str:
    name = username.strip().lower()
    if len(name) > 64:  # never longer than the column, whatever was typed
        name = hashlib.sha256(name.encode()).hexdigest()
    return f"password:{name}"


def email_code_scope(person_id: int) -> str:
    return f"email-code:{person_id}"


async def slow_down_after_failure(failures: int) -> None:
    """The growing delay: 0.25 s after the first failure, doubling, at most 4 s."""
    await asyncio.sleep(min(0.25 * 2 ** (failures - 1), 4.0))
