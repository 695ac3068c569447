"""What the citizen sent on the attachments pages, checked, with messages in their language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.careerbreak.attachments.services import AttachableRequest, NewDocument, SeenChanges
from app.careerbreak.forms import parse_id
from app.rules.careerbreak import DocumentType
from app.web.i18n import gettext as _
from app.web.uploads import EXTENSIONS, FileProblem, MultipartForm, problem_message

REQUEST_FIELD = "demande"
TYPE_FIELD = "document_type"
FILE_FIELD = "fichier"
MAX_FILENAME_LENGTH = 255  # the length of Attachment.filename
# PDF readers look for the "%PDF-" header anywhere in a file's first 1024 bytes.
PDF_HEADER_WINDOW = 1024
_ACCEPTED_EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg")}
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_public_id(value: str) -> bool:
    return _PUBLIC_ID.fullmatch(value) is not None


def _text(value: Any) -> str:
    """A form value as one string (a repeated field counts by its first value)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


@dataclass
class ChoiceForm:
    """"Choisissez la demande pour laquelle vous souhaitez ajouter un document"."""

    request_id: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict, choices: Iterable[int]) -> ChoiceForm:
        request_id = parse_id(_text(data.get(REQUEST_FIELD)))
        if request_id is None or request_id not in set(choices):
            return cls(None, [(REQUEST_FIELD, _(
                "Choisissez la demande pour laquelle vous souhaitez ajouter un document."
            ))])
        return cls(request_id)


def is_polyglot(content: bytes, media_type: str) -> bool:
    """A JPEG whose first KiB holds a PDF header is a PDF too for PDF readers: a file of two types
    is refused (S7). A PDF cannot also be a JPEG (a JPEG starts with FF D8), so that is the only
    way round to check."""
    return media_type == "image/jpeg" and b"%PDF-" in content[:PDF_HEADER_WINDOW]


def display_filename(name: str, media_type: str) -> str:
    """The name the browser sent, fit to show and to store: no control or direction-changing
    characters, at most 255 characters, and an extension that says what the content is (a JPEG
    sent as "photo.exe" is kept as "photo.exe.jpg", so that a download never looks like a program)."""
    cleaned = "".join(char for char in name if char.isprintable()).strip().lstrip(".") or "document"
    if not cleaned.lower().endswith(_ACCEPTED_EXTENSIONS[media_type]):
        cleaned += EXTENSIONS[media_type]
    if len(cleaned) > MAX_FILENAME_LENGTH:
        stem, _dot, extension = cleaned.rpartition(".")
        cleaned = f"{stem[:MAX_FILENAME_LENGTH - len(extension) - 1]}.{extension}"
    return cleaned


@dataclass
class UploadForm:
    """The document type and the file of the upload form; `document_type` is kept as chosen."""

    document_type: str = ""
    document: NewDocument | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, form: MultipartForm, request: AttachableRequest, *, file_required: bool) -> UploadForm:
        """`file_required`: "Joindre le fichier" needs a file; "Appliquer les changements" takes
        one if the citizen chose it, so that a chosen file is never dropped silently."""
        chosen = form.fields.get(TYPE_FIELD, "")
        requirement = request.requirement(chosen)
        problem = form.problems.get(FILE_FIELD)
        uploaded = form.files.get(FILE_FIELD)
        errors: list[tuple[str, str]] = []
        if requirement is None and (file_required or problem is not None or uploaded is not None):
            errors.append((TYPE_FIELD, _("Choisissez le type de document.")))
        if problem is not None:
            errors.append((FILE_FIELD, problem_message(problem)))
        elif uploaded is not None and is_polyglot(uploaded.content, uploaded.media_type):
            errors.append((FILE_FIELD, problem_message(FileProblem.WRONG_TYPE)))
        elif uploaded is None and file_required:
            errors.append((FILE_FIELD, _("Choisissez un fichier.")))
        document = None
        if uploaded is not None and requirement is not None and not errors:
            document = NewDocument(requirement.document, display_filename(uploaded.filename, uploaded.media_type),
                                   uploaded.media_type, uploaded.content)
        return cls(chosen, document, errors)

    @classmethod
    def broken(cls, fields: dict[str, str] | None = None) -> UploadForm:
        """The body stopped before its end (a dropped connection): nothing of it is used."""
        return cls((fields or {}).get(TYPE_FIELD, ""), None, [(FILE_FIELD, _(
            "Le fichier n'a pas été reçu en entier. Choisissez-le à nouveau."
        ))])


def seen_changes(fields: dict[str, str], new_document: NewDocument | None) -> SeenChanges:
    """What the page showed when the citizen clicked "Appliquer les changements": its version and
    the changes it listed. A missing or odd version never matches (versions start at 1)."""
    version = parse_id(fields.get("version", "")) or 0

    def public_ids(name: str) -> frozenset[str]:
        return frozenset(value for value in fields.get(name, "").split()[:100] if is_public_id(value))

    return SeenChanges(version, public_ids("envoyer"), public_ids("supprimer"), new_document)


def marks_for_removal(data: dict) -> bool:
    """The trash sends retirer=oui, the undo arrow retirer=non: a state, never a toggle, so that a
    repeated click changes nothing."""
    return _text(data.get("retirer")) != "non"


def document_type_of(value: str) -> DocumentType | None:
    try:
        return DocumentType(value)
    except ValueError:
        return None
