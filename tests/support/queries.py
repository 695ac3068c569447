"""Counting the queries a page runs (budget P6: no N+1 on any page)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def count_queries(engine) -> Iterator[list[str]]:
    """Yields the list of the SQL statements run through `engine` inside the block."""
    statements: list[str] = []
    engine_class = type(engine)  # engines have __slots__: the method is replaced on the class
    original = engine_class.run_querystring

    async def counting(self, querystring, in_pool: bool = False):
        if self is engine:
            statements.append(str(querystring))
        return await original(self, querystring, in_pool=in_pool)

    engine_class.run_querystring = counting
    try:
        yield statements
    finally:
        engine_class.run_querystring = original
