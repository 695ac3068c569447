"""Apply the migrations of migrations/: the only source of the schema."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationFailed(RuntimeError):
    pass


async def apply_migrations(*, quiet: bool = True) -> None:
    output = io.StringIO()
    redirect = contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext()
    with redirect:
        result = await run_forwards(app_name="all", migration_id="all")
    if not result.success:
        raise MigrationFailed(f"{result.message}\n{output.getvalue()}")
