"""The one Jinja environment: templates/, gettext, Babel filters, fingerprinted static URLs."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from app.careerbreak.wording import careerbreak_template_globals
from app.config import TEMPLATES_DIR, get_settings
from app.web import i18n
from app.identity.sessions import current_session
from app.web.csrf import csrf_token
from app.web.static import static_url


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        auto_reload=False,  # templates are read once: about 30 % faster pages
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext,
        i18n.ngettext,
        newstyle=True,
        pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
    )
    environment.globals.update(
        static_url=static_url,
        current_language=i18n.current_language,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        settings_is_production=lambda: get_settings().is_production,
        current_session=current_session,
        session_seconds_left=lambda session: session.seconds_left(),
        **careerbreak_template_globals(),
    )
    environment.filters.update(
        date=i18n.format_date,
        amount=i18n.format_amount,
        number=i18n.format_number,
    )
    return environment


def make_template_config() -> TemplateConfig:
    environment = make_environment()
    engine = JinjaTemplateEngine.from_environment(environment)
    # Guichet's CSRF token is bound to the session (app/web/csrf.py), not Litestar's cookie token.
    environment.globals["csrf_token"] = csrf_token
    return TemplateConfig(engine=engine)
