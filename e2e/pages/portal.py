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

    def open_audience(self, title: str) -> CataloguePage:
        """« Citoyen »: the audience's title is the link to its page (guide 000, "Se connecter")."""
        link = self.audience(title).get_by_role("link", name=self.text(title), exact=True)
        return CataloguePage(self.page)._follow(link)


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


# -- the way in to a service (guide 000, "Se connecter") ----------------------------------------


class CataloguePage(PortalPage):
    """The pages between the home page and a service: an audience ("Citoyen"), a theme, a topic
    (templates/portal/{audience,theme,topic}.html); each link waits for the page it opens."""

    def _follow(self, link: Locator) -> CataloguePage:
        with self.page.expect_navigation(wait_until="load") as navigation:
            link.click()
        return CataloguePage(self.page, navigation.value)

    def follow(self, title: str) -> CataloguePage:
        """The link of the main content named `title` (French source text), to the page it opens
        (the last one, a service's link, may first ask for an identification)."""
        return self._follow(self.main.get_by_role("link", name=self.text(title), exact=True))

    @property
    def sections(self) -> Locator:
        """The sections of the page (a theme's topics), in the page's order."""
        return self.main.get_by_role("region")

