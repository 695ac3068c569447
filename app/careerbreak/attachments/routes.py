"""Pièces jointes (guide 000): choose the request, then its documents: upload, trash and undo arrow,
"Appliquer les changements", download.

Every form works without JavaScript: POST → 303 → GET, with the message for that one GET kept in
the session. With htmx the same POST answers with the block `attachments` of the same page, and the
message is swapped out of band into the live region #status-message (present at page load, A3).

The two routes that take the upload form (`documents`, `appliquer`) stream it (app/web/uploads.py)
and check the CSRF token themselves; they check the identification after it, not as a guard, so that
a forged post is refused as such (403) before anything else, like every other unsafe route.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from app.careerbreak.attachments.forms import (
    FILE_FIELD,
    ChoiceForm,
    UploadForm,
    is_public_id,
    marks_for_removal,
    seen_changes,
)
from app.careerbreak.attachments.services import (
    MAX_DOCUMENTS_PER_REQUEST,
    AttachableRequest,
    NotAttachable,
    StoredDocument,
    TooManyDocuments,
    add_document,
    apply_changes,
    attachable_request,
    choosable_requests,
    document_file,
    document_of,
    documents_of,
    mark_for_removal,
)
from app.careerbreak.forms import parse_id
from app.careerbreak.menu import SERVICE_PATH
from app.careerbreak.wording import DOCUMENT_NAMES, KIND_NAMES, request_description
from app.clock import belgian_date
from app.identity.flash import flash, take_flash
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.identity.services import client_address
from app.identity.sessions import current_session
from app.rules.careerbreak import DocumentType
from app.web.forms import FormData
from app.web.i18n import format_date, format_number
from app.web.i18n import gettext as _
from app.web.render import is_htmx, render
from app.web.uploads import UPLOAD_ROUTE, MalformedUpload, MultipartForm, read_multipart
from app.web.urls import path_for

PAGE = "careerbreak/attachments/documents.html"
CHOICE_PAGE = "careerbreak/attachments/choose.html"
MENU_KEY = "pieces-jointes"
# Session data: the message of the next GET (no-JS path), and the request "Compléter une demande"
# has just confirmed (its documents may be added then, even optional ones only).
AFTER_COMPLETION_KEY = "attach_after_completion"
MEDIA_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPG"}


# -- what the page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What the live region says after a change."""

    code: str  # "uploaded", "marked", "unmarked", or an ApplyOutcome value
    document: str = ""  # a DocumentType value
    file: str = ""

    @property
    def kind(self) -> str:
        return "success" if self.code == "applied" else "information"

    def message(self) -> str:
        names = {"document": _(DOCUMENT_NAMES[DocumentType(self.document)]) if self.document else "",
                 "file": self.file}
        if self.code == "uploaded":
            return _("%(document)s : le fichier %(file)s est ajouté. Cliquez sur « Appliquer les "
                     "changements » pour l'envoyer.") % names
        if self.code == "marked":
            return _("%(document)s : le fichier %(file)s sera supprimé quand vous cliquerez sur "
                     "« Appliquer les changements ».") % names
        if self.code == "unmarked":
            return _("%(document)s : le fichier %(file)s ne sera pas supprimé.") % names
        if self.code == "applied":
            return _("Changements effectués.")
        if self.code == "nothing":
            return _("Il n'y a aucun changement à appliquer.")
        return _("La demande a été modifiée entre-temps, par exemple dans un autre onglet. Aucun "
                 "changement n'a été appliqué : vérifiez les documents ci-dessous et recommencez.")

    def to_data(self) -> dict[str, Any]:
        return {"code": self.code, "document": self.document, "file": self.file}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Notice | None:
        """The notice kept in the session; None if it is not one (the session is ours, but a
        message must never be what breaks a page)."""
        code, document, file = data.get("code"), data.get("document", ""), data.get("file", "")
        if not isinstance(code, str) or not isinstance(file, str) or document not in _DOCUMENT_VALUES:
            return None
        return cls(code, document, file)


_DOCUMENT_VALUES = {"", *(document_type.value for document_type in DocumentType)}


@dataclass(frozen=True)
class FileView:
    public_id: str
    filename: str
    kind: str
    size: str
    received_on: str | None
    pending: bool
    marked: bool


@dataclass(frozen=True)
class DocumentRow:
    """One document type of the checklist, with its files."""

    document_type: DocumentType
    mandatory: bool
    files: list[FileView]

    @property
    def received(self) -> bool:
        return any(not file.pending for file in self.files)


def file_size(size: int) -> str:
    """120 Ko, 1,5 Mo: as the guide writes sizes, in the user's language."""
    if size < 1024 * 1024:
        return _("%(size)s Ko") % {"size": format_number(max(1, round(size / 1024)))}
    return _("%(size)s Mo") % {"size": format_number(round(size / (1024 * 1024), 1))}


def received_on(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:  # SQLite gives back what was stored: UTC
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return format_date(belgian_date(moment))


def file_view(document: StoredDocument) -> FileView:
    return FileView(
        document.public_id, document.filename, MEDIA_LABELS.get(document.media_type, ""),
        file_size(document.size), received_on(document.received_at) if document.received_at else None,
        document.pending, document.marked_for_removal,
    )


def document_rows(summary: AttachableRequest, documents: list[StoredDocument]) -> list[DocumentRow]:
    return [
        DocumentRow(item.document, item.mandatory,
                    [file_view(document) for document in documents if document.document_type is item.document])
        for item in summary.checklist
    ]


def content_disposition(filename: str) -> str:
    """`attachment`, with an ASCII name for old browsers and the exact name in RFC 5987 form."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "document"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def _read_upload(request: Request) -> tuple[MultipartForm, bool]:
    """The streamed form, and whether it was cut short. A complete form has passed the CSRF check."""
    try:
        return await read_multipart(request), False
    except MalformedUpload:
        return MultipartForm(), True


class AttachmentsController(Controller):
    path = f"{SERVICE_PATH}/pieces-jointes"
    # The guard is on each route: the upload routes check the CSRF token first (module docstring).

    async def _request(self, request: Request, request_id: str | int) -> AttachableRequest:
        """The request of the URL, when the signed-in citizen may attach documents to it; else 404."""
        number = request_id if isinstance(request_id, int) else parse_id(request_id)
        summary = None
        if number is not None:
            after_completion = current_session(request).data.get(AFTER_COMPLETION_KEY)
            summary = await attachable_request(signed_in_person_id(request), number, after_completion)
        if summary is None:
            raise NotFoundException()
        return summary

    async def _page(self, request: Request, summary: AttachableRequest, *, form: UploadForm | None = None,
                    notice: Notice | None = None, focus: str | None = None, status_code: int = 200) -> Template:
        rows = document_rows(summary, await documents_of(summary.id))
        if form is None:
            waiting = next((row for row in rows if row.mandatory and not row.files), rows[-1])
            form = UploadForm(document_type=waiting.document_type.value)
        files = [file for row in rows for file in row.files]
        context = {
            "active": MENU_KEY,
            "summary": summary,
            "mandatory_rows": [row for row in rows if row.mandatory],
            "optional_rows": [row for row in rows if not row.mandatory],
            "document_types": [(row.document_type.value, _(DOCUMENT_NAMES[row.document_type])) for row in rows],
            "form": form,
            "errors": form.errors,
            "to_send": " ".join(file.public_id for file in files if file.pending and not file.marked),
            "to_remove": " ".join(file.public_id for file in files if file.marked),
            "notice": notice,
            "focus": focus,
            "oob": is_htmx(request),
        }
        return render(request, PAGE, context, fragment="attachments", status_code=status_code)

    async def _done(self, request: Request, summary: AttachableRequest, notice: Notice,
                    focus: str | None = None) -> Response:
        """After a change: the fresh block for htmx, else 303 to the page with the message kept."""
        if is_htmx(request):
            fresh = await self._request(request, summary.id)  # its new version, for the apply form
            return await self._page(request, fresh, notice=notice, focus=focus)
        page = path_for(request, "careerbreak_attachments_request", request_id=summary.id)
        await flash(request, page, notice.to_data())
        return Redirect(path=page, status_code=303)

    async def _take_notice(self, request: Request, request_id: int) -> Notice | None:
        data = await take_flash(request, path_for(request, "careerbreak_attachments_request", request_id=request_id))
        return Notice.from_data(data) if data is not None else None

    # -- choose the request -----------------------------------------------------------------------

    @get("/", name="careerbreak_attachments", guards=[CITIZEN_GUARD])
    async def choose(self, request: Request) -> Template:
        return await self._choice_page(request, ChoiceForm())

    @post("/", status_code=303, name="careerbreak_attachments_choose", guards=[CITIZEN_GUARD])
    async def chosen(self, request: Request, data: FormData) -> Response:
        requests = await choosable_requests(signed_in_person_id(request))
        form = ChoiceForm.parse(data, [summary.id for summary in requests])
        if form.errors:
            return await self._choice_page(request, form, requests, status_code=422)
        return Redirect(path=path_for(request, "careerbreak_attachments_request", request_id=form.request_id),
                        status_code=303)

    async def _choice_page(self, request: Request, form: ChoiceForm, requests=None, status_code: int = 200) -> Template:
        if requests is None:
            requests = await choosable_requests(signed_in_person_id(request))
        options = [
            (str(summary.id), f"{_(KIND_NAMES[summary.kind])} – {summary.enterprise_name}",
             request_description(summary.kind, summary.form, format_date(summary.start_date),
                                 format_date(summary.end_date)))
            for summary in requests
        ]
        context = {"active": MENU_KEY, "options": options, "form": form, "errors": form.errors}
        return render(request, CHOICE_PAGE, context, status_code=status_code)

    # -- the documents of a request ---------------------------------------------------------------

    @get("/{request_id:str}", name="careerbreak_attachments_request", guards=[CITIZEN_GUARD])
    async def documents(self, request: Request, request_id: FromPath[str]) -> Template:
        summary = await self._request(request, request_id)
        return await self._page(request, summary, notice=await self._take_notice(request, summary.id))

    @get("/{request_id:str}/lignes/{document_type:str}", name="careerbreak_attachment_row",
         guards=[CITIZEN_GUARD])
    async def row(self, request: Request, request_id: FromPath[str], document_type: FromPath[str]) -> Template:
        """One document type's row: the block `row` for htmx (two indexed queries), else the page."""
        summary = await self._request(request, request_id)
        requirement = summary.requirement(document_type)
        if requirement is None:
            raise NotFoundException()
        if not is_htmx(request):
            return await self._page(request, summary)
        files = [file_view(document) for document in await documents_of(summary.id, requirement.document)]
        context = {"summary": summary, "row": DocumentRow(requirement.document, requirement.mandatory, files),
                   "focus": None}
        return render(request, PAGE, context, fragment="row")

    @get("/{request_id:str}/documents/{public_id:str}", name="careerbreak_attachment_file",
         guards=[CITIZEN_GUARD])
    async def download(self, request: Request, request_id: FromPath[str], public_id: FromPath[str]) -> Response:
        """What the citizen sent, as a download: never shown inline, never sniffed, never cached."""
        summary = await self._request(request, request_id)
        found = await document_file(summary.id, public_id) if is_public_id(public_id) else None
        if found is None:
            raise NotFoundException()
        return Response(content=found.content, media_type=found.media_type, headers={
            "Content-Disposition": content_disposition(found.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        })

    @post("/{request_id:str}/documents", status_code=303, name="careerbreak_attachment_upload", **UPLOAD_ROUTE)
    async def upload(self, request: Request, request_id: FromPath[str]) -> Response:
        """"Joindre le fichier": the file is kept as pending until the changes are applied."""
        received, broken = await _read_upload(request)
        await CITIZEN_GUARD(request, request.route_handler)
        summary = await self._request(request, request_id)
        form = UploadForm.broken(received.fields) if broken else UploadForm.parse(received, summary, file_required=True)
        if not form.errors:
            try:
                await add_document(summary.id, form.document)
            except NotAttachable:
                raise NotFoundException() from None
            except TooManyDocuments:
                form.errors.append((FILE_FIELD, too_many_message()))
        if form.errors:
            return await self._page(request, summary, form=form, status_code=422)
        notice = Notice("uploaded", form.document.document_type.value, form.document.filename)
        return await self._done(request, summary, notice)

    @post("/{request_id:str}/documents/{public_id:str}/retirer", status_code=303, name="careerbreak_attachment_mark",
          guards=[CITIZEN_GUARD])
    async def mark(self, request: Request, request_id: FromPath[str], public_id: FromPath[str], data: FormData) -> Response:
        """The trash (retirer=oui) or the undo arrow (retirer=non) of one file."""
        summary = await self._request(request, request_id)
        document = await document_of(summary.id, public_id) if is_public_id(public_id) else None
        if document is None:
            raise NotFoundException()
        marked = marks_for_removal(data)
        try:
            await mark_for_removal(summary.id, public_id, marked)
        except (NotAttachable, LookupError):
            raise NotFoundException() from None
        notice = Notice("marked" if marked else "unmarked", document.document_type.value, document.filename)
        return await self._done(request, summary, notice, focus=public_id)

    @post("/{request_id:str}/appliquer", status_code=303, name="careerbreak_attachments_apply", **UPLOAD_ROUTE)
    async def apply(self, request: Request, request_id: FromPath[str]) -> Response:
        """"Appliquer les changements", with the version the page showed (and the file chosen in the
        form, if any: it is sent with the other changes rather than dropped)."""
        received, broken = await _read_upload(request)
        await CITIZEN_GUARD(request, request.route_handler)
        summary = await self._request(request, request_id)
        form = UploadForm.broken(received.fields) if broken else UploadForm.parse(received, summary, file_required=False)
        if not form.errors:
            try:
                outcome = await apply_changes(summary.id, seen_changes(received.fields, form.document),
                                              person_id=signed_in_person_id(request), source=client_address(request))
            except TooManyDocuments:
                form.errors.append((FILE_FIELD, too_many_message()))
        if form.errors:
            return await self._page(request, summary, form=form, status_code=422)
        return await self._done(request, summary, Notice(outcome.value))


def too_many_message() -> str:
    return _("Cette demande compte déjà %(count)s fichiers. Supprimez-en un avant d'en ajouter un autre.") % {
        "count": MAX_DOCUMENTS_PER_REQUEST
    }
