"""The portal's own pages: the home page and the error pages."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator, Page

from e2e.pages.layout import PortalPage


class HomePage(PortalPage):
    """`/`: the welcome and the three audiences (templates/portal/home.html)."""

    WELCOME = "Bienvenue sur le portail de la sécurité sociale"
    AUDIENCES = ("Citoyen", "Entreprise", "Fonctionnaires et autres professionnels")

    @classmethod
    def open(cls, page: Page) -> Self:
        return cls.visit(page, "/")

    def audience(self, title: str) -> Locator:
        """The section of one audience, by its French title ("Citoyen")."""
        return self.page.get_by_role("region", name=self.text(title))


class ErrorPage(PortalPage):
    """Any error page (templates/errors/error.html), in the user's language."""

    NOT_FOUND = "Page introuvable"

    @classmethod
    def open(cls, page: Page, path: str) -> Self:
        return cls.visit(page, path)

    def back_to_home(self) -> HomePage:
        with self.page.expect_navigation(wait_until="load") as navigation:
            self.main.get_by_role("link", name=self.text("Retour à l'accueil")).click()
        return HomePage(self.page, navigation.value)
