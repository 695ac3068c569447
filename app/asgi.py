"""create_app(): the only place that assembles Litestar, from the installed services (app/installed.py)."""

from __future__ import annotations

from litestar import Litestar, Request
from litestar.middleware import DefineMiddleware
from piccolo.engine.finder import engine_finder

from app.config import check_can_serve, get_settings
from app.db.engines import close_engine, open_engine
from app.identity.sessions import SessionMiddleware
from app.installed import install, template_globals
from app.outbox.services import start_delivery, stop_delivery
from app.web.compression import GzipMiddleware
from app.web.csrf import CsrfMiddleware
from app.web.errors import EXCEPTION_HANDLERS
from app.web.forms import FORM_DECODERS
from app.web.i18n import activate, language_of
from app.web.input_guard import InputGuard
from app.web.security import CrossSiteRequestGuard, add_security_headers
from app.web.static import STATIC_PREFIX, manifest, serve_static
from app.web.templates import make_template_config, use_routes_of


async def activate_language(request: Request) -> None:
    activate(language_of(request))


async def on_startup() -> None:
    check_can_serve(get_settings())
    manifest()  # read the static files before the first request
    await open_engine(engine_finder())
    start_delivery()  # what the outbox holds (a crash left, a failure postponed), now and every few seconds


async def on_shutdown() -> None:
    await stop_delivery()
    await close_engine(engine_finder())


def create_app() -> Litestar:
    services = install()
    in_acceptance = not get_settings().is_production
    route_handlers = [handler for service in services for handler in service.route_handlers]
    if in_acceptance:  # in production the acceptance tools (test provider, outbox) do not exist
        route_handlers += [handler for service in services for handler in service.acceptance_route_handlers]
    exception_handlers = dict(EXCEPTION_HANDLERS)
    for service in services:
        exception_handlers.update(service.exception_handlers)
    app = Litestar(
        route_handlers=[*route_handlers, serve_static],
        template_config=make_template_config(template_globals()),
        # Outermost first: the cross-site check, then the session, then the CSRF token bound to it,
        # then the refusal of NUL characters (R6), then gzip (P6) around what the routes answer; the
        # static files are served already compressed.
        middleware=[CrossSiteRequestGuard, SessionMiddleware, CsrfMiddleware, InputGuard,
                    DefineMiddleware(GzipMiddleware, excluded_prefix=f"{STATIC_PREFIX}/")],
        type_decoders=FORM_DECODERS,  # a posted form's fields, each once as a string (app/web/forms.py)
        before_request=activate_language,
        before_send=[add_security_headers],
        exception_handlers=exception_handlers,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        openapi_config=None,
        debug=False,
    )
    use_routes_of(app)  # the templates' url_for, from this application's route names
    return app
