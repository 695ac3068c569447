"""The audit trail (S9): records chained by their hashes, appends that never fork, tampering
found."""

import asyncio
import datetime
import hashlib
import hmac
import json
import os
import subprocess
import sys
import textwrap

import pytest

from app.audit import services as audit_services
from app.audit.services import (
    audit_key,
    GENESIS_HASH,
    AuditAction,
    Outcome,
    ProblemKind,
    chain_hash,
    record,
    verify_chain,
)
from app.audit.tables import AuditRecord
from app.db import read_transaction, transaction
from tests.conftest import DATABASE

GUICHET = [sys.executable, "-m", "app.cli"]


async def login(actor: str = "88041200259", outcome: str = Outcome.SUCCESS,
                details: dict | None = None) -> None:
    await record(AuditAction.LOGIN, actor=actor, source="192.0.2.10", outcome=outcome,
                 details=details)


async def stored(sequence: int) -> dict:
    return await AuditRecord.select().where(AuditRecord.sequence == sequence).first()


async def tamper(sql: str, *values) -> None:
    """What someone with write access to the database can do behind Guichet's back."""
    await AuditRecord.raw(sql, *values)


# -- appending ---------------------------------------------------------------------------------


async def test_each_record_carries_the_hash_of_the_one_before():
    first = await record(AuditAction.LOGIN_FAILED, actor="marie.dubois", source="192.0.2.10",
                         outcome=Outcome.FAILURE, details={"key": "code-email"})
    second = await record(AuditAction.LOGIN, actor="88041200259", source="192.0.2.10",
                          outcome=Outcome.SUCCESS, details={"key": "code-email", "level": 2})
    third = await record(AuditAction.FILE_ACCESS, actor="83022101446", source="2001:db8::1",
                         outcome=Outcome.SUCCESS, subject="88041200259")

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH == "0" * 64
    assert second.previous_hash == first.record_hash
    assert third.previous_hash == second.record_hash
    rows = await AuditRecord.select().order_by(AuditRecord.sequence)
    assert [row["record_hash"] for row in rows] == [
        entry.record_hash for entry in (first, second, third)
    ]
    assert rows[2]["subject"] == "88041200259" and rows[0]["subject"] is None
    assert json.loads(rows[1]["details"]) == {"key": "code-email", "level": 2}


async def test_the_hash_is_hmac_sha256_of_the_sorted_key_json_of_every_field():
    """The format, spelled out, so that another tool holding the key can check the trail."""
    entry = await record("step_up", actor="Lena Schmitt é", source="192.0.2.7",
                         outcome="success", details={"to": 3, "from": 2})
    row = await stored(1)
    when = row["occurred_at"].astimezone(datetime.timezone.utc)
    canonical = (
        '{"action":"step_up","actor":"Lena Schmitt é","details":{"from":2,"to":3},'
        f'"occurred_at":"{when:%Y-%m-%dT%H:%M:%S.%f}Z","outcome":"success",'
        f'"previous_hash":"{"0" * 64}","sequence":1,"source":"192.0.2.7","subject":null}}'
    )
    keyed = hmac.new(audit_key(), canonical.encode(), hashlib.sha256).hexdigest()
    assert row["record_hash"] == keyed == entry.record_hash
    assert keyed != hashlib.sha256(canonical.encode()).hexdigest()


async def test_a_hundred_concurrent_appends_give_one_unbroken_chain():
    """On PostgreSQL the appends run on separate connections: only the advisory lock orders them."""
    results = await asyncio.gather(
        *(login(actor=f"actor{number}") for number in range(100)), return_exceptions=True
    )
    assert [result for result in results if isinstance(result, BaseException)] == []
    rows = await AuditRecord.select(AuditRecord.sequence).order_by(AuditRecord.sequence)
    assert [row["sequence"] for row in rows] == list(range(1, 101))
    report = await verify_chain()
    assert report.intact, report.problems
    assert report.checked == 100


APPENDING_PROCESS = textwrap.dedent(
    """
    import asyncio, sys
    from app.audit.services import record
    from app.db.engines import close_engine
    from piccolo.engine.finder import engine_finder
    from piccolo.engine.postgres import PostgresEngine

    async def main(name):
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):  # a small pool: the server takes 100 clients
            await engine.start_connection_pool(min_size=1, max_size=5)
        jobs = [record("login", actor=f"{name}-{n}", source="192.0.2.10", outcome="success")
                for n in range(25)]
        results = await asyncio.gather(*jobs, return_exceptions=True)
        await close_engine(engine)
        errors = [repr(r) for r in results if isinstance(r, BaseException)]
        print("\\n".join(errors))
        return 1 if errors else 0

    sys.exit(asyncio.run(main(sys.argv[1])))
    """
)


async def test_appends_from_four_processes_give_one_unbroken_chain():
    """As with `guichet serve --workers 4`: no lock of one process can order the appends."""
    environment = {**os.environ, "GUICHET_DATABASE_URL": DATABASE.url}

    async def run_process(name: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", APPENDING_PROCESS, name, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        return process.returncode, output.decode()

    outcomes = await asyncio.gather(*(run_process(f"worker{n}") for n in range(4)))
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], "\n".join(out for _, out in outcomes)
    rows = await AuditRecord.select(AuditRecord.sequence).order_by(AuditRecord.sequence)
    assert [row["sequence"] for row in rows] == list(range(1, 101))
    report = await verify_chain()
    assert report.intact and report.checked == 100


async def test_a_record_joins_the_callers_transaction_and_rolls_back_with_it():
    await login(actor="kept")
    with pytest.raises(RuntimeError):
        async with transaction():
            await login(actor="rolled back")
            raise RuntimeError("the caller's work failed")
    await login(actor="after")
    rows = await AuditRecord.select(AuditRecord.sequence, AuditRecord.actor).order_by(
        AuditRecord.sequence)
    assert rows == [{"sequence": 1, "actor": "kept"}, {"sequence": 2, "actor": "after"}]
    assert (await verify_chain()).intact


@pytest.mark.skipif(DATABASE.kind != "sqlite", reason="a read transaction cannot write on SQLite")
async def test_recording_in_a_read_transaction_is_refused_on_sqlite():
    with pytest.raises(RuntimeError, match="transaction()"):
        async with read_transaction():
            await login()
    assert await AuditRecord.count() == 0


async def test_what_is_recorded_is_what_was_given_and_nothing_secret():
    typed = "x" * 200  # a user name typed at a failed login can be anything
    entry = await record(AuditAction.LOGIN_FAILED, actor=typed, source="192.0.2.10",
                         outcome=Outcome.FAILURE)
    assert entry.actor == "x" * 64
    assert (await stored(1))["actor"] == "x" * 64
    for details in ({"password": "Guichet-demo-2026"}, {"attempt": {"Code": "123456"}}):
        with pytest.raises(ValueError, match="must not be recorded"):
            await record(AuditAction.LOGIN_FAILED, actor="marie.dubois", source="192.0.2.10",
                         outcome=Outcome.FAILURE, details=details)
    with pytest.raises(ValueError):
        await login(outcome="maybe")
    with pytest.raises(TypeError):
        await login(details={"when": datetime.datetime.now(datetime.timezone.utc)})
    assert await AuditRecord.count() == 1


# -- verifying ---------------------------------------------------------------------------------


async def test_an_untouched_trail_is_intact_in_any_batch_size():
    for number in range(7):
        await login(actor=f"actor{number}", details={"number": number})
    for batch_size in (1, 2, 3, 7, 1000):
        report = await verify_chain(batch_size=batch_size)
        assert report.intact and report.checked == 7
    assert report.head_sequence == 7
    assert report.head_hash == (await stored(7))["record_hash"]


async def test_an_empty_trail_is_intact():
    report = await verify_chain()
    assert report.intact and report.checked == 0 and report.head_sequence is None


@pytest.mark.parametrize(
    "column, value",
    [("actor", "someone.else"), ("outcome", "success"), ("subject", "79110300589"),
     ("details", '{"key":"eid"}'), ("source", "203.0.113.66")],
)
async def test_a_changed_field_is_found(column, value):
    for number in range(5):
        await record(AuditAction.LOGIN_FAILED, actor=f"actor{number}", source="192.0.2.10",
                     outcome=Outcome.FAILURE, details={"key": "code-email"})
    await tamper(f"UPDATE audit_record SET {column} = {{}} WHERE sequence = 3", value)

    report = await verify_chain(batch_size=2)
    assert not report.intact
    assert report.checked == 5
    assert [(p.kind, p.first_sequence) for p in report.problems] == [(ProblemKind.CHANGED, 3)]


async def test_a_changed_time_is_found():
    for _ in range(3):
        await login()
    row = await stored(2)
    await AuditRecord.update(
        {AuditRecord.occurred_at: row["occurred_at"] - datetime.timedelta(hours=1)}
    ).where(AuditRecord.sequence == 2)
    report = await verify_chain()
    assert [(p.kind, p.first_sequence) for p in report.problems] == [(ProblemKind.CHANGED, 2)]


async def test_a_record_changed_and_rehashed_breaks_the_link_to_the_next_one():
    for _ in range(4):
        await login()
    row = await stored(2)
    forged = {**row, "actor": "someone.else", "details": json.loads(row["details"])}
    forged_hash = chain_hash(**{name: forged[name] for name in (
        "sequence", "occurred_at", "actor", "action", "subject", "source", "outcome", "details",
        "previous_hash")})
    await tamper("UPDATE audit_record SET actor = {}, record_hash = {} WHERE sequence = 2",
                 "someone.else", forged_hash)

    report = await verify_chain()
    assert [(p.kind, p.first_sequence) for p in report.problems] == [(ProblemKind.UNLINKED, 3)]


async def test_a_record_removed_from_the_middle_is_found():
    for _ in range(5):
        await login()
    await tamper("DELETE FROM audit_record WHERE sequence = 3")

    report = await verify_chain(batch_size=2)
    assert report.checked == 4
    assert [(p.kind, p.first_sequence, p.last_sequence) for p in report.problems] == [
        (ProblemKind.MISSING, 3, 3), (ProblemKind.UNLINKED, 4, 4),
    ]
    assert report.problems[0].describe() == "record 3 is missing (removed)"


async def test_the_first_records_removed_are_found():
    for _ in range(4):
        await login()
    await tamper("DELETE FROM audit_record WHERE sequence <= 2")
    report = await verify_chain()
    assert [(p.kind, p.first_sequence, p.last_sequence) for p in report.problems] == [
        (ProblemKind.MISSING, 1, 2), (ProblemKind.UNLINKED, 3, 3),
    ]


async def test_a_trail_rewritten_without_the_key_is_found():
    """Whoever can write to the table but has not the key can only write plain hashes: a whole trail
    rewritten so is reported as unkeyed, a record rewritten so as changed."""
    for _ in range(3):
        await login()
    for sequence in (1, 2, 3):
        row = await stored(sequence)
        previous = GENESIS_HASH if sequence == 1 else (await stored(sequence - 1))["record_hash"]
        forged = chain_hash(keyed=False, sequence=sequence, occurred_at=row["occurred_at"], actor="intrus",
                            action=row["action"], subject=row["subject"], source=row["source"],
                            outcome=row["outcome"], details=json.loads(row["details"]), previous_hash=previous)
        await tamper("UPDATE audit_record SET actor = {}, previous_hash = {}, record_hash = {} WHERE sequence = {}",
                     "intrus", previous, forged, sequence)
    report = await verify_chain()
    assert [(p.kind, p.first_sequence, p.last_sequence) for p in report.problems] == [(ProblemKind.UNKEYED, 1, 3)]


async def test_a_trail_begun_before_the_key_keeps_its_plain_part_up_to_the_switch(monkeypatch):
    """The records written with plain SHA-256 stay as they are; the next append first writes the
    `chain_keyed` record, keyed, and everything after it is keyed."""
    monkeypatch.setattr(audit_services, "_keyed_chain", [])
    previous = GENESIS_HASH
    for sequence in (1, 2):
        fields = dict(sequence=sequence, occurred_at=datetime.datetime.now(datetime.UTC), actor="ancien",
                      action="login", subject=None, source="192.0.2.1", outcome="success", details={},
                      previous_hash=previous)
        previous = chain_hash(keyed=False, **fields)
        await AuditRecord.insert(AuditRecord(**{**fields, "details": "{}"}, record_hash=previous))
    assert [(p.kind) for p in (await verify_chain()).problems] == [ProblemKind.UNKEYED]
    await login()
    rows = await AuditRecord.select(AuditRecord.sequence, AuditRecord.action).order_by(AuditRecord.sequence)
    assert [row["action"] for row in rows] == ["login", "login", "chain_keyed", "login"]
    report = await verify_chain()
    assert report.intact and report.checked == 4


async def test_an_anchored_head_that_was_cut_away_is_found():
    for _ in range(3):
        await login()
    anchored = await verify_chain()
    assert (await verify_chain(expect_head=(anchored.head_sequence, anchored.head_hash))).intact
    await tamper("DELETE FROM audit_record WHERE sequence = 3")
    report = await verify_chain(expect_head=(anchored.head_sequence, anchored.head_hash))
    assert [p.kind for p in report.problems] == [ProblemKind.HEAD_MISSING]


async def test_a_removed_last_record_shows_only_in_the_head_to_anchor_elsewhere():
    """A chain cannot tell that its end was cut: nothing points to the last record. The report
    gives the head so that it can be kept outside the database and compared (module docstring)."""
    for _ in range(3):
        await login()
    anchored = await verify_chain()
    await tamper("DELETE FROM audit_record WHERE sequence = 3")

    report = await verify_chain()
    assert report.intact  # the limitation, stated
    assert (report.head_sequence, report.head_hash) != (anchored.head_sequence, anchored.head_hash)
    assert report.head_sequence == 2


async def test_problems_are_listed_in_order_up_to_a_limit():
    for _ in range(10):
        await login()
    await tamper("UPDATE audit_record SET actor = {}", "everyone")
    report = await verify_chain(max_problems=4)
    assert [p.first_sequence for p in report.problems] == [1, 2, 3, 4]
    assert report.more_problems
    assert report.first_problem == report.problems[0]


# -- the command -------------------------------------------------------------------------------


def guichet_audit_verify(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*GUICHET, "audit", "verify", *arguments],
        env={**os.environ, "GUICHET_DATABASE_URL": DATABASE.url},
        capture_output=True, text=True, timeout=60,
    )


async def test_guichet_audit_verify_exits_0_on_an_intact_trail_and_1_on_a_broken_one():
    for _ in range(3):
        await login()
    head = (await stored(3))["record_hash"]

    intact = await asyncio.to_thread(guichet_audit_verify)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.splitlines() == [
        "Audit trail intact: 3 records.", f"Last record: 3, hash {head}",
        f"Anchor it elsewhere, then check with --expect-head 3:{head}",
    ]
    assert (await asyncio.to_thread(guichet_audit_verify, "--expect-head", f"3:{head}")).returncode == 0

    await tamper("DELETE FROM audit_record WHERE sequence = 3")
    cut = await asyncio.to_thread(guichet_audit_verify, "--expect-head", f"3:{head}")
    assert cut.returncode == 1 and "the anchored record 3 is not in the trail" in cut.stdout
    await login()  # sequence 3 again, another record

    await tamper("DELETE FROM audit_record WHERE sequence = 2")
    broken = await asyncio.to_thread(guichet_audit_verify)
    assert broken.returncode == 1, broken.stderr
    assert "Audit trail NOT intact: 2 records checked." in broken.stdout
    assert "record 2 is missing (removed)" in broken.stdout
    assert "Traceback" not in broken.stderr
