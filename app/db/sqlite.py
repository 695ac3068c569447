"""An embedded SQLite engine fit for a web server.

Piccolo's own SQLite engine opens a new connection for every query outside a transaction (about
1.1 ms each on this machine kind) and begins transactions as DEFERRED, which makes concurrent writers
fail with "database is locked". This engine fixes both, once, so that services never think about it:

- connections are kept in a small pool and reused;
- every connection runs in WAL mode with a busy timeout, so readers never block the writer;
- write transactions begin IMMEDIATE, and the writers of one process queue on an asyncio lock
  instead of spinning in SQLite's busy handler; other processes are handled by the busy timeout;
- a write statement outside a transaction is wrapped in the same kind of write transaction;
- the few small reads of every page view (the session, a citizen's requests) may run on the event
  loop's own thread, inside `on_event_loop()`, instead of being handed to a connection's thread.

Why the last one (budget P3). Measured on this 2-core machine kind while it was loaded, one query
at a time (µs per query: CPU of the event loop's thread / CPU of all threads):

    read                               through the pool     on the event loop
    the session (1 row)                      32 / 51               23
    a citizen's requests (20 rows)           39 / 164             130
    their history (64 rows)                  64 / 230             180

Handing a query to aiosqlite's thread and back (a queue, a thread wake-up, a future completed
through the loop's self-pipe, two GIL hand-overs that make the scheduler switch threads) costs
30 to 50 µs more in all, and saves the loop little: the rows are built in Python under the GIL, so
only SQLite's own stepping runs in parallel, on a second core that the load generator or another
worker is using anyway. On the loop, such a read delays other requests by at most 0.2 ms, far
inside P4 (p99 ≤ 100 ms). A read in WAL mode never waits for a writer, and the connection used this
way has no busy timeout: in the rare case SQLite reports the database busy or locked (a process
recovering it), the read is handed to the pool like any other, so the loop never waits for a lock.
Only code that knows its read is small (an indexed lookup bounded by one citizen's data) opts in.

The converters Piccolo registers for DATE and TIMESTAMPTZ columns go through a generic wrapper (about
1.5 µs a value); the same results are produced here directly. Piccolo's INTEGER converter is removed:
SQLite itself returns a Python int for every value of an INTEGER column (its affinity stores "1.0" or
1.0 as the integer 1), and a converter would turn each of them into bytes and back (a "Mon dossier"
view reads about 130 of them: 12 to 20 % of its cost).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import sqlite3
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import (
    SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory,
)
from piccolo.querystring import QueryString

BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 4
_READ_PREFIXES = ("SELECT", "WITH", "PRAGMA", "EXPLAIN")


def is_read_only(sql: str) -> bool:
    return sql.lstrip().lstrip("(").upper().startswith(_READ_PREFIXES)


# -- converters: Piccolo's results, without its per-value overhead --------------------------------


_UTC = datetime.timezone.utc


def _date_out(value: bytes) -> datetime.date:
    return datetime.date.fromisoformat(value.decode("utf8"))


def _timestamptz_out(value: bytes) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value.decode("utf8"))
    # Stored in UTC ("...+00:00", which fromisoformat reads as the `utc` singleton): kept as it is;
    # anything else gets UTC as its zone, as Piccolo does.
    return moment if moment.tzinfo is _UTC else moment.replace(tzinfo=_UTC)


# Registered after Piccolo's (imported above), for the whole process: same values, 3 to 10 times faster.
sqlite3.register_converter("DATE", _date_out)
sqlite3.register_converter("TIMESTAMPTZ", _timestamptz_out)
# INTEGER values as SQLite returns them (module docstring). `converters` is the registry that
# register_converter fills, keyed by the upper-cased type name.
sqlite3.converters.pop("INTEGER", None)


# -- small reads on the event loop's thread -----------------------------------------------------

_reads_on_event_loop: ContextVar[bool] = ContextVar("guichet_sqlite_reads_on_event_loop",
                                                     default=False)


@contextlib.contextmanager
def on_event_loop() -> Iterator[None]:
    """Read statements run in this block outside a transaction execute on the event loop's thread
    (module docstring: why, and why it is safe). For small indexed reads only; ignored by PostgreSQL."""
    token = _reads_on_event_loop.set(True)
    try:
        yield
    finally:
        _reads_on_event_loop.reset(token)


class _LoopResources:
    """The pool and the write lock of one event loop (asyncio primitives belong to a loop)."""

    def __init__(self) -> None:
        self.idle: list[aiosqlite.Connection] = []
        self.slots = asyncio.Semaphore(POOL_SIZE)
        self.write_lock = asyncio.Lock()
        self.direct: sqlite3.Connection | None = None  # the event loop's own, for on_event_loop()


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction on a pooled connection; IMMEDIATE ones hold the process's write lock."""

    engine: EmbeddedSQLiteEngine

    async def __aenter__(self) -> PooledSQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self._writes = self.transaction_type is not TransactionType.deferred
        self._lease = self.engine.lease(write=self._writes)
        self.connection = await self._lease.__aenter__()
        try:
            await self.begin()
        except BaseException as error:
            await self._lease.__aexit__(type(error), error, error.__traceback__)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._lease.__aexit__(exception_type, exception, traceback)
        return exception is None


class EmbeddedSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with a connection pool, WAL and IMMEDIATE write transactions."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self._resources: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopResources] = (
            weakref.WeakKeyDictionary()
        )
        self._last: tuple[Callable[[], asyncio.AbstractEventLoop | None], _LoopResources | None] = (
            lambda: None, None)

    # -- connections ---------------------------------------------------------------------------

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    def _loop_resources(self) -> _LoopResources:
        loop = asyncio.get_running_loop()
        last_loop, resources = self._last
        if last_loop() is loop:  # the usual case: one loop per process, asked on every query
            return resources
        resources = self._resources.get(loop)
        if resources is None:
            resources = self._resources[loop] = _LoopResources()
        self._last = (weakref.ref(loop), resources)
        return resources

    @contextlib.asynccontextmanager
    async def lease(self, *, write: bool) -> AsyncIterator[aiosqlite.Connection]:
        """Borrow a pooled connection; a writer first takes the process's write lock."""
        resources = self._loop_resources()
        async with contextlib.AsyncExitStack() as stack:
            if write:
                await stack.enter_async_context(resources.write_lock)
            await stack.enter_async_context(resources.slots)
            connection = resources.idle.pop() if resources.idle else await self.get_connection()
            healthy = False
            try:
                yield connection
                healthy = True
            finally:
                if healthy and not connection.in_transaction:
                    resources.idle.append(connection)
                else:
                    await connection.close()

    async def close_pool(self) -> None:
        self._last = (lambda: None, None)
        resources = self._resources.pop(asyncio.get_running_loop(), None)
        if resources is not None:
            while resources.idle:
                await resources.idle.pop().close()
            if resources.direct is not None:
                resources.direct.close()

    def _direct_connection(self, resources: _LoopResources) -> sqlite3.Connection:
        """The connection of the event loop's thread: same settings as the pool's, except that it
        never waits for a lock (busy timeout 0: "busy" sends the read to the pool instead)."""
        if resources.direct is None:
            connection = sqlite3.connect(**self.connection_kwargs)
            connection.execute("PRAGMA busy_timeout = 0")
            connection.execute("PRAGMA foreign_keys = 1")
            resources.direct = connection
        return resources.direct

    def _read_directly(self, sql: str, args: list[Any]) -> list[dict[str, Any]] | None:
        """The rows, or None when SQLite reports the database busy or locked."""
        connection = self._direct_connection(self._loop_resources())
        try:
            cursor = connection.execute(sql, args)
            rows = cursor.fetchall()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                return None
            raise
        # The pool's dicts (piccolo's dict_factory), with the column names read once per query.
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row)) for row in rows]

    # -- queries -------------------------------------------------------------------------------

    async def _execute(self, connection: aiosqlite.Connection, sql: str, args: list[Any]):
        # One round trip to the connection's thread (execute, fetch and close together): each
        # round trip costs a thread wake-up, which dominates a small query.
        return list(await connection.execute_fetchall(sql, args))

    async def _run_outside_transaction(self, sql: str, args: list[Any]):
        if is_read_only(sql):
            if _reads_on_event_loop.get():
                rows = self._read_directly(sql, args)
                if rows is not None:
                    return rows
            async with self.lease(write=False) as connection:
                return await self._execute(connection, sql, args)
        async with self.lease(write=True) as connection:
            await connection.execute("BEGIN IMMEDIATE")
            try:
                rows = await self._execute(connection, sql, args)
            except BaseException:
                await connection.execute("ROLLBACK")
                raise
            await connection.execute("COMMIT")
            return rows

    async def _run(self, sql: str, args: list[Any]):
        current = self.current_transaction.get()
        if current is not None:
            return await self._execute(current.connection, sql, args)
        return await self._run_outside_transaction(sql, args)

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False):
        query_id = self.get_query_id()
        if self.log_queries:
            self.print_query(query_id=query_id, query=str(querystring))
        sql, args = querystring.compile_string(engine_type=self.engine_type)
        response = await self._run(sql, args or [])
        if self.log_responses:
            self.print_response(query_id=query_id, response=response)
        return response

    async def run_ddl(self, ddl: str, in_pool: bool = False):
        query_id = self.get_query_id()
        if self.log_queries:
            self.print_query(query_id=query_id, query=ddl)
        response = await self._run(ddl, [])
        if self.log_responses:
            self.print_response(query_id=query_id, response=response)
        return response

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.immediate,
        allow_nested: bool = True,
    ) -> PooledSQLiteTransaction:
        return PooledSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )
