"""The journey recorder: what is checked and kept at every step of every journey.

`journey.step(page, "name")` is called on every page a journey visits and after every htmx swap.
It saves a screenshot, then fails the journey on:

- any axe-core violation of WCAG 2.2 AA (budget A1);
- horizontal scrolling at 320 CSS px (budget A6, reflow);
- an uncaught script error or a Content-Security-Policy refusal since the previous step.

axe-core needs JavaScript. With JavaScript off, the page cannot run it (Chromium then fires no
timers), so the recorder audits a copy: the page's DOM served at the same URL, with the same CSS
and viewport, in a page where the app's own scripts are forbidden (`script-src 'none'`) and only
axe runs. What axe sees is exactly what the no-JavaScript user got.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Route

from e2e.support.axe import audit, report

REFLOW_WIDTH = 320  # CSS px, WCAG 1.4.10


class Journey:
    def __init__(self, folder: Path, *, javascript: bool, browser: Browser) -> None:
        self.folder = folder
        self.javascript = javascript
        self._browser = browser
        self._audit_context: BrowserContext | None = None
        self._audit_page: Page | None = None
        self._copy: tuple[str, str] = ("", "")  # the URL and the HTML the audit page serves
        self._count = 0
        self._problems: list[str] = []

    # -- what happens on the page between steps -------------------------------------------------

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self._problems.append(f"script error: {error}"))
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._problems.append(f"CSP: {message.text}")

    # -- the step --------------------------------------------------------------------------------

    def step(self, page: Page, name: str) -> Path:
        """Screenshot, then axe, reflow at 320 px and script errors. Returns the screenshot."""
        page.wait_for_load_state("load")
        self._count += 1
        stem = f"{self._count:02d}-{_slug(name)}"
        screenshot = self.folder / f"{stem}.png"
        page.screenshot(path=screenshot, full_page=True)
        where = f"step {stem} ({page.url}, JavaScript {'on' if self.javascript else 'off'})"

        violations = audit(page) if self.javascript else self._audit_copy(page)
        assert not violations, (
            f"{where}: {len(violations)} axe violation(s) of WCAG 2.2 AA:\n{report(violations)}"
        )

        overflow = self._horizontal_overflow(page, stem)
        assert not overflow, f"{where}: horizontal scrolling at {REFLOW_WIDTH} px:\n{overflow}"

        problems, self._problems = self._problems, []
        assert not problems, f"{where}: " + "\n".join(problems)
        return screenshot

    # -- axe on a JavaScript-free page -----------------------------------------------------------

    def _audit_copy(self, page: Page) -> list:
        html = page.content()
        target, _ = urldefrag(page.url)  # without the fragment, so that the copy is reloaded
        if self._audit_page is None:
            self._audit_context = self._browser.new_context(java_script_enabled=True)
            self._audit_page = self._audit_context.new_page()
            self._audit_page.route(lambda url: url == self._copy[0], self._serve_copy)
        self._copy = (target, html)
        self._audit_page.set_viewport_size(page.viewport_size)
        self._audit_page.goto(target, wait_until="load")
        return audit(self._audit_page)

    def _serve_copy(self, route: Route) -> None:
        url, html = self._copy
        if route.request.url != url or not route.request.is_navigation_request():
            route.continue_()
            return
        route.fulfill(
            status=200, body=html, content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "script-src 'none'"},
        )

    # -- reflow ----------------------------------------------------------------------------------

    def _horizontal_overflow(self, page: Page, stem: str) -> str:
        """'' when nothing scrolls sideways at 320 px; else what sticks out (and a screenshot)."""
        original = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": original["height"]})
        try:
            scroll_width, client_width = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll_width <= client_width:
                return ""
            culprits = page.evaluate(
                """(width) => Array.from(document.body.querySelectorAll('*'))
                     .filter((element) => element.getBoundingClientRect().right > width + 0.5)
                     .slice(0, 8)
                     .map((element) => element.outerHTML.slice(0, 160))""",
                client_width,
            )
            page.screenshot(path=self.folder / f"{stem}-{REFLOW_WIDTH}px.png", full_page=True)
            return (
                f"scrollWidth {scroll_width} > clientWidth {client_width}; wider elements:\n"
                + "\n".join(f"  {culprit}" for culprit in culprits)
            )
        finally:
            page.set_viewport_size(original)

    def close(self) -> None:
        if self._audit_context is not None:
            try:
                self._audit_context.close()
            except Error:
                pass
            self._audit_context = None
            self._audit_page = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"
