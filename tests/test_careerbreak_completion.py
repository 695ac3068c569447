""""Compléter une demande" (guide 000): choose the request → the worker's part → check every answer →
"Confirmer" → a ticket number → "Charger des documents"; the rules' problems as clear messages; the
answers kept across steps; R1 (identical confirmations give one ticket) and R3 (a request that changed
is left alone); another citizen's request is not found (S6)."""

import asyncio
import datetime
import json

import pytest

from app.careerbreak.completion.services import (
    HouseholdSituation,
    Outcome,
    Subject,
    SubjectRole,
    WorkerPart,
    confirm_worker_part,
    request_to_complete,
)
from app.careerbreak.services import move_request
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.db import transaction
from app.demo import load_demo_data
from app.ebox.tables import EboxMessage
from app.identity.tables import Session
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.rules.tickets import is_ticket_number
from tests.support.citizens import JAN, LENA, MARIE, person_id, request_for, sign_in
from tests.support.html import check_page
from tests.support.queries import count_queries

BASE = "/interruption-de-carriere/completer"

# Marie's part for her medical-assistance request (the patient is her father).
VALID = {
    "household": "cohabitant",
    "subject_name": "Paul Dubois",
    "subject_birth_date-day": "3", "subject_birth_date-month": "2", "subject_birth_date-year": "1950",
    "other_activities": "non",
    "domicile_country": "BE",
    "iban": "BE71 0961 2345 6769",
}


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def waiting_request_of(username: str) -> int:
    """The demo request that waits for this citizen's part."""
    row = await CareerBreakRequest.select(CareerBreakRequest.id).where(
        (CareerBreakRequest.worker == await person_id(username))
        & (CareerBreakRequest.state == RequestState.WAITING_FOR_WORKER.value)
    ).first()
    return row["id"]


async def decided_request_of(username: str) -> int:
    row = await CareerBreakRequest.select(CareerBreakRequest.id).where(
        (CareerBreakRequest.worker == await person_id(username))
        & (CareerBreakRequest.state == RequestState.DECIDED.value)
    ).first()
    return row["id"]


async def state_of(request_id: int) -> dict:
    return await CareerBreakRequest.select().where(CareerBreakRequest.id == request_id).first()


async def fill_in(visitor, request_id: int, answers: dict) -> object:
    """Opens the worker's part and sends these answers, as a browser without JavaScript does."""
    await visitor.page(f"{BASE}/{request_id}")
    return await visitor.submit(f"{BASE}/{request_id}", answers)


async def reach_verification(visitor, request_id: int, answers: dict = VALID):
    response = await fill_in(visitor, request_id, answers)
    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"] == f"{BASE}/{request_id}/verification"
    return await visitor.page(response.headers["location"])


def key_of(page) -> str:
    """The confirmation key the check page's form sends back with "Confirmer"."""
    return page.find("input", attrs={"name": "cle"})["value"]


def error_summary(page) -> list[tuple[str, str]]:
    summary = page.find(class_="error-summary")
    assert summary is not None, "no error summary"
    return [(link["href"], link.get_text(" ", strip=True)) for link in summary.find_all("a")]


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


# -- the menu and screen 1: choose the request ------------------------------------------------


async def test_the_menu_offers_completer_une_demande_in_the_order_of_the_guide(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/interruption-de-carriere/dossier")
    menu = page.find("nav", attrs={"aria-label": "Menu du service Interruption de carrière"})
    entries = [item.get_text(" ", strip=True) for item in menu.find_all("li")]
    assert "Compléter une demande" in entries
    assert entries.index("Mon dossier") < entries.index("Compléter une demande")
    if "Annulation" in entries:
        assert entries.index("Compléter une demande") < entries.index("Annulation")
    link = menu.find("a", string="Compléter une demande")
    assert link["href"] == BASE


async def test_the_choice_lists_only_the_requests_waiting_for_the_worker(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(BASE)
    assert page.find("h1").get_text(strip=True) == "Compléter une demande"
    legend = page.find("legend").get_text(" ", strip=True)
    assert legend == "Sélectionnez la demande que vous souhaitez compléter, puis cliquez sur « Suivant »."
    choices = page.find_all("input", attrs={"name": "demande"})
    assert [int(choice["value"]) for choice in choices] == [await waiting_request_of(MARIE)]
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 02/04/2025 au 01/05/2025.") in main_text(page)
    assert "Congé parental" not in main_text(page)  # decided
    assert "aidants proches" not in main_text(page)  # cancelled


async def test_choosing_nothing_gives_422_with_the_error_summary(visitor, demo):
    await sign_in(visitor)
    await visitor.page(BASE)
    response = await visitor.submit(BASE, {})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur : ")
    assert error_summary(page) == [("#demande", "Sélectionnez la demande que vous souhaitez compléter.")]


async def test_choosing_another_citizens_request_is_refused(visitor, demo):
    await sign_in(visitor)
    await visitor.page(BASE)
    response = await visitor.submit(BASE, {"demande": str(await waiting_request_of(JAN))})
    assert response.status_code == 422


async def test_choosing_a_request_leads_to_its_worker_part(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await visitor.page(BASE)
    response = await visitor.submit(BASE, {"demande": str(request_id)})
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{request_id}"


async def test_without_a_waiting_request_there_is_a_message_and_no_form(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    async with transaction():
        await move_request(request_id, 1, RequestState.CANCELLED, cancellation_ticket="ABC-DEF-GHJ")
    _, page = await visitor.page(BASE)
    assert "Aucune de vos demandes n'attend votre partie." in main_text(page)
    assert page.find("main").find("form") is None


# -- screen 2: the worker's part ----------------------------------------------------------------


async def test_the_worker_part_asks_for_the_patient_of_a_medical_assistance(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert page.find("h1").get_text(strip=True) == "Complétez les informations demandées"
    labels = [label.get_text(" ", strip=True) for label in page.find("main").find_all(["label", "legend"])]
    assert "Quelle est votre situation familiale ?" in labels
    assert "Nom et prénom du patient" in labels
    assert "Date de naissance du patient" in labels
    assert "Pays de votre domicile" in labels
    assert "Numéro de compte (IBAN)" in labels
    assert "Vit exclusivement" not in labels
    households = [label.get_text(" ", strip=True) for label in page.select("input[name=household] + label")]
    assert households == ["Cohabitant : je vis avec un ou plusieurs autres adultes", "Isolé : je vis seul",
                          "Je vis exclusivement avec un ou plusieurs enfants à charge"]
    countries = [option["value"] for option in page.find("select", attrs={"name": "domicile_country"}).find_all("option")]
    assert countries[0] == "BE" and "NL" in countries and "US" in countries and len(countries) > 240
    assert page.find("option", attrs={"value": "BE"}).has_attr("selected")
    assert page.find("input", attrs={"name": "child_is_disabled"}) is None  # parental leave only
    form = page.find("main").find("form")
    assert form["action"] == f"{BASE}/{request_id}" and form["method"] == "post"
    assert [button.get_text(strip=True) for button in form.find_all("button")] == ["Suivant", "Précédent"]


@pytest.mark.parametrize("kind, care_motive, expected", [
    (LeaveKind.PARENTAL, None, "Nom et prénom de l'enfant"),
    (LeaveKind.AIDANT_PROCHE, None, "Nom et prénom de la personne aidée"),
    (LeaveKind.PALLIATIVE_CARE, None, "Nom et prénom du patient"),
    (LeaveKind.TIME_CREDIT_CARE, CareMotive.CHILD_UNDER_8, "Nom et prénom de l'enfant"),
    (LeaveKind.TIME_CREDIT_CARE, CareMotive.SERIOUSLY_ILL_RELATIVE, "Nom et prénom du patient"),
    (LeaveKind.TIME_CREDIT_TRAINING, None, None),
])
async def test_the_person_asked_for_follows_the_kind_of_leave(visitor, demo, kind, care_motive, expected):
    await sign_in(visitor)
    form = LeaveForm.COMPLETE if kind is not LeaveKind.TIME_CREDIT_TRAINING else LeaveForm.HALF_TIME
    start, end = datetime.date(2027, 1, 1), datetime.date(2027, 1, 31)
    if kind in (LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING):
        end = datetime.date(2027, 3, 31)
    request_id = await request_for(MARIE, kind=kind, form=form, start=start, end=end, care_motive=care_motive)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    name_field = page.find("input", attrs={"name": "subject_name"})
    if expected is None:
        assert name_field is None
        assert page.find("input", attrs={"name": "subject_birth_date-day"}) is None
    else:
        assert page.find("label", attrs={"for": "subject_name"}).get_text(strip=True) == expected
    has_disability = page.find("input", attrs={"name": "child_is_disabled"}) is not None
    assert has_disability == (kind is LeaveKind.PARENTAL)


async def test_nothing_answered_gives_422_with_every_field_in_the_order_of_the_page(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    response = await fill_in(visitor, request_id, {"domicile_country": "BE"})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur : Compléter une demande")
    assert error_summary(page) == [
        ("#household", "Sélectionnez votre situation familiale."),
        ("#subject_name", "Saisissez le nom et le prénom du patient."),
        ("#subject_birth_date-day", "Saisissez la date de naissance du patient."),
        ("#other_activities", "Indiquez si vous aurez une autre activité ou d'autres revenus pendant l'interruption."),
        ("#iban", "Saisissez le numéro de compte IBAN."),
    ]
    iban = page.find("input", attrs={"name": "iban"})
    assert iban["aria-invalid"] == "true" and "iban-error" in iban["aria-describedby"]


async def test_wrong_answers_get_clear_messages_and_what_was_typed_is_kept(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    answers = {**VALID, "subject_birth_date-day": "3", "subject_birth_date-month": "2",
               "subject_birth_date-year": "2099", "other_activities": "oui",
               "other_activities_description": "", "iban": "BE71 0961 2345 6760", "subject_name": "  Paul   Dubois "}
    response = await fill_in(visitor, request_id, answers)
    assert response.status_code == 422
    page = check_page(response.text)
    assert error_summary(page) == [
        ("#subject_birth_date-day", "La date de naissance doit être dans le passé."),
        ("#other_activities_description", "Décrivez l'autre activité ou les autres revenus."),
        ("#iban", "Le numéro IBAN contient une erreur : ses chiffres de contrôle ne correspondent pas. Vérifiez-le."),
    ]
    assert page.find("input", attrs={"name": "iban"})["value"] == "BE71 0961 2345 6760"
    assert page.find("input", attrs={"name": "subject_birth_date-year"})["value"] == "2099"
    assert page.find("input", attrs={"name": "household", "value": "cohabitant"}).has_attr("checked")
    assert page.find("input", attrs={"name": "other_activities", "value": "oui"}).has_attr("checked")
    description = page.find("textarea", attrs={"name": "other_activities_description"})
    assert description["aria-invalid"] == "true"
    assert "other_activities_description-error" in description["aria-describedby"]


@pytest.mark.parametrize("day, month, year, message", [
    ("31", "2", "1950", "La date de naissance doit être une date réelle, par exemple 12 3 2019."),
    ("3", "", "1950", "La date de naissance doit comprendre un jour, un mois et une année."),
    ("3", "2", "50", "L'année de naissance doit compter 4 chiffres, par exemple 2019."),
    ("x", "2", "1950", "La date de naissance doit être une date réelle, par exemple 12 3 2019."),
    ("3", "2", "1850", "L'année de naissance doit être 1900 ou après."),
])
async def test_impossible_birth_dates_are_refused(visitor, demo, day, month, year, message):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    response = await fill_in(visitor, request_id, {
        **VALID, "subject_birth_date-day": day, "subject_birth_date-month": month, "subject_birth_date-year": year,
    })
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#subject_birth_date-day", message)]


@pytest.mark.parametrize("iban, message", [
    ("BE71 0961", "Le numéro IBAN n'a pas la longueur prévue pour son pays. Vérifiez-le : un IBAN belge compte "
                  "16 caractères, par exemple BE71 0961 2345 6769."),
    ("not an iban", "Le numéro IBAN n'est pas valide. Vérifiez-le, par exemple BE71 0961 2345 6769."),
])
async def test_bad_ibans_are_refused(visitor, demo, iban, message):
    await sign_in(visitor)
    response = await fill_in(visitor, await waiting_request_of(MARIE), {**VALID, "iban": iban})
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#iban", message)]


async def test_an_account_outside_belgium_needs_a_bic(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    answers = {**VALID, "iban": "NL91ABNA0417164300"}
    response = await fill_in(visitor, request_id, answers)
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#bic", (
        "Saisissez le code BIC de votre banque : il est nécessaire pour un compte ouvert hors de Belgique."))]
    response = await visitor.submit(f"{BASE}/{request_id}", {**answers, "bic": "ABNA NL 2A"})
    assert response.status_code == 303
    _, page = await visitor.page(response.headers["location"])
    assert "NL91 ABNA 0417 1643 00" in main_text(page)
    assert "ABNANL2A" in main_text(page)


async def test_a_child_too_old_for_a_parental_leave_is_a_field_error(visitor, demo):
    await sign_in(visitor, LENA)  # parental leave, half-time, from 01/03/2027
    request_id = await waiting_request_of(LENA)
    response = await fill_in(visitor, request_id, {
        **VALID, "subject_name": "Max Schmitt", "subject_birth_date-day": "1", "subject_birth_date-month": "3",
        "subject_birth_date-year": "2014",
    })
    assert response.status_code == 422
    page = check_page(response.text)
    assert error_summary(page) == [("#subject_birth_date-day", (
        "Le congé doit commencer avant les 12 ans de l'enfant. Il commence le 01/03/2027, et l'enfant a 12 ans "
        "le 01/03/2026. Vérifiez la date de naissance."))]
    assert page.find("input", attrs={"name": "subject_name"})["value"] == "Max Schmitt"


async def test_a_disabled_child_may_be_older(visitor, demo):
    await sign_in(visitor, LENA)
    request_id = await waiting_request_of(LENA)
    response = await fill_in(visitor, request_id, {
        **VALID, "subject_name": "Max Schmitt", "subject_birth_date-day": "1", "subject_birth_date-month": "3",
        "subject_birth_date-year": "2014", "child_is_disabled": "oui",
    })
    assert response.status_code == 303


async def test_a_leave_starting_before_the_birth_is_a_field_error(visitor, demo):
    await sign_in(visitor)
    request_id = await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.COMPLETE,
                                   start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))
    response = await fill_in(visitor, request_id, {
        **VALID, "subject_name": "Léo Dubois", "subject_birth_date-day": "2", "subject_birth_date-month": "2",
        "subject_birth_date-year": "2026",
    })
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#subject_birth_date-day", (
        "Le congé parental ne peut pas commencer avant la naissance de l'enfant. Il commence le 01/01/2026, "
        "et l'enfant est né le 02/02/2026. Vérifiez la date de naissance."))]


async def test_more_than_what_is_left_for_this_child_is_said_on_the_childs_name(visitor, demo):
    """Marie took 10 months at 1/5 for Emma (2 months of complete interruption out of 4)."""
    await sign_in(visitor)
    request_id = await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.COMPLETE,
                                   start=datetime.date(2027, 1, 1), end=datetime.date(2027, 3, 31))
    emma = {**VALID, "subject_name": "Emma Dubois", "subject_birth_date-day": "12",
            "subject_birth_date-month": "3", "subject_birth_date-year": "2019"}
    response = await fill_in(visitor, request_id, emma)
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#subject_name", (
        "Congé parental pour Emma Dubois : vous avez déjà pris 2 mois, sur un maximum de 4 mois. Il reste "
        "2 mois, et cette demande compte 3 mois. Vérifiez le nom et la date de naissance."))]
    # Another child has the whole capital.
    response = await visitor.submit(f"{BASE}/{request_id}", {**emma, "subject_name": "Noah Dubois",
                                                             "subject_birth_date-year": "2022"})
    assert response.status_code == 303


async def test_a_period_the_employer_filed_wrongly_is_explained_not_asked(visitor, demo):
    """1 month and 14 days of parental leave: not in blocks of a month. The worker cannot fix it."""
    await sign_in(visitor)
    request_id = await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.COMPLETE,
                                   start=datetime.date(2027, 1, 1), end=datetime.date(2027, 2, 14))
    _, page = await visitor.page(f"{BASE}/{request_id}")
    panel = page.find(class_="blocking-panel")
    assert panel.find("h2").get_text(strip=True) == "Cette demande ne peut pas être complétée telle quelle"
    text = panel.get_text(" ", strip=True)
    assert "La période doit compter un multiple de 1 mois ; elle compte 1 mois et 14 jours." in text
    employer = (await request_to_complete(await person_id(MARIE), request_id)).summary.enterprise_name
    assert (f"La période de cette demande a été introduite par votre employeur, {employer}. Contactez-le : il "
            "peut corriger sa partie de la demande, ou l'annuler.") in text
    assert page.find("input", attrs={"name": "iban"}) is None
    assert page.find(class_="error-summary") is None
    # A post anyway is refused with the same explanation, and nothing moves to the next step.
    await visitor.page(f"{BASE}/{await waiting_request_of(MARIE)}")
    response = await visitor.submit(f"{BASE}/{request_id}", {**VALID, "subject_name": "Noah Dubois",
                                                             "subject_birth_date-year": "2022"})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur : ")
    assert "Cette demande ne peut pas être complétée telle quelle" in main_text(page)


async def test_a_work_regime_too_low_is_explained(visitor, demo):
    await sign_in(visitor)
    request_id = await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.ONE_FIFTH,
                                   start=datetime.date(2027, 1, 1), end=datetime.date(2027, 5, 31),
                                   work_regime="3/4")
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert ("Cette forme de congé demande de travailler au moins à temps plein ; selon la partie de votre "
            "employeur, vous travaillez à 3/4 temps.") in page.find(class_="blocking-panel").get_text(" ", strip=True)


async def test_a_domicile_outside_the_eea_is_accepted_with_a_clear_warning(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    _, page = await reach_verification(visitor, request_id, {**VALID, "domicile_country": "US"})
    assert page.find(id="allowance-title").get_text(strip=True) == "Aucune allocation ne pourra être payée"
    assert "Pays de votre domicile : États-Unis." in main_text(page)
    _, page = await reach_verification(visitor, request_id, {**VALID, "domicile_country": "CH"})
    assert page.find(id="allowance-title") is None


async def test_an_unknown_country_is_refused(visitor, demo):
    await sign_in(visitor)
    response = await fill_in(visitor, await waiting_request_of(MARIE), {**VALID, "domicile_country": "ZZ"})
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#domicile_country", "Sélectionnez le pays de votre domicile.")]


async def test_what_was_typed_is_kept_on_a_reload_and_after_precedent(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    typed = {**VALID, "iban": "BE71 0961", "other_activities": "oui",
             "other_activities_description": "Conseillère communale, 4 heures par semaine"}
    response = await fill_in(visitor, request_id, typed)
    assert response.status_code == 422
    _, page = await visitor.page(f"{BASE}/{request_id}")  # a reload
    assert page.find("input", attrs={"name": "iban"})["value"] == "BE71 0961"
    assert page.find("textarea").get_text() == "Conseillère communale, 4 heures par semaine"
    assert page.find(class_="error-summary") is None
    # "Précédent" keeps the answers and goes back to the choice, the request still selected.
    response = await visitor.submit(f"{BASE}/{request_id}", {**typed, "subject_name": "Paul Dubois-Leroy",
                                                             "action": "precedent"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}?demande={request_id}"
    _, page = await visitor.page(response.headers["location"])
    assert page.find("input", attrs={"name": "demande", "value": str(request_id)}).has_attr("checked")
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert page.find("input", attrs={"name": "subject_name"})["value"] == "Paul Dubois-Leroy"
    assert page.find("input", attrs={"name": "subject_birth_date-year"})["value"] == "1950"


# -- screen 3: check every answer ---------------------------------------------------------------


async def test_the_check_page_shows_every_answer_with_a_way_back(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    answers = {**VALID, "household": "isole-avec-enfants", "other_activities": "oui",
               "other_activities_description": "Conseillère communale"}
    _, page = await reach_verification(visitor, request_id, answers)
    assert page.find("h1").get_text(strip=True) == "Vérifier que les informations sont correctes"
    rows = {row.find("dt").get_text(strip=True): row.find_all("dd")[0].get_text(strip=True)
            for row in page.select(".summary-list__row")}
    assert rows == {
        "Situation familiale": "Vit exclusivement avec un ou plusieurs enfants à charge",
        "Nom et prénom du patient": "Paul Dubois",
        "Date de naissance du patient": "03/02/1950",
        "Autre activité ou autres revenus pendant l'interruption": "Oui",
        "Description de l'activité ou des revenus": "Conseillère communale",
        "Pays du domicile": "Belgique",
        "Numéro de compte (IBAN)": "BE71 0961 2345 6769",
    }
    changes = [link["href"] for link in page.select(".summary-list a")]
    assert f"{BASE}/{request_id}#iban" in changes and f"{BASE}/{request_id}#household" in changes
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 02/04/2025 au 01/05/2025.") in main_text(page)
    form = page.find("main").find("form")
    assert form["action"] == f"{BASE}/{request_id}/verification" and form["method"] == "post"
    assert form.find("input", attrs={"name": "version"})["value"] == "1"
    assert form.find("button").get_text(strip=True) == "Confirmer"
    previous = page.find("a", string="Précédent")
    assert previous["href"] == f"{BASE}/{request_id}"
    # "Précédent" is a plain link: the form shows the answers again.
    _, page = await visitor.page(previous["href"])
    assert page.find("input", attrs={"name": "household", "value": "isole-avec-enfants"}).has_attr("checked")
    assert page.find("input", attrs={"name": "iban"})["value"] == "BE71 0961 2345 6769"


async def test_the_check_page_without_answers_goes_back_to_the_form(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    response = await visitor.client.get(f"{BASE}/{request_id}/verification")
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{request_id}"


async def test_the_single_parent_increase_is_said_for_a_parental_leave(visitor, demo):
    await sign_in(visitor, LENA)
    request_id = await waiting_request_of(LENA)
    _, page = await reach_verification(visitor, request_id, {
        **VALID, "household": "isole-avec-enfants", "subject_name": "Max Schmitt",
        "subject_birth_date-day": "1", "subject_birth_date-month": "3", "subject_birth_date-year": "2020",
    })
    assert "le montant majoré pour travailleur isolé peut s'appliquer" in main_text(page)


# -- screen 4: confirm, and the ticket ---------------------------------------------------------


async def test_confirming_sends_the_part_and_gives_a_ticket(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await reach_verification(visitor, request_id, {**VALID, "domicile_country": "FR"})
    response = await visitor.submit(f"{BASE}/{request_id}/verification",
                                    {"version": "1", "cle": key_of(visitor.last_page)})
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{request_id}/ticket"

    row = await state_of(request_id)
    assert row["state"] == RequestState.WORKER_PART_SENT.value
    assert is_ticket_number(row["ticket_number"])
    assert row["subject_name"] == "Paul Dubois"
    assert row["subject_birth_date"] == datetime.date(1950, 2, 3)
    stored = row["worker_part"] if isinstance(row["worker_part"], dict) else json.loads(row["worker_part"])
    assert stored == {
        "household": "cohabitant", "subject_role": "patient", "subject_name": "Paul Dubois",
        "subject_birth_date": "1950-02-03", "child_is_disabled": False, "other_activities": False,
        "other_activities_description": None, "domicile_country": "FR", "allowance_possible": True,
        "iban": "BE71096123456769", "bic": None,
    }
    events = await RequestEvent.select().where(RequestEvent.request == request_id).order_by(RequestEvent.id)
    assert [event["state"] for event in events][-1] == RequestState.WORKER_PART_SENT.value
    assert events[-1]["ticket_number"] == row["ticket_number"]

    _, page = await visitor.page(response.headers["location"])
    assert page.find("h1").get_text(strip=True) == "Demande confirmée"
    ticket = page.find(class_="ticket-number").get_text(strip=True)
    assert ticket == row["ticket_number"]
    spelled = page.find(class_="ticket-panel__code").find(class_="visually-hidden").get_text()
    assert spelled == ", ".join(" ".join(group) for group in ticket.split("-"))
    assert "Ce numéro de ticket prouve que la demande a été envoyée." in main_text(page)
    assert "Attestation médicale *" in main_text(page)
    assert "vous pouvez également l'ajouter ultérieurement via les « Pièces jointes »" in main_text(page)
    upload = page.find("a", string="Charger des documents")
    assert upload["href"] == f"/interruption-de-carriere/pieces-jointes/{request_id}"

    # "Pièces jointes" knows which request was just completed.
    sessions = await Session.select(Session.data)
    data = [value if isinstance(value, dict) else json.loads(value) for value in (s["data"] for s in sessions)]
    mine = [entry for entry in data if "attach_after_completion" in entry]
    assert len(mine) == 1 and mine[0]["attach_after_completion"] == request_id


async def test_without_a_mandatory_document_this_is_the_only_moment_for_an_optional_one(visitor, demo):
    await sign_in(visitor, LENA)
    request_id = await waiting_request_of(LENA)
    await reach_verification(visitor, request_id, {
        **VALID, "subject_name": "Max Schmitt", "subject_birth_date-year": "2020",
    })
    await visitor.submit(f"{BASE}/{request_id}/verification", {"version": "1", "cle": key_of(visitor.last_page)})
    _, page = await visitor.page(f"{BASE}/{request_id}/ticket")
    assert ("Aucune pièce jointe n'est obligatoire pour cette demande. C'est maintenant le seul moment pour "
            "ajouter une pièce jointe facultative") in main_text(page)
    assert page.find("a", string="Charger des documents") is not None
    # Once another request is completed, the moment for this one has passed.
    other = await request_for(LENA, kind=LeaveKind.PARENTAL, form=LeaveForm.HALF_TIME,
                              start=datetime.date(2028, 3, 1), end=datetime.date(2028, 4, 30))
    await reach_verification(visitor, other, {**VALID, "subject_name": "Max Schmitt", "subject_birth_date-year": "2020"})
    response = await visitor.submit(f"{BASE}/{other}/verification", {"version": "1", "cle": key_of(visitor.last_page)})
    assert response.headers["location"] == f"{BASE}/{other}/ticket"
    _, page = await visitor.page(f"{BASE}/{request_id}/ticket")
    assert page.find("a", string="Charger des documents") is None
    assert "Le moment d'ajouter une pièce jointe facultative à cette demande est passé." in main_text(page)


async def test_five_identical_confirmations_give_one_ticket(visitor, demo):
    """R1: a double (or quintuple) click sends the part once; every click gets the same ticket."""
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await reach_verification(visitor, request_id)
    token, key = visitor.csrf_token(), key_of(visitor.last_page)
    responses = await asyncio.gather(*(
        visitor.client.post(f"{BASE}/{request_id}/verification", data={"_csrf_token": token, "version": "1",
                                                                       "cle": key})
        for _ in range(5)
    ))
    assert [response.status_code for response in responses] == [303] * 5
    assert {response.headers["location"] for response in responses} == {f"{BASE}/{request_id}/ticket"}
    sent = await RequestEvent.select().where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value))
    assert len(sent) == 1
    row = await state_of(request_id)
    assert row["version"] == 2 and sent[0]["ticket_number"] == row["ticket_number"]
    for _ in range(2):  # what each click shows
        _, page = await visitor.page(f"{BASE}/{request_id}/ticket")
        assert page.find(class_="ticket-number").get_text(strip=True) == row["ticket_number"]
    # A late repetition of the same submission, too.
    response = await visitor.client.post(f"{BASE}/{request_id}/verification",
                                         data={"_csrf_token": token, "version": "1", "cle": key})
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/{request_id}/ticket"
    # One acknowledgement of receipt in the e-Box, not one per click.
    acknowledgements = await EboxMessage.select(EboxMessage.title, EboxMessage.pdf).where(
        (EboxMessage.subject_service == "careerbreak") & (EboxMessage.subject_id == request_id)
        & (EboxMessage.document_kind == "accuse-de-reception"))
    assert len(acknowledgements) == 1 and acknowledgements[0]["pdf"].startswith(b"%PDF-")
    _, page = await visitor.page("/ebox")
    assert acknowledgements[0]["title"] in page.find("main").get_text(" ", strip=True)
    # And one notice in the employer's e-Box (guide 001's hand-off back to the enterprise).
    notices = await EboxMessage.select(EboxMessage.enterprise).where(
        (EboxMessage.subject_service == "careerbreak") & (EboxMessage.subject_id == request_id)
        & (EboxMessage.document_kind == "partie-travailleur-envoyee"))
    assert len(notices) == 1 and notices[0]["enterprise"] is not None


async def test_a_request_cancelled_meanwhile_is_left_alone_with_a_clear_message(visitor, demo):
    """R3: the citizen checked their answers, then cancelled the request in another tab."""
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await reach_verification(visitor, request_id)
    token, key = visitor.csrf_token(), key_of(visitor.last_page)
    async with transaction():
        await move_request(request_id, 1, RequestState.CANCELLED, cancellation_ticket="ABC-DEF-GHJ")
    responses = await asyncio.gather(*(
        visitor.client.post(f"{BASE}/{request_id}/verification", data={"_csrf_token": token, "version": "1",
                                                                       "cle": key})
        for _ in range(5)
    ))
    assert [response.status_code for response in responses] == [409] * 5
    page = check_page(responses[0].text)
    assert page.find("title").get_text().startswith("Erreur : ")
    assert page.find(id="conflict-title").get_text(strip=True) == "La demande a changé"
    assert "Rien n'a été envoyé." in main_text(page)
    assert "Cette demande a été annulée : elle ne peut plus être complétée." in main_text(page)
    row = await state_of(request_id)
    assert row["state"] == RequestState.CANCELLED.value and row["ticket_number"] is None
    assert not await RequestEvent.exists().where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value))


async def test_a_stale_version_of_a_request_still_waiting_is_a_conflict(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await reach_verification(visitor, request_id)
    response = await visitor.submit(f"{BASE}/{request_id}/verification", {"version": "7", "cle": key_of(visitor.last_page)})
    assert response.status_code == 409
    assert "Rien n'a été envoyé." in main_text(check_page(response.text))
    assert (await state_of(request_id))["state"] == RequestState.WAITING_FOR_WORKER.value


async def test_a_confirmation_without_its_version_is_refused(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await reach_verification(visitor, request_id)
    response = await visitor.submit(f"{BASE}/{request_id}/verification", {})
    assert response.status_code == 400
    assert (await state_of(request_id))["state"] == RequestState.WAITING_FOR_WORKER.value


async def test_a_ticket_number_already_taken_is_drawn_again(demo):
    marie = await person_id(MARIE)
    taken = await request_for(MARIE)
    async with transaction():
        await move_request(taken, 1, RequestState.WORKER_PART_SENT, ticket_number="AAA-AAA-AAA")
    request_id = await waiting_request_of(MARIE)
    found = await request_to_complete(marie, request_id)
    numbers = iter(["AAA-AAA-AAA", "BBB-BBB-BBB"])
    part = WorkerPart(HouseholdSituation.ALONE, Subject(SubjectRole.PATIENT, "Paul Dubois", datetime.date(1950, 2, 3)),
                      False, None, "BE", "BE71096123456769", None)
    confirmation = await confirm_worker_part(marie, found, 1, part, new_ticket=lambda: next(numbers))
    assert confirmation.outcome is Outcome.SENT and confirmation.ticket_number == "BBB-BBB-BBB"
    assert (await state_of(request_id))["ticket_number"] == "BBB-BBB-BBB"


# -- requests that cannot be completed, and other citizens' requests -----------------------------


async def test_a_request_already_sent_cannot_be_completed_again(visitor, demo):
    await sign_in(visitor)
    request_id = await decided_request_of(MARIE)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert page.find("h1").get_text(strip=True) == "Cette demande ne peut pas être complétée"
    assert "Votre partie de cette demande a déjà été envoyée." in main_text(page)
    assert page.find("a", string="Voir le numéro de ticket")["href"] == f"{BASE}/{request_id}/ticket"
    _, page = await visitor.page(f"{BASE}/{request_id}/verification")
    assert page.find("h1").get_text(strip=True) == "Cette demande ne peut pas être complétée"
    response = await visitor.submit(f"{BASE}/{request_id}", VALID)
    assert response.status_code == 409
    response = await visitor.submit(f"{BASE}/{request_id}/verification", {"version": "3"})
    assert response.status_code == 409


async def test_the_ticket_page_needs_a_sent_worker_part(visitor, demo):
    await sign_in(visitor)
    response = await visitor.client.get(f"{BASE}/{await waiting_request_of(MARIE)}/ticket")
    assert response.status_code == 404


async def test_another_citizens_request_is_not_found_on_every_route(visitor, demo):
    """S6: Jan's waiting request and Marie's decided one, seen by Lena."""
    await sign_in(visitor, LENA)
    _, page = await visitor.page(BASE)
    token = visitor.csrf_token()
    others = [await waiting_request_of(JAN), await decided_request_of(MARIE)]
    for request_id in [*others, 999999, 0, "abc", "99999999999999999999"]:
        for method, path, data in [
            ("GET", f"{BASE}/{request_id}", None),
            ("POST", f"{BASE}/{request_id}", VALID),
            ("GET", f"{BASE}/{request_id}/verification", None),
            ("POST", f"{BASE}/{request_id}/verification", {"version": "1"}),
            ("GET", f"{BASE}/{request_id}/ticket", None),
        ]:
            if data is None:
                response = await visitor.client.get(path)
            else:
                response = await visitor.client.post(path, data={"_csrf_token": token, **data})
            assert response.status_code == 404, (method, path, response.status_code)
    assert (await state_of(others[0]))["state"] == RequestState.WAITING_FOR_WORKER.value


async def test_the_screens_speak_dutch(visitor, demo):
    await sign_in(visitor, JAN)
    visitor.client.cookies.set("guichet_lang", "nl")
    request_id = await waiting_request_of(JAN)
    _, page = await visitor.page(BASE)
    assert page.find("html")["lang"] == "nl"
    assert page.find("h1").get_text(strip=True) == "Een aanvraag vervolledigen"
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert page.find("h1").get_text(strip=True) == "Vul de gevraagde gegevens in"
    assert page.find("label", attrs={"for": "subject_name"}).get_text(strip=True) == "Naam en voornaam van het kind"
    assert page.find("option", attrs={"value": "BE"}).get_text() == "België"
    response = await visitor.submit(f"{BASE}/{request_id}", {"domicile_country": "BE"})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Fout: ")
    assert ("#iban", "Vul het IBAN-rekeningnummer in.") in error_summary(page)


async def test_a_maximum_over_the_career_is_explained_not_asked(visitor, demo):
    """Aidant proche, complete: 3 months per person, 6 over the career. Two people helped for 3 months
    each leave nothing for a third: the worker cannot change that by naming someone else."""
    await sign_in(visitor)
    for year, name, ticket in ((2021, "Jeanne Dubois", "JJJ-JJJ-JJJ"), (2022, "Louis Dubois", "LLL-LLL-LLL")):
        sent = await request_for(MARIE, kind=LeaveKind.AIDANT_PROCHE, form=LeaveForm.COMPLETE,
                                 start=datetime.date(year, 1, 1), end=datetime.date(year, 3, 31))
        async with transaction():
            await move_request(sent, 1, RequestState.WORKER_PART_SENT, ticket_number=ticket,
                               subject_name=name, subject_birth_date=datetime.date(1940, 1, 1))
    request_id = await request_for(MARIE, kind=LeaveKind.AIDANT_PROCHE, form=LeaveForm.COMPLETE,
                                   start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 31))
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert page.find(class_="blocking-panel") is None  # who is helped is not known yet
    response = await visitor.submit(f"{BASE}/{request_id}", {**VALID, "subject_name": "Anne Dubois"})
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find(class_="error-summary") is None
    assert ("Congé pour aidants proches sur l'ensemble de votre carrière : vous avez déjà pris 6 mois, sur un "
            "maximum de 6 mois. Il reste 0 mois, et cette demande compte 1 mois.") in \
        page.find(class_="blocking-panel").get_text(" ", strip=True)


async def test_a_period_already_sent_for_the_same_person_is_said_on_the_name(visitor, demo):
    await sign_in(visitor)
    sent = await request_for(MARIE, kind=LeaveKind.AIDANT_PROCHE, form=LeaveForm.COMPLETE,
                             start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 31))
    async with transaction():
        await move_request(sent, 1, RequestState.WORKER_PART_SENT, ticket_number="KKK-KKK-KKK",
                           subject_name="Paul Dubois", subject_birth_date=datetime.date(1950, 2, 3))
    request_id = await request_for(MARIE, kind=LeaveKind.AIDANT_PROCHE, form=LeaveForm.COMPLETE,
                                   start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 31))
    response = await fill_in(visitor, request_id, VALID)
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [("#subject_name", (
        "Congé pour aidants proches : une demande déjà envoyée pour cette personne couvre la période du "
        "01/01/2027 au 31/01/2027. Vérifiez le nom et la date de naissance."))]


async def test_the_worker_part_page_runs_a_fixed_number_of_queries(visitor, demo, database):
    """P6: the page reads the session, the request, the worker and the history, whatever the history."""
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    with count_queries(database) as few:
        await visitor.page(f"{BASE}/{request_id}")
    for _ in range(5):
        sent = await request_for(MARIE, kind=LeaveKind.AIDANT_PROCHE, form=LeaveForm.HALF_TIME)
        async with transaction():
            await move_request(sent, 1, RequestState.WORKER_PART_SENT)
    with count_queries(database) as many:
        await visitor.page(f"{BASE}/{request_id}")
    assert len(many) == len(few) <= 5, many
