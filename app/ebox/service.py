"""The e-Box: the secure mailbox of citizens and organisations."""

from __future__ import annotations

from app.ebox.routes import EboxController
from app.ebox.services import DOCUMENT_ITEM, deliver_document
from app.ebox.tables import EboxMessage
from app.service import Service

SERVICE = Service(name="ebox", route_handlers=[EboxController], tables=[EboxMessage],
                  outbox_handlers={DOCUMENT_ITEM: deliver_document})
