"""The screens of an e-Box, whoever owns it: the list of documents (unread first, paged by a keyset),
each document as an accessible HTML page and as its PDF, and the read / unread toggle (htmx swaps the
document's row; without JavaScript the same form reloads the list, which says what changed).

`ebox_controller(...)` makes the Controller of one mount of these screens:

    ebox_controller(
        path="/ebox",                          # where it is mounted
        owner=citizen,                         # whose e-Box, from the request (the session, or the
                                               # organisation the guards found): never from the URL
        guards=[CITIZEN_GUARD],
        layout="layouts/base.html",            # the template its pages extend
        wording=CITIZEN_WORDING,               # its title, lead, "empty" and "back" texts
        route_name_prefix="ebox",              # ebox, ebox_message, ebox_pdf, ebox_mark_unread, ...
        page_context=None,                     # what its layout needs besides (a menu key, ...),
                                               # and `caption`, a line above the list's heading
        on_read=None,                          # awaited when a document or its PDF is opened
    )

The citizen's e-Box is mounted below (`EboxController`, at /ebox); an organisation's by the service it
belongs to (the employer's at /entreprise/interruption-de-carriere/ebox, app/employer/ebox.py), which
passes an `on_read` hook when opening a document is itself something to record.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from app.ebox.services import Cursor, MessageSummary, Owner, document_of, mark_read, messages_page, pdf_of
from app.identity.flash import flash, take_flash
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.web.i18n import N_
from app.web.i18n import gettext as _
from app.web.render import is_htmx, render
from app.web.urls import path_for

logger = logging.getLogger("guichet.ebox")

# (the request, the document opened, whether as its PDF): what a mount does when a document is opened.
ReadHook = Callable[[Request, MessageSummary, bool], Awaitable[None]]


@dataclass(frozen=True)
class EboxWording:
    """The words that differ from one mount to another: French source texts (marked with N_), each
    translated when a page is drawn."""

    title: str  # the list's title and heading
    lead: str  # the paragraph under the heading
    empty: str  # an e-Box that has received nothing yet
    back: str  # a document's link back to the list


@dataclass(frozen=True)
class EboxMount:
    """What the templates of templates/ebox/ know of their mount (as `ebox`): its layout, its words,
    and its route names (`routes["list"]`, `"message"`, `"pdf"`, `"mark_unread"`, `"mark_read"`), which
    the templates give `url_for`."""

    path: str
    layout: str
    wording: EboxWording
    routes: Mapping[str, str]


def _notices() -> dict[str, str]:
    return {
        "lu": _("Le document est marqué comme lu."),
        "non-lu": _("Le document est marqué comme non lu."),
    }


def _page_url(request: Request, list_route: str, key: str, cursor: Cursor | None) -> str | None:
    return path_for(request, list_route, query={key: str(cursor)}) if cursor is not None else None


def ebox_controller(
    *,
    path: str,
    owner: Callable[[Request], Owner],
    guards: Sequence[Any],
    layout: str,
    wording: EboxWording,
    route_name_prefix: str,
    route_names: Mapping[str, str] | None = None,
    page_context: Callable[[Request], Mapping[str, Any]] | None = None,
    on_read: ReadHook | None = None,
    exception_handlers: Mapping[type[Exception], Callable[..., Any]] | None = None,
    name: str = "EboxController",
) -> type[Controller]:
    """The Controller of one mount of the e-Box (see the module's docstring).

    Its routes are named `{prefix}` (the list), `{prefix}_message`, `{prefix}_pdf`,
    `{prefix}_mark_unread` and `{prefix}_mark_read`; `route_names` renames some of them (keys `list`,
    `message`, `pdf`, `mark_unread`, `mark_read`)."""
    names = {
        "list": route_name_prefix,
        "message": f"{route_name_prefix}_message",
        "pdf": f"{route_name_prefix}_pdf",
        "mark_unread": f"{route_name_prefix}_mark_unread",
        "mark_read": f"{route_name_prefix}_mark_read",
    }
    unknown = set(route_names or {}) - names.keys()
    if unknown:
        raise ValueError(f"no such e-Box route: {sorted(unknown)}")
    names.update(route_names or {})
    mount = EboxMount(path=path, layout=layout, wording=wording, routes=dict(names))
    mount_guards = list(guards)
    mount_exception_handlers = dict(exception_handlers or {})

    def context_of(request: Request, **values: Any) -> dict[str, Any]:
        # `caption`: a line above the list's heading, which a mount's context may give.
        return {"caption": None, **(page_context(request) if page_context else {}), "ebox": mount, **values}

    async def opened(request: Request, message: MessageSummary, as_pdf: bool) -> None:
        if on_read is not None:
            await on_read(request, message, as_pdf)

    class EboxScreens(Controller):
        path = mount.path
        guards = mount_guards
        exception_handlers = mount_exception_handlers

        @get("/", name=names["list"])
        async def messages(self, request: Request) -> Template:
            after = Cursor.parse(request.query_params.get("apres"))
            before = Cursor.parse(request.query_params.get("avant"))
            page = await messages_page(owner(request), after=after, before=before)
            done = (await take_flash(request, path_for(request, names["list"])) or {}).get("done")
            return render(request, "ebox/messages.html", context_of(
                request, messages=page.messages, toggled=None,
                notice=_notices().get(done if isinstance(done, str) else ""),
                first_page=after is None and before is None,
                previous_url=_page_url(request, names["list"], "avant", page.previous_before),
                next_url=_page_url(request, names["list"], "apres", page.next_after),
            ))

        @get("/{public_id:str}", name=names["message"])
        async def message(self, request: Request, public_id: FromPath[str]) -> Template:
            whose = owner(request)
            document = await document_of(whose, public_id)
            if document is None:
                raise NotFoundException()
            summary = await mark_read(whose, public_id) or document.summary
            await opened(request, summary, as_pdf=False)
            try:
                content = document.content()
            except Exception:  # a stored context an older template wrote: the PDF is still there
                logger.exception("the HTML twin of e-Box document %s cannot be rendered", public_id)
                content = None
            return render(request, "ebox/message.html", context_of(request, message=summary, content=content))

        @get("/{public_id:str}/pdf", name=names["pdf"])
        async def pdf(self, request: Request, public_id: FromPath[str]) -> Response:
            whose = owner(request)
            found = await pdf_of(whose, public_id)
            if found is None:
                raise NotFoundException()
            message, content = found
            await mark_read(whose, public_id)
            await opened(request, message, as_pdf=True)
            return Response(content=content, media_type="application/pdf", headers={
                "Content-Disposition": f'attachment; filename="{message.pdf_filename}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
            })

        async def _toggle(self, request: Request, public_id: str, read: bool) -> Response:
            message = await mark_read(owner(request), public_id, read=read)
            if message is None:
                raise NotFoundException()
            done = "lu" if read else "non-lu"
            if is_htmx(request):
                context = context_of(request, message=message, toggled=_notices()[done], messages=[message],
                                     notice=None)
                return render(request, "ebox/messages.html", context, fragment="message_row")
            listing = path_for(request, names["list"])
            await flash(request, listing, {"done": done})
            return Redirect(path=listing, status_code=303)

        @post("/{public_id:str}/non-lu", status_code=303, name=names["mark_unread"])
        async def unread(self, request: Request, public_id: FromPath[str]) -> Response:
            return await self._toggle(request, public_id, read=False)

        @post("/{public_id:str}/lu", status_code=303, name=names["mark_read"])
        async def read(self, request: Request, public_id: FromPath[str]) -> Response:
            return await self._toggle(request, public_id, read=True)

    EboxScreens.__name__ = EboxScreens.__qualname__ = name
    return EboxScreens


# -- the citizen's e-Box ------------------------------------------------------------------------------

EBOX_PATH = "/ebox"
CITIZEN_WORDING = EboxWording(
    title=N_("Mon e-Box"),
    lead=N_("Les documents que la sécurité sociale vous a envoyés. Les documents non lus sont en tête de liste."),
    empty=N_("Votre e-Box est vide : aucun document ne vous a encore été envoyé."),
    back=N_("Retour à mon e-Box"),
)


def citizen(request: Request) -> Owner:
    """The signed-in citizen: the e-Box is read from the session, never from the URL."""
    return Owner.person(signed_in_person_id(request))


# The e-Box holds personal documents: the same level as the career-break service.
EboxController = ebox_controller(
    path=EBOX_PATH, owner=citizen, guards=[CITIZEN_GUARD], layout="layouts/base.html",
    wording=CITIZEN_WORDING, route_name_prefix="ebox", name="EboxController",
)
