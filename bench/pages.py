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
from dataclasses import dataclass, field, replace

from bench.seed import DOSSIER_USERNAME, OFFICER_USERNAME

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

    def with_seeded(self, seeded: Mapping[str, object]) -> Page:
        """The page whose path names what bench/seed.py created, e.g. `/x/{some_request}`."""
        return replace(self, path=self.path.format_map(seeded))

    def request_headers(self, base_url: str) -> dict[str, str]:
        """The headers of a request for this page on the server at base_url."""
        headers = {**BROWSER_HEADERS, **self.headers}
        if self.prepare is not None:
            headers.update(self.prepare(base_url))
        return headers


# The sessions opened so far, by server and user: pages of the same user share one login (a demo
# user's code is accepted once per 30 s, so a second login would wait for the next one).
_SESSIONS: dict[tuple[str, str], Mapping[str, str]] = {}


def signed_in_as(username: str) -> Prepare:
    """Signs a demo user in with the mobile-app key (password, then the TOTP of the demo secret)
    and returns the session cookie, as a browser would send it."""

    def signed_in(base_url: str) -> Mapping[str, str]:
        if (base_url, username) not in _SESSIONS:
            _SESSIONS[base_url, username] = sign_in(base_url)
        return _SESSIONS[base_url, username]

    def sign_in(base_url: str) -> Mapping[str, str]:
        import json
        import re
        import time

        import httpx
        import pyotp

        from app.registry.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

        def token_of(page: httpx.Response) -> str:
            headers = re.search(r"hx-headers='([^']+)'", page.text).group(1)
            return json.loads(headers)["X-CSRF-Token"]

        for attempt in range(2):
            # The server runs as in production, so its cookies are `Secure`: over the bench's plain
            # HTTP on loopback they are carried by hand, as a browser would over HTTPS.
            jar: dict[str, str] = {}

            def visit(browser: httpx.Client, method: str, path: str, **form: str) -> httpx.Response:
                cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
                response = browser.request(method, path, data=form or None,
                                           headers={"Cookie": cookie} if cookie else {})
                jar.update(response.cookies.items())
                return response

            with httpx.Client(base_url=base_url, timeout=30) as browser:
                page = visit(browser, "GET", "/identification/application-mobile/connexion")
                visit(browser, "POST", "/identification/application-mobile/connexion",
                      _csrf_token=token_of(page), username=username, password=DEMO_PASSWORD)
                page = visit(browser, "GET", "/identification/application-mobile/code")
                done = visit(browser, "POST", "/identification/application-mobile/code",
                             _csrf_token=token_of(page), code=pyotp.TOTP(DEMO_TOTP_SECRET).now())
                if done.status_code == 303:
                    return {"Cookie": f"guichet_session={jar['guichet_session']}"}
            # A code is accepted once: a second login in the same 30 s waits for the next one.
            time.sleep(31 - time.time() % 30)
        raise RuntimeError(f"could not sign {username} in: {done.status_code}")

    return signed_in


CONSULTATION_PATH = "/entreprise/interruption-de-carriere/consultation"

# The plain-text endpoint every page is compared with.
HELLO = Page("hello", "/healthz")

PAGES: tuple[Page, ...] = (
    Page("home-fr", "/", headers={"Accept-Language": "fr-BE,fr;q=0.9"}),
    Page("home-nl", "/", headers={"Cookie": "guichet_lang=nl"}),
    # A signed-in page: the session read, its CSRF token, two queries.
    Page("mes-cles", "/mes-cles", prepare=signed_in_as("jan.peeters")),
    # P3's signed-in page: the session read, its CSRF token, 2 indexed queries, 20 requests
    # (bench/seed.py gives the citizen of guide 000 that many).
    Page("mon-dossier", "/interruption-de-carriere/dossier", prepare=signed_in_as(DOSSIER_USERNAME),
         min_ratio=0.25),
    # P3's htmx fragment: one attachment row (the medical certificate bench/seed.py attached).
    Page("piece-jointe-ligne",
         "/interruption-de-carriere/pieces-jointes/{careerbreak_attachments_request}"
         "/lignes/attestation-medicale",
         headers={"HX-Request": "true"}, prepare=signed_in_as(DOSSIER_USERNAME), fragment=True,
         min_ratio=0.40),
    # The employer's list (P5 with PAGES_AT_SCALE): the Consultation of Les Tilleuls, signed in as
    # its personnel officer, first page and the keyset "next page" (bench/seed.py gives the
    # enterprise three pages of requests); each view appends one audit record per worker listed.
    Page("consultation", CONSULTATION_PATH, prepare=signed_in_as(OFFICER_USERNAME)),
    Page("consultation-suivante", f"{CONSULTATION_PATH}?apres={{consultation_next_after}}",
         prepare=signed_in_as(OFFICER_USERNAME)),
    # « Vous quittez la Belgique ? » (anonymous): its fullest result, every topic for a Belgian pensioner
    # going to the United States (7 fiches resolved from the rule table, no query).
    Page("quitter-la-belgique",
         "/vous-quittez-la-belgique/resultat?nationalite=be&destination=us&statut=pensionne&sujet=tous",
         headers={"Accept-Language": "fr-BE,fr;q=0.9"}),
)

# P5 measures these again with 1,000 and with 1,000,000 requests in PostgreSQL (bench/scale.py).
PAGES_AT_SCALE = ("mon-dossier", "consultation", "consultation-suivante")
