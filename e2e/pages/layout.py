"""What every page of the portal has (templates/layouts/base.html): the header with the portal's
name and the language switch, the skip link, `<main>` with its h1, the footer.

Locators are by role, label and visible text only, in the language the page is in: a page object
reads `<html lang>` and asks `e2e.support.words` for the text in that language.
"""

from __future__ import annotations

from typing import Self
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Response

from e2e.support.words import language_code, translate


class PortalPage:
    def __init__(self, page: Page, response: Response | None = None) -> None:
        self.page = page
        self.status = response.status if response is not None else None

    @classmethod
    def visit(cls, page: Page, path: str) -> Self:
        return cls(page, page.goto(path))

    # -- where we are ----------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The page's language as it declares it (`<html lang>`, WCAG 3.1.1)."""
        return self.root.get_attribute("lang") or ""

    @property
    def root(self) -> Locator:
        """`<html>`, for assertions on its `lang`."""
        return self.page.locator("html")

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def text(self, message: str) -> str:
        """A French source text as this page shows it, in its own language."""
        return translate(self.language, message)

    # -- landmarks and what is in them -----------------------------------------------------------

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    @property
    def skip_link(self) -> Locator:
        return self.page.get_by_role("link", name=self.text("Aller au contenu principal"))

    @property
    def language_switch(self) -> Locator:
        return self.page.get_by_role("navigation", name=self.text("Langue"))

    def language_link(self, name: str) -> Locator:
        """The switch's link to a language, by the language's own name ("Nederlands")."""
        return self.language_switch.get_by_role("link", name=name)

    def languages_offered(self) -> Locator:
        """The switch's links: every language but the current one."""
        return self.language_switch.get_by_role("link")

    # -- intents ---------------------------------------------------------------------------------

    def switch_language(self, name: str) -> Self:
        """Choose a language by its own name in the switch; the portal comes back to this page."""
        language_code(name)  # fails early on a name the switch does not offer
        with self.page.expect_navigation(wait_until="load") as navigation:
            self.language_link(name).click()
        self.status = navigation.value.status if navigation.value is not None else None
        return self
