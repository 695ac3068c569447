"""The e-Box names what a document is about by a reference, first step: the two columns.

`ebox_message.request` was a foreign key to `career_break_request`: the cross-cutting e-Box depended
on one service's table. A document now names its subject as (service, id): `subject_service` and
`subject_id`. This migration adds them (empty); the next one
(guichet_2026_11_22t16_20_31_118204.py) fills them from `request`, indexes them and drops `request`.

Two migrations because Piccolo runs a migration's raw SQL before its column changes: the copy has to
run after the columns exist and before `request` is dropped. Both column changes are Piccolo's own
operations, so that Piccolo's picture of the schema (what `migrations new --auto` compares the tables
with) stays the tables' (app/ebox/tables.py).

Backwards, the reference of a career-break request is copied back into `request` (which the next
migration's backwards gave back) before the columns go.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-22T16:12:07:503911"
VERSION = "1.38.0"
DESCRIPTION = "e-Box: the subject of a document, as (service, id)"


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="guichet", description=DESCRIPTION)

    manager.add_column(
        table_class_name="EboxMessage",
        tablename="ebox_message",
        column_name="subject_service",
        db_column_name="subject_service",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 32,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="EboxMessage",
        tablename="ebox_message",
        column_name="subject_id",
        db_column_name="subject_id",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    async def copy_back_to_request():
        await RawTable.raw(
            "UPDATE ebox_message SET request = subject_id WHERE subject_service = 'careerbreak' "
            "AND subject_id IN (SELECT id FROM career_break_request)"
        )

    manager.add_raw_backwards(copy_back_to_request)
    return manager
