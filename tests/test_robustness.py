"""R6: bad input never gives a 500 (quality.md, issue 14).

Every route of the route table is walked as the visitor it is for: an anonymous visitor (the portal,
the identification, the test provider), Marie signed in at the level high (the citizen's services, her
e-Box and keys) and Sophie, personnel officer (the employer's service). Each of its parameters gets a
generated set of hostile values:

- each path parameter, by its kind (`int` or `str`);
- each query and form field the handler reads: those of the pages that link or post to the route
  (found by walking the visitor's pages), those of the handler's signature, and the names its source
  reads (`data.get("...")`, `query_params["..."]`);
- the CSRF field of an unsafe route.

A parameter gets the nastiest values (NASTIEST: 2^31, 2^63, 23 digits, -1, NUL, control characters,
10,000 characters, digits of another script, the field sent twice), the values its pages offer with
their number made too large (`decision-12` → `decision-2147483648`), and a fixed sample of others
(EXTRA_VALUES, and a random string, both drawn from a generator seeded by the route and the parameter:
every run sends the same requests). The other fields keep what the page would have sent, with the CSRF
token, so that the hostile value reaches the handler; then every field at once gets each of the nastiest
values, to get past a form's first check. Then every route gets the methods it does not allow, every
unsafe route broken bodies, and the signed-in visitors' routes their path values without a session.

Every answer must be below 500, and a 4xx must be a page (to htmx, a page or a fragment) in the
visitor's language: the error page of its status, or the form with its error summary. A redirect never
carries a control character in its Location.
"""

from __future__ import annotations

import html
import inspect
import json
import itertools
import random
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from litestar.routes import HTTPRoute

from app.demo import load_demo_data
from app.registry.demo import DEMO_PASSWORD
from app.web.i18n import LANGUAGE_COOKIE, negotiate, translations
from tests.support.citizens import MARIE, sign_in
from tests.support.html import CheckedClient

SOPHIE = "sophie.laurent"  # personnel officer at Les Tilleuls SRL
LENA = "lena.schmitt"  # her password opens the anonymous visitor's login waiting for its code
MARIE_NISS = "88041200259"
EMPLOYER = "/entreprise/interruption-de-carriere"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Raw(str):
    """A value sent as it is written, already percent-encoded (invalid UTF-8, a lone %)."""


DUPLICATED = object()  # the field sent twice

NASTIEST: tuple[Any, ...] = (
    "2147483648",               # 2^31: past PostgreSQL's integer
    "9223372036854775808",      # 2^63: past a 64-bit integer
    "1" + "0" * 22,             # 23 digits
    "-1",
    "\x00",                     # NUL: PostgreSQL refuses it in text
    "1\x00",
    "\x01\x08\x0b\x1b\x7f",     # control characters
    "a" * 10_000,
    "9" * 10_000,               # 10,000 digits: past int()'s 4,300
    "١٢٣",                      # digits of another script: str.isdigit() says yes, int() reads 123
    "é",                        # not ASCII
    "n2147483648",              # 2^31 behind a letter: the shape of a cursor (?apres=n12)
    DUPLICATED,
)
EXTRA_VALUES: tuple[Any, ...] = (
    "", " ", "0", "2147483647", "-2147483649", "18446744073709551616", "1e309", "NaN", "²",
    "+1", "1_0", " 12 ", "0x1f", "00000000000000000000001", "<script>alert(1)</script>",
    "../../etc/passwd", "%00", "%", "\u202e\ufeff", "🙂🙂", "\r\nX-Injected: 1", "'; DROP TABLE x;--",
    "é" * 300, "null", "[]", "31", "13", "9999", "2026-13-45", Raw("%FF%FE"), Raw("%ED%A0%80"),
    Raw("%C0%80"),
)
EXTRAS_PER_PARAMETER = 3
# The values of an `int` path parameter: what Litestar's converter and the handler must both survive.
INT_PATH_VALUES: tuple[Any, ...] = (
    "2147483648", "9223372036854775808", "1" + "0" * 22, "-1", "0", "9" * 10_000, "\x00", "1\x00",
    "\x01", "abc", "²", "١", "+1", "1.5", " 1", "a" * 10_000,
)
STR_PATH_VALUES: tuple[Any, ...] = tuple(value for value in NASTIEST if value is not DUPLICATED) + (
    "..", "%2e%2e", "0", "²", "\u202e", Raw("%FF"), Raw("%2F"),
)
# Fields the route reads whatever the page: the CSRF token of an unsafe route.
CSRF_FIELD = "_csrf_token"
TEST_ONLY_PREFIX = "/tests/"  # routes other tests add to the app (tests/test_security.py: one fails on purpose)

# Broken bodies for every unsafe route, sent with a valid token in the header.
BROKEN_BODIES = (
    ("application/x-www-form-urlencoded", b"%ZZ=%ZZ&&&=="),
    ("application/x-www-form-urlencoded", b"\xff\xfe\x00garbage"),
    ("application/x-www-form-urlencoded", b"a=" + b"%" * 3),
    ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
    ("multipart/form-data", b"--x\r\n\r\n"),
    ("application/json", b"{not json"),
    ("text/plain", b"hello"),
)
OTHER_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# The French titles of the error pages (app/web/errors.py), to be found translated.
ERROR_TITLES = {
    400: "Demande incorrecte", 403: "Accès refusé", 404: "Page introuvable",
    405: "Action non autorisée", 413: "Envoi trop volumineux", 422: "Données non valides",
    429: "Trop de tentatives",
}
ERROR_SUMMARY_TITLE = "Il y a un problème"
# A 4xx that may be a service's own page (with its heading) rather than the error page or a form: the
# test provider's and the relying party's "the request is wrong" (400), "not for you" (403), "changed
# meanwhile" (409), "too many tries" (429).
SERVICE_PAGE_STATUSES = {400, 403, 409, 429}
# Routes that answer machines, not people: an OAuth error is JSON (RFC 6749 §5.2).
MACHINE_ROUTES = {"/fournisseur-test/jeton"}
# Fields a route reads through a helper of another module: what a provider sends back (RFC 6749 §4.1.2).
EXTRA_FIELDS = {"/identification/oidc/retour": ("code", "state", "iss", "error", "error_description")}


# ---------------------------------------------------------------------------------------------------
# The route table


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str  # as Litestar writes it: /ebox/{public_id:str}
    path_kinds: tuple[tuple[str, str], ...]  # (name, "int" | "str")
    query_names: tuple[str, ...]  # from the handler's signature
    source_names: tuple[str, ...]  # the names its source reads

    @property
    def unsafe(self) -> bool:
        return self.method not in SAFE_METHODS


_READ_NAME = re.compile(r"""(?:(?<![.\w])(?:data|params|form|values)|request\.query_params)\s*"""
                        r"""(?:\.get\(\s*|\[\s*)["']([\w-]+)["']""")
_ANSWERS_OF = re.compile(r"""answers_of\(\s*data\s*,\s*\(([^)]*)\)""")
_SKIPPED_ARGUMENTS = {"self", "request", "data", "state", "scope", "headers", "cookies", "socket"}


def _names_in_source(fn: Any) -> tuple[str, ...]:
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return ()
    names = set(_READ_NAME.findall(source))
    for group in _ANSWERS_OF.findall(source):
        names.update(re.findall(r"""["']([\w-]+)["']""", group))
    return tuple(sorted(names - {CSRF_FIELD}))


def _query_names(handler: Any, path_names: set[str]) -> tuple[str, ...]:
    names = []
    for parameter in handler.parsed_fn_signature.parameters.values():
        if parameter.name in _SKIPPED_ARGUMENTS or parameter.name in path_names:
            continue
        definition = parameter.kwarg_definition
        alias = (getattr(definition, "query", None) or getattr(definition, "name", None)
                 if definition is not None else None)
        names.append(alias or parameter.name)
    return tuple(names)


def endpoints_of(app) -> list[Endpoint]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(TEST_ONLY_PREFIX):
            continue
        kinds = tuple((name, "int" if parameter.type is int else "str")
                      for name, parameter in route.path_parameters.items())
        for handler in route.route_handlers:
            for method in sorted(set(handler.http_methods) - {"OPTIONS", "HEAD"}):
                found.append(Endpoint(method, route.path, kinds,
                                      _query_names(handler, {name for name, _kind in kinds}),
                                      _names_in_source(handler.fn)))
    return found


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        (f"(?P<{part[1:-1].split(':')[0]}>.+)" if part.endswith(":path}")
         else f"(?P<{part[1:-1].split(':')[0]}>[^/]+)") if part.startswith("{") else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{regex}/?$" if template != "/" else "^/$")


class RouteMap:
    """Which route a concrete path belongs to (a fixed path before one with parameters, as Litestar)."""

    def __init__(self, endpoints: list[Endpoint]) -> None:
        templates = sorted({endpoint.template for endpoint in endpoints}, key=lambda t: (t.count("{"), -len(t)))
        self.patterns = [(template, _pattern(template)) for template in templates]

    def template_of(self, path: str) -> str | None:
        return next((template for template, pattern in self.patterns if pattern.match(path)), None)

    def params_of(self, template: str, path: str) -> dict[str, str]:
        match = dict(self.patterns)[template].match(path)
        return match.groupdict() if match else {}


def concrete(template: str, values: dict[str, Any]) -> str:
    """The template with its parameters replaced, each value percent-encoded (a Raw one as it is)."""
    def value_of(match: re.Match) -> str:
        name = match.group(1).split(":")[0]
        value = values[name]
        if isinstance(value, Raw):
            return str(value)
        return quote(value, safe="/" if match.group(1).endswith(":path") else "")
    return re.sub(r"\{([^}]+)\}", value_of, template)


# ---------------------------------------------------------------------------------------------------
# The visitors and what their pages show


@dataclass
class Visitor:
    name: str
    client: httpx.AsyncClient
    token: str = ""
    cookies_seen: tuple = ()

    @property
    def language(self) -> str:
        return negotiate(self.client.cookies.get(LANGUAGE_COOKIE), self.client.headers.get("accept-language"))

    def _cookies(self) -> tuple:
        return tuple(sorted((cookie.name, cookie.value) for cookie in self.client.cookies.jar))

    async def refresh_token(self) -> None:
        response = await self.client.get("/")
        body = BeautifulSoup(response.text, "html.parser").find("body")
        field_ = body.find("input", attrs={"name": CSRF_FIELD}) if body else None
        if field_ is not None:
            self.token = field_["value"]
        else:
            self.token = json.loads(body["hx-headers"])["X-CSRF-Token"]
        self.cookies_seen = self._cookies()

    async def after(self) -> None:
        """A new session or seed makes a new token: take it before the next unsafe request."""
        if self._cookies() != self.cookies_seen:
            await self.refresh_token()


@dataclass
class Form:
    baseline: dict[str, Any]  # what a browser sends when nothing is touched
    names: set[str]
    choices: dict[str, str]  # the first choice of each group of radios: a submission of the form
    offered: dict[str, list[str]]  # every value the form offers for a field (radios, lists, hidden)


@dataclass
class Site:
    """What the visitor's pages show: a concrete path of each route, the forms sent to each route
    (what a browser would send unchanged) and the query fields of the links to each route."""

    instances: dict[str, dict[str, str]] = field(default_factory=dict)
    forms: dict[tuple[str, str], Form] = field(default_factory=dict)
    query_names: dict[str, set[str]] = field(default_factory=dict)
    queries: dict[str, dict[str, str]] = field(default_factory=dict)  # a query a page sends to each route
    order: list[str] = field(default_factory=list)  # the templates as the pages reached them
    values: dict[str, list[str]] = field(default_factory=dict)  # path parameter name -> values seen
    tokens: list[str] = field(default_factory=list)  # values on the pages that may be ids
    offered: dict[str, list[str]] = field(default_factory=dict)  # field -> values the pages offer

    def offer(self, name: str, values: list[str]) -> None:
        known = self.offered.setdefault(name, [])
        known.extend(value for value in values if value not in known)

    def reached(self, template: str, params: dict[str, str]) -> None:
        if template not in self.order:
            self.order.append(template)
        self.instances.setdefault(template, params)
        for name, value in params.items():
            if value not in self.values.setdefault(name, []):
                self.values[name].append(value)

    def value_of(self, name: str, kind: str) -> str:
        """A value of the path parameter `name` the pages gave (for a route reached by none)."""
        seen = self.values.get(name)
        return seen[0] if seen else ("1" if kind == "int" else "x")


_TOKEN = re.compile(r"[\w-]{1,40}")


def _form_of(form: Any) -> Form:
    baseline: dict[str, Any] = {}
    names: set[str] = set()
    choices: dict[str, str] = {}
    offered: dict[str, list[str]] = {}
    for control in form.find_all(["input", "select", "textarea", "button"]):
        name = control.get("name")
        if not name:
            continue
        names.add(name)
        kind = (control.get("type") or "text").lower()
        values = ([option.get("value", option.get_text()) for option in control.find_all("option")]
                  if control.name == "select" else [control.get("value", "")])
        offered.setdefault(name, []).extend(value for value in values if value)
        if control.name == "button" or kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if control.has_attr("checked"):
                baseline.setdefault(name, control.get("value", "on"))
            if kind == "radio":
                choices.setdefault(name, control.get("value", "on"))
            continue
        if control.name == "select":  # a browser sends the option selected, else the first one
            chosen = control.find("option", selected=True) or control.find("option")
            if chosen is not None:
                baseline[name] = chosen.get("value", chosen.get_text())
            continue
        value = control.get_text() if control.name == "textarea" else control.get("value", "")
        baseline.setdefault(name, value)
    return Form(baseline, names, choices, offered)


SKIPPED_WHEN_CRAWLING = ("/langue/", "/deconnexion", "/static/")


class Crawler:
    """Walks the visitor's pages (GET only): links, redirects, and each GET form sent with its first
    choices; then tries the values the pages showed (radio values, ids) in the routes no page linked
    to, such as a request's own pages behind a "choose the request" form."""

    def __init__(self, visitor: Visitor, routes: RouteMap, endpoints: list[Endpoint], *, limit: int = 200,
                 per_template: int = 3) -> None:
        self.visitor, self.routes, self.limit, self.per_template = visitor, routes, limit, per_template
        self.site = Site()
        self.seen: set[str] = set()
        self.visits: Counter = Counter()
        self.readable = {endpoint.template: endpoint.path_kinds for endpoint in endpoints
                         if endpoint.method == "GET" and endpoint.path_kinds}

    def _skipped(self, path: str) -> bool:
        signed_in = self.visitor.name != "anonymous"
        return path.startswith(SKIPPED_WHEN_CRAWLING) or (
            signed_in and path.startswith(("/identification", "/fournisseur-test")))

    def _token(self, value: str | None) -> None:
        if value and _TOKEN.fullmatch(value) and value not in self.site.tokens:
            self.site.tokens.append(value)

    async def walk(self, starts: list[str]) -> Site:
        await self._visit(starts)
        for template, kinds in self.readable.items():  # the routes no page linked to
            if template in self.site.instances or self._skipped(template) or len(self.seen) >= self.limit:
                continue
            options = [[*self.site.values.get(name, []), *self.site.tokens][:30] for name, _kind in kinds]
            for combination in list(itertools.product(*options))[:40]:
                path = concrete(template, dict(zip((name for name, _kind in kinds), combination)))
                response = await self.visitor.client.get(path)
                await self.visitor.after()
                if response.status_code == 200:
                    await self._visit([path])
                    break
        return self.site

    async def _visit(self, starts: list[str]) -> None:
        site, queue = self.site, deque(starts)
        while queue and len(self.seen) < self.limit:
            url = queue.popleft().split("#")[0]
            parts = urlsplit(url)
            if url in self.seen or parts.netloc or not parts.path.startswith("/") or self._skipped(parts.path):
                continue
            template = self.routes.template_of(parts.path)
            if template is None or self.visits[template] >= self.per_template:
                continue
            self.seen.add(url)
            self.visits[template] += 1
            site.reached(template, self.routes.params_of(template, parts.path))
            query = dict(parse_qsl(parts.query))
            site.query_names.setdefault(template, set()).update(query)
            for name, value in query.items():
                site.offer(name, [value])
            if query:
                site.queries.setdefault(template, query)
            response = await self.visitor.client.get(url)
            await self.visitor.after()
            if response.is_redirect:
                queue.append(response.headers["location"])
                continue
            if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            page = BeautifulSoup(response.text, "html.parser")
            for link in page.find_all("a", href=True):
                queue.append(link["href"])
                for segment in urlsplit(link["href"]).path.split("/"):
                    if segment.isdigit():
                        self._token(segment)
            for control in page.find_all(["input", "option"]):
                if control.get("type") in ("radio", "checkbox", "hidden", None) and control.get("name") != CSRF_FIELD:
                    self._token(control.get("value"))
            for form in page.find_all("form"):
                action = urlsplit(form.get("action") or parts.path)
                method = (form.get("method") or "GET").upper()
                target = self.routes.template_of(action.path)
                if target is None:
                    continue
                site.reached(target, self.routes.params_of(target, action.path))
                found = _form_of(form)
                for name, values in found.offered.items():
                    site.offer(name, values)
                if method == "GET":
                    site.query_names.setdefault(target, set()).update(found.names)
                    sent = {**found.choices, **found.baseline}
                    site.queries.setdefault(target, sent)
                    queue.append(f"{action.path}?{_encoded(sent)}" if sent else action.path)
                    continue
                known = site.forms.get((method, target))
                if known is None:
                    site.forms[(method, target)] = found
                else:
                    known.names |= found.names


# ---------------------------------------------------------------------------------------------------
# Sending a hostile value, and judging the answer


def _encoded(fields: dict[str, Any]) -> str:
    pairs = []
    for name, value in fields.items():
        for one in (value if isinstance(value, list) else [value]):
            written = str(one) if isinstance(one, Raw) else quote(str(one), safe="")
            pairs.append(f"{quote(name, safe='')}={written}")
    return "&".join(pairs)


def _shown(value: Any) -> str:
    if value is DUPLICATED:
        return "<the field twice>"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:24]}…({len(value)} chars)"


def _translated(language: str, french: str) -> str:
    return " ".join(translations(language).gettext(french).split())


_ROOT = re.compile(r"<html\b[^>]*?\blang=\"([^\"]*)\"")
_TAG = re.compile(r"<[^>]+>")


def _text_of(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _heading(text: str, marker: str, tag: str) -> str | None:
    """The text of the first `tag` after `marker` in the page, or None without the marker. (Judging
    thousands of answers with a regular expression rather than a parser keeps the test short.)"""
    start = text.find(marker)
    if start < 0:
        return None
    found = re.compile(rf"<{tag}\b[^>]*>(.*?)</{tag}>", re.S).search(text, start)
    return _text_of(found[1]) if found else ""


def problem_of(response: httpx.Response, language: str, *, htmx: bool, template: str) -> str | None:
    """What is wrong with the answer to a hostile request, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if 300 <= status < 400:
        location = response.headers.get("location", "")
        if any(ord(char) < 32 or ord(char) > 126 for char in location):
            return f"{status} to an unsafe Location {location[:60]!r}"
        return None
    if status < 400:
        return None
    content_type = response.headers.get("content-type", "")
    if template in MACHINE_ROUTES and content_type.startswith("application/json"):
        return None
    if not content_type.startswith("text/html"):
        return f"{status} is not HTML ({content_type or 'no type'}): {response.text[:60]!r}"
    text = response.text
    root = _ROOT.search(text)
    if root is not None and root[1] != language:
        return f"{status} page in {root[1]!r}, not {language!r}"
    if root is None and not htmx:
        return f"{status}: a fragment to a request without htmx"
    error_page = _heading(text, 'class="error-page"', "h1")
    summary = _heading(text, "data-error-summary", "h2")
    if error_page is not None:
        title = ERROR_TITLES.get(status, ERROR_TITLES[400])  # another refusal reads as a 400
        if error_page != _translated(language, title):
            return f"{status} error page titled {error_page!r}"
        return None
    if summary is not None:
        if summary != _translated(language, ERROR_SUMMARY_TITLE):
            return f"{status} error summary titled {summary!r}, not in {language!r}"
        return None
    if status in SERVICE_PAGE_STATUSES and "<h1" in text:
        return None
    if root is None and status == 422 and _text_of(text):
        return None  # a form's fragment: its problems (htmx swaps it in place)
    return f"{status} with neither the error page nor an error summary"


@dataclass
class Probe:
    visitor: Visitor
    failures: list[tuple[str, ...]] = field(default_factory=list)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)  # (method, template, what, status) -> answers

    def never_reached(self) -> list[tuple[str, str]]:
        """The unsafe routes whose fields were all refused by the CSRF check: the walk lost its token."""
        refused: dict[tuple[str, str], bool] = {}
        for (method, template, what, status), _count in self.statuses.items():
            if method in SAFE_METHODS or not what.startswith("field ") or what == f"field {CSRF_FIELD}":
                continue
            refused[(method, template)] = refused.get((method, template), True) and status == 403
        return sorted(route for route, all_refused in refused.items() if all_refused)

    async def send(self, method: str, path: str, fields: dict[str, Any], *, htmx: bool = False,
                   what: str, value: Any, template: str, content: tuple[str, bytes] | None = None) -> None:
        client = self.visitor.client
        headers = {"HX-Request": "true"} if htmx else {}
        if content is not None:
            headers |= {"Content-Type": content[0], "X-CSRF-Token": self.visitor.token}
            response = await client.request(method, path, content=content[1], headers=headers)
        elif method in SAFE_METHODS:
            query = _encoded(fields)
            response = await client.request(method, f"{path}?{query}" if query else path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            response = await client.request(method, path, content=_encoded(fields).encode("ascii"),
                                            headers=headers)
        self.requests += 1
        self.statuses[(method, template, what, response.status_code)] += 1
        problem = problem_of(response, self.visitor.language, htmx=htmx, template=template)
        if problem is not None:
            self.failures.append((self.visitor.name, method, template, what, _shown(value), problem))
        await self.visitor.after()


def sample(seed: str) -> list[Any]:
    """The extra values of one parameter: a fixed, seeded sample, and a random string."""
    generator = random.Random(seed)
    values = generator.sample(EXTRA_VALUES, EXTRAS_PER_PARAMETER)
    alphabet = [chr(code) for code in (*range(0x01, 0x20), *range(0x20, 0x7f), 0xa0, 0xe9, 0x202e, 0xfeff,
                                       0xfffd, 0x1f642, 0x0663, 0xb2)]
    values.append("".join(generator.choice(alphabet) for _ in range(generator.randint(1, 40))))
    return values


def path_values(kind: str, seed: str) -> list[tuple[Any, bool]]:
    """(value, whether htmx sends it): the nastiest as a browser sends them, the sample by htmx."""
    base = INT_PATH_VALUES if kind == "int" else STR_PATH_VALUES
    return [*((value, False) for value in base), *((value, True) for value in sample(seed)[-2:])]


_NUMBERED = re.compile(r"^(.*\D)(\d+)$")


def reshaped(offered: list[str]) -> list[str]:
    """The values a page offers with a number at their end (`decision-12`, `n12`), the number made
    too large: the value's own shape, past the integers of the databases."""
    prefixes = list(dict.fromkeys(match[1] for value in offered if (match := _NUMBERED.match(value))))
    return [f"{prefix}{number}" for prefix in prefixes[:3] for number in ("2147483648", "1" + "0" * 22)]


def field_values(seed: str, offered: list[str]) -> list[tuple[Any, bool]]:
    extras = sample(seed)
    return [*((value, False) for value in (*NASTIEST, *reshaped(offered))),
            *((value, index % 2 == 1) for index, value in enumerate(extras))]


# ---------------------------------------------------------------------------------------------------
# The walk


@dataclass
class Plan:
    visitor: Visitor
    site: Site
    endpoints: list[Endpoint]
    prepare: dict[tuple[str, str], Any]  # (method, template) -> awaited before each of its requests


async def probe_endpoint(probe: Probe, plan: Plan, endpoint: Endpoint) -> None:
    visitor, site = plan.visitor, plan.site
    known = site.instances.get(endpoint.template, {})
    defaults = {name: known.get(name) or site.value_of(name, kind) for name, kind in endpoint.path_kinds}
    form = site.forms.get((endpoint.method, endpoint.template))
    if endpoint.unsafe:
        baseline = dict(form.baseline) if form is not None else {}
    else:
        baseline = dict(site.queries.get(endpoint.template, {}))
    names = set(endpoint.query_names) | set(endpoint.source_names) | set(EXTRA_FIELDS.get(endpoint.template, ()))
    if endpoint.unsafe:
        names |= form.names if form is not None else set()
    else:
        names |= site.query_names.get(endpoint.template, set())
    names.discard(CSRF_FIELD)
    prepare = plan.prepare.get((endpoint.method, endpoint.template))

    def with_token(fields: dict[str, Any]) -> dict[str, Any]:
        return {CSRF_FIELD: visitor.token, **fields} if endpoint.unsafe else dict(fields)

    def hostile(fields: dict[str, Any], name: str, value: Any) -> None:
        if value is DUPLICATED:
            first = fields.get(name) or "1"
            fields[name] = [first, first if name == CSRF_FIELD else "2"]
        else:
            fields[name] = value

    for name, kind in endpoint.path_kinds:
        for value, htmx in path_values(kind, f"{endpoint.method} {endpoint.template} {name}"):
            path = concrete(endpoint.template, {**defaults, name: value})
            await probe.send(endpoint.method, path, with_token(baseline), htmx=htmx,
                             what=f"path {name}", value=value, template=endpoint.template)
    path = concrete(endpoint.template, defaults)
    for name in sorted(names) + ([CSRF_FIELD] if endpoint.unsafe else []):
        for value, htmx in field_values(f"{endpoint.method} {endpoint.template} {name}", site.offered.get(name, [])):
            if prepare is not None:
                await prepare()
            sent = with_token(baseline)
            hostile(sent, name, value)
            await probe.send(endpoint.method, path, sent, htmx=htmx,
                             what=f"field {name}", value=value, template=endpoint.template)
    if len(names) > 1:  # every field at once: past the first check, into what the form does with them
        for value in NASTIEST:
            if not endpoint.unsafe and value is not DUPLICATED and len(value) * len(names) > 20_000:
                continue  # past what a client sends in an address (each field had it alone)
            if prepare is not None:
                await prepare()
            sent = with_token(baseline)
            for name in names:
                hostile(sent, name, value)
            await probe.send(endpoint.method, path, sent, what="every field", value=value,
                             template=endpoint.template)


async def probe_signed_out(probe: Probe, endpoints: list[Endpoint]) -> None:
    """The routes of the signed-in visitors, opened without a session, with hostile path parameters:
    the guards' answers (a redirect to the identification, carrying the address) stay safe."""
    for endpoint in endpoints:
        for name, kind in endpoint.path_kinds:
            for value in (INT_PATH_VALUES if kind == "int" else STR_PATH_VALUES):
                path = concrete(endpoint.template, {**{other: "1" for other, _kind in endpoint.path_kinds},
                                                    name: value})
                fields = {CSRF_FIELD: probe.visitor.token} if endpoint.unsafe else {}
                await probe.send(endpoint.method, path, fields, what=f"signed out, path {name}", value=value,
                                 template=endpoint.template)


async def probe_methods_and_bodies(probe: Probe, plan: Plan) -> None:
    """Every method a route does not allow (the 405 page), and broken bodies on every unsafe route."""
    by_template: dict[str, set[str]] = {}
    for endpoint in plan.endpoints:
        by_template.setdefault(endpoint.template, set()).add(endpoint.method)
    for template, methods in by_template.items():
        known = plan.site.instances.get(template, {})
        kinds = next(endpoint.path_kinds for endpoint in plan.endpoints if endpoint.template == template)
        path = concrete(template, {name: known.get(name) or ("1" if kind == "int" else "x") for name, kind in kinds})
        for index, method in enumerate(sorted(set(OTHER_METHODS) - methods)):
            await probe.send(method, path, {CSRF_FIELD: plan.visitor.token} if method not in SAFE_METHODS else {},
                             htmx=index % 2 == 1, what="method", value=method, template=template)
        for method in sorted(methods - SAFE_METHODS):
            prepare = plan.prepare.get((method, template))
            for index, body in enumerate(BROKEN_BODIES):
                if prepare is not None:
                    await prepare()
                await probe.send(method, path, {}, content=body, htmx=index % 2 == 1, what="body",
                                 value=body[1][:20].decode("latin-1"), template=template)


def visitor_of(template: str) -> str:
    """Whose route it is: the employer's service is Sophie's, the citizen's services are Marie's."""
    if template.startswith(EMPLOYER):
        return "officer"
    if template.startswith(("/interruption-de-carriere", "/ebox", "/mes-cles", "/session")):
        return "citizen"
    return "anonymous"


def _order(endpoints: list[Endpoint], site: Site) -> list[Endpoint]:
    """The pages first, then the forms, a later step before an earlier one: a step refused (and kept)
    sends the later steps of its wizard back to it, so they are probed before it."""
    reached = {template: index for index, template in enumerate(site.order)}
    return sorted(endpoints, key=lambda endpoint: (endpoint.unsafe, -reached.get(endpoint.template, -1)
                                                  if endpoint.unsafe else 0))


@pytest.fixture
async def demo(database):
    await load_demo_data()


@pytest.fixture
def consultation_today(monkeypatch):
    """The Consultation lists the demo requests (filed on fixed dates) as on the day they were made."""
    import datetime
    monkeypatch.setattr("app.employer.services.utcnow",
                        lambda: datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.timezone.utc))


def new_client(app, language: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                             headers={"Accept-Language": language})


async def anonymous_plan(app, routes: RouteMap, endpoints: list[Endpoint]) -> Plan:
    visitor = Visitor("anonymous", new_client(app, "en"))
    await visitor.refresh_token()
    checked = CheckedClient(visitor.client)

    async def pending_code() -> None:
        """A login waiting for its security code (Lena's password given), for the code form."""
        await checked.page("/identification/application-mobile/connexion")
        response = await checked.submit("/identification/application-mobile/connexion",
                                        {"username": LENA, "password": DEMO_PASSWORD})
        assert response.status_code == 303, response.text[:300]
        await visitor.after()

    async def pin_asked() -> None:
        """The test provider asking for the eID's PIN, Marie's identity chosen."""
        response = await visitor.client.get("/identification/eid")
        response = await visitor.client.get(response.headers["location"])
        await visitor.after()
        response = await visitor.client.post("/fournisseur-test/identite",
                                             data={CSRF_FIELD: visitor.token, "identite": MARIE_NISS})
        assert response.status_code == 303, response.text[:300]
        await visitor.after()

    await pending_code()
    await pin_asked()
    site = await Crawler(visitor, routes, endpoints).walk([
        "/", "/identification", "/identification/application-mobile/code", "/fournisseur-test/code-pin",
        "/citoyen", "/entreprise", "/vous-quittez-la-belgique", "/identification/itsme",
    ])
    prepare = {("POST", "/identification/{key:str}/code"): pending_code,
               ("POST", "/fournisseur-test/code-pin"): pin_asked}
    return Plan(visitor, site, endpoints, prepare)


async def citizen_plan(app, routes: RouteMap, endpoints: list[Endpoint]) -> Plan:
    from tests.test_identity import step_up_with_eid

    visitor = Visitor("citizen", new_client(app, "nl"))
    checked = CheckedClient(visitor.client)
    await sign_in(checked, MARIE)
    await step_up_with_eid(checked, "/mes-cles")  # the level high: a new mobile app, a token card
    await visitor.refresh_token()
    site = await Crawler(visitor, routes, endpoints).walk([
        "/interruption-de-carriere", "/interruption-de-carriere/dossier", "/interruption-de-carriere/completer",
        "/interruption-de-carriere/annulation", "/interruption-de-carriere/pieces-jointes",
        "/interruption-de-carriere/attestations", "/interruption-de-carriere/consultations",
        "/interruption-de-carriere/breakatwork", "/ebox", "/mes-cles", "/mes-cles/mot-de-passe",
        "/mes-cles/application-mobile", "/mes-cles/carte-token",
    ])
    return Plan(visitor, site, endpoints, {})


async def officer_plan(app, routes: RouteMap, endpoints: list[Endpoint]) -> Plan:
    from tests.test_employer import reach_confirmation

    visitor = Visitor("officer", new_client(app, "de"))
    checked = CheckedClient(visitor.client)
    await reach_confirmation(checked)  # signs Sophie in and fills the steps: each form shows its answers
    await visitor.refresh_token()
    request = f"{EMPLOYER}/demande"
    site = await Crawler(visitor, routes, endpoints).walk([
        EMPLOYER, request, f"{request}/entreprise", f"{request}/travailleur", f"{request}/travailleur/dimona",
        f"{request}/dossier-travailleur", f"{request}/type", f"{request}/conge", f"{request}/confirmation",
        f"{EMPLOYER}/consultation", f"{EMPLOYER}/ebox",
    ])
    return Plan(visitor, site, endpoints, {})


PLANS = {"anonymous": anonymous_plan, "citizen": citizen_plan, "officer": officer_plan}


@pytest.mark.parametrize("who", sorted(PLANS))
async def test_no_route_answers_5xx_to_hostile_input(app, demo, consultation_today, who):
    every = endpoints_of(app)
    routes = RouteMap(every)
    mine = [endpoint for endpoint in every if visitor_of(endpoint.template) == who]
    plan = await PLANS[who](app, routes, mine)
    probe = Probe(plan.visitor)
    try:
        for endpoint in _order(mine, plan.site):
            await probe_endpoint(probe, plan, endpoint)
        await probe_methods_and_bodies(probe, plan)
        if who == "anonymous":
            await probe_signed_out(probe, [endpoint for endpoint in every if endpoint not in mine])
    finally:
        await plan.visitor.client.aclose()
    assert probe.never_reached() == []
    by_cause = Counter((method, template, problem.split(" ")[0]) for _who, method, template, _what, _value, problem
                       in probe.failures)
    report = "\n".join(f"{count:4d} × {method} {template}: {status}" for (method, template, status), count
                       in sorted(by_cause.items()))
    worst_first = sorted(probe.failures, key=lambda failure: not failure[-1].startswith("5"))
    examples = "\n".join(" | ".join(failure) for failure in worst_first[:150])
    assert not probe.failures, (f"{len(probe.failures)} bad answers of {probe.requests} requests "
                                f"({sum(1 for f in probe.failures if f[-1][:1] == '5')} × 5xx):\n"
                                f"{report}\n{examples}")


def test_every_route_is_walked_by_a_visitor(app):
    """Every route of the table is probed, each of its path parameters with the values of its kind: a
    parameter of a new kind (a uuid, a date) needs its own values here first."""
    from pathlib import Path

    every = endpoints_of(app)
    routes = [route for route in app.routes
              if isinstance(route, HTTPRoute) and not route.path.startswith(TEST_ONLY_PREFIX)]
    assert {endpoint.template for endpoint in every} == {route.path for route in routes}
    assert {visitor_of(endpoint.template) for endpoint in every} <= set(PLANS)
    kinds = {parameter.type for route in routes for parameter in route.path_parameters.values()}
    assert kinds <= {int, str, Path}, kinds


def test_an_answer_is_judged_by_its_status_its_page_and_its_language():
    """The judge of the walk above: a 5xx, a bare text, a page in another language, an error page with
    the wrong title and a redirect carrying a control character are each told apart."""
    def answer(status: int, body: str, content_type: str = "text/html; charset=utf-8", **headers: str):
        return httpx.Response(status, text=body, headers={"content-type": content_type, **headers})

    def page(language: str, main: str) -> str:
        return f'<!DOCTYPE html><html lang="{language}"><body><main>{main}</main></body></html>'

    def judged(response: httpx.Response, htmx: bool = False) -> str | None:
        return problem_of(response, "nl", htmx=htmx, template="/ebox")

    not_found = f'<div class="error-page"><h1>{_translated("nl", "Page introuvable")}</h1></div>'
    summary = f'<div class="error-summary" data-error-summary><h2>{_translated("nl", ERROR_SUMMARY_TITLE)}</h2></div>'
    assert judged(answer(404, page("nl", not_found))) is None
    assert judged(answer(422, page("nl", summary))) is None
    assert judged(answer(404, not_found), htmx=True) is None
    assert judged(answer(500, page("nl", ""))) == "500"
    assert judged(answer(404, "Not Found", "text/plain")).startswith("404 is not HTML")
    assert judged(answer(404, page("fr", not_found))) == "404 page in 'fr', not 'nl'"
    assert judged(answer(404, not_found)) == "404: a fragment to a request without htmx"
    assert judged(answer(400, page("nl", not_found))).startswith("400 error page titled")
    assert judged(answer(422, page("nl", "<h1>Formulier</h1>"))) == "422 with neither the error page nor an error summary"
    assert judged(answer(303, "", location="/identification?next=/\r\nX: 1")).startswith("303 to an unsafe Location")


@pytest.mark.parametrize("where", ["path", "query", "form"])
async def test_a_nul_character_is_refused_at_the_door_with_the_400_page(app, client, where):
    """PostgreSQL cannot store NUL: app/web/input_guard.py answers 400 before any handler reads it."""
    visitor = Visitor("anonymous", client)
    client.headers["Accept-Language"] = "de"
    await visitor.refresh_token()
    if where == "path":
        response = await client.get("/vous-quittez-la-belgique/regles/eee%00")
    elif where == "query":
        response = await client.get("/vous-quittez-la-belgique/destination?nationalite=be%00")
    else:
        response = await client.post("/identification/token/connexion", content=_encoded(
            {CSRF_FIELD: visitor.token, "username": "marie\x00", "password": "x"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert problem_of(response, "de", htmx=False, template="/") is None
