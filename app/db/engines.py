"""The engine named by GUICHET_DATABASE_URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from app.db.sqlite import EmbeddedSQLiteEngine


def sqlite_path(database_url: str) -> str:
    """`sqlite:///var/x.db` is relative, `sqlite:////abs/x.db` absolute."""
    return database_url.removeprefix("sqlite:///")


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:"):
        return EmbeddedSQLiteEngine(path=sqlite_path(database_url))
    dsn = database_url.replace("postgres://", "postgresql://", 1)
    if not urlsplit(dsn).path.strip("/"):
        raise ValueError("GUICHET_DATABASE_URL names no database")
    return PostgresEngine(config={"dsn": dsn})


async def _keep_session_state(connection) -> None:
    """asyncpg's pool `reset`: nothing beyond what asyncpg always does on release.

    By default asyncpg sends every connection it takes back one more statement
    (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`), a round trip after each of
    Piccolo's queries, which acquires a connection per query (about 0.2 ms of the event loop's time
    a query, budget P3). Guichet leaves no session state behind: its one advisory lock is per
    transaction (app/audit/services.py), it never LISTENs, SETs or DECLAREs a cursor outside a
    transaction; and asyncpg still rolls back a transaction left open before this is called."""


async def open_engine(engine: Engine) -> None:
    """Called when the web app starts: PostgreSQL gets its connection pool."""
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20, reset=_keep_session_state)


async def close_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        if engine.pool is not None:  # the command-line tools never open one
            await engine.close_connection_pool()
    elif isinstance(engine, EmbeddedSQLiteEngine):
        await engine.close_pool()
