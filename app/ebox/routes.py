"""The citizen's e-Box: the list of documents (unread first), each document as an accessible HTML page
and as its PDF, and the read / unread toggle (htmx swaps the document's row; without JavaScript the
same form reloads the list)."""

from __future__ import annotations

import logging
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from app.ebox.services import MessageSummary, document_of, mark_read, messages_of, pdf_of
from app.identity.guards import requires
from app.identity.sessions import current_session
from app.rules.assurance import Level
from app.web.i18n import gettext as _
from app.web.render import is_htmx, render

logger = logging.getLogger("guichet.ebox")
EBOX_PATH = "/ebox"
# The e-Box holds personal documents: the same level as the career-break service.
CITIZEN_GUARD = requires(Level.SUBSTANTIAL)


def _person_id(request: Request) -> int:
    """The signed-in citizen: the e-Box is read from the session, never from the URL."""
    return current_session(request).person_id


def _notices() -> dict[str, str]:
    return {
        "lu": _("Le document est marqué comme lu."),
        "non-lu": _("Le document est marqué comme non lu."),
    }


def pdf_filename(message: MessageSummary) -> str:
    return f"{message.document_kind}-{message.created_at:%Y-%m-%d}.pdf"


class EboxController(Controller):
    path = EBOX_PATH
    guards = [CITIZEN_GUARD]

    @get("/", name="ebox")
    async def messages(
        self, request: Request, done: Annotated[str | None, QueryParameter(name="fait")] = None
    ) -> Template:
        context = {
            "messages": await messages_of(_person_id(request)),
            "notice": _notices().get(done or ""),
            "toggled": None,
        }
        return render(request, "ebox/messages.html", context)

    @get("/{public_id:str}", name="ebox_message")
    async def message(self, request: Request, public_id: FromPath[str]) -> Template:
        person_id = _person_id(request)
        document = await document_of(person_id, public_id)
        if document is None:
            raise NotFoundException()
        summary = await mark_read(person_id, public_id) or document.summary
        try:
            content = document.content()
        except Exception:  # a stored context an older template wrote: the PDF is still there
            logger.exception("the HTML twin of e-Box document %s cannot be rendered", public_id)
            content = None
        return render(request, "ebox/message.html", {"message": summary, "content": content})

    @get("/{public_id:str}/pdf", name="ebox_pdf")
    async def pdf(self, request: Request, public_id: FromPath[str]) -> Response:
        person_id = _person_id(request)
        found = await pdf_of(person_id, public_id)
        if found is None:
            raise NotFoundException()
        message, content = found
        await mark_read(person_id, public_id)
        return Response(content=content, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{pdf_filename(message)}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        })

    async def _toggle(self, request: Request, public_id: str, read: bool) -> Response:
        message = await mark_read(_person_id(request), public_id, read=read)
        if message is None:
            raise NotFoundException()
        done = "lu" if read else "non-lu"
        if is_htmx(request):
            context = {"message": message, "toggled": _notices()[done], "messages": [message], "notice": None}
            return render(request, "ebox/messages.html", context, fragment="message_row")
        return Redirect(path=f"{EBOX_PATH}?fait={done}", status_code=303)

    @post("/{public_id:str}/non-lu", status_code=303, name="ebox_mark_unread")
    async def unread(self, request: Request, public_id: FromPath[str]) -> Response:
        return await self._toggle(request, public_id, read=False)

    @post("/{public_id:str}/lu", status_code=303, name="ebox_mark_read")
    async def read(self, request: Request, public_id: FromPath[str]) -> Response:
        return await self._toggle(request, public_id, read=True)
