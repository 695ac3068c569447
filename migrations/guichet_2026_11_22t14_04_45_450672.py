"""The index of the Consultation's keyset pagination (budget P5).

The employer's list reads an enterprise's requests newest first, 21 at a time, from an id on
(`app/employer/services.py`, `consultation()`): `WHERE enterprise = ? AND created_at >= ? [AND id < ?]
ORDER BY id DESC LIMIT 21`. On (enterprise, id) that is one backward range scan that stops after the
page, whatever the size of the table and of the enterprise's history; on the single-column index of
`enterprise`, PostgreSQL reads all the enterprise's rows and sorts them for every page.

Raw SQL that both SQLite and PostgreSQL run. `Table.index=True` cannot say a composite index, so
the table classes do not declare it: this migration is where it lives.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T14:04:45:450672"
VERSION = "1.38.0"
DESCRIPTION = "keyset index of the Consultation"

INDEX = "career_break_request_enterprise_id"


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="guichet", description=DESCRIPTION)

    async def create_index():
        await RawTable.raw(f"CREATE INDEX {INDEX} ON career_break_request (enterprise, id)")

    async def drop_index():
        await RawTable.raw(f"DROP INDEX {INDEX}")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
