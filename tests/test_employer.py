"""The employer's part of a request (guide 001): steps 3 to 7, the Consultation, S6 and R1."""

import asyncio
import datetime
import json

import pytest

from app.audit.services import AuditAction
from app.audit.tables import AuditRecord
from app.careerbreak.services import NewRequest, create_request, requests_of
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.demo import load_demo_data
from app.employer.routes import REQUEST_WIZARD
from app.identity.tables import Session
from app.registry.services import PersonRecord, ensure_employment, ensure_person
from app.registry.tables import Enterprise
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from tests.support.html import check_page
from tests.support.citizens import MARIE, person_id, request_for, sign_in

SOPHIE = "sophie.laurent"  # personnel officer at Les Tilleuls SRL (42 workers)
KARIM = "karim.benali"  # personnel officer at Logistique Delta SA (180 workers)
MARIE_NISS = "88041200259"
JAN_NISS = "79110300589"
BASE = "/entreprise/interruption-de-carriere"
REQUEST = f"{BASE}/demande"
# The demo requests are filed on fixed dates (app/careerbreak/demo.py), and the Consultation lists the
# requests of the last two years counted back from today: a test that expects demo requests there fixes
# today (`consultation_today`).
DEMO_TODAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
async def demo(database):
    await load_demo_data()


@pytest.fixture
def consultation_today(monkeypatch):
    """The moment the Consultation counts its two years back from: DEMO_TODAY, until the test moves it
    by calling the fixture's value with another moment. What a test expects of the demo requests does
    not depend on the day it runs."""
    def set_today(moment: datetime.datetime) -> None:
        monkeypatch.setattr("app.employer.services.utcnow", lambda: moment)

    set_today(DEMO_TODAY)
    return set_today


def text_of(page) -> str:
    return page.find("main").get_text(" ", strip=True)


def details_of(audit_row) -> dict:
    details = audit_row["details"]
    return json.loads(details) if isinstance(details, str) else details


def error_summary(page) -> list[str]:
    summary = page.find(class_="error-summary")
    return [link.get_text(" ", strip=True) for link in summary.find_all("a")] if summary else []


def labels_of(page, name: str) -> list[str]:
    """The labels of the radios or checkboxes named `name`, in order."""
    return [page.find("label", attrs={"for": control["id"]}).get_text(" ", strip=True)
            for control in page.find_all("input", attrs={"name": name})]


def result_rows(page) -> list[list[str]]:
    """The Consultation's rows, cell by cell."""
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in page.select("#results tbody tr")]


def with_check_digits(nine: str, *, born_in_2000s: bool = False) -> str:
    base = int(("2" if born_in_2000s else "") + nine)
    return f"{nine}{97 - base % 97:02d}"


async def start(visitor, username: str = SOPHIE) -> None:
    await sign_in(visitor, username)
    await visitor.page(REQUEST)
    response = await visitor.submit(REQUEST, {"action": "continuer"})
    assert response.headers["location"] == f"{REQUEST}/entreprise"
    await visitor.page(f"{REQUEST}/entreprise")
    response = await visitor.submit(f"{REQUEST}/entreprise", {})
    assert response.headers["location"] == f"{REQUEST}/travailleur"


async def choose_worker(visitor, niss: str = MARIE_NISS, status: str = "employe", committee: str = "330"):
    await visitor.page(f"{REQUEST}/travailleur")
    return await visitor.submit(f"{REQUEST}/travailleur", {
        "niss": niss, "statut": status, "commission_paritaire": committee, "recherche": "", "action": "selectionner",
    })


async def reach_leave_step(visitor, username: str = SOPHIE, niss: str = MARIE_NISS,
                           kind: str = "assistance-medicale") -> None:
    await start(visitor, username)
    response = await choose_worker(visitor, niss, committee="330" if username == SOPHIE else "226")
    assert response.headers["location"] == f"{REQUEST}/dossier-travailleur", response.text[:400]
    await visitor.page(f"{REQUEST}/type")
    response = await visitor.submit(f"{REQUEST}/type", {"type": kind})
    assert response.headers["location"] == f"{REQUEST}/conge"
    await visitor.page(f"{REQUEST}/conge")


def day(name: str, value: datetime.date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": f"{value.day:02d}", f"{name}-month": f"{value.month:02d}", f"{name}-year": str(value.year)}


def leave(form: str = "complete", start=datetime.date(2027, 3, 1), end=datetime.date(2027, 3, 31),
          regime: str = "1", notice=datetime.date(2026, 11, 2), **extra) -> dict[str, str]:
    return {"forme": form, **day("debut", start), **day("fin", end), "regime": regime,
            **day("avertissement", notice), **extra}


async def reach_confirmation(visitor, **leave_values):
    await reach_leave_step(visitor, kind=leave_values.pop("kind", "assistance-medicale"))
    response = await visitor.submit(f"{REQUEST}/conge", leave(**leave_values))
    assert response.status_code == 303, response.text[:600]
    assert response.headers["location"] == f"{REQUEST}/confirmation"
    return await visitor.page(f"{REQUEST}/confirmation")


async def confirm(visitor) -> str:
    """Confirms the request on the confirmation page open; returns the sent page's path."""
    key = visitor.last_page.find("input", attrs={"name": "cle"})["value"]
    response = await visitor.submit(f"{REQUEST}/confirmation", {"cle": key, "certification": "oui",
                                                                "action": "confirmer"})
    assert response.status_code == 303, response.text[:600]
    return response.headers["location"]


# -- the entry and the guard ------------------------------------------------------------------------


async def test_the_home_page_offers_the_two_entries_of_guide_001(visitor, demo):
    _, page = await visitor.page(f"{BASE}/")
    assert page.find("h1").get_text(strip=True) == "Dossier interruption de carrière et crédit-temps"
    links = [link.get_text(strip=True) for link in page.find("ul", class_="service-home").find_all("a")]
    assert links == ["Introduire une demande", "Consultation"]


async def test_introducing_a_request_asks_for_identification(client, demo):
    response = await client.get(REQUEST)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/identification?next=%2Fentreprise%2Finterruption-de-carriere")


async def test_a_citizen_without_the_role_gets_a_clear_403_page(visitor, demo):
    await sign_in(visitor, MARIE)
    for path in (REQUEST, f"{REQUEST}/entreprise", f"{BASE}/consultation"):
        _, page = await visitor.page(path, status=403)
        assert page.find("h1").get_text(strip=True) == "Accès réservé aux gestionnaires du personnel"
        assert "gestionnaire du personnel" in text_of(page)


async def test_a_citizen_without_the_role_cannot_post_either(visitor, demo):
    await sign_in(visitor, MARIE)
    await visitor.page("/")
    response = await visitor.submit(REQUEST, {"action": "continuer"})
    assert response.status_code == 403


async def test_the_personnel_officer_continues_to_the_enterprise_data(visitor, demo):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(REQUEST)
    assert "Vous agissez pour l'entreprise Les Tilleuls SRL en tant que gestionnaire du personnel." in text_of(page)
    assert [button.get_text(strip=True) for button in page.find("main").find_all("button")] == ["Continuer"]


async def test_a_request_in_progress_is_resumed_or_started_afresh(visitor, demo):
    await reach_leave_step(visitor)
    _, page = await visitor.page(REQUEST)
    assert "Une demande est en cours : vous la retrouverez telle que vous l'avez laissée." in text_of(page)
    response = await visitor.submit(REQUEST, {"action": "continuer"})
    assert response.headers["location"] == f"{REQUEST}/conge"  # where the officer left it
    response = await visitor.submit(REQUEST, {"action": "recommencer"})
    assert response.headers["location"] == f"{REQUEST}/entreprise"
    await visitor.submit(f"{REQUEST}/entreprise", {})
    _, page = await visitor.page(f"{REQUEST}/travailleur")
    assert page.find("input", id="niss").get("value") == ""


# -- step 3 -----------------------------------------------------------------------------------------


async def test_step_3_shows_the_enterprise_data(visitor, demo):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(f"{REQUEST}/entreprise")
    rows = {row.find("dt").get_text(strip=True): row.find("dd").get_text(strip=True)
            for row in page.select("#enterprise-data .summary-list__row")}
    assert rows == {
        "Dénomination": "Les Tilleuls SRL", "Numéro d'entreprise": "0412.345.614", "Numéro ONSS": "1234567-89",
        "Adresse": "Rue des Tilleuls 12, 5000 Namur", "Nombre de travailleurs sous contrat": "42",
        "Secteur": "Secteur privé",
    }
    assert page.find("main").find("form").find("button").get_text(strip=True) == "Suivant"


async def test_the_steps_cannot_be_skipped(visitor, demo):
    await sign_in(visitor, SOPHIE)
    for path in ("travailleur", "type", "conge", "confirmation", "dossier-travailleur"):
        response = await visitor.client.get(f"{REQUEST}/{path}")
        assert response.status_code == 303
        assert response.headers["location"] in (f"{REQUEST}/entreprise", f"{REQUEST}/travailleur")


# -- step 4 -----------------------------------------------------------------------------------------


async def test_step_4_offers_the_dimona_file_to_an_enterprise_of_fewer_than_100_workers(visitor, demo):
    await start(visitor, SOPHIE)
    _, page = await visitor.page(f"{REQUEST}/travailleur")
    link = page.find("a", string="Sélectionner le travailleur dans le fichier Dimona")
    assert link is not None
    _, dimona = await visitor.page(link["href"])
    names = [label.get_text(" ", strip=True) for label in dimona.select(".choice label")]
    assert names == ["Marie Dubois – 88.04.12-002.59", "Lena Schmitt – 01.09.17-022.66"]
    response = await visitor.submit(link["href"], {"travailleur": MARIE_NISS})
    assert response.status_code == 303
    _, page = await visitor.page(f"{REQUEST}/travailleur")
    assert page.find("input", id="niss")["value"] == "88.04.12-002.59"


async def test_step_4_hides_the_dimona_file_from_an_enterprise_of_100_workers_or_more(visitor, demo):
    await start(visitor, KARIM)
    _, page = await visitor.page(f"{REQUEST}/travailleur")
    assert "Dimona" not in text_of(page)
    await visitor.page(f"{REQUEST}/travailleur/dimona", status=404)
    response = await visitor.submit(f"{REQUEST}/travailleur/dimona", {"travailleur": JAN_NISS})
    assert response.status_code == 404


async def test_the_dimona_pick_refuses_a_worker_of_another_enterprise(visitor, demo):
    await start(visitor, SOPHIE)
    await visitor.page(f"{REQUEST}/travailleur/dimona")
    response = await visitor.submit(f"{REQUEST}/travailleur/dimona", {"travailleur": JAN_NISS})
    assert response.status_code == 422
    assert "Choisissez un travailleur dans le fichier du personnel." in response.text


NISS_CASES = [
    ("", "Saisissez le numéro de registre national du travailleur."),
    ("abcdefghijk", "Le numéro de registre national ne contient que des chiffres"),
    ("8507300332", "Le numéro de registre national compte 11 chiffres."),
    ("12345678901", "Les deux derniers chiffres (chiffres de contrôle) ne correspondent pas aux 9 premiers."),
    ("85133000105", "Le mois de naissance (3e et 4e chiffres) doit être compris entre 01 et 12."),
    (with_check_digits("853330001"), "Ce numéro BIS n'est pas valable"),
    (with_check_digits("990101001", born_in_2000s=True), "née en 2000 ou après, dans une année qui n'est pas encore passée"),
    ("85073003328", "Ce numéro n'est pas celui d'un travailleur de votre entreprise"),  # valid, not a worker here
    (JAN_NISS, "Ce numéro n'est pas celui d'un travailleur de votre entreprise"),  # another enterprise's worker
]


@pytest.mark.parametrize("niss, message", NISS_CASES)
async def test_step_4_explains_each_wrong_niss(visitor, demo, niss, message):
    await start(visitor, SOPHIE)
    response = await choose_worker(visitor, niss)
    assert response.status_code == 422
    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur :")
    assert len(error_summary(page)) == 1 and message in error_summary(page)[0]
    assert page.find("input", id="niss").get("value", "") == niss  # what was typed is kept
    assert page.find("input", id="niss")["aria-describedby"] == "niss-hint niss-error"


@pytest.mark.parametrize("committee, message", [
    ("12", "Le code d'une commission paritaire compte 3 chiffres"),
    ("200.1", "Le code d'une commission paritaire compte 3 chiffres"),
    ("999", "Cette commission paritaire n'est pas dans la liste des codes."),
    ("", "Choisissez la commission paritaire du travailleur."),
])
async def test_step_4_checks_the_joint_committee(visitor, demo, committee, message):
    await start(visitor, SOPHIE)
    response = await choose_worker(visitor, committee=committee)
    assert response.status_code == 422
    page = check_page(response.text)
    assert len(error_summary(page)) == 1 and message in error_summary(page)[0]
    assert page.find("input", id="niss")["value"] == MARIE_NISS


async def test_step_4_offers_the_statuses_of_the_private_sector(visitor, demo):
    await start(visitor, SOPHIE)
    _, page = await visitor.page(f"{REQUEST}/travailleur")
    assert labels_of(page, "statut") == ["Ouvrier", "Employé"]
    assert page.find("input", attrs={"name": "commission_paritaire", "value": "330"}).has_attr("checked")
    response = await choose_worker(visitor, status="statutaire")
    assert response.status_code == 422
    assert "Choisissez le statut du travailleur." in response.text


async def test_the_joint_committee_search_works_without_javascript(visitor, demo):
    await start(visitor, SOPHIE)
    await visitor.page(f"{REQUEST}/travailleur")
    response = await visitor.submit(f"{REQUEST}/travailleur", {
        "niss": "88 04 12", "statut": "ouvrier", "commission_paritaire": "330", "recherche": "logistique",
        "action": "rechercher",
    })
    assert response.status_code == 303
    assert response.headers["location"] == f"{REQUEST}/travailleur?recherche=logistique#commission_paritaire"
    _, page = await visitor.page(f"{REQUEST}/travailleur?recherche=logistique")
    codes = [radio["value"] for radio in page.find_all("input", attrs={"name": "commission_paritaire"})]
    assert codes == ["330", "140", "140.03", "226"]  # the chosen one stays, then the matches
    assert page.find("input", id="niss")["value"] == "88 04 12"  # nothing typed was lost
    assert page.find("input", attrs={"name": "statut", "value": "ouvrier"}).has_attr("checked")


async def test_the_joint_committee_search_swaps_only_the_list_with_htmx(visitor, demo):
    await start(visitor, SOPHIE)
    _, fragment = await visitor.fragment(f"{REQUEST}/travailleur?recherche=hoteliere")
    assert [radio["value"] for radio in fragment.find_all("input")] == ["330", "302"]
    assert fragment.find("h1") is None


async def test_step_4_then_shows_the_worker_file_with_new_request_on_the_left(visitor, demo):
    await start(visitor, SOPHIE)
    response = await choose_worker(visitor, "88.04.12-002.59")
    assert response.headers["location"] == f"{REQUEST}/dossier-travailleur"
    _, page = await visitor.page(f"{REQUEST}/dossier-travailleur")
    assert "Marie Dubois" in text_of(page)
    assert "330 – Commission paritaire des établissements et des services de santé" in text_of(page)
    nav = page.find("nav", attrs={"aria-label": "Dossier du travailleur"})
    assert nav.find("a", string="Nouvelle demande")["href"] == f"{REQUEST}/type"


# -- step 5 -----------------------------------------------------------------------------------------


async def test_step_5_offers_the_private_sector_kinds(visitor, demo):
    await start(visitor, SOPHIE)
    await choose_worker(visitor)
    _, page = await visitor.page(f"{REQUEST}/type")
    assert labels_of(page, "type") == ["Congé parental", "Congé pour assistance médicale", "Congé pour soins palliatifs",
                     "Congé pour aidants proches", "Crédit-temps avec motif de soins",
                     "Crédit-temps avec motif de formation", "Crédit-temps fin de carrière"]
    response = await visitor.submit(f"{REQUEST}/type", {"type": "interruption-de-carriere-secteur-public"})
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == ["Choisissez le type d'interruption de prestations."]


async def test_a_public_employer_gets_the_public_sector_kinds_and_statuses(visitor, demo):
    luc = await person_id("luc.martin")  # social worker at the CPAS de Namur, made its personnel officer here
    cpas = (await Enterprise.select(Enterprise.id).where(Enterprise.enterprise_number == "0212345767").first())["id"]
    await ensure_employment(luc, cpas, "personnel_officer")
    worker = await ensure_person(PersonRecord("85073003328", "Paul", "Renard", "paul.renard", "fr"))
    await ensure_employment(worker, cpas, "worker")
    await start(visitor, "luc.martin")
    _, page = await visitor.page(f"{REQUEST}/travailleur")
    assert labels_of(page, "statut") == ["Contractuel", "Statutaire"]
    assert "Dimona" not in text_of(page)  # the headcount is not known: the NISS is typed
    response = await choose_worker(visitor, "85073003328", status="statutaire", committee="")
    assert response.status_code == 303, response.text[:500]
    _, page = await visitor.page(f"{REQUEST}/type")
    assert labels_of(page, "type") == ["Congé parental", "Congé pour assistance médicale",
                                       "Congé pour soins palliatifs", "Congé pour aidants proches",
                                       "Interruption de carrière dans le secteur public"]
    response = await visitor.submit(f"{REQUEST}/type", {"type": "credit-temps-motif-soins"})
    assert response.status_code == 422


# -- step 6 -----------------------------------------------------------------------------------------


async def test_step_6_offers_only_the_forms_of_the_kind(visitor, demo):
    await reach_leave_step(visitor, kind="assistance-medicale")
    _, page = await visitor.page(f"{REQUEST}/conge")
    assert labels_of(page, "forme") == ["Interruption complète", "Réduction à mi-temps", "Réduction d'1/5"]
    hint = page.find(id="avertissement-hint").get_text(strip=True)
    assert "Il doit vous avertir 3 mois avant le début du congé." in hint


@pytest.mark.parametrize("kind, values, field, message", [
    ("assistance-medicale", {}, "forme-missing", "Choisissez la forme de l'interruption."),
    ("assistance-medicale", {"start": None}, "debut-day", "Saisissez la date de début du congé."),
    ("assistance-medicale", {"end": datetime.date(2027, 2, 1)}, "fin-day",
     "La date de fin doit suivre la date de début."),
    ("assistance-medicale", {"end": datetime.date(2027, 6, 30)}, "fin-day",
     "La période demandée (4 mois) est trop longue : une demande compte au plus 3 mois."),
    ("conge-parental", {"end": datetime.date(2027, 4, 15)}, "fin-day",
     "Sous cette forme, le congé se prend par périodes de 1 mois ou d'un multiple de 1 mois : la période demandée compte 1 mois et 15 jours."),
    ("conge-parental", {"form": "un-cinquieme", "end": datetime.date(2027, 7, 31), "regime": "3/4"}, "regime",
     "Cette forme d'interruption demande un régime de travail d'au moins Temps plein : le travailleur travaille à 3/4 temps."),
    ("conge-parental", {"form": "un-dixieme", "end": datetime.date(2027, 12, 31)}, "accord",
     "Cette forme d'interruption demande l'accord de l'employeur"),
    ("credit-temps-fin-de-carriere", {"form": "mi-temps", "end": datetime.date(2027, 8, 31)}, "debut-day",
     "Crédit-temps fin de carrière n'est possible qu'à partir de 60 ans : le travailleur les aura le 12/04/2048."),
    ("assistance-medicale", {"notice": datetime.date(2099, 1, 1)}, "avertissement-day",
     "La date de l'avertissement écrit ne peut pas être dans le futur"),
    ("assistance-medicale", {"regime": "2"}, "regime", "Choisissez le régime de travail du travailleur."),
    ("credit-temps-motif-soins", {"end": datetime.date(2027, 5, 31)}, "motif", "Choisissez le motif du crédit-temps."),
    ("credit-temps-motif-soins", {"end": datetime.date(2027, 3, 31), "motif": "enfant-moins-8-ans"}, "fin-day",
     "La période demandée (1 mois) est trop courte : elle doit compter au moins 3 mois."),
])
async def test_step_6_refuses_a_leave_against_the_rules(visitor, demo, kind, values, field, message):
    await reach_leave_step(visitor, kind=kind)
    data = leave(**{key: value for key, value in values.items() if key != "form"},
                 form=values.get("form", "" if field == "forme-missing" else "complete"))
    response = await visitor.submit(f"{REQUEST}/conge", data)
    assert response.status_code == 422, response.text[:500]
    page = check_page(response.text)
    assert any(message in error for error in error_summary(page)), error_summary(page)
    link_target = "forme" if field == "forme-missing" else field
    assert page.find(class_="error-summary").find("a", href=f"#{link_target}") is not None
    if values.get("start", True) is not None:
        assert page.find("input", id="debut-year")["value"] == "2027"  # what was typed is kept


async def test_step_6_counts_the_workers_history_against_the_career_maximum(visitor, demo):
    taken = await request_for(MARIE, kind=LeaveKind.TIME_CREDIT_TRAINING, form=LeaveForm.COMPLETE,
                              start=datetime.date(2021, 1, 1), end=datetime.date(2023, 12, 31))
    await CareerBreakRequest.update({CareerBreakRequest.state: RequestState.DECIDED.value}).where(
        CareerBreakRequest.id == taken)
    await reach_leave_step(visitor, kind="credit-temps-motif-formation")
    response = await visitor.submit(f"{REQUEST}/conge", leave(end=datetime.date(2027, 5, 31)))
    assert response.status_code == 422
    assert ("La demande dépasse le maximum de 36 mois sur toute la carrière : le travailleur a déjà pris 36 mois, "
            "il lui reste 0 mois et la demande porte sur 3 mois.") in response.text
    # Reading the worker's history is a consultation of their file: it is in the audit trail.
    records = await AuditRecord.select().where(AuditRecord.action == AuditAction.FILE_ACCESS.value)
    assert [(row["subject"], details_of(row)["what"]) for row in records] == [(MARIE_NISS, "historique")]


async def test_step_6_refuses_a_period_that_overlaps_one_the_worker_has(visitor, demo):
    taken = await request_for(MARIE, kind=LeaveKind.TIME_CREDIT_TRAINING, form=LeaveForm.HALF_TIME,
                              start=datetime.date(2027, 1, 1), end=datetime.date(2027, 6, 30))
    await CareerBreakRequest.update({CareerBreakRequest.state: RequestState.WORKER_PART_SENT.value}).where(
        CareerBreakRequest.id == taken)
    await reach_leave_step(visitor, kind="credit-temps-motif-formation")
    response = await visitor.submit(f"{REQUEST}/conge", leave(end=datetime.date(2027, 5, 31)))
    assert response.status_code == 422
    assert error_summary(check_page(response.text)) == [
        "Le travailleur a déjà un congé de ce type du 01/01/2027 au 30/06/2027 : les périodes ne peuvent pas "
        "se chevaucher."]


async def test_the_care_motive_is_asked_for_a_time_credit_for_care(visitor, demo):
    await reach_leave_step(visitor, kind="credit-temps-motif-soins")
    _, page = await visitor.page(f"{REQUEST}/conge")
    assert labels_of(page, "motif")[0] == "Prendre soin de son enfant de moins de 8 ans"
    response = await visitor.submit(f"{REQUEST}/conge", leave(end=datetime.date(2027, 3, 31), motif="soins-palliatifs"))
    assert response.headers["location"] == f"{REQUEST}/confirmation"  # palliative care: 1 month is enough
    _, page = await visitor.page(f"{REQUEST}/confirmation")
    assert "Motif du crédit-temps Soins palliatifs" in text_of(page)


async def test_a_date_that_does_not_exist_is_refused_and_kept(visitor, demo):
    await reach_leave_step(visitor)
    response = await visitor.submit(f"{REQUEST}/conge", leave() | {"fin-day": "31", "fin-month": "02"})
    assert response.status_code == 422
    assert "La date de fin doit être une vraie date, par exemple 31/08/2027." in response.text
    assert 'id="fin-day" name="fin-day" type="text" inputmode="numeric" value="31"' in response.text


async def test_precedent_and_reload_lose_nothing(visitor, demo):
    await reach_leave_step(visitor)
    typed = leave(start=datetime.date(2027, 3, 1), end=datetime.date(2027, 2, 1))
    response = await visitor.submit(f"{REQUEST}/conge", {**typed, "action": "precedent"})
    assert response.headers["location"] == f"{REQUEST}/type"
    _, page = await visitor.page(f"{REQUEST}/type")
    assert page.find("input", attrs={"value": "assistance-medicale"}).has_attr("checked")
    _, page = await visitor.page(f"{REQUEST}/conge")  # a reload, or "Suivant" again
    assert page.find("input", id="fin-month")["value"] == "02"
    assert page.find("input", attrs={"name": "forme", "value": "complete"}).has_attr("checked")


# -- step 7 -----------------------------------------------------------------------------------------


async def test_step_7_summarises_the_request_and_warns_about_a_short_notice(visitor, demo):
    _, page = await reach_confirmation(visitor, start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 31))
    text = text_of(page)
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 01/01/2027 au 31/01/2027.") in text
    assert "Marie Dubois" in text and "88.04.12-002.59" in text
    assert ("Le travailleur devait vous avertir par écrit 3 mois avant le début du congé, soit au plus tard le "
            "01/10/2026. L'avertissement est daté du 02/11/2026.") in text
    assert page.find("label", string="Je certifie que les données introduites sont exactes.") is not None
    assert [b.get_text(strip=True) for b in page.find("main").find_all("button")] == ["Confirmer", "Précédent"]


async def test_no_warning_when_the_notice_was_given_in_time(visitor, demo):
    _, page = await reach_confirmation(visitor, start=datetime.date(2027, 3, 1), end=datetime.date(2027, 3, 31))
    assert "Délai d'avertissement" not in text_of(page)


async def test_confirming_needs_the_certification(visitor, demo):
    _, page = await reach_confirmation(visitor)
    key = page.find("input", attrs={"name": "cle"})["value"]
    response = await visitor.submit(f"{REQUEST}/confirmation", {"cle": key, "action": "confirmer"})
    assert response.status_code == 422
    assert "Cochez la case pour certifier que les données introduites sont exactes." in response.text
    assert await CareerBreakRequest.count() == 5  # the demo's, nothing more


async def test_confirming_gives_a_ticket_and_hands_the_request_to_the_worker(visitor, demo):
    await reach_confirmation(visitor)
    sent = await confirm(visitor)
    _, page = await visitor.page(sent)
    assert page.find("h1").get_text(strip=True) == "Demande envoyée"
    ticket = page.find(id="ticket-number").get_text(strip=True)
    assert len(ticket) == 11
    request_id = int(sent.rsplit("/", 1)[1])
    row = await CareerBreakRequest.select().where(CareerBreakRequest.id == request_id).first()
    assert row["employer_ticket"] == ticket and row["work_regime"] == "1" and row["language"] == "fr"
    mine = [summary for summary in await requests_of(await person_id(MARIE)) if summary.id == request_id]
    assert mine and mine[0].state is RequestState.WAITING_FOR_WORKER
    assert mine[0].start_date == datetime.date(2027, 3, 1)
    # The draft is gone: a new request starts afresh.
    await visitor.page(REQUEST)
    response = await visitor.submit(REQUEST, {"action": "continuer"})
    assert response.headers["location"] == f"{REQUEST}/entreprise"


async def test_the_worker_finds_the_request_in_their_file(visitor, client, demo):
    await reach_confirmation(visitor)
    await confirm(visitor)
    client.cookies.clear()
    await sign_in(visitor, MARIE)
    _, page = await visitor.page("/interruption-de-carriere/dossier")
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 01/03/2027 au 31/03/2027.") in text_of(page)


async def test_r1_five_identical_confirmations_file_one_request_with_one_ticket(visitor, client, demo):
    _, page = await reach_confirmation(visitor)
    key = page.find("input", attrs={"name": "cle"})["value"]
    data = {"_csrf_token": visitor.csrf_token(), "cle": key, "certification": "oui", "action": "confirmer"}
    before = await CareerBreakRequest.count()
    responses = await asyncio.gather(*(client.post(f"{REQUEST}/confirmation", data=data) for _ in range(5)))
    assert [response.status_code for response in responses] == [303] * 5
    locations = {response.headers["location"] for response in responses}
    assert len(locations) == 1
    assert await CareerBreakRequest.count() == before + 1
    request_id = int(locations.pop().rsplit("/", 1)[1])
    events = await RequestEvent.select().where(RequestEvent.request == request_id)
    assert [event["state"] for event in events] == [RequestState.EMPLOYER_PART_SUBMITTED.value,
                                                    RequestState.WAITING_FOR_WORKER.value]
    # A sixth, later, is answered with the same request too.
    again = await client.post(f"{REQUEST}/confirmation", data=data)
    assert again.headers["location"] == f"{REQUEST}/envoyee/{request_id}"
    assert await CareerBreakRequest.count() == before + 1


async def test_r1_the_ticket_is_the_idempotency_key_in_the_database(demo):
    """Five concurrent filings under one ticket: the unique column lets one through, the others get it."""
    from app.employer.forms import LeaveChoice
    from app.access.guards import PERSONNEL_OFFICER, organisation_of
    from app.employer.services import file_request, worker_of

    acting = await organisation_of(await person_id(SOPHIE), PERSONNEL_OFFICER)
    worker = await worker_of(acting, MARIE_NISS)
    choice = LeaveChoice(LeaveForm.COMPLETE, None, datetime.date(2027, 3, 1), datetime.date(2027, 3, 31), "1",
                         datetime.date(2026, 11, 2), False)
    results = await asyncio.gather(*(file_request(acting, worker, LeaveKind.MEDICAL_ASSISTANCE, choice, "K7F-4TR-9XW")
                                     for _ in range(5)))
    assert len({request_id for request_id, _new in results}) == 1
    assert sorted(new for _id, new in results) == [False, False, False, False, True]
    assert await CareerBreakRequest.count().where(CareerBreakRequest.employer_ticket == "K7F-4TR-9XW") == 1


async def test_a_ticket_already_given_to_another_request_is_drawn_again(visitor, demo):
    _, page = await reach_confirmation(visitor)
    key = page.find("input", attrs={"name": "cle"})["value"]
    jan_request = await CareerBreakRequest.select(CareerBreakRequest.employer_ticket).where(
        CareerBreakRequest.worker == await person_id("jan.peeters")).first()  # Logistique Delta's

    # The ticket drawn for this confirmation collides with the one another enterprise's request has.
    session = await Session.select().first()
    data = json.loads(session["data"]) if isinstance(session["data"], str) else session["data"]
    [progress] = data[REQUEST_WIZARD.session_key].values()  # the request in progress, for Sophie's enterprise
    progress["confirmation"]["ticket"] = jan_request["employer_ticket"]
    await Session.update({Session.data: json.dumps(data)}).where(Session.id == session["id"])
    before = await CareerBreakRequest.count()
    response = await visitor.submit(f"{REQUEST}/confirmation", {"cle": key, "certification": "oui"})
    assert response.status_code == 409
    page = check_page(response.text)
    assert error_summary(page) == ["La demande n'a pas pu être enregistrée. Rien n'a été envoyé : vérifiez-la et "
                                   "confirmez-la à nouveau."]
    assert await CareerBreakRequest.count() == before
    new_key = page.find("input", attrs={"name": "cle"})["value"]
    assert new_key != key
    visitor.last_page = page
    sent = await confirm(visitor)
    assert sent.startswith(f"{REQUEST}/envoyee/")
    assert await CareerBreakRequest.count() == before + 1


# -- Consultation -----------------------------------------------------------------------------------


async def test_consultation_lists_the_enterprises_requests_of_the_last_two_years(visitor, demo, consultation_today):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(f"{BASE}/consultation")
    rows = result_rows(page)
    # On 01/12/2026: Les Tilleuls' demo requests filed since 30/11/2024 (the one of 02/10/2023 is older); not
    # Logistique Delta's.
    assert [row[0] for row in rows] == ["Lena Schmitt 01.09.17-022.66", "Marie Dubois 88.04.12-002.59",
                                        "Marie Dubois 88.04.12-002.59"]
    assert rows[2][1:] == ["La demande concerne un congé pour assistance médicale, interruption complète des "
                           "prestations, du 02/04/2025 au 01/05/2025.", "En attente de la partie du travailleur",
                           "10/03/2025", "PDF : formulaire de la demande de Marie Dubois du 10/03/2025"]
    assert rows[1][2] == "Annulée"
    # The two years follow today: on 12/03/2027, the request filed on 10/03/2025 has left the list.
    consultation_today(datetime.datetime(2027, 3, 12, 9, 0, tzinfo=datetime.timezone.utc))
    _, page = await visitor.page(f"{BASE}/consultation")
    assert [(row[0], row[2], row[3]) for row in result_rows(page)] == [
        ("Lena Schmitt 01.09.17-022.66", "En attente de la partie du travailleur", "02/11/2026"),
        ("Marie Dubois 88.04.12-002.59", "Annulée", "15/07/2025")]


async def test_consultation_searches_by_worker_and_by_characteristics(visitor, demo, consultation_today):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(f"{BASE}/consultation?travailleur=lena")
    assert [row.find("th").get_text(" ", strip=True) for row in page.select("#results tbody tr")] == [
        "Lena Schmitt 01.09.17-022.66"]
    _, page = await visitor.page(f"{BASE}/consultation?travailleur=88.04.12-002.59&statut=annulee")
    assert len(page.select("#results tbody tr")) == 1
    _, page = await visitor.page(f"{BASE}/consultation?type=conge-parental&forme=mi-temps")
    assert len(page.select("#results tbody tr")) == 1
    _, page = await visitor.page(f"{BASE}/consultation?du-day=1&du-month=1&du-year=2027")
    assert len(page.select("#results tbody tr")) == 1  # Lena's leave of 2027
    _, page = await visitor.page(f"{BASE}/consultation?travailleur=Jan")
    assert "Aucune demande ne correspond à votre recherche." in text_of(page)


async def test_consultation_refuses_a_wrong_search_and_keeps_it(visitor, demo):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(f"{BASE}/consultation?du-day=31&du-month=2&du-year=2026&travailleur=Lena",
                                 status=422)
    assert error_summary(page) == ["Le début de la période doit être une vraie date, par exemple 01/01/2026."]
    assert page.find("input", id="travailleur")["value"] == "Lena"
    _, page = await visitor.page(f"{BASE}/consultation?type=inconnu", status=422)
    assert error_summary(page) == ["Choisissez un type d'interruption de la liste."]


async def test_consultation_pages_with_a_keyset(visitor, demo, consultation_today):
    marie = await person_id(MARIE)
    tilleuls = (await Enterprise.select(Enterprise.id).where(Enterprise.enterprise_number == "0412345614").first())["id"]
    for _ in range(25):
        await create_request(NewRequest(marie, tilleuls, LeaveKind.PARENTAL, LeaveForm.COMPLETE,
                                        datetime.date(2027, 1, 1), datetime.date(2027, 1, 31)))
    await sign_in(visitor, SOPHIE)
    _, first = await visitor.page(f"{BASE}/consultation?travailleur=Marie")
    assert len(first.select("#results tbody tr")) == 20
    assert first.find("a", rel="prev") is None
    next_link = first.find("a", rel="next")["href"]
    assert "travailleur=Marie" in next_link and "apres=" in next_link
    _, second = await visitor.page(next_link)
    assert len(second.select("#results tbody tr")) == 7  # 25 + Marie's 2 demo requests of the last two years
    assert second.find("a", rel="next") is None
    _, back = await visitor.page(second.find("a", rel="prev")["href"])
    assert [a["href"] for a in back.select("#results tbody th a")] == [a["href"] for a in first.select("#results tbody th a")]


async def test_the_detail_shows_the_state_history_and_is_audited(visitor, demo):
    await reach_confirmation(visitor)
    request_id = int((await confirm(visitor)).rsplit("/", 1)[1])
    _, page = await visitor.page(f"{BASE}/consultation/{request_id}")
    assert page.find("h1").get_text(strip=True) == "Demande de Marie Dubois"
    ticket = (await CareerBreakRequest.select(CareerBreakRequest.employer_ticket).where(
        CareerBreakRequest.id == request_id).first())["employer_ticket"]
    timeline = [item.get_text(" ", strip=True).split(" – ", 1)[1] for item in page.select("ol.timeline li")]
    assert timeline == [f"Partie employeur introduite (ticket {ticket})", "En attente de la partie du travailleur"]
    records = await AuditRecord.select().where(AuditRecord.action == AuditAction.FILE_ACCESS.value).order_by(
        AuditRecord.sequence)
    last = records[-1]
    details = details_of(last)
    sophie_niss = "83022101446"
    assert (last["actor"], last["subject"], details) == (
        sophie_niss, MARIE_NISS, {"enterprise": "0412345614", "what": "demande", "request": request_id})


async def test_the_consultation_list_is_audited_per_worker(visitor, demo, consultation_today):
    await sign_in(visitor, SOPHIE)
    await visitor.page(f"{BASE}/consultation")
    records = await AuditRecord.select().where(AuditRecord.action == AuditAction.FILE_ACCESS.value)
    assert sorted(row["subject"] for row in records) == sorted([MARIE_NISS, "01091702266"])


# -- S6: another enterprise's requests ---------------------------------------------------------------


async def test_s6_another_enterprises_request_is_not_found(visitor, client, demo):
    await reach_confirmation(visitor)
    sent = await confirm(visitor)
    request_id = int(sent.rsplit("/", 1)[1])
    client.cookies.clear()
    await sign_in(visitor, KARIM)
    await visitor.page(f"{BASE}/consultation/{request_id}", status=404)
    await visitor.page(sent, status=404)
    _, page = await visitor.page(f"{BASE}/consultation")
    assert "Marie Dubois" not in text_of(page)
    await visitor.page(f"{BASE}/consultation/999999", status=404)


async def test_s6_a_plain_citizen_gets_403_on_every_id_route(visitor, demo):
    jan_request = (await CareerBreakRequest.select(CareerBreakRequest.id).first())["id"]
    await sign_in(visitor, MARIE)
    await visitor.page(f"{BASE}/consultation/{jan_request}", status=403)
    await visitor.page(f"{REQUEST}/envoyee/{jan_request}", status=403)


# -- languages and robustness -----------------------------------------------------------------------


async def test_the_steps_speak_dutch(visitor, demo):
    await sign_in(visitor, KARIM)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page(f"{REQUEST}/entreprise")
    assert page.find("html")["lang"] == "nl"
    assert page.find("h1").get_text(strip=True) == "Gegevens van de onderneming"
    await visitor.submit(f"{REQUEST}/entreprise", {})
    response = await choose_worker(visitor, "12345678901", committee="226")
    assert response.status_code == 422
    assert "De laatste twee cijfers (controlecijfers) komen niet overeen met de eerste 9." in response.text


async def test_odd_values_never_give_a_500(visitor, demo):
    await start(visitor, SOPHIE)
    odd = ["", "0", "-1", "99999999999999999999", "é" * 300, "<script>x</script>", "%00", "🙂"]
    for value in odd:
        for path in ("travailleur", "travailleur/dimona", "type", "conge", "confirmation", "entreprise", ""):
            response = await visitor.submit(f"{REQUEST}/{path}".rstrip("/"), {
                name: value for name in ("niss", "statut", "commission_paritaire", "recherche", "action", "type",
                                         "forme", "motif", "regime", "accord", "debut-day", "debut-month",
                                         "debut-year", "cle", "certification", "travailleur")})
            assert response.status_code < 500, (path, value, response.status_code)
        response = await visitor.client.get(f"{BASE}/consultation", params={
            "travailleur": value, "type": value, "du-day": value, "du-month": value, "du-year": value,
            "apres": value, "avant": value})
        assert response.status_code < 500
