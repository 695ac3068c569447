"""The append-only audit trail."""

from __future__ import annotations

from app.audit.tables import AuditRecord
from app.service import Service

SERVICE = Service(name="audit", tables=[AuditRecord])
