"""Fingerprinted static files: `/static/css/app.<digest>.css`, cached for a year, immutable.

Every file under static/ is read once at start-up, with its digest and its gzip form, so that a
request costs a dictionary look-up. A URL whose digest is not the current one answers 404: a stale
page never gets new content under an old immutable name.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from app.config import STATIC_DIR
from app.web.security import STATELESS

STATIC_PREFIX = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
_COMPRESSIBLE = ("text/", "application/javascript", "image/svg+xml", "application/json")


@dataclass(frozen=True)
class StaticFile:
    url: str
    content: bytes
    gzipped: bytes | None
    media_type: str


def _fingerprinted(relative: PurePosixPath, digest: str) -> str:
    return str(relative.with_name(f"{relative.stem}.{digest}{relative.suffix}"))


@dataclass(frozen=True)
class StaticManifest:
    files: dict[str, StaticFile]  # fingerprinted path -> file
    names: dict[str, str]  # source path -> fingerprinted path


@cache
def manifest() -> StaticManifest:
    """Every file under static/, read once."""
    files: dict[str, StaticFile] = {}
    names: dict[str, str] = {}
    for path in sorted(Path(STATIC_DIR).rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = PurePosixPath(path.relative_to(STATIC_DIR).as_posix())
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:12]
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type == "application/javascript":
            media_type += "; charset=utf-8"
        gzipped = (
            gzip.compress(content, compresslevel=9, mtime=0)
            if media_type.startswith(_COMPRESSIBLE)
            else None
        )
        name = _fingerprinted(relative, digest)
        files[name] = StaticFile(f"{STATIC_PREFIX}/{name}", content, gzipped, media_type)
        names[str(relative)] = name
    return StaticManifest(files, names)


def static_url(source_path: str) -> str:
    """The fingerprinted URL of `static/<source_path>`, for templates."""
    try:
        return f"{STATIC_PREFIX}/{manifest().names[source_path]}"
    except KeyError:
        raise LookupError(f"no static file {source_path!r}") from None


@get(f"{STATIC_PREFIX}/{{file_path:path}}", include_in_schema=False, sync_to_thread=False, opt=STATELESS)
def serve_static(request: Request, file_path: FromPath[str]) -> Response[bytes]:
    found = manifest().files.get(file_path.lstrip("/"))
    if found is None:
        raise NotFoundException()
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    body = found.content
    if found.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        body = found.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(content=body, media_type=found.media_type, headers=headers)
