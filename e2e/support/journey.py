"""The journey recorder: what is checked and kept at every step of every journey.

`journey.step(page, "name")` is called on every page a journey visits and after every htmx swap.
It saves a screenshot, then fails the journey on:

- an uncaught script error or a Content-Security-Policy refusal since the previous step;
- any axe-core violation of WCAG 2.2 AA (budget A1), with JavaScript on or off;
- horizontal scrolling at 320 CSS px (budget A6, reflow).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page

from e2e.support.axe import NoScriptAuditor, Violation, audit, report

REFLOW_WIDTH = 320  # CSS px, WCAG 1.4.10

# The page as axe sees it, without what changes at every load of the same page: the CSRF token
# (hidden inputs, hx-headers) and the time left in the session.
_MARKUP_WITHOUT_PER_REQUEST_VALUES = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('input[type=hidden]').forEach((e) => e.removeAttribute('value'));
    copy.querySelectorAll('[hx-headers]').forEach((e) => e.removeAttribute('hx-headers'));
    copy.querySelectorAll('[data-session-seconds-left]')
        .forEach((e) => e.removeAttribute('data-session-seconds-left'));
    return copy.outerHTML;
}"""

# Pages axe found clean in this run of pytest, by (JavaScript on, viewport, markup): the same
# markup with the same CSS gives the same results, so it is audited once.
_CLEAN: set[str] = set()
# Pages that did not scroll sideways at 320 px in this run, by the same key: the same markup with
# the same CSS at the same width lays out the same, so it is measured once.
_NO_SIDEWAYS_SCROLL: set[str] = set()


class Journey:
    def __init__(
        self, folder: Path, *, javascript: bool, no_script_auditor: NoScriptAuditor
    ) -> None:
        self.folder = folder
        self.javascript = javascript
        self._no_script_auditor = no_script_auditor
        self._count = 0
        self._problems: list[str] = []

    # -- what happens on a page between steps ----------------------------------------------------

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self._problems.append(f"script error: {error}"))
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._problems.append(f"CSP: {message.text}")

    # -- the step --------------------------------------------------------------------------------

    def step(self, page: Page, name: str) -> Path:
        """Screenshot, then script errors, axe and reflow at 320 px. Returns the screenshot.

        Call it once the page shows what the step is about (after an htmx swap: once an
        `expect(...)` has seen the swapped content).
        """
        page.wait_for_load_state("load")
        problems, self._problems = self._problems, []
        self._count += 1
        stem = f"{self._count:02d}-{_slug(name)}"
        screenshot = self.folder / f"{stem}.png"
        # caret="initial": hiding the caret would leave style="" on inputs, which an htmx swap
        # copies to the new element and the CSP (style-src 'self') refuses.
        page.screenshot(path=screenshot, full_page=True, caret="initial")
        where = f"step {stem} ({page.url}, JavaScript {'on' if self.javascript else 'off'})"
        assert not problems, f"{where}:\n" + "\n".join(problems)

        fingerprint = self._fingerprint(page)
        violations = [] if fingerprint in _CLEAN else self.audit(page)
        assert not violations, (
            f"{where}: {len(violations)} axe violation(s) of WCAG 2.2 AA:\n{report(violations)}"
        )

        _CLEAN.add(fingerprint)

        measured = fingerprint not in _NO_SIDEWAYS_SCROLL
        overflow = self._horizontal_overflow(page, stem) if measured else ""
        assert not overflow, f"{where}: horizontal scrolling at {REFLOW_WIDTH} px: {overflow}"
        _NO_SIDEWAYS_SCROLL.add(fingerprint)
        return screenshot

    def _fingerprint(self, page: Page) -> str:
        markup = page.evaluate(_MARKUP_WITHOUT_PER_REQUEST_VALUES)
        key = f"{self.javascript}|{page.viewport_size}|{markup}"
        return hashlib.sha256(key.encode()).hexdigest()

    def audit(self, page: Page) -> list[Violation]:
        """axe on the page as it is now (a copy of it when JavaScript is off)."""
        return audit(page) if self.javascript else self._no_script_auditor.audit(page)

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
            page.screenshot(path=self.folder / f"{stem}-{REFLOW_WIDTH}px.png", full_page=True, caret="initial")
            return (
                f"scrollWidth {scroll_width} > clientWidth {client_width}; wider elements:\n"
                + "\n".join(f"  {culprit}" for culprit in culprits)
            )
        finally:
            page.set_viewport_size(original)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"
