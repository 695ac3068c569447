"""What the career-break service tells other services (app/events.py)."""

from __future__ import annotations

from app.events import Event

# Published once per submission, after the worker's part is committed, with the request's id: the
# employer's service then tells the enterprise (its e-Box notice, guide 001).
WORKER_PART_SENT = Event("careerbreak.worker_part_sent")
