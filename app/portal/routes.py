from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from app.portal.catalogue import AUDIENCES, services_for
from app.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from app.web.redirects import safe_local_path
from app.web.render import render
from app.web.security import STATELESS, guichet_cookie

ONE_YEAR = 365 * 24 * 3600


class PortalController(Controller):
    @get("/", name="home")
    async def home(self, request: Request) -> Template:
        audiences = [(audience, services_for(audience.key)) for audience in AUDIENCES]
        return render(request, "portal/home.html", {"audiences": audiences})

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
