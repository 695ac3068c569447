"""Break@work (guide 000): the balances of leave taken and the allowance's estimate, in the
career-break service's menu."""

from __future__ import annotations

from app.breakatwork.routes import BreakAtWorkController
from app.service import Service

SERVICE = Service(name="breakatwork", route_handlers=[BreakAtWorkController])
