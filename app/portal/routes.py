from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from app.portal.catalogue import (
    AUDIENCES,
    THEMES,
    Audience,
    Theme,
    audience_of,
    has_page,
    services_for,
    theme_of,
    themes_for,
)
from app.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from app.web.redirects import safe_local_path
from app.web.render import render
from app.web.security import STATELESS, guichet_cookie

ONE_YEAR = 365 * 24 * 3600
# The audiences that have themes get pages: /citoyen, /citoyen/{theme}, /citoyen/{theme}/{topic}.
AUDIENCE_PATHS = sorted({f"/{theme.audience}" for theme in THEMES})


def _audience_at(request: Request) -> Audience:
    """The audience whose pages the request's path is under, when it has themes to show."""
    audience = audience_of(request.url.path.strip("/").split("/")[0])
    if audience is None or not themes_for(audience.key):
        raise NotFoundException()
    return audience


def _theme_at(audience: Audience, theme_key: str) -> Theme:
    theme = theme_of(audience.key, theme_key)
    if theme is None or theme not in themes_for(audience.key):
        raise NotFoundException()
    return theme


class PortalController(Controller):
    @get("/", name="home")
    async def home(self, request: Request) -> Template:
        """The three audiences; those with themes link to their page (guide 000: « Citoyen »)."""
        audiences = [(audience, bool(themes_for(audience.key))) for audience in AUDIENCES]
        return render(request, "portal/home.html", {"audiences": audiences})

    @get(AUDIENCE_PATHS, name="portal_audience")
    async def audience(self, request: Request) -> Template:
        audience = _audience_at(request)
        return render(request, "portal/audience.html",
                      {"audience": audience, "themes": themes_for(audience.key)})

    @get([f"{path}/{{theme_key:str}}" for path in AUDIENCE_PATHS], name="portal_theme")
    async def theme(self, request: Request, theme_key: FromPath[str]) -> Template:
        """The theme's topics in short sections; a topic with an online service links to its page."""
        audience = _audience_at(request)
        theme = _theme_at(audience, theme_key)
        topics = [(topic, has_page(theme, topic)) for topic in theme.topics]
        return render(request, "portal/theme.html", {"audience": audience, "theme": theme, "topics": topics})

    @get([f"{path}/{{theme_key:str}}/{{topic_key:str}}" for path in AUDIENCE_PATHS], name="portal_topic")
    async def topic(self, request: Request, theme_key: FromPath[str], topic_key: FromPath[str]) -> Template:
        """A topic's page: what its online services are, and the link that opens each of them."""
        audience = _audience_at(request)
        theme = _theme_at(audience, theme_key)
        topic = next((topic for topic in theme.topics if topic.key == topic_key), None)
        if topic is None or not has_page(theme, topic):
            raise NotFoundException()
        return render(request, "portal/topic.html", {
            "audience": audience, "theme": theme, "topic": topic, "services": services_for(theme, topic),
        })

    @get("/healthz", name="healthz", media_type="text/plain", sync_to_thread=False, opt=STATELESS)
    def healthz(self) -> str:
        return "ok"

    @get("/langue/{language:str}", name="switch_language", sync_to_thread=False)
    def switch_language(
        self,
        language: FromPath[str],
        next_path: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Response:
        """The language switch: a plain link, so it works without JavaScript on every page.

        It only sets the preference cookie (no server state) and comes back to the same page.
        """
        if language not in LANGUAGES:
            raise NotFoundException()
        response = Redirect(path=safe_local_path(next_path), status_code=303)
        response.set_cookie(guichet_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR))
        return response
