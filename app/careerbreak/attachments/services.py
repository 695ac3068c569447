"""Pièces jointes (guide 000): the documents a citizen attaches to a request, and the changes they
apply to them.

How the changes stay consistent (budgets R1 and R3). Every change the citizen sees on the page bumps
the request's version: a file uploaded (pending until applied), a document marked for removal with
the trash icon or unmarked with the undo arrow. "Appliquer les changements" carries the version the
page showed and is a compare-and-set on it, so it applies exactly the changes that page showed, or
nothing: a tab that did not see a change made elsewhere (another tab's upload or mark) cannot apply
it blindly; it is told that the request changed and is shown the current state. Uploads and marks
themselves are not compare-and-set: they only record an intention that the citizen confirms later,
and they are idempotent where a repetition could hurt (the trash says "mark" and the arrow "unmark",
never "toggle", so a double click does not undo itself; the same file sent twice is kept once).

A repeated "Appliquer les changements" (a double click, a retry) finds the version moved on. When
what its page asked for is in place (its uploads received, its removals gone, its new file there)
and nothing else waits, it is answered as applied, without doing anything again.

The version is the request's own (CareerBreakRequest.version, shared with its changes of state):
a cancellation prepared on a page that did not show a later upload is refused as stale too.

Locks are taken in one order, the request's row first and then its attachments, so that PostgreSQL
never deadlocks an apply against a mark or an upload; on SQLite the write transactions are serial.
"""

from __future__ import annotations

import datetime
import enum
import secrets
from dataclasses import dataclass

from app.audit.services import record
from app.careerbreak.services import RequestSummary, requests_of
from app.careerbreak.tables import Attachment, CareerBreakRequest
from app.clock import utcnow
from app.db import transaction
from app.db.sqlite import on_event_loop
from app.registry.tables import Person
from app.rules.careerbreak import (
    CareMotive,
    DocumentRequirement,
    DocumentType,
    LeaveForm,
    LeaveKind,
    documents_needed,
    has_mandatory_document,
)
from app.rules.request_states import RequestState, worker_can_attach

# Enough for every document of a checklist, with a few pages each; it bounds what one request
# can store (20 × 2 MiB).
MAX_DOCUMENTS_PER_REQUEST = 20
AUDIT_ACTION = "careerbreak_attachments_applied"
_ATTACHABLE_STATES = [state.value for state in RequestState if worker_can_attach(state)]


def may_attach(state: RequestState, kind: LeaveKind, care_motive: CareMotive | None, request_id: int,
               after_completion: object) -> bool:
    """Guide 000: "Pièces jointes" is for requests whose worker's part was sent and that need a
    mandatory document; any request whose worker's part was just sent may also get documents right
    after its confirmation ("c'est le seul moment pour ajouter une pièce jointe facultative"):
    `after_completion` is the request "Compléter une demande" has just confirmed, if any."""
    if not worker_can_attach(state):
        return False
    return has_mandatory_document(kind, care_motive) or after_completion == request_id


@dataclass(frozen=True)
class AttachableRequest:
    """A request as the attachments page shows it."""

    id: int
    kind: LeaveKind
    form: LeaveForm
    care_motive: CareMotive | None
    start_date: datetime.date
    end_date: datetime.date
    version: int

    @property
    def checklist(self) -> list[DocumentRequirement]:
        return documents_needed(self.kind, self.care_motive)

    def requirement(self, value: str | None) -> DocumentRequirement | None:
        """The checklist's entry of a document type as sent by a form or a URL; None if not on it."""
        return next((item for item in self.checklist if item.document.value == value), None)


async def attachable_request(person_id: int, request_id: int,
                             after_completion: object = None) -> AttachableRequest | None:
    """The request, when it is this citizen's and open to documents (`may_attach`); None otherwise,
    so that another citizen's id and a closed request are both "not found" (one query, on the
    primary key: raw SQL, because every route of the screen runs it and building a Piccolo query
    costs more than running it)."""
    with on_event_loop():  # a small indexed read (app/db/sqlite.py: why on the loop's thread)
        rows = await CareerBreakRequest.raw(
            "SELECT kind, form, care_motive, start_date, end_date, state, version FROM career_break_request "
            "WHERE id = {} AND worker = {}", request_id, person_id,
        )
    if not rows:
        return None
    row = rows[0]
    kind = LeaveKind(row["kind"])
    care_motive = CareMotive(row["care_motive"]) if row["care_motive"] else None
    if not may_attach(RequestState(row["state"]), kind, care_motive, request_id, after_completion):
        return None
    return AttachableRequest(request_id, kind, LeaveForm(row["form"]), care_motive, row["start_date"],
                             row["end_date"], row["version"])


@dataclass(frozen=True)
class StoredDocument:
    """What the page shows of a stored file (never its content)."""

    public_id: str
    document_type: DocumentType
    filename: str
    media_type: str
    size: int
    uploaded_at: datetime.datetime
    received_at: datetime.datetime | None
    marked_for_removal: bool

    @property
    def pending(self) -> bool:
        """Uploaded, not sent yet: "Appliquer les changements" sends it."""
        return self.received_at is None


_DOCUMENT_COLUMNS = (
    Attachment.public_id, Attachment.document_type, Attachment.filename, Attachment.media_type,
    Attachment.size, Attachment.uploaded_at, Attachment.received_at, Attachment.marked_for_removal,
)
_DOCUMENTS_SQL = (
    "SELECT public_id, document_type, filename, media_type, size, uploaded_at, received_at, "
    "marked_for_removal FROM career_break_attachment WHERE request = {}"
)


def _document(row: dict) -> StoredDocument:
    return StoredDocument(row["public_id"], DocumentType(row["document_type"]), row["filename"],
                          row["media_type"], row["size"], row["uploaded_at"], row["received_at"],
                          bool(row["marked_for_removal"]))


async def documents_of(request_id: int, document_type: DocumentType | None = None) -> list[StoredDocument]:
    """The request's files, oldest first, of one type or all, never their content (one query on
    the request's index; raw SQL like `attachable_request`: the row fragment runs both)."""
    with on_event_loop():
        if document_type is None:
            rows = await Attachment.raw(_DOCUMENTS_SQL + " ORDER BY uploaded_at, id", request_id)
        else:
            rows = await Attachment.raw(_DOCUMENTS_SQL + " AND document_type = {} ORDER BY uploaded_at, id",
                                        request_id, document_type.value)
    return [_document(row) for row in rows]


async def document_of(request_id: int, public_id: str) -> StoredDocument | None:
    row = await Attachment.select(*_DOCUMENT_COLUMNS).where(
        (Attachment.request == request_id) & (Attachment.public_id == public_id)
    ).first()
    return _document(row) if row else None


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    media_type: str
    content: bytes


async def document_file(request_id: int, public_id: str) -> DocumentFile | None:
    """The file as the citizen sent it, for the download; None when it is not this request's."""
    row = await Attachment.select(Attachment.filename, Attachment.media_type, Attachment.content).where(
        (Attachment.request == request_id) & (Attachment.public_id == public_id)
    ).first()
    return DocumentFile(row["filename"], row["media_type"], bytes(row["content"])) if row else None


@dataclass(frozen=True)
class NewDocument:
    """A file that passed the checks of forms.py (size, type by content)."""

    document_type: DocumentType
    filename: str
    media_type: str
    content: bytes


class NotAttachable(Exception):
    """The request is no longer open to documents (decided or cancelled meanwhile)."""


class TooManyDocuments(Exception):
    """The request already holds MAX_DOCUMENTS_PER_REQUEST files."""


class _Undo(Exception):
    """Rolls the transaction back when it turned out to change nothing."""


class _Stale(Exception):
    """The compare-and-set found another version than the page's."""


async def _bump_version(request_id: int, at: datetime.datetime, expected: int | None = None) -> bool:
    """Takes the request's row (the first lock of every change here) and counts a visible change.
    With `expected`, only if the request is still at that version (compare-and-set)."""
    condition = (CareerBreakRequest.id == request_id) & CareerBreakRequest.state.is_in(_ATTACHABLE_STATES)
    if expected is not None:
        condition &= CareerBreakRequest.version == expected
    updated = await CareerBreakRequest.update({
        CareerBreakRequest.version: CareerBreakRequest.version + 1,
        CareerBreakRequest.updated_at: at,
    }).where(condition).returning(CareerBreakRequest.id)
    return bool(updated)


async def _same_file(request_id: int, new: NewDocument, *, received: bool) -> str | None:
    """The public id of a file of this request identical to `new` (type, name, content), pending
    or received: how a repeated submission is recognised."""
    rows = await Attachment.select(Attachment.public_id, Attachment.content).where(
        (Attachment.request == request_id) & (Attachment.document_type == new.document_type.value)
        & (Attachment.filename == new.filename) & (Attachment.size == len(new.content))
        & (Attachment.received_at.is_not_null() if received else Attachment.received_at.is_null())
        & (Attachment.marked_for_removal == False)  # noqa: E712 (a SQL comparison)
    )
    return next((row["public_id"] for row in rows if bytes(row["content"]) == new.content), None)


async def _insert(request_id: int, new: NewDocument, at: datetime.datetime,
                  received_at: datetime.datetime | None) -> str:
    count = await Attachment.count().where(Attachment.request == request_id)
    if count >= MAX_DOCUMENTS_PER_REQUEST:
        raise TooManyDocuments()
    public_id = secrets.token_urlsafe(16)
    await Attachment.insert(Attachment(
        public_id=public_id, request=request_id, document_type=new.document_type.value,
        filename=new.filename, media_type=new.media_type, size=len(new.content), content=new.content,
        uploaded_at=at, received_at=received_at, marked_for_removal=False,
    ))
    return public_id


async def add_document(request_id: int, new: NewDocument) -> str:
    """Stores the file as pending (not received until the changes are applied) and returns its
    public id; the same file sent again (a double click) is kept once. Raises NotAttachable or
    TooManyDocuments."""
    at = utcnow()
    existing: str | None = None
    try:
        async with transaction():
            if not await _bump_version(request_id, at):
                raise NotAttachable()
            existing = await _same_file(request_id, new, received=False)
            if existing is not None:
                raise _Undo()
            return await _insert(request_id, new, at, received_at=None)
    except _Undo:
        return existing  # type: ignore[return-value]


async def mark_for_removal(request_id: int, public_id: str, marked: bool) -> bool:
    """Marks (trash) or unmarks (undo arrow) a document; the removal happens when the changes are
    applied. Returns whether anything changed (a repeated click changes nothing, and does not count
    as a change of the request). Raises NotAttachable, or LookupError when the document is gone
    (removed by an apply that ran meanwhile)."""
    at = utcnow()
    try:
        async with transaction():
            if not await _bump_version(request_id, at):
                raise NotAttachable()
            changed = await Attachment.update({Attachment.marked_for_removal: marked}).where(
                (Attachment.request == request_id) & (Attachment.public_id == public_id)
                & (Attachment.marked_for_removal != marked)
            ).returning(Attachment.id)
            if not changed:
                raise _Undo()
        return True
    except _Undo:
        if await document_of(request_id, public_id) is None:
            raise LookupError(public_id) from None
        return False


class ApplyOutcome(enum.Enum):
    APPLIED = "applied"  # done now, or already done by the same submission
    NOTHING_TO_APPLY = "nothing"
    STALE = "stale"  # the request changed since the page was shown: nothing was done


@dataclass(frozen=True)
class SeenChanges:
    """What the page showed as waiting: the pending uploads it would send and the documents it
    would remove; and the file chosen in the form, if "Appliquer les changements" carried one."""

    version: int
    to_send: frozenset[str] = frozenset()
    to_remove: frozenset[str] = frozenset()
    new_document: NewDocument | None = None


async def apply_changes(request_id: int, seen: SeenChanges, *, person_id: int, source: str) -> ApplyOutcome:
    """"Appliquer les changements", in one transaction: if the request is still at the version the
    page showed, the pending uploads (and the file sent with the button) are received and the marked
    documents deleted; the version moves on, the state does not. Raises TooManyDocuments."""
    at = utcnow()
    try:
        async with transaction():
            if not await _bump_version(request_id, at, expected=seen.version):
                raise _Stale()
            if seen.new_document is not None:
                await _insert(request_id, seen.new_document, at, received_at=at)
            received = await Attachment.update({Attachment.received_at: at}).where(
                (Attachment.request == request_id) & Attachment.received_at.is_null()
                & (Attachment.marked_for_removal == False)  # noqa: E712
            ).returning(Attachment.id)
            removed = await Attachment.delete().where(
                (Attachment.request == request_id) & (Attachment.marked_for_removal == True)  # noqa: E712
            ).returning(Attachment.id)
            if not received and not removed and seen.new_document is None:
                raise _Undo()
            niss = (await Person.select(Person.niss).where(Person.id == person_id).first())["niss"]
            await record(AUDIT_ACTION, actor=niss, subject=niss, source=source, outcome="success",
                         details={"request": request_id, "received": len(received) + (seen.new_document is not None),
                                  "removed": len(removed)})
        return ApplyOutcome.APPLIED
    except _Undo:
        return ApplyOutcome.NOTHING_TO_APPLY
    except _Stale:
        pass
    return await _outcome_of_repetition(request_id, seen)


async def _outcome_of_repetition(request_id: int, seen: SeenChanges) -> ApplyOutcome:
    """The version moved on: was it this same submission (its effects are all in place and nothing
    else waits), or a change the page did not show?"""
    documents = await documents_of(request_id)
    if any(document.pending or document.marked_for_removal for document in documents):
        return ApplyOutcome.STALE
    present = {document.public_id for document in documents}
    if seen.to_remove & present or not seen.to_send <= present:
        return ApplyOutcome.STALE
    if seen.new_document is not None:
        found = await _same_file(request_id, seen.new_document, received=True)
        return ApplyOutcome.APPLIED if found else ApplyOutcome.STALE
    if not seen.to_send and not seen.to_remove:
        return ApplyOutcome.NOTHING_TO_APPLY
    return ApplyOutcome.APPLIED


async def choosable_requests(person_id: int) -> list[RequestSummary]:
    """The requests "Pièces jointes" offers: the worker's part sent, and a mandatory document on
    the checklist (the others get documents only right after their confirmation)."""
    return [summary for summary in await requests_of(person_id)
            if worker_can_attach(summary.state) and has_mandatory_document(summary.kind, summary.care_motive)]
