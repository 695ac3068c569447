"""What a page weighs on the wire: its body as served (gzip), its first visit and its repeat visit.

First visit: the HTML plus every same-origin stylesheet, script, icon and image it links, and the
same-origin files its stylesheets load with url(). Repeat visit: the HTML plus whatever of those is
not cached as immutable (fingerprinted static files are not fetched again). Resources on another
origin are listed apart: P2 allows none.
"""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

ASSET_HEADERS = {"Accept": "*/*", "Accept-Encoding": "gzip"}
COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
LINK_RELATIONS = {"stylesheet": "stylesheet", "icon": "icon", "apple-touch-icon": "icon",
                  "preload": "preload", "modulepreload": "script", "manifest": "manifest"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str]

    @property
    def content_encoding(self) -> str:
        return self.headers.get("content-encoding", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def immutable(self) -> bool:
        return "immutable" in self.headers.get("cache-control", "")

    @property
    def uncompressed_text(self) -> bool:
        """A text response big enough to compress (P6) served as it is."""
        return (self.content_type.startswith(COMPRESSIBLE_TYPES) and not self.content_encoding
                and len(self.body) >= 512)

    def text(self) -> str:
        body = gzip.decompress(self.body) if self.content_encoding == "gzip" else self.body
        return body.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Resource:
    url: str
    kind: str
    status: int
    bytes: int
    content_encoding: str
    immutable: bool
    uncompressed_text: bool


@dataclass(frozen=True)
class PageWeight:
    status: int
    content_encoding: str
    page_bytes: int  # the HTML body as served
    header_bytes: int  # the response headers, for information (P1 counts the body)
    first_visit_bytes: int
    repeat_visit_bytes: int
    resources: list[Resource] = field(default_factory=list)
    other_origins: list[str] = field(default_factory=list)


def fetch(url: str, headers: Mapping[str, str]) -> Fetched:
    """A GET that keeps the body as served (urllib does not decompress) and any status."""
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Fetched(url, response.status, response.read(), _lower(response.headers))
    except urllib.error.HTTPError as error:
        return Fetched(url, error.code, error.read(), _lower(error.headers))


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _header_bytes(fetched: Fetched) -> int:
    return sum(len(name) + len(value) + 4 for name, value in fetched.headers.items())


class _LinkedResources(HTMLParser):
    """(kind, href) of the stylesheets, scripts, icons and images a page links."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "link" and attributes.get("href"):
            relations = (attributes.get("rel") or "").lower().split()
            kinds = [LINK_RELATIONS[rel] for rel in relations if rel in LINK_RELATIONS]
            if kinds:
                self.found.append((kinds[0], attributes["href"]))
        elif tag == "script" and attributes.get("src"):
            self.found.append(("script", attributes["src"]))
        elif tag == "img" and attributes.get("src"):
            self.found.append(("image", attributes["src"]))


def linked_resources(html: str, page_url: str) -> list[tuple[str, str]]:
    """(kind, absolute url) of the resources an HTML page links, in order, without duplicates."""
    parser = _LinkedResources()
    parser.feed(html)
    seen: set[str] = set()
    resources = []
    for kind, href in parser.found:
        url = urljoin(page_url, href)
        if url not in seen and not url.startswith("data:"):
            seen.add(url)
            resources.append((kind, url))
    return resources


def _same_origin(url: str, base_url: str) -> bool:
    one, other = urlsplit(url), urlsplit(base_url)
    return (one.scheme, one.netloc) == (other.scheme, other.netloc)


def _resource(fetched: Fetched, kind: str) -> Resource:
    return Resource(fetched.url, kind, fetched.status, len(fetched.body), fetched.content_encoding,
                    fetched.immutable, fetched.uncompressed_text)


def _stylesheet_imports(stylesheet: Fetched) -> list[tuple[str, str]]:
    urls = (urljoin(stylesheet.url, found) for found in CSS_URL.findall(stylesheet.text()))
    return [("from-css", url) for url in urls if not url.startswith("data:")]


def weigh(base_url: str, page_path: str, headers: Mapping[str, str],
          fragment: bool = False) -> PageWeight:
    page_url = urljoin(base_url, page_path)
    page = fetch(page_url, headers)
    weight = PageWeight(page.status, page.content_encoding, page_bytes=len(page.body),
                        header_bytes=_header_bytes(page), first_visit_bytes=0,
                        repeat_visit_bytes=0)
    if not 200 <= page.status < 300:
        return weight
    if fragment:  # a fragment is swapped into a page already loaded
        return _with_totals(weight, [])
    resources, other_origins = _fetch_linked(linked_resources(page.text(), page_url), base_url)
    return _with_totals(replace(weight, other_origins=other_origins), resources)


def _fetch_linked(linked: list[tuple[str, str]], base_url: str) -> tuple[list[Resource], list[str]]:
    resources: list[Resource] = []
    other_origins: list[str] = []
    queue = list(linked)
    seen = {url for _, url in queue}
    while queue:
        kind, url = queue.pop(0)
        if not _same_origin(url, base_url):
            other_origins.append(url)
            continue
        fetched = fetch(url, ASSET_HEADERS)
        resources.append(_resource(fetched, kind))
        if kind == "stylesheet" and fetched.status == 200:
            for found in _stylesheet_imports(fetched):
                if found[1] not in seen:
                    seen.add(found[1])
                    queue.append(found)
    return resources, other_origins


def _with_totals(weight: PageWeight, resources: list[Resource]) -> PageWeight:
    first_visit = weight.page_bytes + sum(resource.bytes for resource in resources)
    repeat_visit = weight.page_bytes + sum(r.bytes for r in resources if not r.immutable)
    return replace(weight, first_visit_bytes=first_visit, repeat_visit_bytes=repeat_visit,
                   resources=resources)
