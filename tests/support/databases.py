"""A fresh, empty database for a test run, on SQLite or on PostgreSQL.

`GUICHET_TEST_DATABASE` chooses: `sqlite` (the default) or `postgres`, in which case a new database
is created on the server of `GUICHET_TEST_POSTGRES_URL` (else 127.0.0.1:5432, trust auth) and dropped
at the end. Both the route tests and the end-to-end journeys use it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class TestDatabase:
    kind: str  # "sqlite" or "postgres"
    url: str
    _cleanup: str  # the folder (SQLite) or the database name (PostgreSQL) to remove

    def drop(self) -> None:
        if self.kind == "sqlite":
            shutil.rmtree(self._cleanup, ignore_errors=True)
        else:
            asyncio.run(_drop_postgres_database(admin_url(), self._cleanup))


def requested_kind() -> str:
    kind = os.environ.get("GUICHET_TEST_DATABASE", "sqlite").strip().lower()
    if kind not in ("sqlite", "postgres"):
        raise RuntimeError(f"GUICHET_TEST_DATABASE={kind!r}: expected sqlite or postgres")
    return kind


def admin_url() -> str:
    return os.environ.get("GUICHET_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def _create_postgres_database(url: str, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_postgres_database(url: str, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def provision(kind: str | None = None, label: str = "tests") -> TestDatabase:
    kind = kind or requested_kind()
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix=f"guichet-{label}-")
        return TestDatabase("sqlite", f"sqlite:///{folder}/guichet.sqlite3", folder)
    name = f"guichet_{label}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_create_postgres_database(admin_url(), name))
    return TestDatabase("postgres", _with_database(admin_url(), name), name)
