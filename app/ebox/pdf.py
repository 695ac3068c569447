"""PDF documents with WeasyPrint: tagged PDF/UA-1, drawn from the same HTML as their accessible twin.

PDF/UA asks for a tagged structure (WeasyPrint tags headings, paragraphs, lists and tables with their
header cells from the HTML), the document's language (from `<html lang>`), and a title shown by the
reader (from `<title>`, with DisplayDocTitle). The `pdf/ua-1` variant sets the tags, the PDF version
1.7, the XMP `pdfuaid:part` and the title; the templates give the language, the title and the structure.

No web font and no fetch from the network: the fonts are the system's (DejaVu, see the Makefile), and
the fetcher refuses every URL but inline `data:` and files under static/.
"""

from __future__ import annotations

import logging
import threading
from functools import cache, partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import anyio.to_thread

from app.config import STATIC_DIR

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs its seven steps of every PDF at INFO: not worth seven lines a document. Its warnings
# (a refused resource, a CSS error) still go to the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Pango and fontconfig are not safe to drive from several threads at once: one PDF at a time.
_RENDERING = threading.Lock()


class ResourceRefused(ValueError):
    """A document asked for a resource that is not local: WeasyPrint leaves it out."""


def is_local(url: str) -> bool:
    """Inline data, or a file under static/: nothing else is fetched while drawing a PDF."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(STATIC_DIR.resolve()) and path.is_file()


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, for local resources only."""

        def fetch(self, url, headers=None):
            if not is_local(url):
                raise ResourceRefused(f"not a local resource: {url[:200]}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


def write_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of a complete HTML document (blocking: call `render_pdf` from async code)."""
    from weasyprint import HTML

    base_url = base_url or STATIC_DIR.resolve().as_uri() + "/"
    with _RENDERING:
        document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher_class()())
        return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


async def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """The tagged PDF/UA-1 of `html`, drawn in a worker thread so that the event loop keeps serving."""
    return await anyio.to_thread.run_sync(partial(write_pdf, html, base_url))
