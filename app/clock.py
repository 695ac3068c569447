"""The time: instants are kept in UTC; the day a Belgian user means is Brussels' day."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

BELGIAN_TIME = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def belgian_date(moment: datetime.datetime) -> datetime.date:
    """The day it was in Belgium at that instant (a document sent at 00:30 in Brussels is dated that day)."""
    return moment.astimezone(BELGIAN_TIME).date()


def belgian_today() -> datetime.date:
    return belgian_date(utcnow())
