"""A fresh database with the demo data, dropped at the end whatever happens."""

from __future__ import annotations

import asyncio
import json
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
        # Production needs its public address (the links in e-mails); the bench sends none.
        "GUICHET_PUBLIC_URL": os.environ.get("GUICHET_PUBLIC_URL") or "https://guichet.example.be",
    }


def _run(command: list[str], environment: dict[str, str]) -> str:
    completed = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )
    if completed.returncode != 0:
        raise BenchSetupError(f"{' '.join(command)} failed ({completed.returncode}):\n"
                              f"{completed.stdout}{completed.stderr}")
    return completed.stdout


def load_demo_data(database: TestDatabase, secret_key: str) -> dict[str, int]:
    """`guichet migrate`, `guichet demo-data`, then the bench's own data (bench/seed.py), in the
    acceptance environment; returns the values the pages' paths use."""
    environment = guichet_environment(database, "acceptance", secret_key)
    _run(guichet_command("migrate"), environment)
    _run(guichet_command("demo-data"), environment)
    seeded = _run([sys.executable, "-m", "bench.seed"], environment)
    return json.loads(seeded.strip().splitlines()[-1])


@contextmanager
def fresh_database(kind: str) -> Iterator[TestDatabase]:
    """A new empty database, dropped on the way out (error and Ctrl-C included)."""
    database = provision(kind, label="bench")
    try:
        yield database
    finally:
        database.drop()
