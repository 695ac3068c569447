"""An embedded SQLite engine fit for a web server.

Piccolo's own SQLite engine opens a new connection for every query outside a transaction (about
1.1 ms each on this machine kind) and begins transactions as DEFERRED, which makes concurrent writers
fail with "database is locked". This engine fixes both, once, so that services never think about it:

- connections are kept in a small pool and reused;
- every connection runs in WAL mode with a busy timeout, so readers never block the writer;
- write transactions begin IMMEDIATE, and the writers of one process queue on an asyncio lock
  instead of spinning in SQLite's busy handler; other processes are handled by the busy timeout;
- a write statement outside a transaction is wrapped in the same kind of write transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.querystring import QueryString

BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 4
_READ_PREFIXES = ("SELECT", "WITH", "PRAGMA", "EXPLAIN")


def is_read_only(sql: str) -> bool:
    return sql.lstrip().lstrip("(").upper().startswith(_READ_PREFIXES)


class _LoopResources:
    """The pool and the write lock of one event loop (asyncio primitives belong to a loop)."""

    def __init__(self) -> None:
        self.idle: list[aiosqlite.Connection] = []
        self.slots = asyncio.Semaphore(POOL_SIZE)
        self.write_lock = asyncio.Lock()


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
        resources = self._resources.get(loop)
        if resources is None:
            resources = self._resources[loop] = _LoopResources()
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
        resources = self._resources.pop(asyncio.get_running_loop(), None)
        if resources is not None:
            while resources.idle:
                await resources.idle.pop().close()

    # -- queries -------------------------------------------------------------------------------

    async def _execute(self, connection: aiosqlite.Connection, sql: str, args: list[Any]):
        # One round trip to the connection's thread (execute, fetch and close together): each
        # round trip costs a thread wake-up, which dominates a small query.
        return list(await connection.execute_fetchall(sql, args))

    async def _run_outside_transaction(self, sql: str, args: list[Any]):
        if is_read_only(sql):
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
