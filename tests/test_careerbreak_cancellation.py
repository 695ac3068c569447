"""Annulation (guide 000, "Annuler une demande"): choose → summary → confirm → ticket code; the
e-mail when asked; one cancellation for repeated submissions (R1); a stale page does nothing (R3);
another citizen's request is not found (S6)."""

import asyncio

import pytest

from app.audit.tables import AuditRecord
from app.careerbreak.services import StaleRequest, move_request, request_of
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.db import transaction
from app.demo import load_demo_data
from app.mail.services import MailNotSent
from app.mail.tables import OutboxMessage
from app.registry.tables import Person
from app.rules.request_states import RequestState
from app.rules.tickets import is_ticket_number, new_ticket_number
from tests.support.citizens import JAN, LENA, MARIE, person_id, request_for, sign_in
from tests.support.html import check_page

BASE = "/interruption-de-carriere/annulation"
MEDICAL_SENTENCE = ("La demande concerne un congé pour assistance médicale, interruption complète des "
                    "prestations, du 02/04/2025 au 01/05/2025.")


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def requests_of_marie() -> dict[str, int]:
    """Marie's demo requests by state: one waiting for her part, one decided, one cancelled."""
    rows = await CareerBreakRequest.select(CareerBreakRequest.id, CareerBreakRequest.state).where(
        CareerBreakRequest.worker == await person_id(MARIE)
    )
    return {row["state"]: row["id"] for row in rows}


async def waiting_request_of_marie() -> int:
    return (await requests_of_marie())[RequestState.WAITING_FOR_WORKER.value]


async def state_of(request_id: int) -> dict:
    return await CareerBreakRequest.select(
        CareerBreakRequest.state, CareerBreakRequest.version, CareerBreakRequest.cancellation_ticket
    ).where(CareerBreakRequest.id == request_id).first()


async def open_confirmation(visitor, request_id: int):
    """The confirmation page, as the citizen sees it; returns the page and the version it carries."""
    _, page = await visitor.page(f"{BASE}/{request_id}/confirmer")
    return page, page.find("input", attrs={"name": "version"})["value"]


# -- the menu and the way in -------------------------------------------------------------------


async def test_annulation_is_in_the_service_menu_after_the_screens_before_it(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/interruption-de-carriere/")
    menu = page.find("nav", attrs={"aria-label": "Menu du service Interruption de carrière"})
    labels = [link.get_text(strip=True) for link in menu.find_all("a")]
    assert "Annulation" in labels
    guide_order = ["Mon dossier", "Attestations", "Compléter une demande", "Annulation", "Pièces jointes",
                   "Break@work"]
    present = [label for label in guide_order if label in labels]
    assert [label for label in labels if label in guide_order] == present
    link = menu.find("a", string="Annulation")
    assert link["href"] == BASE


async def test_annulation_asks_for_identification(client, demo):
    request_id = await waiting_request_of_marie()
    for path in (BASE, f"{BASE}/{request_id}", f"{BASE}/{request_id}/confirmer", f"{BASE}/{request_id}/ticket"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/identification?next=")


# -- 1. choose the request ---------------------------------------------------------------------


async def test_the_choice_offers_only_the_requests_that_can_be_cancelled(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(BASE)
    assert page.find("h1").get_text(strip=True) == "Annuler une demande"
    fieldset = page.find("fieldset")
    assert fieldset.find("legend").get_text(strip=True) == (
        "Sélectionnez la demande que vous souhaitez annuler et cliquez sur « Suivant »."
    )
    radios = fieldset.find_all("input", attrs={"type": "radio"})
    # The decided parental leave and the cancelled request are not offered.
    assert [radio["value"] for radio in radios] == [str(await waiting_request_of_marie())]
    label = page.find("label", attrs={"for": radios[0]["id"]}).get_text(" ", strip=True)
    assert label.startswith("Congé pour assistance médicale – Les Tilleuls SRL")
    assert MEDICAL_SENTENCE in label
    assert page.find("button", string="Suivant") is not None


async def test_choosing_a_request_leads_to_its_summary(visitor, demo):
    await sign_in(visitor)
    await visitor.page(BASE)
    request_id = await waiting_request_of_marie()
    response = await visitor.submit(BASE, {"demande": str(request_id)})
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{request_id}"


async def test_no_choice_gives_the_error_summary(visitor, demo):
    await sign_in(visitor)
    await visitor.page(BASE)
    response = await visitor.submit(BASE, {})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur :")
    summary = page.find(attrs={"data-error-summary": True})
    link = summary.find("a")
    assert link.get_text(strip=True) == "Sélectionnez la demande que vous souhaitez annuler."
    assert link["href"] == "#demande"
    assert page.find(id="demande") is not None


async def test_a_request_that_is_not_offered_cannot_be_chosen(visitor, demo):
    await sign_in(visitor)
    await visitor.page(BASE)
    others = await request_for(JAN)
    decided = (await requests_of_marie())[RequestState.DECIDED.value]
    for value in (str(others), str(decided), "abc", "-1", "99999999999999999999"):
        response = await visitor.submit(BASE, {"demande": value})
        assert response.status_code == 422, value


async def test_without_a_request_to_cancel_the_page_says_so(visitor, demo):
    await sign_in(visitor, LENA)
    lena_request = (await CareerBreakRequest.select(CareerBreakRequest.id).where(
        CareerBreakRequest.worker == await person_id(LENA)).first())["id"]
    async with transaction():
        await move_request(lena_request, 1, RequestState.CANCELLED, cancellation_ticket=new_ticket_number())
    await visitor.client.get("/langue/fr?next=/")
    _, page = await visitor.page(BASE)
    assert page.find("form", attrs={"action": BASE}) is None
    assert "Vous n'avez aucune demande qui peut être annulée." in page.find("main").get_text(" ", strip=True)


# -- 2. the summary ----------------------------------------------------------------------------


async def test_the_summary_shows_the_request_with_previous_and_next(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, page = await visitor.page(f"{BASE}/{request_id}")
    main = page.find("main")
    assert page.find("h1").get_text(" ", strip=True) == "Congé pour assistance médicale – Les Tilleuls SRL"
    text = main.get_text(" ", strip=True)
    assert MEDICAL_SENTENCE in text
    assert ("Si vous souhaitez annuler la demande, cliquez sur « Suivant ». Si vous souhaitez annuler une "
            "autre demande, cliquez sur « Précédent ».") in text
    assert "En attente de la partie du travailleur" in text
    assert main.find("a", string="Suivant")["href"] == f"{BASE}/{request_id}/confirmer"
    previous = main.find("a", string="Précédent")["href"]
    # "Précédent" comes back to the choice with this request still selected.
    _, page = await visitor.page(previous)
    checked = page.find("input", attrs={"type": "radio", "checked": True})
    assert checked["value"] == str(request_id)


# -- 3. confirm --------------------------------------------------------------------------------


async def test_the_confirmation_page_has_both_boxes_and_the_address_on_file(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    page, version = await open_confirmation(visitor, request_id)
    assert version == "1"
    confirm = page.find("input", attrs={"name": "confirmation"})
    assert page.find("label", attrs={"for": confirm["id"]}).get_text(strip=True) == (
        "Je confirme l'annulation de cette demande"
    )
    email = page.find("input", attrs={"name": "email"})
    assert page.find("label", attrs={"for": email["id"]}).get_text(strip=True) == (
        "Je souhaite recevoir un e-mail de confirmation à l'adresse marie.dubois@example.be"
    )
    assert page.find("button", string="Confirmer") is not None
    assert page.find("main").find("a", string="Précédent")["href"] == f"{BASE}/{request_id}"


async def test_without_an_email_on_file_the_box_is_not_offered_and_no_mail_goes(visitor, demo):
    await Person.update({Person.email: None}).where(Person.username == MARIE)
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    page, version = await open_confirmation(visitor, request_id)
    assert page.find("input", attrs={"name": "email"}) is None
    assert "Aucune adresse e-mail n'est connue dans votre dossier" in page.find("main").get_text(" ", strip=True)
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer",
                                    {"version": version, "confirmation": "oui", "email": "oui"})
    assert response.status_code == 303
    assert await OutboxMessage.count() == 0
    assert (await state_of(request_id))["state"] == RequestState.CANCELLED.value


async def test_an_unchecked_confirmation_gives_the_error_summary_and_keeps_the_email_choice(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer", {"version": version, "email": "oui"})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur :")
    link = page.find(attrs={"data-error-summary": True}).find("a")
    assert link.get_text(strip=True) == "Cochez la case pour confirmer l'annulation de la demande."
    assert link["href"] == "#confirmation"
    assert "confirmation-error" in page.find(id="confirmation").find_parent("fieldset")["aria-describedby"]
    assert page.find("input", attrs={"name": "email"}).has_attr("checked")
    assert not page.find("input", attrs={"name": "confirmation"}).has_attr("checked")
    assert (await state_of(request_id))["state"] == RequestState.WAITING_FOR_WORKER.value
    assert await OutboxMessage.count() == 0


async def test_confirming_cancels_once_gives_a_ticket_and_sends_the_mail(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer",
                                    {"version": version, "confirmation": "oui", "email": "oui"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{request_id}/ticket"

    stored = await state_of(request_id)
    assert stored["state"] == RequestState.CANCELLED.value
    assert stored["version"] == 2
    ticket = stored["cancellation_ticket"]
    assert is_ticket_number(ticket)
    event = await RequestEvent.select().where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.CANCELLED.value)
    ).first()
    assert event["ticket_number"] == ticket

    _, page = await visitor.page(response.headers["location"])
    assert page.find("h1").get_text(strip=True) == "Annulation confirmée"
    assert page.find(class_="ticket-number").get_text(strip=True) == ticket
    text = page.find("main").get_text(" ", strip=True)
    assert "Ce code de ticket unique est la confirmation de votre annulation." in text
    assert MEDICAL_SENTENCE in text
    assert "Un e-mail de confirmation a été envoyé à marie.dubois@example.be." in text

    mails = await OutboxMessage.select()
    assert len(mails) == 1
    assert mails[0]["recipient"] == "marie.dubois@example.be"
    assert ticket in mails[0]["subject"]
    assert f"Code de ticket : {ticket}" in mails[0]["body"]
    assert MEDICAL_SENTENCE in mails[0]["body"]

    audit = await AuditRecord.select().where(AuditRecord.action == "careerbreak_request_cancelled")
    assert len(audit) == 1 and audit[0]["outcome"] == "success"

    # "Mon dossier" shows it cancelled, with the same ticket.
    _, page = await visitor.page("/interruption-de-carriere/dossier")
    assert ticket in page.find("main").get_text(" ", strip=True)


async def test_without_the_email_box_no_mail_is_sent_and_the_ticket_page_says_so(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer", {"version": version, "confirmation": "oui"})
    assert response.status_code == 303
    assert await OutboxMessage.count() == 0
    _, page = await visitor.page(response.headers["location"])
    assert "Vous n'avez pas demandé d'e-mail de confirmation." in page.find("main").get_text(" ", strip=True)


async def test_the_mail_is_written_in_the_language_of_the_request(visitor, demo):
    """Jan's request is in Dutch: his mail is, even when he reads the pages in French."""
    await sign_in(visitor, JAN)
    jan_request = (await CareerBreakRequest.select(CareerBreakRequest.id).where(
        CareerBreakRequest.worker == await person_id(JAN)).first())["id"]
    await visitor.client.get("/langue/fr?next=/")
    _, version = await open_confirmation(visitor, jan_request)
    response = await visitor.submit(f"{BASE}/{jan_request}/confirmer",
                                    {"version": version, "confirmation": "oui", "email": "oui"})
    assert response.status_code == 303
    mail = (await OutboxMessage.select())[0]
    ticket = (await state_of(jan_request))["cancellation_ticket"]
    assert mail["subject"] == f"Annulering van uw aanvraag – ticketcode {ticket}"
    assert "Beste Jan Peeters," in mail["body"]
    assert "De aanvraag betreft" in mail["body"]
    assert f"Ticketcode: {ticket}" in mail["body"]
    # The page itself stays in the language the citizen chose.
    _, page = await visitor.page(response.headers["location"])
    assert page.find("h1").get_text(strip=True) == "Annulation confirmée"


async def test_a_mail_that_cannot_be_sent_leaves_the_cancellation_and_says_so(visitor, demo, monkeypatch):
    from app.careerbreak.cancellation import services

    async def refuse(*args, **kwargs):
        raise MailNotSent("the SMTP server is down")

    monkeypatch.setattr(services, "send_mail", refuse)
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer",
                                    {"version": version, "confirmation": "oui", "email": "oui"})
    assert response.status_code == 303
    assert (await state_of(request_id))["state"] == RequestState.CANCELLED.value
    _, page = await visitor.page(response.headers["location"])
    assert ("L'e-mail de confirmation n'a pas pu être envoyé à marie.dubois@example.be."
            in page.find("main").get_text(" ", strip=True))


# -- R1 and R3 ---------------------------------------------------------------------------------


async def test_five_identical_confirmations_at_once_cancel_once_with_one_ticket_and_one_mail(visitor, demo):
    """R1: a double click, five times over: one cancellation, one ticket, one e-mail, and every
    answer is the same ticket page."""
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    form = {"version": version, "confirmation": "oui", "email": "oui"}
    responses = await asyncio.gather(*(
        visitor.submit(f"{BASE}/{request_id}/confirmer", form) for _ in range(5)
    ))
    assert [response.status_code for response in responses] == [303] * 5
    assert {response.headers["location"] for response in responses} == {f"{BASE}/{request_id}/ticket"}
    stored = await state_of(request_id)
    assert stored["state"] == RequestState.CANCELLED.value and stored["version"] == 2
    events = await RequestEvent.select().where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.CANCELLED.value)
    )
    assert len(events) == 1 and events[0]["ticket_number"] == stored["cancellation_ticket"]
    assert await OutboxMessage.count() == 1
    assert await AuditRecord.count().where(AuditRecord.action == "careerbreak_request_cancelled") == 1
    _, page = await visitor.page(f"{BASE}/{request_id}/ticket")
    assert page.find(class_="ticket-number").get_text(strip=True) == stored["cancellation_ticket"]


async def test_a_repeated_confirmation_later_gets_the_same_ticket_page(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    form = {"version": version, "confirmation": "oui", "email": "oui"}
    first = await visitor.submit(f"{BASE}/{request_id}/confirmer", form)
    again = await visitor.submit(f"{BASE}/{request_id}/confirmer", form)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert await OutboxMessage.count() == 1


async def test_a_stale_page_cancels_nothing_and_says_what_changed(visitor, demo):
    """R3: the worker's part was sent in another tab after the page was opened."""
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)
    async with transaction():
        await move_request(request_id, 1, RequestState.WORKER_PART_SENT, ticket_number=new_ticket_number())
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer",
                                    {"version": version, "confirmation": "oui", "email": "oui"})
    assert response.status_code == 409
    page = check_page(response.text)
    text = page.find("main").get_text(" ", strip=True)
    assert "La demande a changé" in text
    assert "son statut est maintenant « Partie du travailleur envoyée »" in text
    assert "Rien n'a été annulé." in text
    stored = await state_of(request_id)
    assert stored["state"] == RequestState.WORKER_PART_SENT.value and stored["cancellation_ticket"] is None
    assert await OutboxMessage.count() == 0
    # The page now carries the new version: confirming again, knowingly, cancels.
    assert page.find("input", attrs={"name": "version"})["value"] == "2"
    assert not page.find("input", attrs={"name": "confirmation"}).has_attr("checked")
    assert page.find("input", attrs={"name": "email"}).has_attr("checked")
    visitor.last_page = page
    response = await visitor.submit(f"{BASE}/{request_id}/confirmer",
                                    {"version": "2", "confirmation": "oui"})
    assert response.status_code == 303
    assert (await state_of(request_id))["state"] == RequestState.CANCELLED.value


async def test_a_cancellation_and_a_concurrent_change_one_wins(visitor, demo):
    """R3, at the same moment: the cancellation and the sending of the worker's part both start
    from version 1; exactly one of them happens."""
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    _, version = await open_confirmation(visitor, request_id)

    async def send_worker_part():
        try:
            async with transaction():
                await move_request(request_id, 1, RequestState.WORKER_PART_SENT, ticket_number=new_ticket_number())
            return True
        except StaleRequest:
            return False

    cancel, worker_part_sent = await asyncio.gather(
        visitor.submit(f"{BASE}/{request_id}/confirmer", {"version": version, "confirmation": "oui"}),
        send_worker_part(),
    )
    stored = await state_of(request_id)
    assert stored["version"] == 2
    if worker_part_sent:
        assert cancel.status_code == 409
        assert stored["state"] == RequestState.WORKER_PART_SENT.value and stored["cancellation_ticket"] is None
    else:
        assert cancel.status_code == 303
        assert stored["state"] == RequestState.CANCELLED.value


async def test_a_lost_version_field_is_treated_as_a_stale_page(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of_marie()
    await open_confirmation(visitor, request_id)
    for version in ({}, {"version": "abc"}, {"version": "0"}):
        response = await visitor.submit(f"{BASE}/{request_id}/confirmer", {"confirmation": "oui", **version})
        assert response.status_code == 409, version
    assert (await state_of(request_id))["state"] == RequestState.WAITING_FOR_WORKER.value


# -- requests that cannot be cancelled, and the ticket page -----------------------------------


async def test_a_cancelled_or_decided_request_cannot_be_cancelled_again(visitor, demo):
    await sign_in(visitor)
    states = await requests_of_marie()
    cancelled, decided = states[RequestState.CANCELLED.value], states[RequestState.DECIDED.value]
    _, page = await visitor.page(f"{BASE}/{cancelled}")
    assert page.find("h1").get_text(strip=True) == "Cette demande ne peut pas être annulée"
    ticket_link = page.find("main").find("a", string="Voir la confirmation de l'annulation")
    assert ticket_link["href"] == f"{BASE}/{cancelled}/ticket"
    _, page = await visitor.page(f"{BASE}/{decided}/confirmer")
    assert "L'ONEM a déjà pris sa décision sur cette demande" in page.find("main").get_text(" ", strip=True)
    before = await state_of(decided)
    response = await visitor.submit(f"{BASE}/{decided}/confirmer",
                                    {"version": str(before["version"]), "confirmation": "oui"})
    assert response.status_code == 409
    assert await state_of(decided) == before


async def test_the_ticket_page_exists_only_for_a_cancelled_request(visitor, demo):
    await sign_in(visitor)
    states = await requests_of_marie()
    await visitor.page(f"{BASE}/{states[RequestState.WAITING_FOR_WORKER.value]}/ticket", status=404)
    await visitor.page(f"{BASE}/{states[RequestState.DECIDED.value]}/ticket", status=404)
    _, page = await visitor.page(f"{BASE}/{states[RequestState.CANCELLED.value]}/ticket")
    summary = await request_of(await person_id(MARIE), states[RequestState.CANCELLED.value])
    assert page.find(class_="ticket-number").get_text(strip=True) == summary.cancellation_ticket
    # Cancelled in another session: the page does not claim anything about an e-mail.
    assert "e-mail" not in page.find("main").get_text(" ", strip=True)


# -- S6: another citizen's request, unknown ids ------------------------------------------------


async def test_another_citizens_request_is_not_found_on_every_route(visitor, demo):
    await sign_in(visitor, JAN)
    states = await requests_of_marie()
    waiting, cancelled = states[RequestState.WAITING_FOR_WORKER.value], states[RequestState.CANCELLED.value]
    for path in (f"{BASE}/{waiting}", f"{BASE}/{waiting}/confirmer", f"{BASE}/{cancelled}/ticket",
                 f"{BASE}/{cancelled}", f"{BASE}/{cancelled}/confirmer"):
        await visitor.page(path, status=404)
    await visitor.page(BASE)
    response = await visitor.submit(f"{BASE}/{waiting}/confirmer", {"version": "1", "confirmation": "oui"})
    assert response.status_code == 404
    assert (await state_of(waiting))["state"] == RequestState.WAITING_FOR_WORKER.value


async def test_unknown_or_malformed_ids_are_not_found(visitor, demo):
    await sign_in(visitor)
    await visitor.page(BASE)
    for request_id in ("999999", "0", "-1", "abc", "1.5", "99999999999999999999", "١"):
        for suffix in ("", "/confirmer", "/ticket"):
            response = await visitor.client.get(f"{BASE}/{request_id}{suffix}")
            assert response.status_code == 404, (request_id, suffix)
        response = await visitor.submit(f"{BASE}/{request_id}/confirmer", {"version": "1", "confirmation": "oui"})
        assert response.status_code == 404, request_id


# -- languages ---------------------------------------------------------------------------------


async def test_the_screens_are_in_dutch_for_a_dutch_reader(visitor, demo):
    await sign_in(visitor, JAN)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page(BASE)
    assert page.find("h1").get_text(strip=True) == "Een aanvraag annuleren"
    assert page.find("legend").get_text(strip=True) == (
        "Selecteer de aanvraag die u wilt annuleren en klik op ‘Volgende’."
    )
    jan_request = page.find("input", attrs={"name": "demande"})["value"]
    _, page = await visitor.page(f"{BASE}/{jan_request}/confirmer")
    assert page.find("h1").get_text(strip=True) == "De annulering bevestigen"
    assert page.find("button", string="Bevestigen") is not None
    response = await visitor.submit(f"{BASE}/{jan_request}/confirmer", {"version": "1"})
    assert response.status_code == 422
    assert "Vink het vakje aan om de annulering van de aanvraag te bevestigen." in response.text
