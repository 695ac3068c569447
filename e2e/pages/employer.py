"""The employer's service « Dossier interruption de carrière et crédit-temps » (guide 001,
templates/employer/): « Introduire une demande » (« Continuer », then steps 3 to 7), the
« Consultation » of the enterprise's requests and the enterprise's e-Box.

Locators are by role, label and visible text only, in the page's own language (French source texts
through `PortalPage.text`). An intent that leaves the page waits for the next one to load and returns
its page object, with `status` the HTTP status of the page reached. The one control htmx enhances (the
search of the joint committees, step 4) waits, with JavaScript, for htmx's answer and stays on the
page; without JavaScript, for the page that « Rechercher » reloads.
"""

from __future__ import annotations

import re
from typing import Self

from playwright.sync_api import APIResponse, Locator, Page

from e2e.pages.identity import IdentityPage

SERVICE_PATH = "/entreprise/interruption-de-carriere"
TICKET = re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$")  # how a ticket number is shown
DATE_PARTS = ("Jour", "Mois", "Année")


def summary_of(scope: Locator) -> dict[str, str]:
    """A summary list as {term: value}; each row has a second definition (« Modifier » or empty)."""
    terms = [text.strip() for text in scope.get_by_role("term").all_inner_texts()]
    definitions = [text.strip() for text in scope.get_by_role("definition").all_inner_texts()]
    assert len(definitions) == 2 * len(terms), (terms, definitions)
    return dict(zip(terms, definitions[::2], strict=True))


class EmployerPage(IdentityPage):
    """Any screen of the service: its menu (« Se déconnecter » in it), the enterprise in the caption."""

    @property
    def menu(self) -> Locator:
        return self.page.get_by_role(
            "navigation", name=self.text("Menu du service Dossier interruption de carrière et crédit-temps")
        )

    def menu_link(self, entry: str) -> Locator:
        """A menu entry, by its French name (« Consultation »)."""
        return self.menu.get_by_role("link", name=self.text(entry), exact=True)

    @property
    def sign_out_button(self) -> Locator:
        return self.menu.get_by_role("button", name=self.text("Se déconnecter"), exact=True)

    def acting_for(self, enterprise: str) -> Locator:
        """The caption that names the enterprise the officer acts for."""
        return self.main.get_by_text(
            f"{self.text('Dossier interruption de carrière et crédit-temps')} – {enterprise}", exact=True
        )

    def summary(self) -> dict[str, str]:
        return summary_of(self.main)

    def ticket_number(self) -> str:
        """The ticket number the page shows (K7F-4TR-9XW)."""
        return self.main.get_by_text(TICKET).inner_text().strip()

    # -- intents ---------------------------------------------------------------------------------

    def open_consultation(self) -> ConsultationPage:
        return ConsultationPage(self.page, status=self._status_after(self.menu_link("Consultation").click))

    def open_ebox(self) -> EnterpriseEboxPage:
        return EnterpriseEboxPage(
            self.page, status=self._status_after(self.menu_link("e-Box de l'entreprise").click)
        )

    def _button(self, name: str) -> Locator:
        return self.main.get_by_role("button", name=self.text(name), exact=True)

    def _link(self, name: str) -> Locator:
        return self.main.get_by_role("link", name=self.text(name), exact=True)

    def _download(self, link: Locator) -> APIResponse:
        """What a link to a file answers, fetched with the browser's cookies (the session)."""
        href = link.get_attribute("href")
        assert href, f"{link} has no address"
        return self.page.request.get(href)


# -- guide 001, step 2: identified, « Continuer » ---------------------------------------------------


class StartPage(EmployerPage):
    """`/entreprise/interruption-de-carriere/demande`: whom the officer acts for, « Continuer »."""

    TITLE = "Introduire une demande"
    PATH = f"{SERVICE_PATH}/demande"

    @classmethod
    def open(cls, page: Page) -> Self:
        return cls.visit(page, cls.PATH)

    def continue_(self) -> EnterpriseDataPage:
        return EnterpriseDataPage(self.page, status=self._status_after(self._button("Continuer").click))


# -- step 3: the enterprise's data -------------------------------------------------------------------


class EnterpriseDataPage(EmployerPage):
    TITLE = "Données de l'entreprise"

    def next(self) -> WorkerPage:
        """« Suivant »: the data are correct."""
        return WorkerPage(self.page, status=self._status_after(self._button("Suivant").click))


# -- step 4: the worker, their status, the joint committee ----------------------------------------


class WorkerPage(EmployerPage):
    """« Sélectionner le travailleur »: the NISS typed or picked from the Dimona file, the status, the
    joint committee (a list with its search), « Sélectionner »."""

    TITLE = "Sélectionner le travailleur"
    DIMONA = "Sélectionner le travailleur dans le fichier Dimona"

    @property
    def niss(self) -> Locator:
        return self.main.get_by_label(self.text("Numéro de registre national du travailleur"), exact=True)

    @property
    def dimona_link(self) -> Locator:
        """Shown only to an enterprise of fewer than 100 workers under contract."""
        return self._link(self.DIMONA)

    def status_choice(self, status: str) -> Locator:
        return self.main.get_by_role("group", name=self.text("Statut du travailleur")) \
            .get_by_role("radio", name=self.text(status), exact=True)

    def committee(self, code: str) -> Locator:
        """A joint committee of the list, by its code ("226"): its radio is named "226 – ..."."""
        return self.main.get_by_role("group", name=self.text("Commission paritaire")).get_by_role(
            "radio", name=re.compile(rf"^{re.escape(code)} – "))

    @property
    def committee_search(self) -> Locator:
        return self.main.get_by_label(self.text("Rechercher une commission paritaire"), exact=True)

    @property
    def enhanced(self) -> bool:
        """Whether htmx runs on this page (JavaScript on): the search then swaps the list in place."""
        return self.page.evaluate("() => typeof window.htmx !== 'undefined'")

    # -- intents ---------------------------------------------------------------------------------

    def open_dimona(self) -> DimonaPage:
        return DimonaPage(self.page, status=self._status_after(self.dimona_link.click))

    def search_committees(self, words: str) -> Self:
        """Types words in the search. With JavaScript the list follows as one types (htmx swaps it);
        without, « Rechercher » reloads the page with the list found (and everything typed kept)."""
        if self.enhanced:
            with self.page.expect_response(
                lambda response: "recherche=" in response.url
                and response.request.header_value("HX-Request") == "true"
            ) as answer:
                self.committee_search.fill(words)
            answer.value.finished()
            self.status = answer.value.status
        else:
            self.committee_search.fill(words)
            self.status = self._status_after(self._button("Rechercher").click)
        return self

    def choose(self, *, status: str, committee: str | None = None, niss: str | None = None) -> Self:
        """Types the NISS (if given), chooses the status and the joint committee (if given)."""
        if niss is not None:
            self.niss.fill(niss)
        self.status_choice(status).check()
        if committee is not None:
            self.committee(committee).check()
        return self

    def select(self) -> WorkerFilePage:
        """« Sélectionner »: the worker's file; or this page again, with the error summary (see
        `status`)."""
        return WorkerFilePage(self.page, status=self._status_after(self._button("Sélectionner").click))


class DimonaPage(EmployerPage):
    """« Fichier du personnel (Dimona) »: the workers under contract, one radio each."""

    TITLE = "Fichier du personnel (Dimona)"

    def worker(self, name: str) -> Locator:
        """A worker's radio, by their name (its label: "Marie Dubois – 88.04.12-002.59")."""
        return self.main.get_by_role("group", name=self.text("Travailleur")) \
            .get_by_role("radio", name=re.compile(rf"^{re.escape(name)} – "))

    def pick(self, name: str) -> WorkerPage:
        """Chooses the worker and « Sélectionner »: back to step 4, their NISS filled in."""
        self.worker(name).check()
        return WorkerPage(self.page, status=self._status_after(self._button("Sélectionner").click))


# -- step 5: « Nouvelle demande » on the left, then the type of interruption ------------------------


class WorkerFilePage(EmployerPage):
    """« Dossier du travailleur »: the worker chosen, and on the left « Nouvelle demande »."""

    TITLE = "Dossier du travailleur"

    @property
    def file_menu(self) -> Locator:
        return self.page.get_by_role("navigation", name=self.text("Dossier du travailleur"))

    def new_request(self) -> KindPage:
        link = self.file_menu.get_by_role("link", name=self.text("Nouvelle demande"), exact=True)
        return KindPage(self.page, status=self._status_after(link.click))


class KindPage(EmployerPage):
    TITLE = "Nouvelle demande"

    def choose(self, kind: str) -> LeavePage:
        """The type of interruption (French source text), then « Suivant »."""
        self.main.get_by_role("group", name=self.text("Type d'interruption de prestations")) \
            .get_by_role("radio", name=self.text(kind), exact=True).check()
        return LeavePage(self.page, status=self._status_after(self._button("Suivant").click))


# -- step 6: the leave ---------------------------------------------------------------------------


class LeavePage(EmployerPage):
    """« Données du congé »: the form, the dates, the work regime, the written notice."""

    TITLE = "Données du congé"

    def _radio(self, group: str, label: str) -> Locator:
        return self.main.get_by_role("group", name=self.text(group)) \
            .get_by_role("radio", name=self.text(label), exact=True)

    def date_part(self, field: str, part: str) -> Locator:
        """"Jour", "Mois" or "Année" of a date (by the date's French label)."""
        return self.main.get_by_role("group", name=self.text(field)) \
            .get_by_label(self.text(part), exact=True)

    def _fill_date(self, field: str, day) -> None:
        for part, value in zip(DATE_PARTS, (day.day, day.month, day.year), strict=True):
            self.date_part(field, part).fill(str(value))

    def fill(self, *, form: str, start, end, regime: str, notice) -> Self:
        self._radio("Forme de l'interruption", form).check()
        self._fill_date("Date de début", start)
        self._fill_date("Date de fin", end)
        self._radio("Régime de travail du travailleur", regime).check()
        self._fill_date("Date de l'avertissement écrit", notice)
        return self

    def next(self) -> ConfirmationPage:
        return ConfirmationPage(self.page, status=self._status_after(self._button("Suivant").click))


# -- step 7: the confirmation and the ticket --------------------------------------------------------


class ConfirmationPage(EmployerPage):
    """« Confirmation de la demande »: the request summarised, the box that certifies it, « Confirmer »."""

    TITLE = "Confirmation de la demande"

    @property
    def certification(self) -> Locator:
        return self.main.get_by_role(
            "checkbox", name=self.text("Je certifie que les données introduites sont exactes.")
        )

    def confirm(self) -> SentPage:
        self.certification.check()
        return SentPage(self.page, status=self._status_after(self._button("Confirmer").click))


class SentPage(EmployerPage):
    """« Demande envoyée »: the ticket number; the worker must now complete their part."""

    TITLE = "Demande envoyée"


# -- Consultation ------------------------------------------------------------------------------------


class ConsultationPage(EmployerPage):
    """« Consultation »: the search (on the worker, on the characteristics) and the requests found."""

    TITLE = "Consultation"

    @property
    def search_form(self) -> Locator:
        return self.page.get_by_role("search", name=self.text("Rechercher des demandes"))

    @property
    def results(self) -> Locator:
        return self.main.get_by_role("region", name=self.text("Résultat : demandes"))

    def request_row(self, sentence: str) -> Locator:
        """The row of the request that the sentence describes."""
        return self.results.get_by_role("row").filter(has_text=sentence)

    def state_of(self, sentence: str, state: str) -> Locator:
        """The state's cell of that row, when it says `state` (French source text)."""
        return self.request_row(sentence).get_by_role("cell", name=self.text(state), exact=True)

    def search(self, *, worker: str = "", state: str | None = None) -> Self:
        """Searches on the worker (name or NISS) and a state (French source text), « Rechercher »."""
        self.search_form.get_by_label(self.text("Nom ou numéro de registre national"), exact=True).fill(worker)
        if state is not None:
            self.search_form.get_by_label(self.text("Statut"), exact=True).select_option(label=self.text(state))
        self.status = self._status_after(self.search_form.get_by_role(
            "button", name=self.text("Rechercher"), exact=True).click)
        return self

    def form_pdf(self, sentence: str) -> APIResponse:
        """The request's form, by the row's PDF link."""
        return self._download(self.request_row(sentence).get_by_role("link", name=re.compile(
            "^" + re.escape(self.text("PDF")) + r"\b")))

    def open_request(self, sentence: str, worker: str) -> RequestPage:
        """The worker's name, in the request's row, opens the request."""
        link = self.request_row(sentence).get_by_role("link", name=worker, exact=True)
        return RequestPage(self.page, status=self._status_after(link.click))


class RequestPage(EmployerPage):
    """« Demande de <worker> »: the request's data, its form in PDF, its history."""

    TITLE = "Demande de %(name)s"

    @property
    def history(self) -> Locator:
        """The events of the request, oldest first (list items)."""
        return self.main.get_by_role("list", name=self.text("Historique de la demande")).get_by_role("listitem")

    def form_pdf(self) -> APIResponse:
        return self._download(self._link("Télécharger le formulaire de la demande (PDF)"))


# -- the enterprise's e-Box ------------------------------------------------------------------------


class EnterpriseEboxPage(EmployerPage):
    """« e-Box de l'entreprise »: the documents sent to the enterprise, unread first, then the newest."""

    TITLE = "e-Box de l'entreprise"
    UNREAD = "Non lu"

    def unread(self, title: str) -> Locator:
        """The unread documents titled `title` (their heading), newest first."""
        return self.main.get_by_role("listitem").filter(
            has=self.page.get_by_role("heading", level=2, name=title, exact=True)
        ).filter(has=self.page.get_by_text(self.text(self.UNREAD), exact=True))

    def open_document(self, item: Locator, title: str) -> EnterpriseEboxPage:
        """Follows the title's link of a document of the list: its HTML page."""
        link = item.get_by_role("heading", level=2, name=title).get_by_role("link")
        return EnterpriseEboxPage(self.page, status=self._status_after(link.click))

    @property
    def document(self) -> Locator:
        """The document itself (an article named by its title)."""
        return self.main.get_by_role("article")

    def download_pdf(self) -> APIResponse:
        return self._download(self._link("Télécharger le PDF"))
