"""The identification with the digital keys, the sessions and "Mes clés"."""

from __future__ import annotations

from app.identity.guards import (
    IdentificationRequired,
    identification_required_handler,
    session_ended_handler,
)
from app.identity.oidc.routes import DigitalIdentityController
from app.identity.routes import (
    IdentificationController,
    MyKeysController,
    SessionController,
)
from app.identity.sessions import SessionEnded, current_session
from app.identity.tables import Account, EmailCode, Session, ThrottleCounter, TokenCard
from app.service import Service

SERVICE = Service(
    name="identity",
    route_handlers=[IdentificationController, SessionController, MyKeysController, DigitalIdentityController],
    tables=[Account, TokenCard, EmailCode, Session, ThrottleCounter],
    template_globals={
        "current_session": current_session,
        "session_seconds_left": lambda session: session.seconds_left(),
    },
    exception_handlers={IdentificationRequired: identification_required_handler,
                        SessionEnded: session_ended_handler},
)
