"""The services that make up Guichet, in the order their routes, tables and globals are read.

A new service is one line here: its package's `service.py` declares the rest (app/service.py).
`create_app()` mounts them, the Piccolo app (`APP_CONFIG`, below) reads their tables (and the
outbox's), the Jinja environment their template globals; `install()` registers their catalogue
entries, listeners and outbox handlers.
"""

from __future__ import annotations

from functools import cache

from piccolo.conf.apps import AppConfig

from app.acceptance import service as acceptance
from app.audit import service as audit
from app.breakatwork import service as breakatwork
from app.careerbreak import service as careerbreak
from app.ebox import service as ebox
from app.employer import service as employer
from app.identity import service as identity
from app.leaving_belgium import service as leaving_belgium
from app.mail import service as mail
from app.portal import service as portal
from app.registry import service as registry
from app.config import MIGRATIONS_DIR
from app.outbox.services import register_handler
from app.outbox.tables import OutboxItem
from app.portal.catalogue import register
from app.service import Service

SERVICES: tuple[Service, ...] = (
    registry.SERVICE,
    identity.SERVICE,
    audit.SERVICE,
    mail.SERVICE,
    ebox.SERVICE,
    portal.SERVICE,
    careerbreak.SERVICE,
    leaving_belgium.SERVICE,
    breakatwork.SERVICE,
    employer.SERVICE,
    acceptance.SERVICE,
)


@cache
def install() -> tuple[Service, ...]:
    """Registers what the services offer one another: their entries in the portal's catalogue (so
    that nothing links to a service that is not installed), their listeners and the handlers of their
    outbox items (what the web app, the commands and the tests deliver). Once per process."""
    for service in SERVICES:
        for entry in service.catalogue:
            register(entry)
        for event, listener in service.listeners.items():
            event.listen(listener)
        for kind, handler in service.outbox_handlers.items():
            register_handler(kind, handler)
    return SERVICES


def template_globals() -> dict[str, object]:
    names: dict[str, object] = {}
    for service in SERVICES:
        clash = names.keys() & service.template_globals.keys()
        if clash:
            raise ValueError(f"{service.name} redefines the template globals {sorted(clash)}")
        names.update(service.template_globals)
    return names


# Guichet is one Piccolo app (PICCOLO_CONF: app/db/piccolo_conf.py) whose migrations live in the
# top-level migrations/ folder; its tables are the services' and the outbox's.
APP_CONFIG = AppConfig(
    app_name="guichet",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=[*(table for service in SERVICES for table in service.tables), OutboxItem],
    migration_dependencies=[],
    commands=[],
)
