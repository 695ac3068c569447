"""An HTML-checking client: every page and fragment the tests fetch is checked for what every
screen of Guichet must have (title, unique ids, labelled inputs, forms with action and method)."""

from __future__ import annotations

import json
from collections import Counter

from bs4 import BeautifulSoup, Tag
from httpx import AsyncClient, Response

from app.web.i18n import LANGUAGES

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class HtmlProblem(AssertionError):
    pass


def _problems_common(soup: BeautifulSoup) -> list[str]:
    problems: list[str] = []
    ids = Counter(element["id"] for element in soup.find_all(id=True))
    problems += [f"id {id_!r} is used {count} times" for id_, count in ids.items() if count > 1]
    labelled_ids = {label.get("for") for label in soup.find_all("label") if label.get("for")}
    for control in soup.find_all(["input", "select", "textarea"]):
        if control.name == "input" and control.get("type", "text") in UNLABELLED_INPUT_TYPES:
            continue
        has_label = (
            control.get("id") in labelled_ids
            or control.get("aria-label")
            or control.get("aria-labelledby")
            or control.find_parent("label") is not None
        )
        if not has_label:
            problems.append(f"{control.name} name={control.get('name')!r} has no label")
    for form in soup.find_all("form"):
        if not form.get("action") or not form.get("method"):
            problems.append(f"form {form.get('id') or ''} lacks action or method: {form.attrs}")
    for reference in ("aria-describedby", "aria-labelledby"):
        for element in soup.find_all(attrs={reference: True}):
            for target in element[reference].split():
                if target not in ids:
                    problems.append(f"{reference} points to missing id {target!r}")
    for link in soup.find_all("a", href=True):
        if link["href"].startswith("#") and len(link["href"]) > 1 and link["href"][1:] not in ids:
            problems.append(f"link to missing anchor {link['href']!r}")
    return problems


def check_page(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    problems = _problems_common(soup)
    root = soup.find("html")
    if not isinstance(root, Tag) or root.get("lang") not in LANGUAGES:
        problems.append("<html> has no lang among the portal's languages")
    title = soup.find("title")
    if title is None or not title.get_text(strip=True):
        problems.append("the page has no title")
    if soup.find("main") is None:
        problems.append("the page has no <main>")
    if soup.find("h1") is None:
        problems.append("the page has no <h1>")
    if problems:
        raise HtmlProblem("\n".join(problems))
    return soup


def check_fragment(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    problems = _problems_common(soup)
    if soup.find(["html", "head", "body"]) is not None:
        problems.append("a fragment must not contain <html>, <head> or <body>")
    if problems:
        raise HtmlProblem("\n".join(problems))
    return soup


class CheckedClient:
    """Fetches like a browser without JavaScript, or like htmx, and checks what comes back."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.last_page: BeautifulSoup | None = None

    async def page(self, path: str, *, status: int = 200, **kwargs) -> tuple[Response, BeautifulSoup]:
        response = await self.client.get(path, **kwargs)
        assert response.status_code == status, (response.status_code, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        self.last_page = check_page(response.text)
        return response, self.last_page

    async def fragment(
        self, path: str, *, status: int = 200, method: str = "GET", **kwargs
    ) -> tuple[Response, BeautifulSoup]:
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        response = await self.client.request(method, path, headers=headers, **kwargs)
        assert response.status_code == status, (response.status_code, response.text[:500])
        assert "HX-Request" in response.headers.get("vary", ""), "fragments must vary on HX-Request"
        return response, check_fragment(response.text)

    def csrf_token(self) -> str:
        """The token of the last page, from a form field or else the page's htmx headers."""
        assert self.last_page is not None, "open a page first"
        field = self.last_page.find("input", attrs={"name": "_csrf_token"})
        if field is not None:
            return field["value"]
        return json.loads(self.last_page.find("body")["hx-headers"])["X-CSRF-Token"]

    async def submit(self, path: str, data: dict, **kwargs) -> Response:
        """Posts a form as the browser would, with the CSRF token the page gave."""
        return await self.client.post(path, data={"_csrf_token": self.csrf_token(), **data}, **kwargs)
