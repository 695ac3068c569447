"""The transactional outbox (budget R5): what a confirmed submission promises is delivered, even after a
crash, and an e-Box document exactly once.

Writing. A use case writes what it must send in the same transaction as its state change, so that both
are committed or neither is:

    async with transaction():
        await move_request(...)                                        # the state change
        await enqueue("careerbreak.acknowledgement", {"request_id": 12},
                      key="careerbreak.acknowledgement:12")            # what it promises
    await deliver(["careerbreak.acknowledgement:12"])                  # after the commit: at once

The key names the promise: enqueuing it again adds nothing. The e-Box (`enqueue_document`) and the
mail (`enqueue_mail`) offer their own item kinds; `publish_later(EVENT, *args, key=...)` delivers an
event of app/events.py the same way.

Delivering. A kind's handler does the work (draws the PDF and puts it in the e-Box, sends the e-mail);
services declare theirs in `Service.outbox_handlers`, registered by `app.installed.install()`. An item
is delivered by whoever claims it first: the request that enqueued it (`deliver`, right after its
commit, so that the user finds the documents at once), the loop every app instance runs from its
start-up (`start_delivery`: what a crash or a failure left, every POLL_SECONDS), or `deliver_pending`.

Claiming. A claim is a write transaction that picks due items and marks them claimed for CLAIM_SECONDS
(and counts the attempt): on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so that instances claim
different items; on SQLite under the write transaction (`BEGIN IMMEDIATE`, the writer lock), one claimer
at a time across processes. The claimer keeps its claim alive while the handler runs; a claimer that
died (`kill -9`) stops doing so, and the item is claimed again once its claim has expired. A handler
that fails is logged and tried again after a growing delay, MAX_ATTEMPTS times in all, then left
undelivered with its last error (logged as an error).

What that guarantees: an item is delivered at least once. A handler made idempotent by the item's key
makes it exactly once: the e-Box derives a document's public id from the key and a unique index keeps
one (a second delivery finds it there); an e-mail carries a `Message-ID` derived from the key, so that a
repeat (a crash between sending and marking it done) is recognisable.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine

from app.clock import utcnow
from app.db import transaction
from app.db.transactions import engine
from app.events import Event
from app.outbox.tables import OutboxItem

logger = logging.getLogger("guichet.outbox")

CLAIM_SECONDS = 10.0  # how long a claim lasts; renewed every third of it while the handler runs
POLL_SECONDS = 2.0  # how often each app instance looks for due items
BATCH = 50  # items delivered at most per look, before the loop sleeps again
MAX_ATTEMPTS = 8  # claims of an item in all; then it is left undelivered, with its error
RETRY_DELAYS = (5, 15, 60, 180, 600, 1800, 3600)  # seconds before the 2nd, 3rd, ... attempt
KEEP_DONE = datetime.timedelta(days=7)  # delivered items are removed after this
PURGE_EVERY = 1800  # looks of the loop between two purges (an hour at POLL_SECONDS)
EVENT_KIND = "event"


@dataclass(frozen=True)
class Item:
    """An item as its handler gets it; `attempts` counts this delivery."""

    id: int
    key: str
    kind: str
    payload: dict[str, Any]
    attempts: int


Handler = Callable[[Item], Awaitable[None]]
_HANDLERS: dict[str, Handler] = {}


def register_handler(kind: str, handler: Handler) -> None:
    """The handler of a kind of item (once per process: `app.installed.install()`)."""
    known = _HANDLERS.get(kind)
    if known is not None and known is not handler:
        raise ValueError(f"the outbox kind {kind!r} has a handler already")
    _HANDLERS[kind] = handler


def _in_transaction() -> bool:
    return engine().current_transaction.get() is not None


# ---------------------------------------------------------------------------------------------------
# Writing


async def enqueue(kind: str, payload: dict[str, Any], *, key: str) -> str:
    """Writes what must be sent, in the caller's transaction (a RuntimeError outside one: an item written
    apart from its state change could be lost in a crash, or sent for a change that never happened).
    `payload` is JSON; the same `key` again adds nothing. Returns the key, for `deliver`."""
    if not _in_transaction():
        raise RuntimeError("enqueue() belongs inside the transaction of the state change it follows")
    if len(key) > 200:
        raise ValueError("an outbox key has at most 200 characters")
    await OutboxItem.raw(
        "INSERT INTO outbox_item (idempotency_key, kind, payload, created_at, attempts) "
        "VALUES ({}, {}, {}, {}, 0) ON CONFLICT (idempotency_key) DO NOTHING",
        key, kind, json.dumps(payload), utcnow(),
    )
    return key


async def publish_later(event: Event, *args: Any, key: str) -> str:
    """The event, written in the caller's transaction and delivered by the outbox after the commit
    (`Event.deliver`: its listeners, again until they all succeed). `args` are JSON values."""
    return await enqueue(EVENT_KIND, {"event": event.name, "args": list(args)}, key=key)


async def _deliver_event(item: Item) -> None:
    event = Event.named(item.payload["event"])
    if event is None:
        raise LookupError(f"no event is named {item.payload['event']!r} in this process")
    await event.deliver(*item.payload["args"])


register_handler(EVENT_KIND, _deliver_event)


# ---------------------------------------------------------------------------------------------------
# Claiming


def _due(now: datetime.datetime) -> Any:
    return (OutboxItem.done_at.is_null() & (OutboxItem.attempts < MAX_ATTEMPTS)
            & (OutboxItem.claimed_until.is_null() | (OutboxItem.claimed_until <= now))
            & OutboxItem.kind.is_in(list(_HANDLERS)))


def _payload(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


async def _claim(*, keys: list[str] | None = None, limit: int = 1) -> list[Item]:
    """Due items (of the kinds this process can deliver), marked claimed in one write transaction."""
    now = utcnow()
    async with transaction():
        query = OutboxItem.select(OutboxItem.id, OutboxItem.idempotency_key, OutboxItem.kind,
                                  OutboxItem.payload, OutboxItem.attempts).where(_due(now))
        if keys is not None:
            query = query.where(OutboxItem.idempotency_key.is_in(keys))
        query = query.order_by(OutboxItem.id).limit(limit)
        if not isinstance(engine(), SQLiteEngine):  # SQLite: the write transaction is the lock
            query = query.lock_rows(skip_locked=True, of=(OutboxItem,))
        rows = await query
        if not rows:
            return []
        await OutboxItem.update({
            OutboxItem.claimed_until: now + datetime.timedelta(seconds=CLAIM_SECONDS),
            OutboxItem.attempts: OutboxItem.attempts + 1,
        }).where(OutboxItem.id.is_in([row["id"] for row in rows]))
    return [Item(row["id"], row["idempotency_key"], row["kind"], _payload(row["payload"]), row["attempts"] + 1)
            for row in rows]


async def _keep_claim(item: Item) -> None:
    """Renews the claim while the handler runs, so that only a dead claimer's items are claimed again."""
    while True:
        await asyncio.sleep(CLAIM_SECONDS / 3)
        try:
            await OutboxItem.update({
                OutboxItem.claimed_until: utcnow() + datetime.timedelta(seconds=CLAIM_SECONDS),
            }).where((OutboxItem.id == item.id) & OutboxItem.done_at.is_null())
        except Exception:  # noqa: BLE001 - the handler goes on; at worst another claimer repeats it
            logger.warning("the claim of outbox item %s could not be renewed", item.key, exc_info=True)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long a failed item waits before its next attempt, after `attempts` attempts."""
    return datetime.timedelta(seconds=RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1])


async def _run(item: Item) -> bool:
    """Runs the item's handler; marks the item delivered, or failed until its next attempt."""
    handler = _HANDLERS[item.kind]
    keeper = asyncio.create_task(_keep_claim(item))
    try:
        await handler(item)
    except Exception as error:  # noqa: BLE001 - logged, and tried again later
        error_text = f"{type(error).__name__}: {error}"[:1000]
        if item.attempts >= MAX_ATTEMPTS:
            logger.error("outbox item %s (%s) failed %s times: given up", item.key, item.kind, item.attempts,
                         exc_info=True)
            changes = {OutboxItem.last_error: error_text}
        else:
            delay = retry_delay(item.attempts)
            logger.warning("outbox item %s (%s) failed (attempt %s of %s), tried again in %s s: %s", item.key,
                           item.kind, item.attempts, MAX_ATTEMPTS, int(delay.total_seconds()), error_text,
                           exc_info=True)
            changes = {OutboxItem.last_error: error_text, OutboxItem.claimed_until: utcnow() + delay}
        await OutboxItem.update(changes).where(OutboxItem.id == item.id)
        return False
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
    await OutboxItem.update({OutboxItem.done_at: utcnow(), OutboxItem.claimed_until: None,
                             OutboxItem.last_error: None}).where(OutboxItem.id == item.id)
    return True


# ---------------------------------------------------------------------------------------------------
# Delivering


async def deliver(keys: Iterable[str]) -> int:
    """Delivers these items now, unless another deliverer has them: what a request just committed, so
    that the user finds it at once. Called after the commit (inside a transaction it does nothing: the
    loop delivers them). Never raises: what it could not deliver, the loop does. Returns how many were
    delivered."""
    wanted = list(dict.fromkeys(keys))
    if not wanted or _in_transaction():
        return 0
    delivered = 0
    try:
        for item in await _claim(keys=wanted, limit=len(wanted)):
            delivered += await _run(item)
    except Exception:  # noqa: BLE001 - what was committed stands: the loop delivers the rest
        logger.exception("the outbox items %s could not be delivered now", wanted)
    return delivered


async def deliver_pending(limit: int = BATCH) -> int:
    """Delivers due items, claimed one at a time, `limit` at most. Returns how many were tried."""
    now = utcnow()
    if not _HANDLERS or not await OutboxItem.exists().where(_due(now)):  # a read: no writer lock when idle
        return 0
    tried = 0
    while tried < limit:
        items = await _claim()
        if not items:
            break
        await _run(items[0])
        tried += 1
    return tried


async def purge_delivered(now: datetime.datetime | None = None) -> None:
    """Removes the items delivered more than KEEP_DONE ago."""
    await OutboxItem.delete().where(OutboxItem.done_at < (now or utcnow()) - KEEP_DONE)


async def deliver_forever(poll_seconds: float = POLL_SECONDS) -> None:
    """The loop of an app instance: what is due at start-up, then every `poll_seconds`."""
    looks = 0
    while True:
        try:
            await deliver_pending()
            if looks % PURGE_EVERY == 0:
                await purge_delivered()
        except Exception:  # noqa: BLE001 - the database may be back at the next look
            logger.exception("the outbox could not be delivered")
        looks += 1
        await asyncio.sleep(poll_seconds)


_loop: asyncio.Task | None = None


def start_delivery() -> None:
    """Starts this instance's delivery loop (the app's start-up)."""
    global _loop
    if _loop is None or _loop.done():
        _loop = asyncio.get_running_loop().create_task(deliver_forever(), name="guichet-outbox")


async def stop_delivery() -> None:
    """Stops the loop (the app's shutdown); an item it was delivering is claimed again later."""
    global _loop
    if _loop is not None:
        _loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await _loop
        _loop = None
