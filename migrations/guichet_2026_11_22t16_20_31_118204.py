"""The e-Box names what a document is about by a reference, second step: every `request` becomes the
subject ('careerbreak', request), the subject is indexed, and `request` (a foreign key to
`career_break_request`) is dropped.

The index on (subject_service, subject_id) serves the lookups of a document by its subject, which
always name the owner too (`app/ebox/services.py`: a sender's "is it already in this e-Box?", the
Consultation's copy of a filed form): a subject has a handful of documents, found by the index, and
the owner is checked on those. The lists of an e-Box keep the indexes of `person` and `enterprise`.
`Table.index=True` cannot say a composite index, so this migration is where it lives.

SQLite refuses `ALTER TABLE ... DROP COLUMN` on a column that a foreign key names, and has no way to
drop the foreign key alone: the table is rebuilt without it first, the way SQLite documents
(https://www.sqlite.org/lang_altertable.html#otheralter): a new table from the stored CREATE TABLE
with `request` as a plain integer, every row copied (ids included), the old table dropped, the new one
renamed, its indexes created again from their stored SQL; the unique constraint on `public_id` comes
with the CREATE TABLE. Then Piccolo's `drop_column` drops `request` on both databases (PostgreSQL
drops the column's foreign key with it). The whole migration is one transaction: it applies whole or
not at all.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T16:20:31:118204"
VERSION = "1.38.0"
DESCRIPTION = "e-Box: subjects from requests, their index, no request column"

TABLE = "ebox_message"
INDEX = "ebox_message_subject"
REBUILT = "ebox_message_rebuilt"
# The column as Piccolo created it: `"request" INTEGER REFERENCES "career_break_request" ("id") ON
# DELETE CASCADE ON UPDATE CASCADE DEFAULT null`, up to the next column.
REQUEST_REFERENCE = re.compile(r'"request" INTEGER REFERENCES "career_break_request" \("id"\)[^,)]*')


class RawTable(Table):
    pass


def _is_sqlite() -> bool:
    return RawTable._meta.db.engine_type == "sqlite"


def _verbatim(sql: str):
    """A statement run as it is written: Piccolo reads `{}` in raw SQL as a parameter's place, and
    the stored schema has some (the default of `context` is '{}')."""
    return RawTable.raw(sql.replace("{", "{{").replace("}", "}}"))


async def _rebuild_without_the_request_reference() -> None:
    """SQLite: the same table, every row, index and constraint, with `request` no longer a foreign key."""
    schema = await RawTable.raw(f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name = '{TABLE}'")
    table_sql = next(row["sql"] for row in schema if row["type"] == "table")
    others = [row["sql"] for row in schema if row["type"] != "table" and row["sql"]]  # not the autoindexes
    if any(row["type"] not in ("table", "index") for row in schema):
        raise RuntimeError(f"{TABLE} has triggers or views that this migration does not know")
    new_sql, found = REQUEST_REFERENCE.subn('"request" INTEGER DEFAULT null', table_sql)
    prefix = f'CREATE TABLE "{TABLE}" ('
    if found != 1 or not new_sql.startswith(prefix):
        raise RuntimeError(f"unexpected schema of {TABLE}: {table_sql}")
    columns = ", ".join(f'"{row["name"]}"' for row in await RawTable.raw(f'PRAGMA table_info("{TABLE}")'))
    await _verbatim(f'CREATE TABLE "{REBUILT}" (' + new_sql.removeprefix(prefix))
    await RawTable.raw(f'INSERT INTO "{REBUILT}" ({columns}) SELECT {columns} FROM "{TABLE}"')
    await RawTable.raw(f'DROP TABLE "{TABLE}"')
    await RawTable.raw(f'ALTER TABLE "{REBUILT}" RENAME TO "{TABLE}"')
    for sql in others:
        await _verbatim(sql)
    broken = await RawTable.raw(f'PRAGMA foreign_key_check("{TABLE}")')
    if broken:
        raise RuntimeError(f"{TABLE} rebuilt with broken foreign keys: {broken[:5]}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="guichet", description=DESCRIPTION)

    async def subjects_from_requests():
        await RawTable.raw(
            f"UPDATE {TABLE} SET subject_service = 'careerbreak', subject_id = request WHERE request IS NOT NULL"
        )
        if _is_sqlite():
            await _rebuild_without_the_request_reference()
        await RawTable.raw(f"CREATE INDEX {INDEX} ON {TABLE} (subject_service, subject_id)")

    async def drop_index():
        await RawTable.raw(f"DROP INDEX {INDEX}")

    manager.add_raw(subjects_from_requests)
    manager.add_raw_backwards(drop_index)
    # After the raw SQL: Piccolo's own operation, so that its picture of the schema loses the column.
    manager.drop_column(table_class_name="EboxMessage", tablename=TABLE, column_name="request",
                        db_column_name="request", schema=None)
    return manager
