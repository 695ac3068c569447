"""The database layer: migrations, transactions, and the embedded SQLite engine (R2, P3)."""

import asyncio
import datetime
import os
import subprocess
import sys
import textwrap

import aiosqlite
import pytest

from app.db import transaction
from app.registry.services import PersonRecord, ensure_person
from app.registry.tables import Person
from tests.conftest import DATABASE
from tests.support.identities import niss_for

ON_SQLITE = DATABASE.kind == "sqlite"


def person(number: int) -> PersonRecord:
    niss = niss_for(datetime.date(1980, 1, 1) + datetime.timedelta(days=number // 400), 1 + number % 400)
    return PersonRecord(niss, f"Prénom{number}", f"Nom{number}", f"user{number}", "fr")


async def test_the_schema_comes_from_the_migrations(database):
    names = await Person.raw("SELECT 1 AS one")
    assert names == [{"one": 1}]
    assert await Person.count() == 0


async def test_a_transaction_commits_or_rolls_back_as_a_whole():
    with pytest.raises(RuntimeError):
        async with transaction():
            await ensure_person(person(1))
            raise RuntimeError("the user's request failed half-way")
    assert await Person.count() == 0
    async with transaction():
        await ensure_person(person(1))
        await ensure_person(person(2))
    assert await Person.count() == 2


async def test_two_hundred_concurrent_writers_all_succeed():
    """R2: 200 concurrent read-then-write transactions in one process, 0 "database is locked"."""

    async def writer(number: int) -> None:
        async with transaction():
            already = await Person.count()  # the read that a deferred transaction would upgrade
            await Person.insert(
                Person(
                    niss=person(number).niss, first_name="W", last_name=str(already),
                    username=f"writer{number}", language="fr",
                )
            )

    results = await asyncio.gather(*(writer(n) for n in range(200)), return_exceptions=True)
    failures = [result for result in results if isinstance(result, BaseException)]
    assert failures == []
    assert await Person.count() == 200


WRITER_PROCESS = textwrap.dedent(
    """
    import asyncio, sys
    from app.db import transaction
    from app.db.engines import close_engine
    from app.registry.tables import Person
    from piccolo.engine.finder import engine_finder

    async def writer(niss, username):
        async with transaction():
            await Person.count()
            await Person.insert(Person(niss=niss, first_name="P", last_name="P",
                                       username=username, language="fr"))

    async def main(rows):
        jobs = [writer(niss, username) for niss, username in rows]
        results = await asyncio.gather(*jobs, return_exceptions=True)
        await close_engine(engine_finder())
        errors = [repr(r) for r in results if isinstance(r, BaseException)]
        print("\\n".join(errors))
        return 1 if errors else 0

    rows = [line.split() for line in sys.stdin.read().splitlines()]
    sys.exit(asyncio.run(main(rows)))
    """
)


@pytest.mark.skipif(not ON_SQLITE, reason="the busy timeout and WAL are SQLite's")
async def test_two_hundred_writers_in_four_processes_never_see_database_is_locked():
    """R2 across processes (as `guichet serve --workers 4`): WAL, busy timeout, IMMEDIATE."""
    environment = {**os.environ, "GUICHET_DATABASE_URL": DATABASE.url}

    async def run_process(first: int) -> tuple[int, str]:
        rows = "\n".join(f"{person(n).niss} proc{n}" for n in range(first, first + 50))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", WRITER_PROCESS, env=environment,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        output, _ = await process.communicate(rows.encode())
        return process.returncode, output.decode()

    outcomes = await asyncio.gather(*(run_process(first) for first in (0, 50, 100, 150)))
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], "\n".join(out for _, out in outcomes)
    assert "database is locked" not in "".join(out for _, out in outcomes)
    assert await Person.count() == 200


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded engine's own behaviour")
async def test_sqlite_connections_are_kept_and_configured(monkeypatch, database):
    opened = []
    connect = aiosqlite.connect

    def counting_connect(*args, **kwargs):
        opened.append(1)
        return connect(*args, **kwargs)

    await database.close_pool()
    monkeypatch.setattr(aiosqlite, "connect", counting_connect)
    for _ in range(50):
        await Person.count()
    assert len(opened) == 1, "a query outside a transaction must reuse a kept connection"

    pragmas = await Person.raw("PRAGMA journal_mode")
    assert pragmas[0]["journal_mode"] == "wal"
    timeout = await Person.raw("PRAGMA busy_timeout")
    assert list(timeout[0].values())[0] >= 5000


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded engine's own behaviour")
async def test_a_failed_statement_does_not_leave_a_transaction_open(database):
    await ensure_person(person(7))
    with pytest.raises(Exception):
        await Person.insert(Person(niss=person(7).niss, first_name="Twin", last_name="Twin",
                                   username="twin", language="fr"))
    await ensure_person(person(8))
    assert await Person.count() == 2


@pytest.mark.skipif(ON_SQLITE, reason="asyncpg's pool: PostgreSQL only")
async def test_a_pooled_postgresql_connection_comes_back_without_a_transaction_or_a_lock(database):
    """The pool skips asyncpg's RESET ALL round trip (app/db/engines.py): what a request leaves on its
    connection is only what asyncpg itself clears, an open transaction, and Guichet's advisory lock
    is released with its transaction."""
    from app.audit.services import CHAIN_LOCK_KEY

    assert database.pool._reset is not None  # the no-op: the statement is not sent
    async with transaction():
        await Person.raw("SELECT pg_advisory_xact_lock({})", CHAIN_LOCK_KEY)
    connection = await database.pool.acquire()
    try:
        await connection.execute("BEGIN")  # left open, as a failed handler might
    finally:
        await database.pool.release(connection)
    connections = [await database.pool.acquire() for _ in range(database.pool.get_size())]
    try:
        for connection in connections:
            assert not connection.is_in_transaction()
            assert await connection.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            ) == 0
    finally:
        for connection in connections:
            await database.pool.release(connection)
