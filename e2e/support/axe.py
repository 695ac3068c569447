"""axe-core against WCAG 2.2 AA (budget A1), bundled by axe-playwright-python: works offline."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
OPTIONS = {
    "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
    "resultTypes": ["violations"],
}

_axe = Axe()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # one CSS selector per failing element, as axe reports it

    def describe(self) -> str:
        lines = [f"- {self.rule} ({self.impact}): {self.help}", f"  {self.help_url}"]
        lines += [f"  at {target}" for target in self.targets]
        return "\n".join(lines)


def _selector(target) -> str:
    # A target is a list of selectors, one per frame or shadow root crossed.
    if isinstance(target, list):
        return " >>> ".join(_selector(part) for part in target)
    return str(target)


def audit(page: Page) -> list[Violation]:
    """The WCAG 2.2 AA violations of the page as it is now. The page must run JavaScript."""
    response = _axe.run(page, options=OPTIONS).response
    return [
        Violation(
            rule=violation["id"],
            impact=violation.get("impact") or "unknown",
            help=violation.get("help", ""),
            help_url=violation.get("helpUrl", ""),
            targets=tuple(_selector(node["target"]) for node in violation.get("nodes", [])),
        )
        for violation in response["violations"]
    ]


def report(violations: list[Violation]) -> str:
    return "\n".join(violation.describe() for violation in violations)


class NoScriptAuditor:
    """axe for pages seen with JavaScript off.

    Such a page cannot run axe (Chromium fires no timers there), so the auditor loads a copy of
    it: its DOM, served at the same URL (fragment aside) with the same CSS and viewport, in a
    page of its own that runs JavaScript but forbids the app's scripts (`script-src 'none'`):
    only axe runs, on exactly what the user without JavaScript got. One page serves the whole
    run, so that axe's warm-up is paid once.
    """

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._copy: tuple[str, str] = ("", "")  # the URL the audit page answers, and its HTML

    def audit(self, page: Page) -> list[Violation]:
        target, _ = urldefrag(page.url)  # no fragment: going there always loads the copy anew
        self._copy = (target, page.content())
        if self._page is None:
            self._context = self._browser.new_context(java_script_enabled=True)
            self._page = self._context.new_page()
            self._page.route(lambda url: url == self._copy[0], self._serve_copy)
        self._page.set_viewport_size(page.viewport_size)
        self._page.goto(target, wait_until="load")
        return audit(self._page)

    def _serve_copy(self, route: Route) -> None:
        url, html = self._copy
        if route.request.url != url or not route.request.is_navigation_request():
            route.continue_()
            return
        route.fulfill(
            status=200, body=html, content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "script-src 'none'"},
        )

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
        self._context = self._page = None
