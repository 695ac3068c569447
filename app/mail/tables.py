from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxMessage(Table):
    """An e-mail kept instead of sent: only in acceptance, when no SMTP server is configured."""

    recipient = Varchar(length=254)
    subject = Text()
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    message_id = Varchar(length=255, null=True, default=None)  # as it was sent: a repeat has the same
