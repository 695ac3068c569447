"""Attestations (guide 000, "Demander une attestation"): choose the document → "Suivant" → a
confirmation → the document in the e-Box; 422 without a choice; 404 for another citizen's request."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from app.careerbreak.services import move_request
from app.db import transaction
from app.demo import load_demo_data
from app.ebox.tables import EboxMessage
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from tests.support.citizens import JAN, LENA, MARIE, person_id, request_for, sign_in

PAGE = "/interruption-de-carriere/attestations"
BALANCE_TITLE = "Attestation Break@work : périodes prises et solde"

WORKER_PART = {  # as "Compléter une demande" stores it (completion.services.WorkerPart.to_json)
    "household": "isole-avec-enfants", "subject_role": "patient", "subject_name": "Paul Dubois",
    "subject_birth_date": "1948-02-03", "child_is_disabled": False, "other_activities": False,
    "other_activities_description": None, "domicile_country": "BE", "allowance_possible": True,
    "iban": "BE71096123456769", "bic": None,
}


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def marie_request(state: RequestState, *, ticket: str = "TK7-MAR-4EH") -> int:
    """A medical assistance of Marie's, moved to `state` (worker's part sent, or decided)."""
    request_id = await request_for(MARIE, kind=LeaveKind.MEDICAL_ASSISTANCE, form=LeaveForm.COMPLETE,
                                   start=datetime.date(2026, 2, 2), end=datetime.date(2026, 3, 1))
    async with transaction():
        await move_request(request_id, 1, RequestState.WORKER_PART_SENT, ticket_number=ticket,
                           subject_name="Paul Dubois", subject_birth_date=datetime.date(1948, 2, 3),
                           worker_part=WORKER_PART, at=datetime.datetime(2026, 1, 12, 9, tzinfo=datetime.timezone.utc))
        if state is RequestState.DECIDED:
            await move_request(request_id, 2, RequestState.DECIDED, decided_on=datetime.date(2026, 1, 30))
    return request_id


def radio_values(page) -> list[str]:
    return [radio["value"] for radio in page.find("main").find_all("input", attrs={"name": "document"})]


async def choose(visitor, value: str | None):
    await visitor.page(PAGE)
    return await visitor.submit(PAGE, {} if value is None else {"document": value})


async def ebox_titles(username: str) -> list[str]:
    rows = await EboxMessage.select(EboxMessage.title).where(EboxMessage.person == await person_id(username)).order_by(
        EboxMessage.id
    )
    return [row["title"] for row in rows]


async def test_the_menu_offers_attestations_after_my_file(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/interruption-de-carriere/")
    menu = page.find("nav", attrs={"aria-label": "Menu du service Interruption de carrière"})
    entries = [item.get_text(" ", strip=True) for item in menu.find_all("li")]
    assert entries[:2] == ["Mon dossier", "Attestations"]


async def test_the_page_offers_the_balance_and_the_documents_of_each_request(visitor, demo):
    sent = await marie_request(RequestState.WORKER_PART_SENT)
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    assert page.find("h1").get_text(strip=True) == "Attestations"
    assert page.find("legend").get_text(strip=True) == "Choisissez le document dont vous souhaitez recevoir une copie"
    parental = (await request_ids(MARIE, LeaveKind.PARENTAL))[0]
    # The waiting and the cancelled requests have no acknowledgement; only the decided one has a decision.
    assert radio_values(page) == ["solde", f"accuse-de-reception-{sent}", f"accuse-de-reception-{parental}",
                                  f"decision-{parental}"]
    labels = [label.get_text(" ", strip=True) for label in page.find("main").find_all("label")]
    assert labels[0].startswith(BALANCE_TITLE)
    assert labels[1].startswith("Accusé de réception : Congé pour assistance médicale – ")
    assert "Numéro de ticket : TK7-MAR-4EH" in labels[1]
    assert labels[3].startswith("Décision : Congé parental – Les Tilleuls SRL")
    assert labels[3].endswith("Décision du 20/11/2023.")
    assert page.find("button", type="submit", string="Suivant") is not None


async def request_ids(username: str, kind: LeaveKind) -> list[int]:
    from app.careerbreak.tables import CareerBreakRequest

    rows = await CareerBreakRequest.select(CareerBreakRequest.id).where(
        (CareerBreakRequest.worker == await person_id(username)) & (CareerBreakRequest.kind == kind.value)
    )
    return [row["id"] for row in rows]


async def test_the_balance_attestation_journey_ends_in_the_ebox(visitor, demo):
    await sign_in(visitor)
    response = await choose(visitor, "solde")
    assert response.status_code == 303
    confirmation = response.headers["location"]
    assert confirmation.startswith(f"{PAGE}/confirmation/")
    _, page = await visitor.page(confirmation)
    text = page.find("main").get_text(" ", strip=True)
    assert page.find("h1").get_text(strip=True) == "Confirmation"
    assert f"Votre demande de document est confirmée : « {BALANCE_TITLE} »." in text
    assert "L'attestation sera envoyée dans votre e-Box." in text
    public_id = confirmation.rsplit("/", 1)[1]
    assert page.find("a", string="Consulter le document dans mon e-Box")["href"] == f"/ebox/{public_id}"

    _, page = await visitor.page("/ebox")
    first = page.select_one("li.message-list__item")
    assert first.find("h2").get_text(strip=True) == BALANCE_TITLE
    assert first.find("p").find("strong").get_text(strip=True) == "Non lu"
    _, page = await visitor.page(f"/ebox/{public_id}")
    periods = page.find(id="document-periods-caption").find_parent("table").find("tbody").find_all("tr")
    assert [cell.get_text(strip=True) for cell in periods[0].find_all(["th", "td"])] == [
        "Congé parental", "Réduction d'1/5", "01/01/2024", "31/10/2024", "Emma Dubois (12/03/2019)"
    ]
    balances = {
        (row.find("th").get_text(strip=True), row.find_all("td")[0].get_text(strip=True)):
            [cell.get_text(strip=True) for cell in row.find_all("td")[1:4]]
        for row in page.find(id="document-balances-caption").find_parent("table").find("tbody").find_all("tr")
    }
    # 10 months at 1/5 use 2 of the 4 months (complete) of parental leave for Emma.
    assert balances[("Congé parental, par enfant", "Emma Dubois (12/03/2019)")] == [
        "4 mois en interruption complète", "2 mois",
        "Interruption complète : 2 mois; Réduction à mi-temps : 4 mois; Réduction d'1/5 : 10 mois; "
        "Réduction d'1/10 : 20 mois",
    ]
    assert balances[("Congé parental, par enfant", "Tout autre enfant")][1] == "0 mois"
    time_credit = ("Crédit-temps avec motif (soins ou formation), sur la carrière", "Sur l'ensemble de la carrière")
    assert balances[time_credit] == [
        "51 mois", "0 mois", "51 mois"
    ]


async def test_the_acknowledgement_lists_the_workers_answers_and_the_ticket(visitor, demo):
    request_id = await marie_request(RequestState.WORKER_PART_SENT)
    await sign_in(visitor)
    response = await choose(visitor, f"accuse-de-reception-{request_id}")
    assert response.status_code == 303
    public_id = response.headers["location"].rsplit("/", 1)[1]
    _, page = await visitor.page(f"/ebox/{public_id}")
    article = page.find("article")
    assert article.find("h1").get_text(strip=True) == "Accusé de réception de votre demande"
    text = article.get_text(" ", strip=True)
    assert ("L'ONEM a reçu votre partie de la demande le 12/01/2026. Votre numéro de ticket est TK7-MAR-4EH : "
            "il prouve que la demande a été envoyée.") in text
    answers = {row.find("th").get_text(strip=True): row.find("td").get_text(strip=True)
               for row in article.find(id="document-answers-caption").find_parent("table").find("tbody").find_all("tr")}
    assert answers == {
        "Situation familiale": "Vit exclusivement avec un ou plusieurs enfants à charge",
        "Nom et prénom du patient": "Paul Dubois",
        "Date de naissance du patient": "03/02/1948",
        "Autre activité ou autres revenus pendant l'interruption": "Non",
        "Pays du domicile": "Belgique",
        "Numéro de compte (IBAN)": "BE71 0961 2345 6769",
    }


async def test_the_copy_of_a_decision(visitor, demo):
    request_id = await marie_request(RequestState.DECIDED)
    await sign_in(visitor)
    response = await choose(visitor, f"decision-{request_id}")
    public_id = response.headers["location"].rsplit("/", 1)[1]
    _, page = await visitor.page(f"/ebox/{public_id}")
    text = page.find("article").get_text(" ", strip=True)
    assert "L'ONEM a pris sa décision sur cette demande le 30/01/2026." in text
    assert "Période du 02/02/2026 au 01/03/2026" in text


async def test_no_choice_gives_the_error_summary(visitor, demo):
    await sign_in(visitor)
    response = await choose(visitor, None)
    assert response.status_code == 422
    from tests.support.html import check_page

    page = check_page(response.text)
    assert page.find("title").get_text(strip=True).startswith("Erreur : Attestations")
    summary = page.find(attrs={"data-error-summary": True})
    link = summary.find("a")
    assert link["href"] == "#document" and page.find(id="document")["value"] == "solde"
    assert link.get_text(strip=True) == "Choisissez le document dont vous souhaitez recevoir une copie."
    assert "documents-error" in page.find("fieldset")["aria-describedby"]
    assert await ebox_titles(MARIE) == ["Copie de la décision de l'ONEM (C62)"]


@pytest.mark.parametrize("value", ["inconnu", "decision-", "decision-0", "accuse-de-reception-x1", "solde2"])
async def test_a_value_that_names_no_document_gives_422(visitor, demo, value):
    await sign_in(visitor)
    response = await choose(visitor, value)
    assert response.status_code == 422
    assert "Choisissez un des documents proposés." in response.text


async def test_a_document_the_request_does_not_have_gives_422_and_keeps_the_choice_list(visitor, demo):
    sent = await marie_request(RequestState.WORKER_PART_SENT)
    waiting = (await request_ids(MARIE, LeaveKind.MEDICAL_ASSISTANCE))[0]
    await sign_in(visitor)
    for value in (f"decision-{sent}", f"accuse-de-reception-{waiting}"):
        response = await choose(visitor, value)
        assert response.status_code == 422, value
        assert "Choisissez un des documents proposés." in response.text
    assert await ebox_titles(MARIE) == ["Copie de la décision de l'ONEM (C62)"]


async def test_another_citizens_request_or_document_is_not_found(visitor, demo):
    marie_parental = (await request_ids(MARIE, LeaveKind.PARENTAL))[0]
    marie_document = (await EboxMessage.select(EboxMessage.public_id).first())["public_id"]
    await sign_in(visitor, JAN)
    for value in (f"decision-{marie_parental}", f"accuse-de-reception-{marie_parental}", "decision-999999"):
        response = await choose(visitor, value)
        assert response.status_code == 404, value
    response = await visitor.client.get(f"{PAGE}/confirmation/{marie_document}")
    assert response.status_code == 404
    response = await visitor.client.get(f"{PAGE}/confirmation/0123456789abcdef0123456789abcdef")
    assert response.status_code == 404
    assert await ebox_titles(JAN) == []


async def test_a_double_click_sends_the_document_once(visitor, demo):
    await sign_in(visitor, LENA)
    first = await choose(visitor, "solde")
    again = await visitor.submit(PAGE, {"document": "solde"})
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    token = visitor.csrf_token()
    racing = await asyncio.gather(*(
        visitor.client.post(PAGE, data={"_csrf_token": token, "document": "solde"}) for _ in range(5)
    ))
    assert {response.headers["location"] for response in racing} == {first.headers["location"]}
    assert await ebox_titles(LENA) == ["Bescheinigung Break@work: genommene Zeiträume und Restanspruch"]  # in German


async def test_break_at_work_posts_the_balance_with_the_token_only(visitor, demo):
    await sign_in(visitor)
    await visitor.page("/ebox")  # any page of the portal gives the token
    response = await visitor.client.post(PAGE, data={"_csrf_token": visitor.csrf_token(), "document": "solde"})
    assert response.status_code == 303
    assert BALANCE_TITLE in await ebox_titles(MARIE)


async def test_attestations_are_translated_and_sent_in_the_persons_language(visitor, demo):
    await sign_in(visitor, JAN)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page(PAGE)
    assert page.find("h1").get_text(strip=True) == "Attesten"
    assert page.find("main").find("form", action=PAGE).find("button").get_text(strip=True) == "Volgende"
    response = await visitor.submit(PAGE, {})
    assert response.status_code == 422
    assert "Kies het document waarvan u een kopie wilt ontvangen." in response.text
    await visitor.client.get("/langue/de?next=/")
    response = await choose(visitor, "solde")
    _, page = await visitor.page(response.headers["location"])
    assert page.find("h1").get_text(strip=True) == "Bestätigung"
    # The page speaks German; Jan's document speaks his language, Dutch.
    assert await ebox_titles(JAN) == ["Attest Break@work: opgenomen periodes en saldo"]
