"""E-mail: the outbox table, and in acceptance the outbox page that shows what was kept."""

from __future__ import annotations

from app.mail.routes import OutboxController
from app.mail.services import MAIL_ITEM, deliver_mail
from app.mail.tables import OutboxMessage
from app.service import Service

SERVICE = Service(name="mail", acceptance_route_handlers=[OutboxController], tables=[OutboxMessage],
                  outbox_handlers={MAIL_ITEM: deliver_mail})
