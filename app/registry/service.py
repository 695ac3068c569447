"""The registers the portal reads: people (National Register) and enterprises (BCE/KBO)."""

from __future__ import annotations

from app.registry.tables import Employment, Enterprise, Person
from app.service import Service

SERVICE = Service(name="registry", tables=[Person, Enterprise, Employment])
