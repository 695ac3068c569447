"""Events between services: a service publishes what happened, another listens, and neither imports
the other's insides (the listener's service names the event in its `Service.listeners`).

    WORKER_PART_SENT = Event("careerbreak.worker_part_sent")   # declared by the publishing service
    await WORKER_PART_SENT.publish(request_id)                 # after the publisher's transaction

A listener runs in the request that published, after it, awaited in turn; what it does is a
consequence, not a condition, of what was published: its exception is logged and the next listener runs.

What a state change promises (a document, an e-mail) must survive a crash: such an event is not
published after the transaction but written in it, with `app.outbox.services.publish_later(EVENT,
*args, key=...)` (its arguments stored as JSON), and `deliver`ed by the outbox after the commit. There
a listener's exception makes the outbox deliver the event again later, and a crash may too: such
listeners raise when their work failed and are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger("guichet.events")

Listener = Callable[..., Awaitable[None]]

_EVENTS: dict[str, Event] = {}


class Event:
    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Listener] = []
        _EVENTS.setdefault(name, self)

    @staticmethod
    def named(name: str) -> Event | None:
        """The event declared under this name (what the outbox stores of an event published later)."""
        return _EVENTS.get(name)

    def __repr__(self) -> str:
        return f"Event({self.name!r})"

    def listen(self, listener: Listener) -> None:
        """Adds a listener (the same one again is harmless)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    async def publish(self, *args: Any) -> None:
        for listener in tuple(self._listeners):
            try:
                await listener(*args)
            except Exception:  # noqa: BLE001 - what was published stands; a listener's failure is logged
                logger.exception("a listener of %s failed for %r", self.name, args)

    async def deliver(self, *args: Any) -> None:
        """As `publish`, but for a delivery that is tried again (app/outbox: `publish_later`): every
        listener runs, then the first failure is raised, so that the event is delivered again later.
        A listener reached that way may run more than once for one event: it must be idempotent."""
        failure: Exception | None = None
        for listener in tuple(self._listeners):
            try:
                await listener(*args)
            except Exception as error:  # noqa: BLE001 - the next listeners still run
                logger.warning("a listener of %s failed for %r: %r", self.name, args, error)
                failure = failure or error
        if failure is not None:
            raise failure
