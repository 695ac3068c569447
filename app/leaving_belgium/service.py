"""« Vous quittez la Belgique ? » (guide 002): the rights wizard, anonymous, with its entry under Citoyen."""

from __future__ import annotations

from app.leaving_belgium.catalogue import LEAVING_BELGIUM_SERVICE
from app.leaving_belgium.routes import LeavingBelgiumController
from app.service import Service

SERVICE = Service(
    name="leaving_belgium",
    route_handlers=[LeavingBelgiumController],
    catalogue=[LEAVING_BELGIUM_SERVICE],
)
