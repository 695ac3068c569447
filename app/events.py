"""Events between services: a service publishes what happened, another listens, and neither imports
the other's insides (the listener's service names the event in its `Service.listeners`).

    WORKER_PART_SENT = Event("careerbreak.worker_part_sent")   # declared by the publishing service
    await WORKER_PART_SENT.publish(request_id)                 # after the publisher's transaction

A listener runs in the request that published, after it, awaited in turn; it must not raise (what it
does is a consequence, not a condition, of what was published): an exception is logged and the next
listener runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger("guichet.events")

Listener = Callable[..., Awaitable[None]]


class Event:
    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Listener] = []

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
