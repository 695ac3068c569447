"""Guide 000, « Career Break », replayed screen by screen in French and in the guide's order (issue 4):
Se connecter, Naviguer, Consulter mon dossier, Demander une attestation (to the e-Box and its PDF),
Compléter une demande (with « Charger des documents »), Annuler une demande, Pièces jointes (upload,
trash, undo arrow, « Appliquer les changements »), Break@work, Se déconnecter; then the service's
menu and "Mon dossier" in Dutch and German. Each journey runs with JavaScript on and off (A2).

Every `journey.step` (after every page and every htmx swap) also runs axe (WCAG 2.2 AA, A1), checks
reflow at 320 px (A6) and that no script or Content-Security-Policy error happened.

The two runs share the live server and its database: each run files its own requests for Marie
Dubois, with periods of its own, and finds them on the screens by their sentence.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

from app.rules.tickets import is_ticket_number
from e2e.pages.careerbreak import (
    MENU,
    AttachmentsChoicePage,
    AttachmentsPage,
    AttestationsPage,
    BreakAtWorkPage,
    CancellationChoicePage,
    CancellationTicketPage,
    CompletionChoicePage,
    MyFilePage,
    ServiceHomePage,
    ServicePage,
    WorkerPartPage,
)
from e2e.pages.identity import MOBILE_APP, TOKEN, IdentificationPage, LoggedOutPage
from e2e.pages.portal import HomePage
from e2e.support.journey import Journey
from e2e.support.live_server import LiveServer
from e2e.support.words import translate

# The login, as test_identification_journey does it (its authenticator app is shared, so that two
# logins of Marie within one 30-s step never type the same code).
from e2e.test_identification_journey import IDENTITIES, sign_in

MARIE = IDENTITIES["marie.dubois"]
PATIENT = "Paul Dubois"
IBAN = "BE71 0961 2345 6769"
WAITING = "En attente de la partie du travailleur"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def sentence(self) -> str:
        """Guide 000's sentence for a complete medical-assistance leave over this period."""
        return ("La demande concerne un congé pour assistance médicale, interruption complète des "
                f"prestations, du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}.")


# One month each (the minimum of a complete medical-assistance leave); one set per run.
PERIODS = {
    True: (Period(datetime.date(2027, 1, 4), datetime.date(2027, 2, 3)),
           Period(datetime.date(2027, 5, 3), datetime.date(2027, 6, 2))),
    False: (Period(datetime.date(2027, 3, 1), datetime.date(2027, 3, 31)),
            Period(datetime.date(2027, 7, 5), datetime.date(2027, 8, 4))),
}


def file_requests(live_server: LiveServer, javascript: bool) -> tuple[Period, Period]:
    """Two requests waiting for Marie's part, as her employer filed them: one she completes and
    documents, one she cancels."""
    periods = PERIODS[javascript]
    for period in periods:
        live_server.seed_request(MARIE.person.username, "assistance-medicale", "complete",
                                 period.start.isoformat(), period.end.isoformat())
    return periods


def a_pdf(folder: Path, name: str) -> Path:
    """A small valid PDF, as a scanner would give it."""
    path = folder / name
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def expect_title(screen: ServicePage, french: str) -> None:
    assert screen.status == 200, f"{screen.status} at {screen.page.url}"
    expect(screen.heading).to_have_text(screen.text(french))


def expect_ticket(screen: ServicePage) -> str:
    ticket = screen.ticket_number()
    assert is_ticket_number(ticket), f"{ticket!r} is not a ticket number"
    return ticket


# -- the chapters of guide 000, in its order ----------------------------------------------------


def se_connecter(page: Page, journey: Journey) -> ServiceHomePage:
    """Citoyen → the theme → « Interruption de carrière » at the bottom of its page → « Introduire
    une demande ou consulter le dossier » → the choice of the key → the service."""
    home = HomePage.open(page)
    assert home.status == 200
    journey.step(page, "accueil")
    citizen = home.open_audience("Citoyen")
    expect(citizen.heading).to_have_text(citizen.text("Citoyen"))
    journey.step(page, "citoyen")
    theme = citizen.follow("Congés, crédit-temps et interruption de carrière")
    expect(theme.heading).to_have_text(theme.text("Congés, crédit-temps et interruption de carrière"))
    expect(theme.sections.last.get_by_role("heading")).to_have_text(theme.text("Interruption de carrière"))
    journey.step(page, "conges-credit-temps")
    topic = theme.follow("Interruption de carrière")
    expect(topic.heading).to_have_text(topic.text("Interruption de carrière"))
    journey.step(page, "interruption-de-carriere")
    topic.follow("Introduire une demande ou consulter le dossier")
    identification = IdentificationPage(page)
    assert identification.path == "/identification", f"the service opened {page.url} without identification"
    expect(identification.heading).to_have_text(identification.text(IdentificationPage.TITLE))
    journey.step(page, "identification")
    signed_in = sign_in(page, journey, identification, MOBILE_APP, MARIE, "application-mobile")
    service = ServiceHomePage(page, status=signed_in.status)
    assert service.at_home, f"identified, but on {page.url}"
    expect_title(service, ServiceHomePage.TITLE)
    return service


def naviguer(page: Page, journey: Journey, service: ServiceHomePage, javascript: bool) -> None:
    """The menu, NL and DE at the top right, and 🖺 (which needs JavaScript)."""
    expect(service.menu_links).to_have_text([service.text(entry) for entry in MENU])
    expect(service.sign_out_button).to_be_visible()
    expect(service.language_link("Nederlands")).to_be_visible()
    expect(service.language_link("Deutsch")).to_be_visible()
    if javascript:
        assert service.print_page(), "🖺 did not open the print dialog"
    else:  # without JavaScript the button is not offered: it could not print
        expect(service.print_button).to_have_count(0)
    journey.step(page, "service")


def consulter_mon_dossier(page: Page, journey: Journey, screen: ServicePage,
                          *periods: Period) -> MyFilePage:
    my_file = screen.open_menu("Mon dossier", MyFilePage)
    expect_title(my_file, MyFilePage.TITLE)
    expect(my_file.menu_link("Mon dossier")).to_have_attribute("aria-current", "page")
    for period in periods:
        expect(my_file.state_of(period.sentence, WAITING)).to_be_visible()
    journey.step(page, "mon-dossier")
    return my_file


def demander_une_attestation(page: Page, journey: Journey, screen: ServicePage) -> None:
    """The document, « Suivant », the confirmation; then the attestation in the e-Box, as a page
    and as a PDF."""
    attestations = screen.open_menu("Attestations", AttestationsPage)
    expect_title(attestations, AttestationsPage.TITLE)
    journey.step(page, "attestations")
    sent = attestations.ask_for(AttestationsPage.BALANCE)
    expect_title(sent, "Confirmation")
    expect(sent.main).to_contain_text(sent.text(sent.SENT_TO_EBOX))
    title = sent.document_title()
    journey.step(page, "attestation-confirmee")

    ebox = sent.open_ebox()
    expect(ebox.heading).to_have_text(ebox.text(ebox.TITLE))
    expect(ebox.unread(title)).to_have_count(1)  # this run's attestation, not read yet
    journey.step(page, "e-box")
    document = ebox.open_document(ebox.unread(title).first, title)
    assert document.status == 200
    expect(document.document).to_be_visible()
    expect(document.heading).to_have_text(title)
    journey.step(page, "e-box-attestation")
    pdf = document.download_pdf()
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf", pdf.headers
    assert pdf.body().startswith(b"%PDF-")


def completer_une_demande(page: Page, journey: Journey, screen: ServicePage, period: Period,
                          folder: Path) -> tuple[AttachmentsPage, str]:
    """Select → « Suivant » → fill → « Suivant » → review → « Précédent » → « Suivant » →
    « Confirmer » → the ticket → « Charger des documents » → a document → « Changements effectués »."""
    choice = screen.open_menu("Compléter une demande", CompletionChoicePage)
    expect_title(choice, CompletionChoicePage.TITLE)
    expect(choice.request(period.sentence)).to_be_visible()
    journey.step(page, "completer-choix")
    form = choice.complete(period.sentence)
    expect_title(form, form.TITLE)
    expect(form.main).to_contain_text(period.sentence)
    journey.step(page, "completer-formulaire")
    form.fill_for_a_patient(
        household="Cohabitant : je vis avec un ou plusieurs autres adultes", patient=PATIENT,
        born=("14", "6", "1952"), other_activities="Non", iban=IBAN,
    )
    expect(form.domicile_country).to_have_value("BE")
    review = form.next()
    expect_title(review, review.TITLE)
    answers = review.answers()
    assert answers[review.text("Nom et prénom du patient")] == PATIENT, answers
    assert answers[review.text("Numéro de compte (IBAN)")] == IBAN, answers
    journey.step(page, "completer-verification")
    form = review.previous()  # back to the form: nothing typed is lost
    expect_title(form, form.TITLE)
    expect(form.patient_name).to_have_value(PATIENT)
    expect(form.iban).to_have_value(IBAN)
    journey.step(page, "completer-precedent")
    review = form.next()
    expect_title(review, review.TITLE)
    confirmed = review.confirm()
    expect_title(confirmed, confirmed.TITLE)
    ticket = expect_ticket(confirmed)
    expect(confirmed.main).to_contain_text(period.sentence)
    journey.step(page, "completer-ticket")

    documents = confirmed.upload_documents()
    expect_title(documents, AttachmentsPage.TITLE)
    expect(documents.main).to_contain_text(period.sentence)
    expect(documents.row_status("Attestation médicale", AttachmentsPage.NOT_RECEIVED)).to_be_visible()
    journey.step(page, "charger-des-documents")
    household = "Attestation de composition de ménage"  # optional: now is the only moment for it
    documents.choose_file(household, a_pdf(folder, "composition-de-menage.pdf")).apply_changes()
    assert documents.status == 200, documents.status
    expect(documents.live_region).to_contain_text(documents.text(AttachmentsPage.DONE))
    expect(documents.row_status(household, AttachmentsPage.RECEIVED)).to_be_visible()
    expect(documents.row_status("Attestation médicale", AttachmentsPage.NOT_RECEIVED)).to_be_visible()
    journey.step(page, "charger-des-documents-effectue")
    return documents, ticket


def annuler_une_demande(page: Page, journey: Journey, screen: ServicePage, period: Period,
                        sent: Period) -> tuple[CancellationTicketPage, str]:
    """Select → « Suivant » → « Précédent » → « Suivant » → « Suivant » → the boxes →
    « Confirmer » → the ticket code. `sent`: the request completed, which can still be cancelled."""
    cancellation = screen.open_menu("Annulation", CancellationChoicePage)
    expect_title(cancellation, CancellationChoicePage.TITLE)
    expect(cancellation.request(sent.sentence)).to_be_visible()
    journey.step(page, "annulation-choix")
    summary = cancellation.choose(period.sentence)
    assert summary.status == 200
    expect(summary.main).to_contain_text(period.sentence)
    journey.step(page, "annulation-demande")
    cancellation = summary.previous()
    expect_title(cancellation, CancellationChoicePage.TITLE)
    expect(cancellation.request(period.sentence)).to_be_checked()
    journey.step(page, "annulation-precedent")
    confirmation = cancellation.choose(period.sentence).next()
    expect_title(confirmation, confirmation.TITLE)
    expect(confirmation.main).to_contain_text(period.sentence)
    journey.step(page, "annulation-confirmer")
    cancelled = confirmation.confirm(email=True)
    expect_title(cancelled, cancelled.TITLE)
    expect(cancelled.main).to_contain_text(period.sentence)
    expect(cancelled.main).to_contain_text(cancelled.text(
        "Un e-mail de confirmation a été envoyé à %(address)s.") % {"address": MARIE.person.email})
    ticket = expect_ticket(cancelled)
    journey.step(page, "annulation-ticket")
    return cancelled, ticket


def pieces_jointes(page: Page, journey: Journey, screen: ServicePage, period: Period,
                   folder: Path) -> AttachmentsPage:
    """Select → « Suivant » → « Pièce jointe non reçue » → type, file → « Appliquer les
    changements » → « Changements effectués. » → the trash → the arrow → « Appliquer les
    changements » → « Pièce jointe non reçue » again."""
    choice = screen.open_menu("Pièces jointes", AttachmentsChoicePage)
    expect_title(choice, AttachmentsChoicePage.TITLE)
    journey.step(page, "pieces-jointes-choix")
    documents = choice.choose(period.sentence)
    expect_title(documents, AttachmentsPage.TITLE)
    certificate, filename = "Attestation médicale", "attestation-medicale.pdf"
    expect(documents.row_status(certificate, AttachmentsPage.NOT_RECEIVED)).to_be_visible()
    journey.step(page, "pieces-jointes-documents")

    documents.choose_file(certificate, a_pdf(folder, filename)).apply_changes()
    assert documents.status == 200, documents.status
    expect(documents.live_region).to_contain_text(documents.text(AttachmentsPage.DONE))
    expect(documents.row_status(certificate, AttachmentsPage.RECEIVED)).to_be_visible()
    journey.step(page, "pieces-jointes-effectue")

    # A phone's scan of 3 MB: refused in the form, with its own message; the earlier "Changements
    # effectués." does not stay on screen (issue 14, S7/A3).
    too_big = folder / "scan-telephone.pdf"
    too_big.write_bytes(a_pdf(folder, "petit.pdf").read_bytes() + b"%" + b"0" * 3_000_000 + b"\n")
    documents.choose_file(certificate, too_big).apply_changes()
    assert documents.status == 422, documents.status
    expect(documents.error_summary).to_contain_text(documents.text("Le fichier dépasse 2 Mo. Choisissez un fichier de 2 Mo au plus."))
    expect(page.get_by_text(documents.text(AttachmentsPage.DONE))).to_have_count(0)
    journey.step(page, "pieces-jointes-trop-grand")

    documents.remove(certificate, filename)
    assert documents.status == 200, documents.status
    expect(documents.undo_arrow(certificate, filename)).to_be_visible()
    expect(documents.trash(certificate, filename)).to_have_count(0)
    expect(documents.live_region).to_contain_text(filename)
    journey.step(page, "pieces-jointes-fleche")

    documents.apply_changes()
    assert documents.status == 200, documents.status
    expect(documents.live_region).to_contain_text(documents.text(AttachmentsPage.DONE))
    expect(documents.row_status(certificate, AttachmentsPage.NOT_RECEIVED)).to_be_visible()
    expect(documents.undo_arrow(certificate, filename)).to_have_count(0)
    journey.step(page, "pieces-jointes-supprime")
    return documents


def break_at_work(page: Page, journey: Journey, screen: ServicePage, sent: Period,
                  javascript: bool) -> BreakAtWorkPage:
    """The periods taken and left (with the request just sent), then an estimate: with JavaScript
    each answer updates the result in place; without, « Estimer mon allocation » reloads the page."""
    balances = screen.open_menu("Break@work", BreakAtWorkPage)
    expect_title(balances, BreakAtWorkPage.TITLE)
    medical_assistance = balances.leave_kind("Congé pour assistance médicale")
    expect(medical_assistance).to_contain_text(PATIENT)
    expect(medical_assistance).to_contain_text(f"{sent.start:%d/%m/%Y} au {sent.end:%d/%m/%Y}")
    journey.step(page, "breakatwork")
    *first_answers, last_answer = (
        ("Type de congé", "Congé pour assistance médicale"),
        ("Forme de l'interruption", "Interruption complète"),
        ("Votre situation de ménage", "Je vis avec un ou plusieurs autres adultes (cohabitant)"),
    )
    if javascript:
        for number, (question, choice_label) in enumerate(first_answers, 1):
            assert balances.choose(question, choice_label) == 422  # an answer still missing
            expect(balances.answer(question, choice_label)).to_be_checked()
            expect(balances.result).to_have_text(balances.text("Aucune estimation"))
            journey.step(page, f"breakatwork-reponse-{number}")
        assert balances.choose(*last_answer) == 200
    else:
        for question, choice_label in (*first_answers, last_answer):
            balances.choose(question, choice_label)
        balances.estimate()
        assert balances.status == 200
    expect(balances.result).to_have_text(balances.text(BreakAtWorkPage.ESTIMATE))
    figures = balances.figures()
    assert "€" in figures[balances.text("Net par mois")], figures
    assert figures[balances.text("Type de congé")] == balances.text("Congé pour assistance médicale")
    journey.step(page, "breakatwork-estimation")
    # The estimate's state is in the address, in place or reloaded; the language switch keeps it (A8).
    assert "type=" in page.url, page.url
    expect(balances.language_link("Nederlands")).to_have_attribute("href", re.compile(r"type%3D"))
    return balances


def se_deconnecter(page: Page, journey: Journey, screen: ServicePage) -> None:
    """The session ends: the service asks for an identification again."""
    logged_out = screen.sign_out()
    assert logged_out.status == 200
    expect(logged_out.heading).to_have_text(logged_out.text(LoggedOutPage.TITLE))
    journey.step(page, "deconnecte")
    again = ServiceHomePage.open(page)
    assert again.path == "/identification", f"after logout the service opened {page.url}"
    expect(again.heading).to_have_text(again.text(IdentificationPage.TITLE))
    journey.step(page, "identification-a-nouveau")


# -- the journey of guide 000 ---------------------------------------------------------------------


def test_guide_000_screen_by_screen(
    page: Page, journey: Journey, javascript: bool, live_server: LiveServer, tmp_path: Path
) -> None:
    to_complete, to_cancel = file_requests(live_server, javascript)

    service = se_connecter(page, journey)
    naviguer(page, journey, service, javascript)
    my_file = consulter_mon_dossier(page, journey, service, to_complete, to_cancel)
    demander_une_attestation(page, journey, my_file)

    service = ServiceHomePage.open(page)  # back from the e-Box to the service
    expect_title(service, ServiceHomePage.TITLE)
    documents, completion_ticket = completer_une_demande(page, journey, service, to_complete, tmp_path)
    cancelled, cancellation_ticket = annuler_une_demande(page, journey, documents, to_cancel,
                                                         sent=to_complete)

    # Mon dossier tells both: the part sent with its ticket, the cancellation with its code.
    my_file = cancelled.open_menu("Mon dossier", MyFilePage)
    expect(my_file.state_of(to_complete.sentence, "Partie du travailleur envoyée")).to_be_visible()
    expect(my_file.request_card(to_complete.sentence)).to_contain_text(completion_ticket)
    expect(my_file.state_of(to_cancel.sentence, "Annulée")).to_be_visible()
    expect(my_file.request_card(to_cancel.sentence)).to_contain_text(cancellation_ticket)
    journey.step(page, "mon-dossier-apres")

    documents = pieces_jointes(page, journey, my_file, to_complete, tmp_path)
    balances = break_at_work(page, journey, documents, to_complete, javascript)
    se_deconnecter(page, journey, balances)


# -- the menus and a request page in Dutch and German ------------------------------------------


def expect_menu_in(screen: ServicePage, language: str) -> None:
    """The page is in `language` and so is the service's menu, entry by entry."""
    assert screen.status == 200, f"{screen.status} at {screen.page.url}"
    expect(screen.root).to_have_attribute("lang", language)
    menu = [translate(language, entry) for entry in MENU]
    assert menu != list(MENU), f"the menu is not translated in {language}"
    expect(screen.menu_links).to_have_text(menu)
    expect(screen.sign_out_button).to_have_text(translate(language, "Se déconnecter"))


def expect_my_file_in(my_file: MyFilePage, language: str) -> None:
    """"Mon dossier" in `language`: its title, its requests named and their status."""
    expect_menu_in(my_file, language)
    title = translate(language, MyFilePage.TITLE)
    assert title != MyFilePage.TITLE, f"no {language} translation of {MyFilePage.TITLE!r}"
    expect(my_file.heading).to_have_text(title)
    expect(my_file.menu_link("Mon dossier")).to_have_attribute("aria-current", "page")
    kind = translate(language, "Congé pour assistance médicale")
    expect(my_file.main.get_by_role("heading", level=2, name=kind).first).to_be_visible()
    expect(my_file.main).to_contain_text(translate(language, WAITING))


def test_service_menu_my_file_and_a_request_in_dutch_and_german(page: Page, journey: Journey) -> None:
    """The switch on the service's home (to Dutch), then on a request's page (the worker's part of
    Marie's demo request, to German): each time the same page comes back, with the menu, "Mon
    dossier" and the request's page in that language."""
    opened = ServiceHomePage.open(page)
    assert opened.path == "/identification"
    journey.step(page, "identification")
    signed_in = sign_in(page, journey, IdentificationPage(page), TOKEN, MARIE, "token")
    service = ServiceHomePage(page, status=signed_in.status)
    expect_title(service, ServiceHomePage.TITLE)
    journey.step(page, "service-fr")

    service.switch_language("Nederlands")
    assert service.at_home, f"the switch left the service for {page.url}"
    expect_menu_in(service, "nl")
    expect(service.heading).to_have_text(translate("nl", ServiceHomePage.TITLE))
    journey.step(page, "service-nl")

    my_file = service.open_menu("Mon dossier", MyFilePage)
    expect_my_file_in(my_file, "nl")
    journey.step(page, "mon-dossier-nl")

    worker_part = open_worker_part_of_the_demo_request(my_file)
    expect_worker_part_in(worker_part, "nl")
    journey.step(page, "partie-du-travailleur-nl")

    request_path = worker_part.path
    worker_part.switch_language("Deutsch")
    assert worker_part.path == request_path, f"the switch left the request's page for {page.url}"
    expect_worker_part_in(worker_part, "de")
    journey.step(page, "partie-du-travailleur-de")

    my_file = worker_part.open_menu("Mon dossier", MyFilePage)
    expect_my_file_in(my_file, "de")
    journey.step(page, "mon-dossier-de")


def open_worker_part_of_the_demo_request(screen: ServicePage) -> WorkerPartPage:
    """« Compléter une demande » → Marie's demo medical-assistance request → « Suivant », in the
    page's language (nothing is sent: the request stays waiting for her part)."""
    choice = screen.open_menu("Compléter une demande", CompletionChoicePage)
    assert choice.status == 200, f"{choice.status} at {choice.page.url}"
    return choice.complete(choice.text("un congé pour assistance médicale"))


def expect_worker_part_in(worker_part: WorkerPartPage, language: str) -> None:
    """The worker's part of a request in `language`: its title, the request's sentence, its fields."""
    expect_menu_in(worker_part, language)
    title = translate(language, WorkerPartPage.TITLE)
    assert title != WorkerPartPage.TITLE, f"no {language} translation of {WorkerPartPage.TITLE!r}"
    expect(worker_part.heading).to_have_text(title)
    expect(worker_part.main).to_contain_text(translate(language, "un congé pour assistance médicale"))
    expect(worker_part.iban).to_be_visible()
    expect(worker_part.domicile_country).to_be_visible()
