"""Guide 001, « Demander une interruption de carrière ou un crédit-temps en ligne : partie employeur »,
replayed step by step in French (issue 5), with JavaScript on and off (A2):

- a small enterprise: Sophie Laurent (Les Tilleuls, 42 workers) picks Marie Dubois from the Dimona file;
  then the hand-off, in a second browser: Marie finds the form in her e-Box, completes her part and
  uploads the « Attestation médicale »; Sophie sees the completed state in « Consultation » and the
  notice in the enterprise's e-Box; Marie cancels the request; Sophie sees the cancellation;
- a large enterprise: Karim Benali (Logistique Delta, 180 workers) has no Dimona link, types the NISS
  of Jan Peeters (wrong first: the error summary), searches the joint committees (htmx swaps the list,
  or « Rechercher » reloads the page) and files the request.

Guide 001, step 2, identifies the officers with the eID (the built-in test provider); Marie uses her
mobile app (the authenticator test_identification_journey shares, so that no code is typed twice).
Every page of both journeys, on either browser, is a `journey.step`: a screenshot, axe (WCAG 2.2
AA, A1; a page whose markup was already found clean in this run is not audited twice), reflow at
320 px (A6), and no script or Content-Security-Policy error.

The two runs share the live server and its database: each run files its own requests, with periods
of its own (two years ahead: the written notice, a week ago, is then in time), and finds them on the
screens by their sentence.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import APIResponse, BrowserContext, Page, expect

from app.rules.tickets import is_ticket_number
from e2e.pages.careerbreak import (
    AttachmentsPage,
    CancellationChoicePage,
    CompletionChoicePage,
    ServiceHomePage,
    ServicePage,
)
from e2e.pages.employer import (
    ConsultationPage,
    DimonaPage,
    EmployerPage,
    EnterpriseDataPage,
    RequestPage,
    SentPage,
    StartPage,
    WorkerPage,
)
from e2e.pages.identity import EID, MOBILE_APP, IdentificationPage
from e2e.pages.portal import HomePage
from e2e.support.journey import Journey
from e2e.support.words import translate
from e2e.test_careerbreak_journey import a_pdf
from e2e.test_identification_journey import IDENTITIES, sign_in

SOPHIE = IDENTITIES["sophie.laurent"]
KARIM = IDENTITIES["karim.benali"]
MARIE = IDENTITIES["marie.dubois"]

# The documents as their readers see them titled.
WORKER_FORM = "Demande de votre employeur : complétez votre partie"
FILING_ACKNOWLEDGEMENT = "Accusé de réception de la partie employeur – %(name)s"
WORKER_PART_NOTICE = "Partie du travailleur complétée – %(name)s"

WAITING = "En attente de la partie du travailleur"
WORKER_PART_SENT = "Partie du travailleur envoyée"
CANCELLED = "Annulée"


@dataclass(frozen=True)
class Leave:
    """The leave a run files: a month of medical assistance in the given form."""

    form: str  # as the form's radio says it ("Interruption complète")
    phrase: str  # as the sentence says it ("interruption complète des prestations")
    start: datetime.date
    end: datetime.date

    @property
    def sentence(self) -> str:
        """Guide 000's sentence, which every screen and document repeats."""
        return (f"La demande concerne un congé pour assistance médicale, {self.phrase}, "
                f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}.")


def a_month(month: int, form: str, phrase: str) -> Leave:
    year = datetime.date.today().year + 2
    last_day = calendar.monthrange(year, month)[1]
    return Leave(form, phrase, datetime.date(year, month, 1), datetime.date(year, month, last_day))


COMPLETE = ("Interruption complète", "interruption complète des prestations")
HALF_TIME = ("Réduction à mi-temps", "réduction des prestations à mi-temps")
# One month per run and per worker (js, nojs): Marie's, then Jan's.
MARIE_LEAVES = {True: a_month(2, *COMPLETE), False: a_month(4, *COMPLETE)}
JAN_LEAVES = {True: a_month(3, *HALF_TIME), False: a_month(5, *HALF_TIME)}


def written_notice() -> datetime.date:
    """A week ago: not in the future, and more than the 3 months of notice before the leave."""
    return datetime.date.today() - datetime.timedelta(days=7)


def full_name(identity) -> str:
    return f"{identity.person.first_name} {identity.person.last_name}"


# -- what every step expects --------------------------------------------------------------------


def expect_title(screen: EmployerPage | ServicePage, french: str, status: int = 200, **values: str) -> None:
    assert screen.status == status, f"{screen.status} at {screen.page.url}"
    expect(screen.heading).to_have_text(screen.text(french) % values if values else screen.text(french))


def expect_ticket(screen: EmployerPage | ServicePage) -> str:
    ticket = screen.ticket_number()
    assert is_ticket_number(ticket), f"{ticket!r} is not a ticket number"
    return ticket


def expect_pdf(response: APIResponse) -> None:
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf", response.headers
    assert response.body().startswith(b"%PDF-")


@contextmanager
def second_browser(new_context: Callable[..., BrowserContext], journey: Journey,
                   name: str) -> Iterator[Page]:
    """Another person's browser (a context of its own: its own cookies, so its own session), with the
    same JavaScript setting as the run; its trace is kept when the journey fails."""
    context = new_context()
    context.tracing.start(title=name, snapshots=True, screenshots=False)
    page = context.new_page()
    journey.watch(page)
    try:
        yield page
    except BaseException:
        context.tracing.stop(path=journey.folder / f"trace-{name}.zip")
        raise
    context.tracing.stop()


# -- guide 001, steps 1 and 2: the portal, the identification, « Continuer » ------------------------


def to_the_service(page: Page, journey: Journey) -> IdentificationPage:
    """Home → « Entreprise » → « Plus de services en ligne » → « Dossier interruption de carrière et
    crédit-temps » → « Introduire une demande »: the identification."""
    step = journey.step
    home = HomePage.open(page)
    assert home.status == 200
    expect(home.heading).to_have_text(home.text(HomePage.WELCOME))
    step(page, "accueil")
    audience = home.open_audience("Entreprise")
    expect(audience.heading).to_have_text(audience.text("Entreprise"))
    step(page, "entreprise")
    theme = audience.follow("Plus de services en ligne")
    expect(theme.heading).to_have_text(theme.text("Plus de services en ligne"))
    step(page, "plus-de-services-en-ligne")
    topic = theme.follow("Dossier interruption de carrière et crédit-temps")
    expect(topic.heading).to_have_text(topic.text("Dossier interruption de carrière et crédit-temps"))
    step(page, "dossier-interruption-de-carriere")
    topic.follow("Introduire une demande")
    identification = IdentificationPage(page)
    assert identification.path == "/identification", f"the service opened {page.url} without identification"
    expect(identification.heading).to_have_text(identification.text(IdentificationPage.TITLE))
    return identification


def identify_and_continue(page: Page, journey: Journey, identification: IdentificationPage,
                          officer, enterprise: str) -> EnterpriseDataPage:
    """The eID (guide 001, step 2), back on « Introduire une demande », « Continuer »: step 3."""
    journey.step(page, "identification")
    signed_in = sign_in(page, journey, identification, EID, officer, "eid")
    start = StartPage(page, status=signed_in.status)
    assert start.path == StartPage.PATH, f"identified, but on {page.url}"
    expect_title(start, StartPage.TITLE)
    expect(start.acting_for(enterprise)).to_be_visible()
    journey.step(page, "introduire-une-demande")
    data = start.continue_()
    expect_title(data, EnterpriseDataPage.TITLE)
    return data


def expect_enterprise(data: EnterpriseDataPage, identity, workers: int) -> None:
    """Step 3: the enterprise's name, number, ONSS number, address and workers under contract."""
    enterprise = identity.enterprise
    assert data.summary() == {
        data.text("Dénomination"): enterprise.name,
        data.text("Numéro d'entreprise"): enterprise.enterprise_number,
        data.text("Numéro ONSS"): enterprise.onss_number,
        data.text("Adresse"): f"{enterprise.street}, {enterprise.postcode} {enterprise.city}",
        data.text("Nombre de travailleurs sous contrat"): str(workers),
        data.text("Secteur"): data.text("Secteur privé"),
    }, data.summary()


def new_request(page: Page, journey: Journey, worker: WorkerPage, leave: Leave, worker_name: str,
                status_name: str, committee: str) -> SentPage:
    """Steps 4 (« Sélectionner »), 5 (« Nouvelle demande », the type), 6 (the leave) and 7 (the
    confirmation, certified, « Confirmer »): the ticket."""
    worker_file = worker.select()
    expect_title(worker_file, "Dossier du travailleur")
    facts = worker_file.summary()
    assert facts[worker_file.text("Travailleur")] == worker_name, facts
    assert facts[worker_file.text("Statut")] == worker_file.text(status_name), facts
    assert facts[worker_file.text("Commission paritaire")].startswith(f"{committee} – "), facts
    journey.step(page, "dossier-du-travailleur")

    kind = worker_file.new_request()
    expect_title(kind, "Nouvelle demande")
    journey.step(page, "nouvelle-demande")
    leave_page = kind.choose("Congé pour assistance médicale")
    expect_title(leave_page, "Données du congé")
    expect(leave_page.main).to_contain_text(worker_name)
    journey.step(page, "donnees-du-conge")

    confirmation = leave_page.fill(form=leave.form, start=leave.start, end=leave.end, regime="Temps plein",
                                   notice=written_notice()).next()
    expect_title(confirmation, "Confirmation de la demande")
    summary = confirmation.summary()
    assert summary[confirmation.text("Travailleur")] == worker_name, summary
    assert summary[confirmation.text("Demande")] == leave.sentence, summary
    assert summary[confirmation.text("Date de l'avertissement écrit")] == f"{written_notice():%d/%m/%Y}"
    # Given in time: no warning about the notice period.
    expect(confirmation.main.get_by_text(confirmation.text("Délai d'avertissement"))).to_have_count(0)
    journey.step(page, "confirmation")

    sent = confirmation.confirm()
    expect_title(sent, SentPage.TITLE)
    expect(sent.main).to_contain_text(leave.sentence)
    expect(sent.main).to_contain_text(sent.text(
        "La partie employeur de la demande de %(name)s est envoyée. Le travailleur doit maintenant compléter "
        "sa partie dans le service en ligne « Interruption de carrière ». Veuillez l'en avertir.")
        % {"name": worker_name})
    return sent


def find_in_consultation(page: Page, journey: Journey, screen: EmployerPage, leave: Leave, worker: str,
                         state: str, name: str) -> ConsultationPage:
    """« Consultation », searched on the worker and the state: the request is there, in that state."""
    consultation = screen.open_consultation()
    expect_title(consultation, ConsultationPage.TITLE)
    consultation.search(worker=worker, state=state)
    assert consultation.status == 200, consultation.status
    expect(consultation.state_of(leave.sentence, state)).to_be_visible()
    journey.step(page, name)
    return consultation


# -- the small enterprise, then the hand-off to the worker -----------------------------------------


def test_guide_001_small_enterprise_picks_from_dimona_then_hands_over_to_the_worker(
    page: Page, journey: Journey, javascript: bool, new_context, tmp_path: Path
) -> None:
    leave = MARIE_LEAVES[javascript]
    marie = full_name(MARIE)

    # Steps 1 to 3: the portal, the eID, « Continuer », the enterprise's data (42 workers).
    data = identify_and_continue(page, journey, to_the_service(page, journey), SOPHIE, "Les Tilleuls SRL")
    expect_enterprise(data, SOPHIE, 42)
    journey.step(page, "donnees-de-l-entreprise")

    # Step 4: fewer than 100 workers, so the Dimona file is offered; Marie is picked from it.
    worker = data.next()
    expect_title(worker, WorkerPage.TITLE)
    expect(worker.dimona_link).to_be_visible()
    expect(worker.committee("330")).to_be_checked()  # the enterprise's joint committee, proposed
    journey.step(page, "selectionner-le-travailleur")
    dimona = worker.open_dimona()
    expect_title(dimona, DimonaPage.TITLE)
    expect(dimona.worker(full_name(IDENTITIES["lena.schmitt"]))).to_be_visible()
    journey.step(page, "fichier-dimona")
    worker = dimona.pick(marie)
    expect_title(worker, WorkerPage.TITLE)
    expect(worker.niss).to_have_value("88.04.12-002.59")
    journey.step(page, "travailleur-choisi-dans-la-dimona")
    worker.choose(status="Employé")

    # Steps 5 to 7, the ticket; the form in PDF from the Consultation.
    sent = new_request(page, journey, worker, leave, marie, "Employé", "330")
    employer_ticket = expect_ticket(sent)
    journey.step(page, "demande-envoyee")
    consultation = find_in_consultation(page, journey, sent, leave, marie, WAITING, "consultation")
    expect_pdf(consultation.form_pdf(leave.sentence))

    # The hand-off: Marie, in her own browser, finds the form in her e-Box and completes her part.
    with second_browser(new_context, journey, "marie") as marie_page:
        ServiceHomePage.open(marie_page)  # asks who she is first
        identification = IdentificationPage(marie_page)
        assert identification.path == "/identification", marie_page.url
        signed_in = sign_in(marie_page, journey, identification, MOBILE_APP, MARIE, "marie")
        service = ServiceHomePage(marie_page, status=signed_in.status)
        assert service.at_home, f"Marie identified, but on {marie_page.url}"

        ebox = service.open_ebox()
        expect(ebox.heading).to_have_text(ebox.text(ebox.TITLE))
        title = ebox.text(WORKER_FORM)
        expect(ebox.unread(title).first).to_be_visible()
        journey.step(marie_page, "marie-e-box")
        form = ebox.open_document(ebox.unread(title).first, title)
        assert form.status == 200
        expect(form.document).to_contain_text(leave.sentence)  # this run's, the newest unread
        expect(form.document).to_contain_text(employer_ticket)
        journey.step(marie_page, "marie-e-box-formulaire")

        choice = ServiceHomePage.open(marie_page).open_menu("Compléter une demande", CompletionChoicePage)
        expect_title(choice, CompletionChoicePage.TITLE)
        expect(choice.request(leave.sentence)).to_be_visible()
        journey.step(marie_page, "marie-completer-une-demande")
        part = choice.complete(leave.sentence)
        expect_title(part, part.TITLE)
        part.fill_for_a_patient(
            household="Cohabitant : je vis avec un ou plusieurs autres adultes", patient="Paul Dubois",
            born=("14", "6", "1952"), other_activities="Non", iban="BE71 0961 2345 6769",
        )
        journey.step(marie_page, "marie-partie-du-travailleur")
        review = part.next()
        expect_title(review, review.TITLE)
        journey.step(marie_page, "marie-verification")
        confirmed = review.confirm()
        expect_title(confirmed, confirmed.TITLE)
        worker_ticket = expect_ticket(confirmed)
        journey.step(marie_page, "marie-demande-confirmee")

        documents = confirmed.upload_documents()
        expect_title(documents, AttachmentsPage.TITLE)
        certificate = "Attestation médicale"
        expect(documents.row_status(certificate, AttachmentsPage.NOT_RECEIVED)).to_be_visible()
        documents.choose_file(certificate, a_pdf(tmp_path, "attestation-medicale.pdf")).apply_changes()
        assert documents.status == 200, documents.status
        expect(documents.live_region).to_contain_text(documents.text(AttachmentsPage.DONE))
        expect(documents.row_status(certificate, AttachmentsPage.RECEIVED)).to_be_visible()
        journey.step(marie_page, "marie-attestation-medicale")

        # Sophie sees the completed request, and the notice in the enterprise's e-Box.
        consultation = find_in_consultation(page, journey, consultation, leave, marie, WORKER_PART_SENT,
                                            "consultation-partie-du-travailleur-envoyee")
        ebox = consultation.open_ebox()
        expect(ebox.heading).to_have_text(ebox.text(ebox.TITLE))
        notice_title = ebox.text(WORKER_PART_NOTICE) % {"name": marie}
        expect(ebox.unread(notice_title).first).to_be_visible()
        journey.step(page, "e-box-de-l-entreprise")
        notice = ebox.open_document(ebox.unread(notice_title).first, notice_title)
        assert notice.status == 200
        expect(notice.document).to_contain_text(leave.sentence)
        expect(notice.document).to_contain_text(worker_ticket)
        journey.step(page, "e-box-partie-du-travailleur")
        expect_pdf(notice.download_pdf())

        # Marie cancels the request.
        cancellation = documents.open_menu("Annulation", CancellationChoicePage)
        expect_title(cancellation, CancellationChoicePage.TITLE)
        journey.step(marie_page, "marie-annulation")
        summary = cancellation.choose(leave.sentence)
        assert summary.status == 200
        expect(summary.main).to_contain_text(leave.sentence)
        journey.step(marie_page, "marie-annulation-resume")
        confirm = summary.next()
        expect_title(confirm, confirm.TITLE)
        journey.step(marie_page, "marie-annulation-confirmation")
        cancelled = confirm.confirm(email=False)
        expect_title(cancelled, cancelled.TITLE)
        cancellation_ticket = expect_ticket(cancelled)
        journey.step(marie_page, "marie-annulation-confirmee")

    # Sophie sees the cancellation, and the request's whole history.
    consultation = find_in_consultation(page, journey, notice, leave, marie, CANCELLED, "consultation-annulee")
    request = consultation.open_request(leave.sentence, marie)
    expect_title(request, RequestPage.TITLE, name=marie)
    facts = request.summary()
    assert facts[request.text("Statut")] == request.text(CANCELLED), facts
    assert facts[request.text("Numéro de ticket")] == employer_ticket, facts
    expect(request.history).to_have_count(4)
    expect(request.history.nth(0)).to_contain_text(employer_ticket)
    expect(request.history.nth(1)).to_contain_text(request.text(WAITING))
    expect(request.history.nth(2)).to_contain_text(request.text(WORKER_PART_SENT))
    expect(request.history.nth(2)).to_contain_text(worker_ticket)
    expect(request.history.nth(3)).to_contain_text(request.text(CANCELLED))
    expect(request.history.nth(3)).to_contain_text(cancellation_ticket)
    journey.step(page, "consultation-historique")


# -- the large enterprise: no Dimona link, the NISS typed ------------------------------------------


def test_guide_001_large_enterprise_types_the_niss(page: Page, journey: Journey, javascript: bool) -> None:
    leave = JAN_LEAVES[javascript]
    jan = full_name(IDENTITIES["jan.peeters"])

    data = identify_and_continue(page, journey, to_the_service(page, journey), KARIM, "Logistique Delta SA")
    expect_enterprise(data, KARIM, 180)
    journey.step(page, "donnees-de-l-entreprise")

    # Step 4: 100 workers or more, so no Dimona link: the NISS is typed, wrong first.
    worker = data.next()
    expect_title(worker, WorkerPage.TITLE)
    expect(worker.dimona_link).to_have_count(0)
    expect(worker.committee("226")).to_be_checked()  # the enterprise's joint committee, proposed
    journey.step(page, "selectionner-le-travailleur")

    # The joint committee: searched, chosen, and still chosen when the search is refined.
    worker.choose(niss="79.11.03-005.88", status="Ouvrier")
    worker.search_committees("transport")
    assert worker.status == 200, worker.status
    expect(worker.committee("330")).to_have_count(0)  # the list found (swapped in, or reloaded)
    expect(worker.committee("140.03")).to_be_visible()
    journey.step(page, "recherche-commission-paritaire")
    worker.committee("140.03").check()
    worker.search_committees("routier")
    assert worker.status == 200, worker.status
    expect(worker.committee("140")).to_have_count(0)  # the refined list, then what it shows
    expect(worker.committee("140.03")).to_be_checked()
    expect(worker.niss).to_have_value("79.11.03-005.88")  # nothing typed was lost
    expect(worker.status_choice("Ouvrier")).to_be_checked()
    journey.step(page, "recherche-affinee")

    refused = worker.select()
    worker = WorkerPage(page, status=refused.status)
    expect_title(worker, WorkerPage.TITLE, status=422)
    expect(page).to_have_title(re.compile(
        "^" + re.escape(f"{worker.text('Erreur :')} {worker.text(WorkerPage.TITLE)} – ")))
    expect(worker.error_link(
        "Les deux derniers chiffres (chiffres de contrôle) ne correspondent pas aux 9 premiers. "
        "Vérifiez le numéro.")).to_be_visible()
    if javascript:  # the summary takes the focus, so that a screen reader reads it first
        expect(worker.error_summary).to_be_focused()
    expect(worker.niss).to_have_value("79.11.03-005.88")
    expect(worker.status_choice("Ouvrier")).to_be_checked()
    expect(worker.committee("140.03")).to_be_checked()
    journey.step(page, "numero-errone")
    worker.niss.fill("79.11.03-005.89")

    sent = new_request(page, journey, worker, leave, jan, "Ouvrier", "140.03")
    ticket = expect_ticket(sent)
    journey.step(page, "demande-envoyee")

    # « Consultation »: found by the NISS, with its form in PDF; the acknowledgement in the e-Box.
    consultation = find_in_consultation(page, journey, sent, leave, "79110300589", WAITING, "consultation")
    expect_pdf(consultation.form_pdf(leave.sentence))
    # The documents of a request are in its language, the worker's: Dutch for Jan.
    ebox = consultation.open_ebox()
    title = translate("nl", FILING_ACKNOWLEDGEMENT) % {"name": jan}
    expect(ebox.unread(title).first).to_be_visible()
    journey.step(page, "e-box-de-l-entreprise")
    acknowledgement = ebox.open_document(ebox.unread(title).first, title)
    assert acknowledgement.status == 200
    expect(acknowledgement.document).to_have_attribute("lang", "nl")
    expect(acknowledgement.document).to_contain_text(ticket)  # this run's request
    journey.step(page, "e-box-accuse-de-reception")
