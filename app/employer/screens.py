"""What every screen of the employer's service shares (guide 001): its addresses and menu, its guards and
refusal page, the context every page starts from, and the small answers (a redirect, a PDF)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from app.access.guards import (
    PERSONNEL_OFFICER,
    ActingFor,
    NoRightToAct,
    acting_for_organisation,
)
from app.clock import utcnow
from app.config import get_settings
from app.employer.draft import (
    ENTERPRISE_STEP,
    KIND_STEP,
    LEAVE_STEP,
    WORKER_STEP,
)
from app.web.i18n import N_, activate, language_of
from app.web.render import render
from app.web.urls import MenuEntry

SERVICE_PATH = "/entreprise/interruption-de-carriere"  # the prefix of the service's controllers
REQUEST_PATH = f"{SERVICE_PATH}/demande"  # the catalogue's entry (catalogue.py)
# The wizard's table of the request's steps (routes.py, REQUEST_WIZARD): the wizard computes its
# addresses without a request, from paths. Every other address is built from a route name.
STEP_PATHS = {
    ENTERPRISE_STEP: f"{REQUEST_PATH}/entreprise",
    WORKER_STEP: f"{REQUEST_PATH}/travailleur",
    KIND_STEP: f"{REQUEST_PATH}/type",
    LEAVE_STEP: f"{REQUEST_PATH}/conge",
}
WORKER_FILE_PATH = f"{REQUEST_PATH}/dossier-travailleur"
CONFIRMATION_PATH = f"{REQUEST_PATH}/confirmation"
EBOX_PATH = f"{SERVICE_PATH}/ebox"  # where the enterprise's e-Box is mounted (ebox.py)
# The service's menu (templates/employer/_layout.html): a screen sets `active` to its key.
MENU = (
    MenuEntry("demande", N_("Introduire une demande"), "employer_start"),
    MenuEntry("consultation", N_("Consultation"), "employer_consultation"),
    MenuEntry("ebox", N_("e-Box de l'entreprise"), "employer_ebox"),
)

logger = logging.getLogger("guichet.employer")
# Guide 001: identification with the eID (high); a key of level substantial also opens the service,
# as for the citizen's part (guide 000), for a personnel officer of the enterprise.
EMPLOYER_GUARDS = acting_for_organisation(PERSONNEL_OFFICER)


BACK = "precedent"  # the value of the "Précédent" button: keep what was typed, go back a step
SEARCH = "rechercher"  # the joint committee's search without JavaScript


def today() -> datetime.date:
    return utcnow().date()


def see_other(path: str) -> Redirect:
    return Redirect(path=path, status_code=303)


def action_of(data: dict[str, Any]) -> str:
    action = data.get("action")
    return action if isinstance(action, str) else ""


def not_personnel_officer_page(request: Request, _exception: NoRightToAct) -> Response:
    """S6: an identified person who acts for no enterprise gets a page saying so, not a bare 403."""
    activate(language_of(request))  # the guard runs before the language is set for the request
    return render(request, "employer/not_personnel_officer.html", {"active": None}, status_code=403)


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(content=content, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    })


def origin_of(request: Request) -> str:
    """The site's address for the link of the worker's e-mail: GUICHET_PUBLIC_URL (required in
    production); in acceptance, without it, the address the officer reached."""
    return get_settings().public_url or f"{request.url.scheme}://{request.url.netloc}"


def base_context(acting: ActingFor, **values: Any) -> dict[str, Any]:
    return {"active": "demande", "acting": acting, "errors": [], **values}
