"""Guichet is one Piccolo app whose migrations live in the top-level migrations/ folder."""

from piccolo.conf.apps import AppConfig

from app.audit.tables import AuditRecord
from app.careerbreak.tables import Attachment, CareerBreakRequest, RequestEvent
from app.config import MIGRATIONS_DIR
from app.ebox.tables import EboxMessage
from app.identity.tables import Account, EmailCode, Session, ThrottleCounter, TokenCard
from app.mail.tables import OutboxMessage
from app.registry.tables import Employment, Enterprise, Person

APP_CONFIG = AppConfig(
    app_name="guichet",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=[
        Person, Enterprise, Employment,
        Account, TokenCard, EmailCode, Session, ThrottleCounter,
        AuditRecord,
        OutboxMessage,
        CareerBreakRequest, RequestEvent, Attachment,
        EboxMessage,
    ],
    migration_dependencies=[],
    commands=[],
)
