"""/dev/outbox: the e-mails kept instead of sent, in the acceptance environment only."""

from __future__ import annotations

import datetime

from babel.dates import format_time
from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.response import Template

from app.clock import BELGIAN_TIME
from app.config import get_settings
from app.mail.services import latest_outbox_messages
from app.web.i18n import babel_locale, format_date
from app.web.render import render

OUTBOX_LENGTH = 50


def acceptance_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """A second lock behind the registration: in production the outbox does not exist."""
    if get_settings().is_production:
        raise NotFoundException()


def sent_at(moment: datetime.datetime) -> str:
    """02/04/2026 10:05 in French, Belgian time, as Babel writes it in the user's language."""
    local = moment.astimezone(BELGIAN_TIME)
    return f"{format_date(local)} {format_time(local, 'short', locale=babel_locale())}"


class OutboxController(Controller):
    path = "/dev/outbox"
    guards = [acceptance_only]

    @get("/", name="dev_outbox")
    async def outbox(self, request: Request) -> Template:
        messages = await latest_outbox_messages(limit=OUTBOX_LENGTH)
        context = {
            "smtp_configured": get_settings().smtp_url is not None,
            "messages": [
                {"recipient": message.recipient, "subject": message.subject,
                 "sent_at": sent_at(message.created_at), "body": message.body}
                for message in messages
            ],
        }
        return render(request, "mail/outbox.html", context)

