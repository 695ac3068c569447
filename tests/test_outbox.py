"""The transactional outbox (app/outbox, budget R5): written with the state change or not at all, each
item delivered once by whoever claims it first (across processes too), a dead claimer's item claimed
again once its claim expires, a failing handler tried again a bounded number of times and logged; e-Box
documents exactly once, e-mails at least once with one Message-ID. On SQLite and PostgreSQL (the
`database` the run was given)."""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import json
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from app.clock import utcnow
from app.db import transaction
from app.demo import load_demo_data
from app.ebox.services import Subject, enqueue_document, keyed_public_id
from app.ebox.tables import EboxMessage
from app.events import Event
from app.mail.services import build_message, enqueue_mail, stable_message_id
from app.mail.tables import OutboxMessage
from app.outbox import services as outbox
from app.outbox.services import (
    MAX_ATTEMPTS,
    deliver,
    deliver_pending,
    enqueue,
    publish_later,
    retry_delay,
)
from app.outbox.tables import OutboxItem

PROJECT_ROOT = Path(__file__).resolve().parents[1]
KIND = "tests.record"


class Recorder:
    """A handler that notes each delivery; it can be slowed down, or fail its first deliveries."""

    def __init__(self, *, delay: float = 0.0, failures: int = 0) -> None:
        self.delivered: list[str] = []
        self.delay, self.failures = delay, failures

    async def __call__(self, item: outbox.Item) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            self.failures -= 1
            raise OSError(f"the recipient of {item.key} is away")
        self.delivered.append(item.key)


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    handler = Recorder()
    monkeypatch.setitem(outbox._HANDLERS, KIND, handler)
    return handler


async def enqueued(*keys: str, kind: str = KIND) -> list[str]:
    async with transaction():
        for key in keys:
            await enqueue(kind, {"what": key}, key=key)
    return list(keys)


async def row(key: str) -> dict:
    return await OutboxItem.select().where(OutboxItem.idempotency_key == key).first()


async def make_due(key: str) -> None:
    """As if the item's claim, or its delay after a failure, had run out."""
    await OutboxItem.update({OutboxItem.claimed_until: utcnow() - datetime.timedelta(seconds=1)}).where(
        OutboxItem.idempotency_key == key)


class Refused(Exception):
    pass


# -- writing ---------------------------------------------------------------------------------------------


async def test_an_item_is_written_with_its_transaction_or_not_at_all(recorder):
    with pytest.raises(Refused):
        async with transaction():
            await enqueue(KIND, {"n": 1}, key="rolled-back")
            raise Refused()
    assert await OutboxItem.count() == 0
    with pytest.raises(RuntimeError, match="inside the transaction"):
        await enqueue(KIND, {"n": 1}, key="alone")  # apart from a state change: refused
    assert await OutboxItem.count() == 0
    assert await deliver_pending() == 0 and recorder.delivered == []


async def test_the_same_key_written_again_adds_nothing(recorder):
    await enqueued("once")
    async with transaction():
        await enqueue(KIND, {"what": "other"}, key="once")
    assert await OutboxItem.count() == 1
    stored = (await row("once"))["payload"]
    assert (json.loads(stored) if isinstance(stored, str) else stored) == {"what": "once"}  # the first one


# -- delivering ------------------------------------------------------------------------------------------


async def test_an_item_is_delivered_once(recorder):
    keys = await enqueued("a", "b")
    assert await deliver(["a"]) == 1
    assert recorder.delivered == ["a"]
    delivered = await row("a")
    assert delivered["done_at"] is not None and delivered["attempts"] == 1 and delivered["claimed_until"] is None
    assert await deliver_pending() == 1  # "b", left to the loop
    assert await deliver(keys) == 0 and await deliver_pending() == 0
    assert recorder.delivered == ["a", "b"]


async def test_inside_a_transaction_deliver_leaves_the_items_to_the_loop(recorder):
    async with transaction():
        await enqueue(KIND, {}, key="inside")
        assert await deliver(["inside"]) == 0  # not committed yet
    assert recorder.delivered == [] and await deliver_pending() == 1


async def test_items_of_kinds_this_process_cannot_deliver_are_left_alone(recorder):
    await enqueued("unknown-kind", kind="tests.nobody")
    assert await deliver_pending() == 0 and await deliver(["unknown-kind"]) == 0
    assert (await row("unknown-kind"))["attempts"] == 0


async def test_two_concurrent_deliverers_never_deliver_one_item_twice(recorder):
    recorder.delay = 0.005
    keys = await enqueued(*(f"item-{n}" for n in range(40)))
    await asyncio.gather(deliver_pending(), deliver_pending(), deliver(keys[:15]), deliver(keys[10:30]),
                         deliver_pending())
    await deliver_pending()
    assert Counter(recorder.delivered) == Counter(keys)  # every one, once
    assert await OutboxItem.count().where(OutboxItem.done_at.is_null()) == 0


DELIVERER = """
import asyncio, os, sys
from pathlib import Path
from app.cli import _run_with_database
from app.outbox import services as outbox

folder = Path(sys.argv[1])

async def record(item):
    await asyncio.sleep(0.02)
    with (folder / "ledger").open("a") as ledger:
        ledger.write(f"{item.key} {os.getpid()}\\n")

outbox.register_handler("tests.ledger", record)

async def main():
    await outbox.deliver_pending(limit=0)  # the connection opened
    (folder / f"ready-{os.getpid()}").touch()
    while not (folder / "go").exists():
        await asyncio.sleep(0.005)
    return await outbox.deliver_pending(limit=1000)

print(_run_with_database(main()))
"""


async def test_two_processes_never_deliver_one_item_twice(tmp_path):
    """Two deliverers in two processes on the same database: each item is claimed by one (PostgreSQL:
    FOR UPDATE SKIP LOCKED; SQLite: the write transaction)."""
    keys = await enqueued(*(f"ledger-{n}" for n in range(60)), kind="tests.ledger")
    processes = [subprocess.Popen([sys.executable, "-c", DELIVERER, str(tmp_path)], cwd=PROJECT_ROOT,
                                  env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        assert all(process.poll() is None for process in processes), [p.communicate() for p in processes]
        await asyncio.sleep(0.02)
    (tmp_path / "go").touch()
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    lines = (tmp_path / "ledger").read_text().splitlines()
    delivered = Counter(line.split()[0] for line in lines)
    assert delivered == Counter(keys), "each item once, by one process"
    by_process = Counter(line.split()[1] for line in lines)
    assert sum(int(out.strip().splitlines()[-1]) for out, _ in outputs) == len(keys)
    assert len(by_process) == 2, f"both processes delivered: {by_process}"
    assert await OutboxItem.count().where(OutboxItem.done_at.is_null()) == 0


async def test_a_claim_whose_claimer_died_is_taken_again_once_it_expires(recorder):
    await enqueued("orphan")
    [claimed] = await outbox._claim(keys=["orphan"])  # a deliverer claims it, then is killed
    assert claimed.attempts == 1
    assert await deliver_pending() == 0 and await deliver(["orphan"]) == 0  # the claim still runs
    await make_due("orphan")
    assert await deliver_pending() == 1
    assert recorder.delivered == ["orphan"]
    done = await row("orphan")
    assert done["attempts"] == 2 and done["done_at"] is not None


async def test_a_live_claimer_keeps_its_claim_while_its_handler_runs(recorder, monkeypatch):
    monkeypatch.setattr(outbox, "CLAIM_SECONDS", 0.3)
    recorder.delay = 1.0
    await enqueued("slow")
    first = asyncio.create_task(deliver(["slow"]))
    await asyncio.sleep(0.6)  # twice as long as a claim: renewed meanwhile
    assert await deliver_pending() == 0
    assert await first == 1
    assert recorder.delivered == ["slow"] and (await row("slow"))["attempts"] == 1


async def test_a_failing_handler_is_tried_again_later_a_bounded_number_of_times_and_logged(recorder, caplog):
    recorder.failures = MAX_ATTEMPTS + 5  # it never succeeds
    await enqueued("doomed")
    caplog.set_level(logging.WARNING, logger="guichet.outbox")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        before = utcnow()
        assert await deliver_pending() == 1
        failed = await row("doomed")
        assert failed["attempts"] == attempt and failed["done_at"] is None
        assert "OSError: the recipient of doomed is away" in failed["last_error"]
        if attempt < MAX_ATTEMPTS:  # not before its delay
            assert failed["claimed_until"] >= before + retry_delay(attempt)
            assert await deliver_pending() == 0
            await make_due("doomed")
    logged = [record for record in caplog.records if record.name == "guichet.outbox"]
    warnings = [record for record in logged if record.levelno == logging.WARNING]
    assert len(warnings) == MAX_ATTEMPTS - 1 and "attempt 1 of" in warnings[0].getMessage()
    [given_up] = [record for record in logged if record.levelno == logging.ERROR]
    assert "given up" in given_up.getMessage() and given_up.exc_info is not None
    await make_due("doomed")
    assert await deliver_pending() == 0  # bounded: never again
    assert recorder.delivered == [] and recorder.failures == 5


async def test_a_handler_that_fails_once_is_delivered_at_the_next_attempt(recorder):
    recorder.failures = 1
    await enqueued("flaky")
    assert await deliver(["flaky"]) == 0
    await make_due("flaky")
    assert await deliver_pending() == 1
    done = await row("flaky")
    assert recorder.delivered == ["flaky"] and done["attempts"] == 2 and done["last_error"] is None


def test_the_delays_grow_and_stop_growing():
    delays = [retry_delay(attempts).total_seconds() for attempts in range(1, MAX_ATTEMPTS + 3)]
    assert delays == sorted(delays) and delays[0] == 5 and delays[-1] == delays[-2]


# -- events ------------------------------------------------------------------------------------------------


async def test_an_event_published_later_reaches_its_listeners_until_they_all_succeed():
    event = Event("tests.outbox.something_happened")
    calls: list[tuple[str, int]] = []

    async def steady(request_id: int) -> None:
        calls.append(("steady", request_id))

    async def shaky(request_id: int) -> None:
        calls.append(("shaky", request_id))
        if len([call for call in calls if call[0] == "shaky"]) == 1:
            raise OSError("not yet")

    event.listen(steady)
    event.listen(shaky)
    async with transaction():
        await publish_later(event, 12, key="tests.event:12")
    assert await deliver(["tests.event:12"]) == 0  # the second listener failed: delivered again later
    await make_due("tests.event:12")
    assert await deliver_pending() == 1
    assert calls == [("steady", 12), ("shaky", 12), ("steady", 12), ("shaky", 12)]


# -- e-Box documents exactly once, e-mails at least once ----------------------------------------------


async def test_a_document_arrives_once_however_often_its_item_is_delivered(database):
    await load_demo_data()
    copy = await EboxMessage.select().where(EboxMessage.document_kind == "decision-c62").first()
    context = json.loads(copy["context"]) if isinstance(copy["context"], str) else copy["context"]
    async with transaction():
        await enqueue_document(key="tests.document:1", person_id=copy["person"],
                               subject=Subject("careerbreak", copy["subject_id"]), document_kind="test-copie",
                               language="fr", template=copy["template"], context=context)
    assert await deliver(["tests.document:1"]) == 1
    await OutboxItem.update({OutboxItem.done_at: None}).where(OutboxItem.idempotency_key == "tests.document:1")
    await make_due("tests.document:1")
    assert await deliver_pending() == 1  # delivered again (a crash before it was marked done)
    assert await outbox._claim(keys=["tests.document:1"]) == []  # done
    stored = await row("tests.document:1")
    again = outbox.Item(stored["id"], "tests.document:1", "ebox.document",
                        json.loads(stored["payload"]) if isinstance(stored["payload"], str) else stored["payload"], 9)
    await asyncio.gather(*(outbox._HANDLERS["ebox.document"](again) for _ in range(3)))  # at once, too
    documents = await EboxMessage.select(EboxMessage.public_id, EboxMessage.person, EboxMessage.pdf).where(
        EboxMessage.document_kind == "test-copie")
    assert len(documents) == 1
    assert documents[0]["public_id"] == keyed_public_id("tests.document:1")
    assert documents[0]["person"] == copy["person"] and bytes(documents[0]["pdf"]).startswith(b"%PDF-")


async def test_an_email_is_sent_at_least_once_each_time_with_the_same_message_id(database):
    async with transaction():
        await enqueue_mail("marie.dubois@example.be", "Votre demande", "Bonjour", key="tests.mail:1")
    assert await deliver(["tests.mail:1"]) == 1
    await OutboxItem.update({OutboxItem.done_at: None}).where(OutboxItem.idempotency_key == "tests.mail:1")
    await make_due("tests.mail:1")
    assert await deliver_pending() == 1
    kept = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.message_id)
    assert len(kept) == 2 and kept[0] == kept[1]  # a repeat, recognisable
    assert kept[0]["message_id"] == stable_message_id("tests.mail:1", "no-reply@localhost")
    message = build_message("guichet@example.be", "marie.dubois@example.be", "Votre demande", "Bonjour",
                            message_id=stable_message_id("tests.mail:1", "guichet@example.be"))
    received = email.message_from_bytes(bytes(message), policy=email.policy.default)
    assert received["Message-ID"] == stable_message_id("tests.mail:1", "guichet@example.be")
    assert received["Message-ID"].endswith("@example.be>")
    assert stable_message_id("tests.mail:2", "guichet@example.be") != received["Message-ID"]


async def test_a_recipient_that_is_not_one_address_is_dropped_not_retried(database, caplog):
    async with transaction():
        await enqueue_mail("nobody, somebody@example.be", "Sujet", "Corps", key="tests.mail:bad")
    assert await deliver(["tests.mail:bad"]) == 1  # nothing will ever change it
    assert await OutboxMessage.count() == 0
    assert any("is not sent" in record.getMessage() for record in caplog.records)


# -- the loop --------------------------------------------------------------------------------------------


async def test_the_loop_delivers_at_start_and_every_few_seconds_and_stops(recorder):
    await enqueued("before-start")
    loop = asyncio.create_task(outbox.deliver_forever(0.05))
    try:
        for _ in range(100):
            if recorder.delivered:
                break
            await asyncio.sleep(0.02)
        await enqueued("later")
        for _ in range(100):
            if len(recorder.delivered) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop
    assert recorder.delivered == ["before-start", "later"]


async def test_delivered_items_are_removed_after_a_week(recorder):
    await enqueued("old", "recent", "pending")
    await deliver(["old", "recent"])
    await OutboxItem.update({OutboxItem.done_at: utcnow() - datetime.timedelta(days=8)}).where(
        OutboxItem.idempotency_key == "old")
    await outbox.purge_delivered()
    assert sorted(row["idempotency_key"] for row in await OutboxItem.select(OutboxItem.idempotency_key)) == [
        "pending", "recent"]

