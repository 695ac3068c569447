"""Pages by keyset (`keyset_page`, and `newest_first` for the usual one-column case): a page starts after (or ends before) the key of a row the previous
page showed, so it costs the same however many rows come before it (budget P5); the links carry that
key (`?apres=123`, `?avant=456`), not an offset.

    page = await newest_first(query, AuditRecord.sequence, "sequence", after=after, before=before,
                              page_size=20)
    page.items                   # the rows, newest first
    page.previous_before         # `avant=` of the newer page, when there is one
    page.next_after              # `apres=` of the older page, when there is one
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from piccolo.columns import Column
from piccolo.query import Select

Item = TypeVar("Item")
Key = TypeVar("Key")
Other = TypeVar("Other")


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    previous_before: Any  # the key to go back from, when there is an earlier page
    next_after: Any  # the key to go on from, when there is a later page

    def map(self, convert: Callable[[Item], Other]) -> Page[Other]:
        return Page([convert(item) for item in self.items], self.previous_before, self.next_after)


@dataclass(frozen=True)
class Keyset(Generic[Key]):
    """How a list is ordered and cut, for `keyset_page`: `forward` orders the query from the first
    row shown to the last (a list of (column or expression, ascending)); `after(key)` and
    `before(key)` are the conditions of the rows later and earlier in that order than a row whose key
    is `key`; `key_of(row)` reads a row's key."""

    forward: Sequence[tuple[Any, bool]]
    after: Callable[[Key], Any]
    before: Callable[[Key], Any]
    key_of: Callable[[dict[str, Any]], Key]


async def keyset_page(query: Select, keyset: Keyset[Key], *, after: Key | None = None, before: Key | None = None,
                      page_size: int) -> Page[dict[str, Any]]:
    """One page of `query`'s rows in the keyset's order: the first page, the page after `after`, or
    the page before `before` (read in the reverse order from there, then turned round). One query of
    page_size + 1 rows: the extra row says whether there is more."""
    backwards = before is not None and after is None
    if backwards:
        query = query.where(keyset.before(before))
        for column, ascending in keyset.forward:
            query = query.order_by(column, ascending=not ascending)
    else:
        if after is not None:
            query = query.where(keyset.after(after))
        for column, ascending in keyset.forward:
            query = query.order_by(column, ascending=ascending)
    rows = await query.limit(page_size + 1)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    first, last = keyset.key_of(rows[0]), keyset.key_of(rows[-1])
    if backwards:
        return Page(rows, first if more else None, last)
    return Page(rows, first if after is not None else None, last if more else None)


async def newest_first(query: Select, key_column: Column, key: str, *, after: int | None = None,
                       before: int | None = None, page_size: int) -> Page[dict[str, Any]]:
    """One page of `query`'s rows in descending `key_column` (its value in each row is `row[key]`)."""
    keyset = Keyset(forward=[(key_column, False)], after=lambda value: key_column < value,
                    before=lambda value: key_column > value, key_of=lambda row: row[key])
    return await keyset_page(query, keyset, after=after, before=before, page_size=page_size)
