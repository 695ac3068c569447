"""The pages the bench loads. Each feature that adds a page adds it to PAGES.

A page is a GET of `path` with the browser's headers plus its own. `prepare(base_url)` runs once the
server is up, before the page is weighed and loaded, and returns extra headers: a signed-in page
logs a demo user in against that server and returns its session cookie, e.g.

    Page("mon-dossier", "/mon-dossier", prepare=signed_in_as("citizen"), min_ratio=0.25)

An htmx fragment sets `fragment=True` (4 KB budget, no first visit) and its `HX-Request` header.
`min_ratio` is the P3 floor of req/s divided by the hello endpoint's req/s, when the page has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# What every browser sends; the bench's figures are those of compressed responses.
BROWSER_HEADERS: Mapping[str, str] = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip",
}

Prepare = Callable[[str], Mapping[str, str]]


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    prepare: Prepare | None = None
    fragment: bool = False
    min_ratio: float | None = None

    def request_headers(self, base_url: str) -> dict[str, str]:
        """The headers of a request for this page on the server at base_url."""
        headers = {**BROWSER_HEADERS, **self.headers}
        if self.prepare is not None:
            headers.update(self.prepare(base_url))
        return headers


# The plain-text endpoint every page is compared with.
HELLO = Page("hello", "/healthz")

PAGES: tuple[Page, ...] = (
    Page("home-fr", "/", headers={"Accept-Language": "fr-BE,fr;q=0.9"}),
    Page("home-nl", "/", headers={"Cookie": "guichet_lang=nl"}),
)
