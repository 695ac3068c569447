"""create_app(): the only place that assembles Litestar."""

from __future__ import annotations

from litestar import Litestar, Request
from litestar.middleware import DefineMiddleware
from piccolo.engine.finder import engine_finder

from app.breakatwork.routes import BreakAtWorkController
from app.careerbreak.attachments.routes import AttachmentsController
from app.careerbreak.attestations.routes import AttestationsController
from app.careerbreak.cancellation.routes import CancellationController
from app.careerbreak.catalogue import CAREER_BREAK_SERVICE
from app.careerbreak.completion.routes import CompletionController
from app.careerbreak.consultations.routes import ConsultationsController
from app.careerbreak.routes import CareerBreakController
from app.config import check_can_serve, get_settings
from app.db.engines import close_engine, open_engine
from app.employer.catalogue import EMPLOYER_SERVICE
from app.employer.routes import route_handlers as employer_route_handlers
from app.ebox.routes import EboxController
from app.identity.guards import IdentificationRequired, identification_required_handler
from app.identity.oidc import route_handlers as oidc_route_handlers
from app.identity.routes import IdentificationController, MyKeysController, SessionController
from app.identity.sessions import SessionMiddleware
from app.mail.routes import outbox_route_handlers
from app.portal.catalogue import register
from app.portal.routes import PortalController
from app.web.compression import GzipMiddleware
from app.web.csrf import CsrfMiddleware
from app.web.errors import EXCEPTION_HANDLERS
from app.web.i18n import activate, language_of
from app.web.security import CrossSiteRequestGuard, add_security_headers
from app.web.static import STATIC_PREFIX, manifest, serve_static
from app.web.templates import make_template_config


async def activate_language(request: Request) -> None:
    activate(language_of(request))


async def on_startup() -> None:
    check_can_serve(get_settings())
    manifest()  # read the static files before the first request
    await open_engine(engine_finder())


async def on_shutdown() -> None:
    await close_engine(engine_finder())


def create_app() -> Litestar:
    # The portal's catalogue links only to the services registered here.
    register(CAREER_BREAK_SERVICE)
    register(EMPLOYER_SERVICE)
    return Litestar(
        route_handlers=[
            PortalController, IdentificationController, SessionController, MyKeysController,
            CareerBreakController, CancellationController, CompletionController, BreakAtWorkController,
            AttestationsController, EboxController, AttachmentsController, ConsultationsController,
            *employer_route_handlers,
            *oidc_route_handlers(), *outbox_route_handlers(), serve_static,
        ],
        template_config=make_template_config(),
        # Outermost first: the cross-site check, then the session, then the CSRF token bound to it,
        # then gzip (P6) around what the routes answer; the static files are served already compressed.
        middleware=[CrossSiteRequestGuard, SessionMiddleware, CsrfMiddleware,
                    DefineMiddleware(GzipMiddleware, excluded_prefix=f"{STATIC_PREFIX}/")],
        before_request=activate_language,
        before_send=[add_security_headers],
        exception_handlers={
            **EXCEPTION_HANDLERS,
            IdentificationRequired: identification_required_handler,
        },
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        openapi_config=None,
        debug=False,
    )
