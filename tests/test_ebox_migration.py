"""The migrations that made the e-Box generic (`ebox_message.request`, a foreign key to the career-break
requests, became the subject ('careerbreak', request)), run on a database filled before them: every
message is kept with its subject and every other field, the other columns, indexes and constraints
are those of before, and the way back gives `request` back. On SQLite (where the table is rebuilt) or
PostgreSQL, as the run's database says, in a fresh database of its own.

And Piccolo's picture of the schema, which its migrations add up to, is still the tables' (what
`piccolo migrations new guichet --auto` compares): a migration written by hand cannot leave the next
automatic one something to redo.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import DATABASE
from tests.support.databases import provision

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
SUBJECT_COLUMNS = "2026-11-22T16:12:07:503911"  # adds subject_service and subject_id
SUBJECT_MOVE = "2026-11-22T16:20:31:118204"  # fills them from request, indexes them, drops request


def migration_ids() -> list[str]:
    found = (re.search(r'^ID = "([^"]+)"', path.read_text(), re.MULTILINE) for path in MIGRATIONS.glob("*.py"))
    return sorted(match[1] for match in found if match)


def migration_before(migration_id: str) -> str:
    ids = migration_ids()
    return ids[ids.index(migration_id) - 1]


# Run in a process of its own, whose engine is the fresh database's (Piccolo binds the engine at import).
PROBE = textwrap.dedent(
    """
    import asyncio, datetime, json, os, sys
    from piccolo.apps.migrations.commands.backwards import run_backwards
    from piccolo.apps.migrations.commands.forwards import run_forwards
    from piccolo.engine.finder import engine_finder
    from app.db.engines import close_engine
    from app.ebox.tables import EboxMessage

    SQLITE = engine_finder().engine_type == "sqlite"
    raw = EboxMessage.raw

    def plain(value):
        if isinstance(value, (bytes, memoryview)):
            return "bytes:" + bytes(value).hex()
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        return value

    async def rows():
        return [{key: plain(value) for key, value in row.items()}
                for row in await raw("SELECT * FROM ebox_message ORDER BY id")]

    async def schema():
        if SQLITE:
            indexes = {}
            for index in await raw('PRAGMA index_list("ebox_message")'):
                columns = [row["name"] for row in await raw(f'PRAGMA index_info("{index["name"]}")')]
                key = "unique " + columns[0] if index["origin"] == "u" else index["name"]  # autoindexes by column
                indexes[key] = [bool(index["unique"]), columns]
            return {
                "columns": {row["name"]: [row["type"], row["notnull"], row["dflt_value"], row["pk"]]
                            for row in await raw('PRAGMA table_info("ebox_message")')},
                "indexes": indexes,
                "constraints": sorted(
                    f'{row["from"]} -> {row["table"]}.{row["to"]} {row["on_delete"]} {row["on_update"]}'
                    for row in await raw('PRAGMA foreign_key_list("ebox_message")')),
            }
        columns = await raw(
            "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_name = 'ebox_message'")
        indexes = await raw("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ebox_message'")
        constraints = await raw("SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint "
                                "WHERE conrelid = 'ebox_message'::regclass")
        return {
            "columns": {row["column_name"]: [row["data_type"], row["character_maximum_length"], row["is_nullable"],
                                             row["column_default"]] for row in columns},
            "indexes": {row["indexname"]: row["indexdef"] for row in indexes},
            "constraints": sorted(row["definition"] for row in constraints),
        }

    async def refused(sql, *args):
        try:
            await raw(sql, *args)
        except Exception as error:
            return type(error).__name__
        return None

    async def fill():
        await raw("INSERT INTO person (id, niss, first_name, last_name, username, language) VALUES "
                  "(1, '88041200259', 'Marie', 'Dubois', 'marie.dubois', 'fr'), "
                  "(2, '79110300589', 'Jan', 'Peeters', 'jan.peeters', 'nl')")
        await raw("INSERT INTO enterprise (id, enterprise_number, name, public_sector) VALUES "
                  "(1, '0412345614', 'Les Tilleuls SRL', false)")
        for request, worker in ((7, 1), (9, 2)):
            await raw("INSERT INTO career_break_request (id, worker, enterprise, kind, form, start_date, end_date, "
                      "work_regime, language, state, version, created_at, updated_at) VALUES "
                      "({}, {}, 1, 'conge-parental', 'reduction-1-5', '2025-01-01', '2025-10-31', '1', 'fr', "
                      "'decidee', 3, '2024-11-02 09:00:00+00:00', '2024-11-20 09:00:00+00:00')", request, worker)
        messages = [
            # id, public_id, person, enterprise, request, kind, read_at
            (1, "a" * 32, 1, None, 7, "decision-c62", "'2025-06-03 08:00:00+00:00'"),
            (2, "b" * 32, 1, None, None, "attestation-break-at-work", "NULL"),
            (3, "c" * 32, None, 1, 7, "decision-employeur", "NULL"),
            (4, "d" * 32, None, 1, None, "information", "'2025-06-04 12:00:00+00:00'"),
            (5, "e" * 32, None, 1, 9, "partie-travailleur-envoyee", "NULL"),
        ]
        for id, public_id, person, enterprise, request, kind, read_at in messages:
            context = json.dumps({"request": {"ticket": f"K7F-4TR-{id}XW"}, "quote": "l’été « 2025 »"})
            await raw(
                "INSERT INTO ebox_message (id, public_id, person, enterprise, request, document_kind, title, "
                "language, template, context, pdf, pdf_size, created_at, read_at) VALUES "
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, "
                f"'2025-06-0{id} 10:30:00+00:00', {read_at})",
                id, public_id, person, enterprise, request, kind, f"Document {id} – été", "fr" if id % 2 else "nl",
                "pdf/decision_copy.html", context, b"%PDF-1.7 \\x00\\xff" + bytes([id]), 11)

    async def main():
        before, first, last = sys.argv[1:4]
        report = {}
        try:
            assert (await run_forwards(app_name="guichet", migration_id=before)).success
            await fill()
            report["rows_before"], report["schema_before"] = await rows(), await schema()
            result = await run_forwards(app_name="guichet", migration_id=last)
            assert result.success, result.message
            report["rows_after"], report["schema_after"] = await rows(), await schema()
            report["duplicate_public_id"] = await refused(
                "INSERT INTO ebox_message (id, public_id, person, document_kind, title, language, template, "
                "context, pdf_size) VALUES (100, {}, 1, 'x', 'x', 'fr', 'x', '[]', 0)", "a" * 32)
            report["unknown_person"] = await refused(
                "INSERT INTO ebox_message (id, public_id, person, document_kind, title, language, template, "
                "context, pdf_size) VALUES (101, {}, 999, 'x', 'x', 'fr', 'x', '[]', 0)", "f" * 32)
            if SQLITE:
                report["integrity"] = [row["integrity_check"] for row in await raw("PRAGMA integrity_check")]
                report["foreign_key_check"] = await raw("PRAGMA foreign_key_check")
            result = await run_backwards(app_name="guichet", migration_id=first, auto_agree=True)
            assert result.success, result.message
            report["rows_back"] = await rows()
        finally:
            await close_engine(engine_finder())
        print(json.dumps(report))

    asyncio.run(main())
    """
)


@pytest.fixture(scope="module")
def migrated() -> dict:
    """The report of the probe, run on a database of the run's kind that is made for it and dropped."""
    database = provision(label="eboxmigration")
    try:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, migration_before(SUBJECT_COLUMNS), SUBJECT_COLUMNS, SUBJECT_MOVE],
            env={**os.environ, "GUICHET_DATABASE_URL": database.url}, capture_output=True, text=True, timeout=300,
            cwd=MIGRATIONS.parent,
        )
    finally:
        database.drop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def without(row: dict, *names: str) -> dict:
    return {key: value for key, value in row.items() if key not in names}


def test_the_two_migrations_follow_each_other_after_the_previous_one():
    ids = migration_ids()
    assert ids.index(SUBJECT_MOVE) == ids.index(SUBJECT_COLUMNS) + 1


def test_every_message_keeps_its_fields_and_gets_its_request_as_subject(migrated):
    before, after = migrated["rows_before"], migrated["rows_after"]
    assert [row["id"] for row in after] == [1, 2, 3, 4, 5]
    assert [(row["subject_service"], row["subject_id"]) for row in after] == [
        ("careerbreak", 7), (None, None), ("careerbreak", 7), (None, None), ("careerbreak", 9)]
    assert [row["request"] for row in before] == [7, None, 7, None, 9]
    for old, new in zip(before, after, strict=True):
        assert "request" not in new
        assert without(new, "subject_service", "subject_id") == without(old, "request")
    # What was filled is there: owners, read state, bytes of the PDF, the JSON context.
    assert [(row["person"], row["enterprise"]) for row in after] == [(1, None), (1, None), (None, 1), (None, 1),
                                                                     (None, 1)]
    assert [row["read_at"] is not None for row in after] == [True, False, False, True, False]
    assert after[0]["pdf"].startswith("bytes:") and after[0]["pdf"].endswith("00ff01")
    assert json.loads(after[4]["context"])["quote"] == "l’été « 2025 »"


def test_the_other_columns_indexes_and_constraints_are_those_of_before(migrated):
    old, new = migrated["schema_before"], migrated["schema_after"]
    assert without(new["columns"], "subject_service", "subject_id") == without(old["columns"], "request")
    assert "request" not in new["columns"] and {"subject_service", "subject_id"} <= new["columns"].keys()
    assert without(new["indexes"], "ebox_message_subject") == old["indexes"]
    subject_index = new["indexes"]["ebox_message_subject"]
    if DATABASE.kind == "sqlite":
        assert subject_index == [False, ["subject_service", "subject_id"]]
        assert old["indexes"]["unique public_id"][0] is True  # the UNIQUE of public_id, kept as such
    else:
        assert subject_index.endswith("(subject_service, subject_id)")
    references_requests = [constraint for constraint in old["constraints"] if "career_break_request" in constraint]
    assert len(references_requests) == 1
    assert new["constraints"] == [constraint for constraint in old["constraints"]
                                  if constraint not in references_requests]


def test_the_migrated_table_still_refuses_what_it_refused(migrated):
    assert migrated["duplicate_public_id"] is not None  # public_id is still unique
    assert migrated["unknown_person"] is not None  # the owner is still a foreign key
    if DATABASE.kind == "sqlite":
        assert migrated["integrity"] == ["ok"]
        assert migrated["foreign_key_check"] == []


def test_the_way_back_gives_request_back(migrated):
    back = migrated["rows_back"]
    assert [row["request"] for row in back] == [7, None, 7, None, 9]
    assert all("subject_service" not in row and "subject_id" not in row for row in back)
    before = migrated["rows_before"]
    assert [without(row, "request") for row in back] == [without(row, "request") for row in before]


async def test_the_migrations_add_up_to_the_tables():
    """What `piccolo migrations new guichet --auto` would write: nothing."""
    from piccolo.apps.migrations.commands.new import AutoMigrationManager

    from app.installed import APP_CONFIG

    statements = await AutoMigrationManager(auto_input="y").get_alter_statements(APP_CONFIG)
    assert [line for statement in statements for line in statement.statements] == []
