from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxItem(Table, tablename="outbox_item"):
    """Something a committed state change promised to send (a document, an e-mail, an event), written in
    the same transaction and delivered after it (app/outbox/services.py).

    `idempotency_key` names the promise (`employer.filing:12:worker-form`): enqueuing it again adds
    nothing, and the e-Box derives the document's public id from it, so that a second delivery finds the
    document there. `claimed_until`: claimed by a deliverer (or waiting after a failure) until then;
    `attempts` counts the claims; `done_at` is set once delivered."""

    idempotency_key = Varchar(length=200, unique=True)
    kind = Varchar(length=64)
    payload = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())
    attempts = Integer(default=0)
    claimed_until = Timestamptz(null=True, default=None)
    done_at = Timestamptz(null=True, default=None, index=True)
    last_error = Text(null=True, default=None)
