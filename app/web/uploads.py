"""Streaming file uploads with a hard byte limit (budget S7), on python-multipart.

Litestar parses forms with its own parser, which reads a whole part into memory before anyone can
check it. Uploads go through here instead: the body is parsed as it arrives, a file part stops being
kept once it passes the limit (the rest of the form is still read, so nothing the user typed is
lost), and the type of a file is decided by its first bytes, never by its name or declared type.

A route that takes uploads is declared with `**UPLOAD_ROUTE` (Litestar then stops reading a body
over UPLOAD_BODY_LIMIT with 413, and leaves the CSRF check to `read_multipart`, which finds the
token in the streamed form) and calls `read_multipart(request)`.

The CSRF check comes first (S2): the token is read from the header (htmx), or from the form's first
fields (the page puts it first); a file part that comes before a valid token is refused at its
headers, before any of its bytes is kept, and a body that breaks before the token was read is refused
as forged (403), not as malformed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from litestar import Request
from litestar.exceptions import ClientException, HTTPException
from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header

from app.web.csrf import CSRF_FIELD, CSRF_HEADER, EXCLUDE_OPT, CsrfTokenInvalid, token_is_valid
from app.web.i18n import gettext as _

MAX_FILE_BYTES = 2 * 1024 * 1024  # 2,097,152 bytes: "2 MB" in guide 000, 2 MiB in budget S7
MAX_FIELD_BYTES = 64 * 1024
MAX_PARTS = 20
# Up to this, the body is read and a file past MAX_FILE_BYTES is answered in the form (422, "Le
# fichier dépasse 2 Mo", what was typed kept); past it, 413 and the error page. Files of 2 to 10 MB
# are common (a phone's photo, a scan), and must get the form's own message.
UPLOAD_BODY_LIMIT = 10 * 1024 * 1024

UPLOAD_ROUTE = {"request_max_body_size": UPLOAD_BODY_LIMIT, "opt": {EXCLUDE_OPT: True}}

# What a file is, by its first bytes.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg"}


class FileProblem(str, enum.Enum):
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"


def problem_message(problem: FileProblem) -> str:
    """What to tell the user, in their language (guide 000: "PDF ou JPG ... maximum de 2Mb")."""
    if problem is FileProblem.TOO_LARGE:
        return _("Le fichier dépasse 2 Mo. Choisissez un fichier de 2 Mo au plus.")
    return _("Le fichier doit être un PDF ou un JPG.")


class MalformedUpload(ClientException):
    """The body is not a complete multipart form: answered 400 with the error page."""

    detail = "malformed multipart body"


class UnsupportedUpload(HTTPException):
    status_code = 415
    detail = "expected multipart/form-data"


@dataclass
class UploadedFile:
    field_name: str
    filename: str  # as the browser sent it: for display only, never a path
    content: bytes
    media_type: str  # decided by the content


@dataclass
class MultipartForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    problems: dict[str, FileProblem] = field(default_factory=dict)  # file field → what is wrong
    rejected_filenames: dict[str, str] = field(default_factory=dict)


def sniff_media_type(head: bytes) -> str | None:
    for signature, media_type in SIGNATURES.items():
        if head.startswith(signature):
            return media_type
    return None


class _Part:
    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.header_field = b""
        self.header_value = b""
        self.name = ""
        self.filename: str | None = None
        self.chunks: list[bytes] = []
        self.size = 0
        self.too_large = False


class _FormCollector:
    """python-multipart callbacks that build a MultipartForm under the limits."""

    def __init__(self, max_file_bytes: int, verify_token, *, token_verified: bool) -> None:
        self.max_file_bytes = max_file_bytes
        self.verify_token = verify_token  # raises CsrfTokenInvalid
        self.token_verified = token_verified
        self.form = MultipartForm()
        self.part: _Part | None = None
        self.parts = 0
        self.finished = False

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise MalformedUpload("too many parts")
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.part.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.part.header_value += data[start:end]

    def on_header_end(self) -> None:
        part = self.part
        part.headers[part.header_field.lower()] = part.header_value
        part.header_field = part.header_value = b""

    def on_headers_finished(self) -> None:
        part = self.part
        _, options = parse_options_header(part.headers.get(b"content-disposition", b""))
        part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            part.filename = options[b"filename"].decode("utf-8", "replace").rsplit("/", 1)[-1]
            part.filename = part.filename.rsplit("\\", 1)[-1]
            if not self.token_verified:
                raise CsrfTokenInvalid()  # no file is read for a form that has not shown its token

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.part
        part.size += end - start
        limit = self.max_file_bytes if part.filename is not None else MAX_FIELD_BYTES
        if part.size > limit:
            if part.filename is None:
                raise MalformedUpload("a text field is too long")
            part.too_large = True
            part.chunks.clear()  # keep reading the form, but not this file
            return
        part.chunks.append(data[start:end])

    def on_part_end(self) -> None:
        part, form = self.part, self.form
        self.part = None
        content = b"".join(part.chunks)
        if part.filename is None:
            value = content.decode("utf-8", "replace")
            if part.name == CSRF_FIELD:
                if not self.token_verified:
                    self.verify_token(value)
                    self.token_verified = True
                return
            form.fields[part.name] = value
            return
        if not part.filename and not part.size:
            return  # the file input was left empty
        if part.too_large:
            form.problems[part.name] = FileProblem.TOO_LARGE
            form.rejected_filenames[part.name] = part.filename
            return
        media_type = sniff_media_type(content)
        if media_type is None:
            form.problems[part.name] = FileProblem.WRONG_TYPE
            form.rejected_filenames[part.name] = part.filename
            return
        form.files[part.name] = UploadedFile(part.name, part.filename, content, media_type)

    def on_end(self) -> None:
        self.finished = True

    def callbacks(self) -> dict:
        return {
            name: getattr(self, name)
            for name in (
                "on_part_begin", "on_header_field", "on_header_value", "on_header_end",
                "on_headers_finished", "on_part_data", "on_part_end", "on_end",
            )
        }


async def read_multipart(request: Request, *, max_file_bytes: int = MAX_FILE_BYTES) -> MultipartForm:
    """Parses a multipart form as it streams in; files over the limit or of another type than
    PDF or JPEG are reported in `problems`, with the other fields kept."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        verify_csrf_token(request, None)  # a forged request is refused as such, whatever its body
        raise UnsupportedUpload()
    header_token = request.headers.get(CSRF_HEADER)
    if header_token:
        verify_csrf_token(request, header_token)
    collector = _FormCollector(max_file_bytes, lambda token: verify_csrf_token(request, token),
                               token_verified=bool(header_token))
    parser = MultipartParser(boundary, collector.callbacks())
    try:
        async for chunk in request.stream():
            if chunk:
                parser.write(chunk)
        parser.finalize()
        if not collector.finished:
            raise MalformedUpload("the body ended before the closing boundary")
    except (MultipartParseError, MalformedUpload) as error:
        if not collector.token_verified:
            raise CsrfTokenInvalid() from None  # broken before it showed a token: refused as forged
        raise MalformedUpload(str(error)) from None
    if not collector.token_verified:
        raise CsrfTokenInvalid()
    return collector.form


def verify_csrf_token(request: Request, form_token: str | None) -> None:
    """The CSRF check of an upload route, done here because a middleware would have to read the
    whole body to find the token: it comes in the header (htmx) or in the streamed form."""
    if not token_is_valid(request, request.headers.get(CSRF_HEADER) or form_token):
        raise CsrfTokenInvalid()
