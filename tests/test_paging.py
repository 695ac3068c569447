"""Newest-first keyset pages (app/db/paging.py), walked both ways over a real table."""

from __future__ import annotations

import pytest

from app.db.paging import newest_first
from app.mail.tables import OutboxMessage


async def ids_of(count: int) -> list[int]:
    if count:
        await OutboxMessage.insert(*[OutboxMessage(recipient=f"{n}@example.be", subject="s", body="b")
                                     for n in range(count)])
    return sorted((row["id"] for row in await OutboxMessage.select(OutboxMessage.id)), reverse=True)


def page_of(**keys):
    return newest_first(OutboxMessage.select(OutboxMessage.id), OutboxMessage.id, "id", page_size=3, **keys)


@pytest.mark.parametrize("count", [0, 1, 3, 4, 7])
async def test_next_links_walk_every_row_once_newest_first_and_back_links_walk_back(count):
    ids = await ids_of(count)
    pages, after = [], None
    while True:
        page = await page_of(after=after)
        pages.append(page)
        assert (page.previous_before is None) == (after is None)
        if page.next_after is None:
            break
        after = page.next_after
    assert [row["id"] for page in pages for row in page.items] == ids
    # From the last page, the "previous" links give the same pages again, in reverse.
    before, back = pages[-1].previous_before, []
    while before is not None:
        page = await page_of(before=before)
        back.append([row["id"] for row in page.items])
        before = page.previous_before
    assert back == [[row["id"] for row in page.items] for page in reversed(pages[:-1])]


async def test_map_keeps_the_links():
    await ids_of(5)
    page = await page_of()
    mapped = page.map(lambda row: row["id"] * 10)
    assert mapped.items == [row["id"] * 10 for row in page.items]
    assert (mapped.previous_before, mapped.next_after) == (page.previous_before, page.next_after)
