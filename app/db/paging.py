"""Newest-first pages by keyset: a page starts after (or ends before) the key of a row the previous
page showed, so it costs the same however many rows come before it (budget P5); the links carry that
key (`?apres=123`, `?avant=456`), not an offset.

    page = await newest_first(query, AuditRecord.sequence, "sequence", after=after, before=before,
                              page_size=20)
    page.items                   # the rows, newest first
    page.previous_before         # `avant=` of the newer page, when there is one
    page.next_after              # `apres=` of the older page, when there is one
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from piccolo.columns import Column
from piccolo.query import Select

Item = TypeVar("Item")
Other = TypeVar("Other")


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    previous_before: int | None  # the key to go back from, when there is a newer page
    next_after: int | None  # the key to go on from, when there is an older page

    def map(self, convert: Callable[[Item], Other]) -> Page[Other]:
        return Page([convert(item) for item in self.items], self.previous_before, self.next_after)


async def newest_first(query: Select, key_column: Column, key: str, *, after: int | None = None,
                       before: int | None = None, page_size: int) -> Page[dict[str, Any]]:
    """One page of `query`'s rows in descending `key_column` (its value in each row is `row[key]`):
    the first page, the page after `after`, or the page before `before` (read ascending from there,
    then turned round). One query of page_size + 1 rows: the extra row says whether there is more."""
    backwards = before is not None and after is None
    if backwards:
        query = query.where(key_column > before).order_by(key_column)
    else:
        if after is not None:
            query = query.where(key_column < after)
        query = query.order_by(key_column, ascending=False)
    rows = await query.limit(page_size + 1)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    first, last = rows[0][key], rows[-1][key]
    if backwards:
        return Page(rows, first if more else None, last)
    return Page(rows, first if after is not None else None, last if more else None)
