"""The acceptance environment's own tools, mounted only there."""

from __future__ import annotations

from app.acceptance.identity_provider.routes import AcceptanceIdentityProviderController
from app.service import Service

SERVICE = Service(name="acceptance", acceptance_route_handlers=[AcceptanceIdentityProviderController])
