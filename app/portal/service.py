"""The portal itself: the home page, the catalogue's pages, the health check, the language switch."""

from __future__ import annotations

from app.portal.routes import PortalController
from app.service import Service

SERVICE = Service(name="portal", route_handlers=[PortalController])
