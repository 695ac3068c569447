"""« Vous quittez la Belgique ? » (guide 002): the four questions and the result
(templates/leaving_belgium/).

Locators are by role, label and visible text only, in the page's own language (French source texts
through `PortalPage.text`; country names as Babel writes them in that language). An intent that leaves
the page waits for the next one and returns its page object, with `status` the HTTP status of the page
reached. On the result page, choosing another status or topic is enhanced by htmx: with JavaScript the
intent waits for htmx's answer and stays on the page; without, it presses « Afficher » and waits for the
page the form reloads.
"""

from __future__ import annotations

from functools import cache
from typing import Self

from babel import Locale
from playwright.sync_api import Locator, Page, Response

from app.web.i18n import BABEL_LOCALES
from e2e.pages.layout import PortalPage

START = "/vous-quittez-la-belgique"
RESULT = f"{START}/resultat"


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(BABEL_LOCALES[language]).territories)


def country(language: str, code: str) -> str:
    """A country's name as the pages write it in `language` (Babel's locale data): "FR" → "France"."""
    return _territories(language)[code.upper()]


class WizardPage(PortalPage):
    """Any page of the service: the live region, whether htmx runs."""

    @property
    def live_region(self) -> Locator:
        return self.page.get_by_role("status")

    @property
    def enhanced(self) -> bool:
        return self.page.evaluate("() => typeof window.htmx !== 'undefined'")

    def _status_after(self, action) -> int | None:
        with self.page.expect_navigation(wait_until="load") as navigation:
            action()
        return navigation.value.status if navigation.value is not None else None


class QuestionPage(WizardPage):
    """One question: a list (nationality, destination) or radios (status, topic), then « Continuer »."""

    NATIONALITY = "Quelle est votre nationalité ?"
    DESTINATION = "Dans quel pays partez-vous ?"
    STATUS = "Quel sera votre statut ?"
    TOPIC = "Sur quel sujet cherchez-vous des informations ?"

    @classmethod
    def open(cls, page: Page) -> Self:
        return cls.visit(page, START)

    @property
    def error_summary(self) -> Locator:
        return self.page.get_by_role("alert")

    def list_field(self, label: str) -> Locator:
        return self.main.get_by_label(self.text(label), exact=True)

    def choice(self, legend: str, answer: str) -> Locator:
        """A radio of a group, by the group's legend (French) and the answer's label (French)."""
        group = self.main.get_by_role("group", name=self.text(legend))
        return group.get_by_role("radio", name=self.text(answer))

    def choose_in_list(self, label: str, name: str) -> Self:
        """Picks `name` (as the page writes it) in the list labelled `label` (French)."""
        self.list_field(label).select_option(label=name)
        return self

    def check(self, legend: str, answer: str) -> Self:
        self.choice(legend, answer).check()
        return self

    def next(self) -> QuestionPage | ResultPage:
        """« Continuer »: the next question, the result, or this question again with its error."""
        status = self._status_after(self.main.get_by_role("button", name=self.text("Continuer")).click)
        if self.page.url.split("?")[0].endswith("/resultat") and status == 200:
            return ResultPage(self.page, status=status)
        return QuestionPage(self.page, status=status)

    def __init__(self, page: Page, response: Response | None = None, *, status: int | None = None) -> None:
        super().__init__(page, response)
        if status is not None:
            self.status = status


class ResultPage(WizardPage):
    """The rights kept: « Vos réponses » with « Modifier », the form to change the status or the topic,
    then the fiches, one section per topic."""

    TITLE = "Vos droits de sécurité sociale belge à l'étranger"

    def __init__(self, page: Page, response: Response | None = None, *, status: int | None = None) -> None:
        super().__init__(page, response)
        if status is not None:
            self.status = status

    @classmethod
    def open(cls, page: Page, query: str) -> Self:
        return cls.visit(page, f"{RESULT}?{query}")

    @property
    def answers_list(self) -> Locator:
        return self.main.get_by_role("region", name=self.text("Vos réponses"))

    def answers(self) -> dict[str, str]:
        """« Vos réponses » as {question: answer} (each term's first definition)."""
        terms = [text.strip() for text in self.answers_list.get_by_role("term").all_inner_texts()]
        values = [text.strip() for text in self.answers_list.get_by_role("definition").all_inner_texts()]
        answers = [value for value in values if not value.startswith(self.text("Modifier"))]
        return dict(zip(terms, answers, strict=True))

    def change(self, answer: str) -> QuestionPage:
        """« Modifier » on one answer of « Vos réponses » (the answer's French name)."""
        link = self.answers_list.get_by_role("link", name=f"{self.text('Modifier')} {self.text(answer)}")
        return QuestionPage(self.page, status=self._status_after(link.click))

    @property
    def fiches(self) -> Locator:
        """The fiches' sections (regions named by their topic, an h3), in the page's order."""
        return self.main.get_by_role("region").filter(has=self.page.get_by_role("heading", level=3))

    def fiche(self, topic: str) -> Locator:
        """The fiche of one topic, by the topic's French name."""
        return self.main.get_by_role("region", name=self.text(topic), exact=True)

    def open_rules(self) -> RulesPage:
        """« Comment ces fiches sont choisies »: the graph of the rules, for content editors."""
        link = self.main.get_by_role("link", name=self.text("Comment ces fiches sont choisies"))
        return RulesPage(self.page, status=self._status_after(link.click))

    def show(self, *, status: str | None = None, topic: str | None = None) -> int | None:
        """Another status or topic (French names) for the same answers. With JavaScript each choice
        updates the fiches in place (the status of htmx's last answer is returned); without, « Afficher »
        reloads the page."""
        form = self.main.get_by_role("form", name=self.text("Un autre statut ou un autre sujet ?"))
        choices = [(self.text("Statut"), status), (self.text("Sujet"), topic)]
        result = None
        for label, value in choices:
            if value is None:
                continue
            field = form.get_by_label(label, exact=True)
            if self.enhanced:
                with self.page.expect_response(lambda response: "/resultat" in response.url
                                               and response.request.header_value("HX-Request") == "true") as answer:
                    field.select_option(label=self.text(value))
                answer.value.finished()
                result = answer.value.status
            else:
                field.select_option(label=self.text(value))
        if not self.enhanced:
            result = self._status_after(form.get_by_role("button", name=self.text("Afficher")).click)
        self.status = result
        return result


class RulesPage(WizardPage):
    """The graph of the rules: its index (how a fiche is chosen, the regimes), and a regime's page (for
    each topic a table: each status, its fiche and why)."""

    TITLE = "Les règles de « Vous quittez la Belgique ? »"

    def __init__(self, page: Page, response: Response | None = None, *, status: int | None = None) -> None:
        super().__init__(page, response)
        if status is not None:
            self.status = status

    def open_regime(self, name: str) -> RulesPage:
        """A regime's page, by its French name (« Conventions bilatérales »)."""
        link = self.main.get_by_role("link", name=self.text(name), exact=True)
        return RulesPage(self.page, status=self._status_after(link.click))

    def topic_tables(self, topic: str) -> Locator:
        """The tables of one topic's section (one per coverage of its branch), by the topic's French name."""
        return self.main.get_by_role("region", name=self.text(topic), exact=True).get_by_role("table")
