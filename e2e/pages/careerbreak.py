"""The career-break service (guide 000): its menu, "Mon dossier", "Attestations", "Compléter une
demande", "Annulation", "Pièces jointes" and "Break@work" (templates/careerbreak/, templates/breakatwork/).

Locators are by role, label and visible text only, in the page's own language (French source texts
through `PortalPage.text`). An intent that leaves the page waits for the next one to load and returns
its page object, with `status` the HTTP status of the page reached. An intent that htmx enhances
(applying the changes of "Pièces jointes", the trash, the estimator of Break@work) waits, with
JavaScript, for htmx's answer and stays on the page; without JavaScript, for the page the form
reloads. Either way the caller then expects what the user sees, and records the step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Self, TypeVar

from playwright.sync_api import Locator, Page, Response

from e2e.pages.ebox import EboxPages
from e2e.pages.identity import IdentityPage, LoggedOutPage

SERVICE_PATH = "/interruption-de-carriere"
# The service's menu as guide 000 names its entries (app/careerbreak/menu.py), in its order.
MENU = ("Mon dossier", "Attestations", "Compléter une demande", "Annulation", "Pièces jointes",
        "Break@work")
TICKET = re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$")  # how a ticket number is shown

Screen = TypeVar("Screen", bound="ServicePage")


class ServicePage(IdentityPage):
    """Any screen of the service: the menu (with "Se déconnecter" in it), the print button, the
    live region."""

    @property
    def menu(self) -> Locator:
        return self.page.get_by_role(
            "navigation", name=self.text("Menu du service Interruption de carrière")
        )

    def menu_link(self, entry: str) -> Locator:
        """A menu entry, by its French name ("Mon dossier")."""
        return self.menu.get_by_role("link", name=self.text(entry), exact=True)

    @property
    def menu_links(self) -> Locator:
        return self.menu.get_by_role("link")

    @property
    def sign_out_button(self) -> Locator:
        """"Se déconnecter", in the service's menu (the header does not repeat it)."""
        return self.menu.get_by_role("button", name=self.text("Se déconnecter"), exact=True)

    @property
    def print_button(self) -> Locator:
        """Guide 000's 🖺: shown only when JavaScript can print."""
        return self.page.get_by_role("banner").get_by_role("button", name=self.text("Imprimer"))

    @property
    def ebox_link(self) -> Locator:
        return self.page.get_by_role("banner").get_by_role("link", name=self.text("e-Box"), exact=True)

    @property
    def live_region(self) -> Locator:
        """The page's live region (#status-message, role status): messages after a change."""
        return self.page.get_by_role("status")

    @property
    def error_summary(self) -> Locator:
        """The error summary (role alert, titled "Il y a un problème")."""
        return self.page.get_by_role("alert").filter(
            has=self.page.get_by_role("heading", name=self.text("Il y a un problème"))
        )

    @property
    def enhanced(self) -> bool:
        """Whether htmx runs on this page (JavaScript on): its forms then swap part of the page."""
        return self.page.evaluate("() => typeof window.htmx !== 'undefined'")

    def ticket_number(self) -> str:
        """The ticket number the page shows (K7F-4TR-9XW)."""
        return self.main.get_by_text(TICKET).inner_text().strip()

    # -- intents ---------------------------------------------------------------------------------

    def open_menu(self, entry: str, screen: type[Screen]) -> Screen:
        """Follows a menu entry; `screen` is the page object of the screen it opens."""
        return screen(self.page, status=self._status_after(self.menu_link(entry).click))

    def sign_out(self) -> LoggedOutPage:
        """"Se déconnecter" in the service's menu."""
        return LoggedOutPage(self.page, status=self._status_after(self.sign_out_button.click))

    def open_ebox(self) -> EboxPages:
        """"e-Box" in the header: the list of the documents sent to the citizen."""
        return EboxPages(self.page, status=self._status_after(self.ebox_link.click))

    def print_page(self) -> bool:
        """Clicks 🖺 with the browser's print dialog replaced by a flag; True once it was asked."""
        self.page.evaluate("() => { window.__printed = false; window.print = () => { window.__printed = true; }; }")
        self.print_button.click()
        return self.page.evaluate("() => window.__printed")

    def _follow(self, locator: Locator, screen: type[Screen]) -> Screen:
        return screen(self.page, status=self._status_after(locator.click))

    def _button(self, name: str) -> Locator:
        return self.main.get_by_role("button", name=self.text(name), exact=True)

    def _link(self, name: str) -> Locator:
        return self.main.get_by_role("link", name=self.text(name), exact=True)

    def _swap_or_reload(self, action: Callable[[], None], path: str) -> int | None:
        """Runs `action` (a click that posts or gets a form); returns the status of htmx's answer
        when JavaScript is on, else of the page the browser lands on."""
        if self.enhanced:
            with self.page.expect_response(
                lambda response: path in response.url and response.request.header_value("HX-Request") == "true"
            ) as answer:
                action()
            response: Response = answer.value
            response.finished()
            return response.status
        return self._status_after(action)


# -- the service's home ---------------------------------------------------------------------------


class ServiceHomePage(ServicePage):
    """`/interruption-de-carriere`, the link « Introduire une demande ou consulter le dossier » opens:
    the service's name and its menu."""

    TITLE = "Interruption de carrière"
    PATH = SERVICE_PATH

    @property
    def at_home(self) -> bool:
        """On the service's home (its address with or without the final slash)."""
        return self.path.rstrip("/") == self.PATH

    @classmethod
    def open(cls, page: Page) -> Self:
        return cls.visit(page, cls.PATH)


# -- Mon dossier ----------------------------------------------------------------------------------


class MyFilePage(ServicePage):
    """"Mon dossier": one section per request, named by its kind and employer, with the request's
    sentence, its status and its history."""

    TITLE = "Mon dossier"

    def request_card(self, sentence: str) -> Locator:
        """The section of the request that the sentence describes."""
        return self.main.get_by_role("region").filter(has_text=sentence)

    def state_of(self, sentence: str, state: str) -> Locator:
        """The status line of that request, when it says `state` (French source text)."""
        return self.request_card(sentence).get_by_text(
            re.compile(rf"{re.escape(self.text('Statut'))}\s*:\s*{re.escape(self.text(state))}")
        )


# -- Attestations ---------------------------------------------------------------------------------


class AttestationsPage(ServicePage):
    """"Attestations": the documents of which a copy can be sent to the e-Box."""

    TITLE = "Attestations"
    BALANCE = "Attestation Break@work : périodes prises et solde"

    def document(self, label: str) -> Locator:
        return self.main.get_by_role("radio", name=self.text(label))

    def ask_for(self, label: str) -> AttestationSentPage:
        """Chooses the document and clicks « Suivant »: the confirmation."""
        self.document(label).check()
        return self._follow(self._button("Suivant"), AttestationSentPage)


class AttestationSentPage(ServicePage):
    """The confirmation: "L'attestation sera envoyée dans votre e-Box."."""

    TITLE = "Confirmation"
    SENT_TO_EBOX = "L'attestation sera envoyée dans votre e-Box."

    def document_title(self) -> str:
        """The title of the document sent, as the confirmation quotes it (« ... »)."""
        sentence = self.text("Votre demande de document est confirmée : « %(title)s ».")
        before, after = sentence.split("%(title)s")
        pattern = re.compile(re.escape(before) + "(.+)" + re.escape(after))
        text = self.main.get_by_text(pattern).inner_text()
        return pattern.search(text).group(1)


# -- Compléter une demande -------------------------------------------------------------------------


class CompletionChoicePage(ServicePage):
    """"Compléter une demande", screen 1: the requests waiting for the worker's part."""

    TITLE = "Compléter une demande"

    def request(self, sentence: str) -> Locator:
        """The radio of a request, by its sentence (part of its label)."""
        return self.main.get_by_role("radio", name=sentence)

    def complete(self, sentence: str) -> WorkerPartPage:
        """Selects the request and clicks « Suivant »."""
        self.request(sentence).check()
        return self._follow(self._button("Suivant"), WorkerPartPage)


class WorkerPartPage(ServicePage):
    """Screen 2, "Complétez les informations demandées": the worker's part of the request."""

    TITLE = "Complétez les informations demandées"

    def household(self, label: str) -> Locator:
        return self.main.get_by_role("group", name=self.text("Quelle est votre situation familiale ?")) \
            .get_by_role("radio", name=self.text(label))

    @property
    def patient_name(self) -> Locator:
        return self.main.get_by_label(self.text("Nom et prénom du patient"), exact=True)

    def patient_birth_date(self, part: str) -> Locator:
        """"Jour", "Mois" or "Année" of the patient's birth date."""
        group = self.main.get_by_role("group", name=self.text("Date de naissance du patient"))
        return group.get_by_label(self.text(part), exact=True)

    def other_activities(self, answer: str) -> Locator:
        group = self.main.get_by_role("group", name=self.text(
            "Exercerez-vous une autre activité ou aurez-vous d'autres revenus pendant l'interruption ?"))
        return group.get_by_role("radio", name=self.text(answer), exact=True)

    @property
    def domicile_country(self) -> Locator:
        return self.main.get_by_label(self.text("Pays de votre domicile"), exact=True)

    @property
    def iban(self) -> Locator:
        return self.main.get_by_label(self.text("Numéro de compte (IBAN)"), exact=True)

    def fill_for_a_patient(self, *, household: str, patient: str, born: tuple[str, str, str],
                           other_activities: str, iban: str) -> Self:
        self.household(household).check()
        self.patient_name.fill(patient)
        for part, value in zip(("Jour", "Mois", "Année"), born, strict=True):
            self.patient_birth_date(part).fill(value)
        self.other_activities(other_activities).check()
        self.iban.fill(iban)
        return self

    def next(self) -> VerificationPage:
        """« Suivant »: the check of every answer."""
        return self._follow(self._button("Suivant"), VerificationPage)


class VerificationPage(ServicePage):
    """Screen 3: every answer, « Précédent » and « Confirmer »."""

    TITLE = "Vérifier que les informations sont correctes"

    def answers(self) -> dict[str, str]:
        """The summary list as {term: value}; each row has a "Modifier" link as its second definition."""
        terms = [text.strip() for text in self.main.get_by_role("term").all_inner_texts()]
        definitions = [text.strip() for text in self.main.get_by_role("definition").all_inner_texts()]
        assert len(definitions) == 2 * len(terms), (terms, definitions)
        return dict(zip(terms, definitions[::2], strict=True))

    def previous(self) -> WorkerPartPage:
        return self._follow(self._link("Précédent"), WorkerPartPage)

    def confirm(self) -> CompletionTicketPage:
        return self._follow(self._button("Confirmer"), CompletionTicketPage)


class CompletionTicketPage(ServicePage):
    """Screen 4, "Demande confirmée": the ticket number, then « Charger des documents »."""

    TITLE = "Demande confirmée"

    def upload_documents(self) -> AttachmentsPage:
        return self._follow(self._link("Charger des documents"), AttachmentsPage)


# -- Annulation ----------------------------------------------------------------------------------


class CancellationChoicePage(ServicePage):
    """"Annuler une demande", screen 1: the requests that can still be cancelled."""

    TITLE = "Annuler une demande"

    def request(self, sentence: str) -> Locator:
        return self.main.get_by_role("radio", name=sentence)

    def choose(self, sentence: str) -> CancellationSummaryPage:
        """Selects the request and clicks « Suivant »."""
        self.request(sentence).check()
        return self._follow(self._button("Suivant"), CancellationSummaryPage)


class CancellationSummaryPage(ServicePage):
    """Screen 2: the chosen request; « Précédent » to choose another, « Suivant » to cancel it."""

    def previous(self) -> CancellationChoicePage:
        return self._follow(self._link("Précédent"), CancellationChoicePage)

    def next(self) -> CancellationConfirmPage:
        return self._follow(self._link("Suivant"), CancellationConfirmPage)


class CancellationConfirmPage(ServicePage):
    """Screen 3: the box that confirms the cancellation, the box that asks for an e-mail, « Confirmer »."""

    TITLE = "Confirmer l'annulation"

    @property
    def confirmation_box(self) -> Locator:
        return self.main.get_by_role("checkbox", name=self.text("Je confirme l'annulation de cette demande"))

    @property
    def email_box(self) -> Locator:
        words = self.text("Je souhaite recevoir un e-mail de confirmation à l'adresse %(address)s")
        return self.main.get_by_role("checkbox", name=words.split("%(address)s")[0].strip())

    def confirm(self, *, email: bool) -> CancellationTicketPage:
        self.confirmation_box.check()
        if email:
            self.email_box.check()
        return self._follow(self._button("Confirmer"), CancellationTicketPage)


class CancellationTicketPage(ServicePage):
    """Screen 4, "Annulation confirmée": the unique ticket code."""

    TITLE = "Annulation confirmée"


# -- Pièces jointes ------------------------------------------------------------------------------


class AttachmentsChoicePage(ServicePage):
    """"Pièces jointes", screen 1: the requests that wait for a mandatory document."""

    TITLE = "Pièces jointes"

    def request(self, sentence: str) -> Locator:
        return self.main.get_by_role("radio", name=sentence)

    def choose(self, sentence: str) -> AttachmentsPage:
        self.request(sentence).check()
        return self._follow(self._button("Suivant"), AttachmentsPage)


class AttachmentsPage(ServicePage):
    """The documents of one request: each type with its status and files (trash, undo arrow), the
    type and the file to add, « Appliquer les changements »."""

    TITLE = "Pièces jointes"
    NOT_RECEIVED = "Pièce jointe non reçue"
    RECEIVED = "Pièce jointe reçue"
    DONE = "Changements effectués."

    def row(self, document: str) -> Locator:
        """The list item of a document type, by its French name ("Attestation médicale")."""
        return self.main.get_by_role("listitem").filter(
            has=self.page.get_by_role("heading", level=3, name=self.text(document))
        )

    def row_status(self, document: str, status: str) -> Locator:
        return self.row(document).get_by_text(self.text(status), exact=True)

    def trash(self, document: str, filename: str) -> Locator:
        return self.row(document).get_by_role("button", name=self.text("Supprimer %(document)s (%(file)s)")
                                             % {"document": self.text(document), "file": filename})

    def undo_arrow(self, document: str, filename: str) -> Locator:
        return self.row(document).get_by_role(
            "button", name=self.text("Annuler la suppression de %(document)s (%(file)s)")
            % {"document": self.text(document), "file": filename})

    @property
    def document_type(self) -> Locator:
        return self.main.get_by_label(self.text("Type de document"), exact=True)

    @property
    def file_field(self) -> Locator:
        return self.main.get_by_label(self.text("Choisir un fichier"), exact=True)

    # -- intents ---------------------------------------------------------------------------------

    def choose_file(self, document: str, file: Path) -> Self:
        """Chooses the type of document, then the file."""
        self.document_type.select_option(label=self.text(document))
        self.file_field.set_input_files(file)
        return self

    def apply_changes(self) -> Self:
        """« Appliquer les changements » (with the file chosen, if any)."""
        self.status = self._swap_or_reload(self._button("Appliquer les changements").click,
                                           "/appliquer")
        return self

    def remove(self, document: str, filename: str) -> Self:
        """The trash of a file: it becomes an arrow until the changes are applied."""
        self.status = self._swap_or_reload(self.trash(document, filename).click, "/retirer")
        return self


# -- Break@work ----------------------------------------------------------------------------------


class BreakAtWorkPage(ServicePage):
    """"Break@work": the periods taken and left, and the estimator of the allowance."""

    TITLE = "Break@work"
    ESTIMATE = "Votre allocation mensuelle indicative"

    @property
    def my_periods(self) -> Locator:
        return self.main.get_by_role("region", name=self.text("Mes périodes"))

    def leave_kind(self, kind: str) -> Locator:
        """The balances of one kind of leave (a section of "Mes périodes"), by its French name."""
        return self.my_periods.get_by_role("region", name=self.text(kind), exact=True)

    @property
    def estimator(self) -> Locator:
        return self.main.get_by_role("region", name=self.text("Estimer mon allocation"))

    @property
    def result(self) -> Locator:
        """What the estimator found, under its heading ("Votre allocation mensuelle indicative")."""
        return self.estimator.get_by_role("heading", level=3)

    def figures(self) -> dict[str, str]:
        """The estimate's lists as {term: value}: the amounts, then the inputs of the working (each
        term has one definition)."""
        terms = [text.strip() for text in self.estimator.get_by_role("term").all_inner_texts()]
        values = [text.strip() for text in self.estimator.get_by_role("definition").all_inner_texts()]
        assert len(terms) == len(values), (terms, values)
        return dict(zip(terms, values, strict=True))

    def answer(self, question: str, choice: str) -> Locator:
        group = self.estimator.get_by_role("group", name=self.text(question))
        return group.get_by_role("radio", name=self.text(choice), exact=True)

    def choose(self, question: str, choice: str) -> int | None:
        """Checks an answer. With JavaScript the estimate is asked again at once (htmx swaps the
        result): returns the status of that answer; without, nothing happens until « Estimer »."""
        radio = self.answer(question, choice)
        if self.enhanced:
            return self._swap_or_reload(radio.check, "/breakatwork")
        radio.check()
        return None

    def estimate(self) -> Self:
        """« Estimer mon allocation » (without JavaScript: the page reloads with the result)."""
        self.status = self._status_after(self._button("Estimer mon allocation").click)
        return self
