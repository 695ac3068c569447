"""The citizen's e-Box (templates/ebox/): the list of documents, unread first, each document as an
HTML page and as its PDF.

Locators are by role, label and visible text only, in the page's own language.
"""

from __future__ import annotations

from playwright.sync_api import APIResponse, Locator

from e2e.pages.identity import IdentityPage


class EboxPages(IdentityPage):
    """`/ebox` ("Mon e-Box") and `/ebox/<document>` (the document's page)."""

    TITLE = "Mon e-Box"
    UNREAD = "Non lu"

    # -- the list ----------------------------------------------------------------------------------

    def documents(self, title: str) -> Locator:
        """The list items of the documents titled `title` (their heading), in the list's order."""
        return self.main.get_by_role("listitem").filter(
            has=self.page.get_by_role("heading", level=2, name=title, exact=True)
        )

    def unread(self, title: str) -> Locator:
        """Those documents that say "Non lu" (the state is written, not only shown in bold)."""
        return self.documents(title).filter(
            has=self.page.get_by_text(self.text(self.UNREAD), exact=True)
        )

    def open_document(self, item: Locator, title: str) -> EboxPages:
        """Follows the title's link of a document of the list: its HTML page."""
        link = item.get_by_role("heading", level=2, name=title).get_by_role("link")
        return EboxPages(self.page, status=self._status_after(link.click))

    # -- one document ------------------------------------------------------------------------------

    @property
    def document(self) -> Locator:
        """The document itself (an article named by its title)."""
        return self.main.get_by_role("article")

    @property
    def pdf_link(self) -> Locator:
        return self.main.get_by_role("link", name=self.text("Télécharger le PDF"), exact=True)

    def download_pdf(self) -> APIResponse:
        """What the PDF link answers, fetched with the browser's cookies (the session)."""
        href = self.pdf_link.get_attribute("href")
        assert href, "the PDF link has no address"
        return self.page.request.get(href)
