"""The enterprise's e-Box (guide 001): what the portal sent the enterprise."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.access.guards import ActingFor, NoRightToAct, acting_for
from app.employer.ebox import (
    Cursor,
    NamedWorker,
    enterprise_document,
    enterprise_pdf,
    mark_read_by_enterprise,
    messages_of_enterprise,
)
from app.employer.screens import (
    EBOX_PATH,
    EMPLOYER_GUARDS,
    SERVICE_PATH,
    base_context,
    not_personnel_officer_page,
    pdf_response,
    see_other,
)
from app.employer.services import (
    audit_consultation,
)
from app.identity.services import client_address
from app.web.i18n import gettext as _
from app.web.render import render

logger = logging.getLogger("guichet.employer")


class EnterpriseEboxController(Controller):
    """The enterprise's e-Box."""

    path = SERVICE_PATH
    guards = EMPLOYER_GUARDS
    exception_handlers = {NoRightToAct: not_personnel_officer_page}

    @get("/ebox", name="employer_ebox")
    async def ebox(self, request: Request) -> Template:
        acting = acting_for(request)
        after = Cursor.parse(request.query_params.get("apres"))
        before = Cursor.parse(request.query_params.get("avant"))
        page = await messages_of_enterprise(acting.enterprise_id, after=after, before=before)
        notice = _("Le document est marqué comme non lu.") if request.query_params.get("fait") == "non-lu" else None
        return render(request, "employer/ebox.html", base_context(
            acting, active="ebox", page=page, notice=notice, first_page=after is None and before is None,
            previous_url=f"{EBOX_PATH}?{urlencode({'avant': str(page.previous_before)})}"
            if page.previous_before else None,
            next_url=f"{EBOX_PATH}?{urlencode({'apres': str(page.next_after)})}" if page.next_after else None,
        ))

    @get("/ebox/{public_id:str}", name="employer_ebox_message")
    async def ebox_message(self, request: Request, public_id: FromPath[str]) -> Template:
        acting = acting_for(request)
        found = await enterprise_document(acting.enterprise_id, public_id)
        if found is None:
            raise NotFoundException()
        document, worker = found
        await mark_read_by_enterprise(acting.enterprise_id, public_id)
        await audit_document_reading(request, acting, worker, "document")
        try:
            content = document.content()
        except Exception:  # a stored context an older template wrote: the PDF is still there
            logger.exception("the HTML twin of e-Box document %s cannot be rendered", public_id)
            content = None
        return render(request, "employer/ebox_message.html",
                      base_context(acting, active="ebox", message=document.summary, content=content))

    @get("/ebox/{public_id:str}/pdf", name="employer_ebox_pdf")
    async def ebox_pdf(self, request: Request, public_id: FromPath[str]) -> Response:
        acting = acting_for(request)
        found = await enterprise_pdf(acting.enterprise_id, public_id)
        if found is None:
            raise NotFoundException()
        message, content, worker = found
        await mark_read_by_enterprise(acting.enterprise_id, public_id)
        await audit_document_reading(request, acting, worker, "document-pdf")
        return pdf_response(content, f"{message.document_kind}-{message.created_at:%Y-%m-%d}.pdf")

    @post("/ebox/{public_id:str}/non-lu", status_code=303, name="employer_ebox_unread")
    async def ebox_unread(self, request: Request, public_id: FromPath[str]) -> Redirect:
        acting = acting_for(request)
        if await enterprise_document(acting.enterprise_id, public_id) is None:
            raise NotFoundException()
        await mark_read_by_enterprise(acting.enterprise_id, public_id, read=False)
        return see_other(f"{EBOX_PATH}?fait=non-lu")


async def audit_document_reading(request: Request, acting: ActingFor, worker: NamedWorker | None,
                                 what: str) -> None:
    """A document of the enterprise's e-Box about a request shows its worker's name and NISS: reading
    it is a consultation of the worker's file."""
    if worker is not None:
        await audit_consultation(acting, [worker.niss], what, source=client_address(request),
                                 request_id=worker.request_id)

