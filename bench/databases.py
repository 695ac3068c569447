"""A fresh database with the demo data, dropped at the end whatever happens."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.databases import TestDatabase, admin_url, provision

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE_KINDS = ("sqlite", "postgres")
DATABASE_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


class BenchSetupError(RuntimeError):
    """The bench could not prepare what it measures."""


def postgres_reachable() -> bool:
    """Whether the PostgreSQL server of tests/support/databases.py answers."""
    import asyncpg

    async def attempt() -> bool:
        try:
            connection = await asyncpg.connect(admin_url(), timeout=3)
        except (OSError, asyncio.TimeoutError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    return asyncio.run(attempt())


def guichet_command(*arguments: str) -> list[str]:
    """The `guichet` console script of this interpreter's venv, else `python -m app.cli`."""
    script = Path(sys.executable).parent / "guichet"
    if script.exists():
        return [str(script), *arguments]
    return [sys.executable, "-m", "app.cli", *arguments]


def guichet_environment(database: TestDatabase, environment: str,
                        secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "GUICHET_DATABASE_URL": database.url,
        "GUICHET_ENV": environment,
        "GUICHET_SECRET_KEY": secret_key,
    }


def _run_guichet(command: str, environment: dict[str, str]) -> None:
    completed = subprocess.run(
        guichet_command(command), cwd=REPO_ROOT, env=environment,
        capture_output=True, text=True, timeout=300,
    )
    if completed.returncode != 0:
        raise BenchSetupError(f"guichet {command} failed ({completed.returncode}):\n"
                              f"{completed.stdout}{completed.stderr}")


def load_demo_data(database: TestDatabase, secret_key: str) -> None:
    """`guichet migrate` then `guichet demo-data`, in the acceptance environment."""
    environment = guichet_environment(database, "acceptance", secret_key)
    _run_guichet("migrate", environment)
    _run_guichet("demo-data", environment)


@contextmanager
def fresh_database(kind: str) -> Iterator[TestDatabase]:
    """A new empty database, dropped on the way out (error and Ctrl-C included)."""
    database = provision(kind, label="bench")
    try:
        yield database
    finally:
        database.drop()
