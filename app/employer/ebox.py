"""The enterprise's e-Box (guide 001): the portal's e-Box (app/ebox/routes.py) mounted in the employer's
service, for the enterprise the personnel officer acts for: what the portal sent the enterprise (the
acknowledgement of each filing, the worker's completion, ONEM's decisions), unread first, each as its
HTML twin and its PDF. Another enterprise's document is not found.

A document about a request shows its worker's name and NISS: opening it, or its PDF, is a consultation
of the worker's file, audited as such (S9) by `audit_document_reading`, the mount's `on_read` hook.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.access.guards import NoRightToAct, acting_for
from app.careerbreak.services import request_of_subject
from app.ebox.routes import EboxWording, ebox_controller
from app.ebox.services import MessageSummary, Owner
from app.employer.screens import EBOX_PATH, EMPLOYER_GUARDS, base_context, not_personnel_officer_page
from app.employer.services import audit_consultation, request_of_enterprise
from app.identity.services import client_address
from app.web.i18n import N_
from app.web.i18n import gettext as _

ENTERPRISE_WORDING = EboxWording(
    title=N_("e-Box de l'entreprise"),
    lead=N_("Les documents que la sécurité sociale a envoyés à votre entreprise : accusés de réception, "
            "demandes complétées par vos travailleurs, décisions. Les documents non lus sont en tête de liste."),
    empty=N_("L'e-Box de votre entreprise est vide : aucun document ne lui a encore été envoyé."),
    back=N_("Retour à l'e-Box de l'entreprise"),
)


def enterprise(request: Request) -> Owner:
    """The enterprise the guards found the officer acts for: never one named by the URL."""
    return Owner.enterprise(acting_for(request).enterprise_id)


def page_context(request: Request) -> dict[str, Any]:
    """What the service's layout needs (its menu, with "e-Box de l'entreprise" current), and the
    caption that names the enterprise above the list's heading, as on the service's other screens."""
    acting = acting_for(request)
    caption = f"{_('Dossier interruption de carrière et crédit-temps')} – {acting.enterprise_name}"
    return base_context(acting, active="ebox", caption=caption)


async def audit_document_reading(request: Request, message: MessageSummary, as_pdf: bool) -> None:
    """A document of the enterprise's e-Box about one of its requests names the request's worker:
    reading it, or its PDF, is a consultation of the worker's file. A document about no request
    consults nobody's."""
    request_id = request_of_subject(message.subject)
    if request_id is None:
        return
    acting = acting_for(request)
    filed = await request_of_enterprise(acting, request_id)
    if filed is not None:
        await audit_consultation(acting, [filed.worker_niss], "document-pdf" if as_pdf else "document",
                                 source=client_address(request), request_id=request_id)


EnterpriseEboxController = ebox_controller(
    path=EBOX_PATH, owner=enterprise, guards=EMPLOYER_GUARDS, layout="employer/_layout.html",
    wording=ENTERPRISE_WORDING, route_name_prefix="employer_ebox",
    route_names={"mark_unread": "employer_ebox_unread", "mark_read": "employer_ebox_read"},
    page_context=page_context, on_read=audit_document_reading,
    exception_handlers={NoRightToAct: not_personnel_officer_page}, name="EnterpriseEboxController",
)
