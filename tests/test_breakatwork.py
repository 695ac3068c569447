"""Break@work (guide 000): the periods taken and left, the indicative allowance with its working, the
"Attestation" button. What the citizen sees, in their language."""

import datetime
from urllib.parse import urlencode

import pytest

from app.breakatwork.sources import SOURCES
from app.breakatwork.wording import CEILING_NAMES, LEGAL_BASIS_NAMES
from app.careerbreak.services import move_request
from app.db import transaction
from app.demo import load_demo_data
from app.rules.allowances import WITHHOLDING_BASIS, allowance_basis, single_parent_increase_basis
from app.rules.careerbreak import CEILINGS, LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from tests.support.citizens import LENA, MARIE, request_for, sign_in
from tests.support.queries import count_queries

PAGE = "/interruption-de-carriere/breakatwork"


@pytest.fixture
async def demo(database):
    await load_demo_data()


def text_of(element) -> str:
    """The text as read, with Babel's non-breaking spaces ("1 666,57 €") as plain spaces."""
    return " ".join(element.get_text(" ", strip=True).replace("\u202f", " ").replace("\xa0", " ").split())


def estimate_url(**params) -> str:
    return f"{PAGE}?{urlencode(params)}"


def kind_section(page, kind_name: str):
    heading = page.find("h3", string=kind_name)
    assert heading is not None, kind_name
    return heading.find_parent("section")


def ceiling_block(section, ceiling_name: str):
    heading = section.find("h4", string=ceiling_name)
    assert heading is not None, ceiling_name
    return heading.find_parent("div", class_="ceiling")


def result_of(page):
    return page.find(id="resultat")


def sources_of(section) -> list[tuple[str, str]]:
    """The pages a kind of leave links to, under its legal basis."""
    return [(text_of(link), link["href"]) for link in section.select("p.hint a")]


def working(result) -> dict[str, tuple[str | None, list[tuple[str, str]]]]:
    """Each step of the working, by its title: the legal basis it names, and the pages it links to."""
    steps = {}
    for item in result.select("ol.working > li"):
        notes = [text_of(note) for note in item.select(".working__source")]
        basis = next((note.removeprefix("Base légale : ") for note in notes if note.startswith("Base légale : ")),
                     None)
        steps[text_of(item.find("strong"))] = (basis, [(text_of(link), link["href"]) for link in item.select("a")])
    return steps


NO_LEGAL_TEXT = "Aucun texte légal cité par les sources consultées"
TIME_CREDIT_ALLOWANCE_AR = ("AR du 12.12.2001 (droit aux allocations de l'ONEM), modifié par l'AR du 26.01.2023 "
                            "(en vigueur le 01.02.2023)")
ONEM_THEMATIC_AMOUNTS = ("ONEM, montants des allocations pour les congés thématiques",
                         "https://www.rva.be/documentatie/bedragen/loopbaanonderbreking-tijdskrediet/thematische-verloven")


# ---------------------------------------------------------------------------------------------------
# The page


async def test_break_at_work_asks_for_identification(client, demo):
    response = await client.get(PAGE)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/identification?next=%2Finterruption-de-carriere%2Fbreakatwork")


async def test_break_at_work_is_in_the_service_menu_and_says_what_it_does(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    assert page.find("h1").get_text(strip=True) == "Break@work"
    assert page.find("title").get_text(strip=True).startswith("Break@work")
    menu = page.find("nav", attrs={"aria-label": "Menu du service Interruption de carrière"})
    current = menu.find("a", attrs={"aria-current": "page"})
    assert current.get_text(strip=True) == "Break@work" and current["href"] == PAGE
    assert ("Calculez les périodes de crédit-temps ou d'interruption de carrière qu'il vous reste ou le montant "
            "de votre allocation.") in text_of(page.find("main"))
    assert [h2.get_text(strip=True) for h2 in page.find("main").find_all("h2")] == [
        "Mes périodes", "Estimer mon allocation"]


# ---------------------------------------------------------------------------------------------------
# Mes périodes


async def test_the_parental_leave_for_emma_shows_what_is_taken_and_left_in_every_form(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    parental = kind_section(page, "Congé parental")
    per_child = ceiling_block(parental, "Par enfant")
    assert per_child.find("h5").get_text(strip=True) == "Emma Dubois (date de naissance : 12/03/2019)"
    text = text_of(per_child)
    assert "2 mois pris sur 4 en interruption complète, soit 10 mois à 1/5." in text
    assert ("Il vous reste 2 mois en interruption complète, soit 4 mois à mi-temps, 10 mois à 1/5 ou "
            "20 mois à 1/10.") in text
    assert "L'ONEM paie une allocation pendant tout le congé" in text  # born after 08/03/2012
    rows = [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in per_child.select("tbody tr")]
    assert rows == [["Du 01/01/2024 au 31/10/2024", "Réduction d'1/5", "10 mois", "2 mois en interruption complète"]]
    assert "Base légale : AR du 29.10.1997 (congé parental)" in text_of(parental)


async def test_the_career_maximums_always_appear_even_when_nothing_was_taken(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    care = kind_section(page, "Crédit-temps avec motif de soins")
    shared = text_of(ceiling_block(care, "Motifs de soins et de formation ensemble, sur toute la carrière"))
    assert "Maximum : 51 mois." in shared
    assert "0 mois pris sur 51." in shared and "Il vous reste 51 mois." in shared
    training = kind_section(page, "Crédit-temps avec motif de formation")
    assert "Il vous reste 36 mois." in text_of(ceiling_block(training, "Motif de formation, sur toute la carrière"))
    # Marie's caregiver leave was cancelled: it does not count.
    caregiver = kind_section(page, "Congé pour aidants proches")
    assert "Il vous reste 6 mois." in text_of(ceiling_block(caregiver, "Interruption complète, sur toute la carrière"))
    assert "Il vous reste 12 mois." in text_of(
        ceiling_block(caregiver, "Réduction à mi-temps ou d'1/5, sur toute la carrière"))
    public = kind_section(page, "Interruption de carrière dans le secteur public")
    assert "Il vous reste 60 mois." in text_of(public)
    end_of_career = text_of(kind_section(page, "Crédit-temps fin de carrière"))
    assert "Pas de maximum : jusqu'à la pension." in end_of_career
    # Per patient: the medical assistance still waiting for Marie's part does not count; the maximum shows.
    medical = kind_section(page, "Congé pour assistance médicale")
    complete = text_of(ceiling_block(medical, "Interruption complète, par patient"))
    assert "Maximum : 12 mois." in complete and "Aucune période prise." in complete
    # Time credit without motive (abolished in 2017) is not a kind of its own.
    assert page.find("h3", string="Crédit-temps sans motif") is None


async def test_a_citizen_without_history_sees_the_maximums(visitor, demo):
    await sign_in(visitor, LENA)
    await visitor.client.get("/langue/fr?next=/")
    _, page = await visitor.page(PAGE)
    parental = kind_section(page, "Congé parental")
    text = text_of(parental)
    assert ("Maximum : 4 mois en interruption complète, soit 8 mois à mi-temps, 20 mois à 1/5 ou 40 mois à 1/10."
            in text)
    assert "Aucune période prise." in text and "pris sur" not in text
    assert "Emma" not in text_of(page.find("main"))  # only the citizen's own history


async def test_periods_sent_for_a_patient_count_against_that_patients_maximum(visitor, demo):
    request_id = await request_for(MARIE, kind=LeaveKind.MEDICAL_ASSISTANCE, form=LeaveForm.HALF_TIME,
                                   start=datetime.date(2025, 6, 1), end=datetime.date(2025, 8, 15))
    async with transaction():
        await move_request(request_id, 1, RequestState.WORKER_PART_SENT, subject_name="Paul Martin",
                           subject_birth_date=datetime.date(1950, 2, 1))
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    partial = ceiling_block(kind_section(page, "Congé pour assistance médicale"),
                            "Réduction à mi-temps ou d'1/5, par patient")
    assert partial.find("h5").get_text(strip=True) == "Paul Martin (date de naissance : 01/02/1950)"
    text = text_of(partial)
    assert "2 mois et 15 jours pris sur 24." in text
    assert "Il vous reste 21 mois et 15 jours." in text
    assert "Du 01/06/2025 au 15/08/2025" in text


async def test_the_page_reads_the_history_in_one_query(visitor, demo, database):
    await sign_in(visitor)
    with count_queries(database) as statements:
        await visitor.page(PAGE)
    assert len(statements) <= 2, statements  # the session, the history


async def test_each_kind_of_leave_names_its_legal_basis_and_links_the_pages_of_its_rules(visitor, demo):
    """domain.md §2.1: the AR or CCT with its date where it names one; where it names none, the page says
    so, and the pages the rules come from stay linked (never named as if they were a law)."""
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    time_credit = "CCT n° 103 (crédit-temps), modifiée par la CCT n° 103/6 du 27.09.2022"
    expected = {
        "Congé parental": "AR du 29.10.1997 (congé parental)",
        "Congé pour assistance médicale": NO_LEGAL_TEXT,
        "Congé pour soins palliatifs": NO_LEGAL_TEXT,
        "Congé pour aidants proches": NO_LEGAL_TEXT,
        "Crédit-temps avec motif de soins": time_credit,
        "Crédit-temps avec motif de formation": time_credit,
        "Crédit-temps fin de carrière": ("CCT n° 103 (crédit-temps), modifiée pour la fin de carrière par la CCT "
                                         "n° 103/7 (en vigueur le 01.01.2026)"),
        "Interruption de carrière dans le secteur public": NO_LEGAL_TEXT,
    }
    for kind_name, basis in expected.items():
        section = kind_section(page, kind_name)
        assert f"Base légale : {basis}" in text_of(section), kind_name
        assert sources_of(section) and all(href.startswith("https://") for _, href in sources_of(section)), kind_name
    assert "ONEM, congé pour" not in text_of(page.find("main"))
    assert sources_of(kind_section(page, "Congé pour assistance médicale")) == [
        ("CSC, congé pour soins médicaux (source non officielle)",
         "https://www.lacsc.be/ma-carriere/travailler-dans-le-secteur-prive/credit-temps-et-conges-thematique/"
         "cong%C3%A9s-th%C3%A9matiques/cong%C3%A9-pour-soins-m%C3%A9dicaux"),
        ("Hospichild, congé pour assistance médicale (source non officielle)",
         "https://hospichild.be/conge-specifiques/prendre-un-conge-pour-rester-pres-de-votre-enfant/"
         "conge-pour-assistance-medicale"),
    ]
    assert ("ONEM, le crédit-temps avec motif (feuille info T160)",
            "https://www.onem.be/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/"
            "credit-temps-secteur-prive/le-credit-temps-avec-motif") in sources_of(
        kind_section(page, "Crédit-temps avec motif de soins"))


def test_every_maximum_legal_basis_and_source_of_the_rules_has_a_name_on_the_page():
    assert {ceiling.key for ceiling in CEILINGS} <= set(CEILING_NAMES)
    bases = [ceiling.legal_basis for ceiling in CEILINGS] + [WITHHOLDING_BASIS]
    bases += [basis for kind in LeaveKind for form in LeaveForm
              for basis in (allowance_basis(kind), single_parent_increase_basis(kind, form)) if basis is not None]
    assert {basis.text for basis in bases} <= set(LEGAL_BASIS_NAMES)
    assert {key for basis in bases for key in basis.source_keys} <= set(SOURCES)


# ---------------------------------------------------------------------------------------------------
# Attestation


async def test_the_attestation_button_posts_the_balance_to_the_attestations_screen(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    button = page.find("button", string="Attestation")
    form = button.find_parent("form")
    assert form["method"] == "post" and form["action"] == "/interruption-de-carriere/attestations"
    assert form.find("input", attrs={"name": "_csrf_token"})["value"] == visitor.csrf_token()
    assert form.find("input", attrs={"name": "document"})["value"] == "solde"
    assert "e-Box" in text_of(page.find(id=button["aria-describedby"]))


async def test_the_attestation_button_sends_the_balance_through_the_attestations_screen(visitor, demo):
    """Without JavaScript, as a browser posts the form: the Attestations screen confirms the sending."""
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    form = page.find("button", string="Attestation").find_parent("form")
    fields = {field["name"]: field["value"] for field in form.find_all("input", attrs={"type": "hidden"})}
    response = await visitor.client.post(form["action"], data=fields)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/interruption-de-carriere/attestations/confirmation/")


# ---------------------------------------------------------------------------------------------------
# Estimer mon allocation


async def test_the_estimator_is_a_get_form_whose_state_is_the_url(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(PAGE)
    form = page.find("form", id="estimate-form")
    assert form["method"] == "get" and form["action"] == f"{PAGE}#resultat"
    assert form["hx-get"] == PAGE and form["hx-target"] == "#resultat" and form["hx-push-url"] == "true"
    # Today's date and a full-time job to start with; nothing estimated yet.
    today = datetime.date.today()
    assert form.find("input", attrs={"name": "date"})["value"] in {
        today.isoformat(), (today - datetime.timedelta(days=1)).isoformat(),
        (today + datetime.timedelta(days=1)).isoformat()}  # Brussels' date may differ from the server's
    assert form.find("input", attrs={"name": "regime", "value": "1"}).has_attr("checked")
    assert "Choisissez le type de congé et sa forme" in text_of(result_of(page))
    kinds = [radio["value"] for radio in form.find_all("input", attrs={"name": "type"})]
    assert "assistance-medicale" in kinds and "credit-temps-sans-motif" not in kinds


async def test_medical_assistance_complete_at_the_2022_index_shows_gross_net_and_its_working(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2023-06-01",
                                              menage="cohabitant", regime="1"))
    result = result_of(page)
    text = text_of(result)
    assert result.find("h3").get_text(strip=True) == "Votre allocation mensuelle indicative"
    amounts = {text_of(row.find("dt")): text_of(row.find("dd")) for row in result.select("dl.estimate__amounts div")}
    assert amounts == {"Brut par mois": "978,24 €", "Net par mois": "879,15 €"}
    assert "Taux indexé au 01/12/2022." in text
    # The working: the inputs, then each rule with its source.
    inputs = {text_of(row.find("dt")): text_of(row.find("dd")) for row in result.select(".summary-list__row")}
    assert inputs["Type de congé"] == "Congé pour assistance médicale"
    assert inputs["Forme"] == "Interruption complète"
    assert inputs["Date"] == "01/06/2023"
    assert inputs["Régime de travail"] == "Temps plein"
    steps = [text_of(item) for item in result.select("ol.working > li")]
    titles = [text_of(item.find("strong")) for item in result.select("ol.working > li")]
    assert titles == ["Barème", "Montant majoré du parent isolé", "Catégorie du barème", "Taux en vigueur le 01/06/2023",
                      "Montant net", "Régime de travail", "Résultat"]
    assert steps[0].startswith("Barème Congé pour assistance médicale : barème des congés thématiques (secteur privé).")
    assert steps[1].startswith("Montant majoré du parent isolé Ne s'applique pas")
    assert "Taux indexé au 01/12/2022 : 978,24 € brut et 879,15 € net par mois" in steps[3]
    assert steps[5].startswith("Régime de travail Temps plein : le montant n'est pas réduit.")
    assert steps[-1] == "Résultat 978,24 € brut et 879,15 € net par mois."
    sources = [link["href"] for link in result.select("ol.working a")]
    assert "https://www.rva.be/documentatie/bedragen/loopbaanonderbreking-tijdskrediet/thematische-verloven" in sources


async def test_on_1_december_2026_the_later_rate_of_november_2023_applies(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2026-12-01",
                                              menage="cohabitant", regime="1"))
    result = result_of(page)
    amounts = {text_of(row.find("dt")): text_of(row.find("dd")) for row in result.select("dl.estimate__amounts div")}
    # The row of 01/11/2023 publishes only the net amount: the gross is not guessed.
    assert amounts == {"Brut par mois": "non publié", "Net par mois": "896,73 €"}
    text = text_of(result)
    assert "Taux indexé au 01/11/2023." in text
    assert "Dernier montant brut officiel connu : 978,24 € (taux indexé au 01/12/2022)." in text
    assert "Jobat, montants nets au 01/11/2023 (source non officielle)" in text


async def test_a_part_time_worker_gets_a_prorated_complete_interruption(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2023-06-01",
                                              menage="cohabitant", regime="1/2"))
    result = result_of(page)
    assert "489,12 €" in text_of(result.find("dl"))  # 978,24 × 1/2
    assert "439,58 €" in text_of(result.find("dl"))  # 879,15 × 1/2, rounded half up
    assert ("Régime de travail avant l'interruption : Mi-temps. Le montant d'une interruption complète est réduit "
            "dans la même proportion (brut : 978,24 € × 1/2 = 489,12 € ; net : 879,15 € × 1/2 = 439,58 €).") in text_of(result)


async def test_the_single_parent_increase_applies_when_its_condition_is_met(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(
        type="assistance-medicale", forme="complete", date="2023-09-01", menage="isole-avec-enfants",
        naissance_enfant="2015-05-01", regime="1"))
    result = result_of(page)
    amounts = text_of(result.find("dl"))
    assert "1 666,57 €" in amounts and "1 497,75 €" in amounts
    text = text_of(result)
    assert ("Montant majoré du parent isolé S'applique : vous vivez exclusivement avec vos enfants à charge, "
            "et votre plus jeune enfant, né le 01/05/2015, a moins de 18 ans le 01/09/2023.") in text
    assert "Taux indexé au 01/07/2023." in text


async def test_the_single_parent_increase_stops_at_the_childs_age_limit(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(
        type="conge-parental", forme="complete", date="2023-09-01", menage="isole-avec-enfants",
        naissance_enfant="2010-05-01", regime="1"))
    text = text_of(result_of(page))
    assert "Ne s'applique pas : votre plus jeune enfant a eu 12 ans le 01/05/2022." in text
    assert "978,24 €" in text and "1 666,57 €" not in text


async def test_no_amount_is_invented_for_the_one_fifth_time_credit(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-soins", forme="un-cinquieme",
                                              date="2026-12-01", anciennete="5-ans-et-plus", regime="1"))
    result = result_of(page)
    assert result.find("h3").get_text(strip=True) == "Aucun montant connu"
    assert ("Les montants du crédit-temps à 1/5 n'ont été trouvés dans aucun barème officiel de l'ONEM consulté. "
            "Aucun montant n'est donc estimé.") in text_of(result)
    assert "€" not in text_of(result) and result.find("dl", class_="estimate__amounts") is None
    # The working still shows the inputs and the rules that could be applied.
    assert "Catégorie du barème Ancienneté de 5 ans ou plus." in text_of(result)


async def test_no_amount_is_invented_for_a_kind_without_a_known_table(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="credit-temps-fin-de-carriere", forme="mi-temps",
                                              date="2026-12-01"))
    text = text_of(result_of(page))
    assert ("Guichet ne connaît aucun barème pour ce type de congé (Crédit-temps fin de carrière) : les montants "
            "de l'ONEM n'ont pas été trouvés dans les sources publiques consultées.") in text
    assert "€" not in text


async def test_a_date_before_the_first_known_rate_says_from_when_rates_are_known(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="conge-parental", forme="un-cinquieme", date="2023-06-01",
                                              menage="cohabitant"))
    assert "le plus ancien taux connu date du 01/11/2023" in text_of(result_of(page))


async def test_time_credit_half_time_reads_the_category_of_seniority_household_and_age(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-formation", forme="mi-temps",
                                              date="2023-01-01", menage="isole", anciennete="5-ans-et-plus",
                                              age="50-ans-et-plus"))
    text = text_of(result_of(page))
    assert "Catégorie du barème Ancienneté de 5 ans ou plus, isolé, 50 ans ou plus." in text
    assert "328,76 €" in text and "272,38 €" in text and "Taux indexé au 01/05/2022." in text
    assert "Montant majoré du parent isolé" not in text  # only the 1/5 time credit has one


async def test_every_rule_of_a_thematic_leave_estimate_names_its_legal_basis(visitor, demo):
    """domain.md names no legal text for the medical assistance allowance: each step says so, and keeps
    the ONEM's page of amounts it reads."""
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2023-06-01",
                                              menage="cohabitant", regime="1/2"))
    steps = working(result_of(page))
    assert list(steps) == ["Barème", "Montant majoré du parent isolé", "Catégorie du barème",
                           "Taux en vigueur le 01/06/2023", "Montant net", "Régime de travail", "Résultat"]
    for title in ("Barème", "Montant majoré du parent isolé", "Catégorie du barème", "Taux en vigueur le 01/06/2023",
                  "Montant net", "Régime de travail"):
        basis, links = steps[title]
        assert basis == NO_LEGAL_TEXT and ONEM_THEMATIC_AMOUNTS in links, title
    assert steps["Résultat"] == (None, [])  # the result applies no rule


@pytest.mark.parametrize("params, basis, page_of_basis", [
    ({"type": "conge-parental", "forme": "complete", "menage": "cohabitant"}, "AR du 29.10.1997 (congé parental)",
     "ONEM, congé parental"),
    ({"type": "soins-palliatifs", "forme": "mi-temps", "menage": "cohabitant"}, NO_LEGAL_TEXT,
     ONEM_THEMATIC_AMOUNTS[0]),
    ({"type": "aidant-proche", "forme": "complete", "menage": "isole"}, NO_LEGAL_TEXT, ONEM_THEMATIC_AMOUNTS[0]),
    ({"type": "credit-temps-motif-soins", "forme": "complete", "anciennete": "5-ans-et-plus"},
     TIME_CREDIT_ALLOWANCE_AR, "ONEM, le crédit-temps avec motif (feuille info T160)"),
])
async def test_the_table_of_the_estimate_names_the_legal_basis_of_the_allowance(visitor, demo, params, basis,
                                                                               page_of_basis):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(date="2023-06-01", regime="1", **params))
    table_basis, links = working(result_of(page))["Barème"]
    assert table_basis == basis
    assert page_of_basis in [label for label, _ in links]


async def test_the_time_credit_estimate_cites_the_royal_decree_of_the_allowance(visitor, demo):
    """domain.md §2.1: the right to the ONEM allowance is AR 12.12.2001, amended by AR 26.01.2023 in force
    on 1.2.2023; the withholding has no legal text in the sources."""
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-formation", forme="complete",
                                              date="2023-01-01", anciennete="moins-5-ans", regime="1"))
    steps = working(result_of(page))
    for title in ("Barème", "Catégorie du barème", "Taux en vigueur le 01/01/2023", "Régime de travail"):
        assert steps[title][0] == TIME_CREDIT_ALLOWANCE_AR, title
    assert steps["Montant net"][0] == NO_LEGAL_TEXT
    assert ("ONEM, barèmes de l'interruption de carrière et du crédit-temps",
            "https://www.rva.be/nl/documentatie/baremas/loopbaanonderbreking-tijdskrediet") in steps["Barème"][1]
    assert "Base légale : " + TIME_CREDIT_ALLOWANCE_AR in text_of(result_of(page))


async def test_the_one_fifth_time_credit_names_the_single_parent_increase_and_its_royal_decree(visitor, demo):
    """domain.md §2.3.1: the 1/5 time credit is increased for a worker living only with dependent children
    (AR 31.08.2021, in force 1.07.2021); its amounts were not found, so none is shown."""
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-soins", forme="un-cinquieme",
                                              date="2026-12-01", anciennete="5-ans-et-plus",
                                              menage="isole-avec-enfants", regime="1"))
    result = result_of(page)
    steps = working(result)
    assert list(steps) == ["Barème", "Montant majoré du parent isolé", "Catégorie du barème"]
    basis, links = steps["Montant majoré du parent isolé"]
    assert basis == "AR du 31.08.2021 (montant majoré du crédit-temps à 1/5, en vigueur le 01.07.2021)"
    assert [label for label, _ in links] == [
        "ONEM, augmentation des allocations pour les familles monoparentales (2021)"]
    text = text_of(result)
    assert ("Montant majoré du parent isolé Vous vivez exclusivement avec vos enfants à charge : depuis le "
            "01/07/2021, le crédit-temps à 1/5 est majoré dans ce cas. Le montant majoré n'a été trouvé dans aucun "
            "barème consulté.") in text
    inputs = {text_of(row.find("dt")): text_of(row.find("dd")) for row in result.select(".summary-list__row")}
    assert inputs["Situation de ménage"] == "Je vis seul(e) avec un ou plusieurs enfants à charge"
    assert "€" not in text
    # Without the household, the rule itself; living with another adult, it does not apply.
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-soins", forme="un-cinquieme",
                                              date="2026-12-01", anciennete="5-ans-et-plus", regime="1"))
    assert ("Depuis le 01/07/2021, le crédit-temps à 1/5 est majoré pour le travailleur qui vit exclusivement avec "
            "un ou plusieurs enfants à charge.") in text_of(result_of(page))
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-soins", forme="un-cinquieme",
                                              date="2026-12-01", anciennete="5-ans-et-plus", menage="cohabitant",
                                              regime="1"))
    assert "Montant majoré du parent isolé Ne s'applique pas" in text_of(result_of(page))


# ---------------------------------------------------------------------------------------------------
# Bad input: 422, the error summary, what was typed kept


async def test_a_form_not_offered_for_the_kind_is_refused_with_the_inputs_kept(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="soins-palliatifs", forme="un-dixieme", date="2026-12-01",
                                              menage="cohabitant"), status=422)
    assert page.find("title").get_text(strip=True).startswith("Erreur : Break@work")
    summary = page.find(attrs={"data-error-summary": True})
    message = ("La forme « Réduction d'1/10 » n'est pas prévue pour ce type de congé (Congé pour soins palliatifs). "
               "Choisissez : Interruption complète, Réduction à mi-temps, Réduction d'1/5.")
    assert [text_of(link) for link in summary.find_all("a")] == [message]
    assert summary.find("a")["href"] == "#forme"
    # What was typed is kept; the form now offers the forms of palliative care.
    assert page.find("input", attrs={"name": "type", "value": "soins-palliatifs"}).has_attr("checked")
    assert page.find("input", attrs={"name": "date"})["value"] == "2026-12-01"
    assert page.find("input", attrs={"name": "menage", "value": "cohabitant"}).has_attr("checked")
    assert [radio["value"] for radio in page.find_all("input", attrs={"name": "forme"})] == [
        "complete", "mi-temps", "un-cinquieme"]
    assert page.find(id="forme").find_parent("fieldset")["aria-describedby"].split()[-1] == "forme-error"
    assert "Aucune estimation" in text_of(result_of(page))


@pytest.mark.parametrize("typed, message", [
    ("2026-13-45", "Saisissez une date réelle, par exemple 01/12/2026."),
    ("demain", "Saisissez une date réelle, par exemple 01/12/2026."),
    ("9999-12-31", "La date doit se situer entre le 01/01/1990 et le 31/12/2100."),
    ("", "Saisissez la date à laquelle calculer l'allocation."),
])
async def test_a_bad_date_is_refused_with_what_was_typed(visitor, demo, typed, message):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date=typed,
                                              menage="cohabitant", regime="1"), status=422)
    summary = page.find(attrs={"data-error-summary": True})
    assert [text_of(link) for link in summary.find_all("a")] == [message]
    field = page.find("input", attrs={"name": "date"})
    assert field.get("value", "") == typed and field["aria-invalid"] == "true"


@pytest.mark.parametrize("params, field, message", [
    ({"type": "inconnu", "forme": "complete"}, "#type", "Choisissez un type de congé de la liste."),
    ({"type": "credit-temps-sans-motif", "forme": "complete"}, "#type", "Choisissez un type de congé de la liste."),
    ({"forme": "complete"}, "#type", "Choisissez le type de congé."),
    ({"type": "assistance-medicale", "forme": "un-quart"}, "#forme", "Choisissez une forme de la liste."),
    ({"type": "assistance-medicale"}, "#forme", "Choisissez la forme de l'interruption."),
    ({"type": "assistance-medicale", "forme": "complete", "regime": "2/3"}, "#regime",
     "Choisissez votre régime de travail dans la liste."),
])
async def test_an_unknown_choice_is_refused(visitor, demo, params, field, message):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(date="2026-12-01", menage="cohabitant", **params), status=422)
    links = page.find(attrs={"data-error-summary": True}).find_all("a")
    assert [(link["href"], text_of(link)) for link in links] == [(field, message)]


async def test_missing_answers_are_asked_for_each_kind(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-soins", forme="mi-temps",
                                              date="2026-12-01"), status=422)
    links = {link["href"]: text_of(link) for link in page.find(attrs={"data-error-summary": True}).find_all("a")}
    assert links == {"#menage": "Indiquez votre situation de ménage.",
                     "#anciennete": "Indiquez votre ancienneté chez l'employeur.",
                     "#age": "Indiquez votre âge."}
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2026-12-01",
                                              menage="isole-avec-enfants"), status=422)
    assert [text_of(link) for link in page.find(attrs={"data-error-summary": True}).find_all("a")] == [
        "Saisissez la date de naissance de votre plus jeune enfant à charge."]


async def test_odd_values_never_give_a_server_error(visitor, demo):
    await sign_in(visitor)
    odd = ["", " ", "0", "-1", "1e309", "é" * 300, "<script>x</script>", "%00", "0000-00-00", "1-1-1",
           "99999999999999999999", "🙂", "2026-02-30", "31/12/2100", "01.01.1990"]
    names = ["type", "forme", "date", "menage", "naissance_enfant", "enfant_handicape", "anciennete", "age", "regime"]
    for value in odd:
        for name in names:
            params = {"type": "assistance-medicale", "forme": "complete", "date": "2026-12-01",
                      "menage": "isole-avec-enfants", "naissance_enfant": "2019-03-12", "regime": "1", name: value}
            response = await visitor.client.get(estimate_url(**params))
            assert response.status_code in (200, 422), (name, value, response.status_code)
            assert "<script>x</script>" not in response.text


# ---------------------------------------------------------------------------------------------------
# htmx: the result block only, the URL kept as the state


async def test_htmx_gets_only_the_result_with_the_form_field_and_the_live_message(visitor, demo):
    await sign_in(visitor)
    response, fragment = await visitor.fragment(estimate_url(
        type="assistance-medicale", forme="complete", date="2023-06-01", menage="cohabitant", regime="1"))
    assert "<html" not in response.text and fragment.find("h1") is None
    assert fragment.find("h3").get_text(strip=True) == "Votre allocation mensuelle indicative"
    status = fragment.find(id="status-message")
    assert status["hx-swap-oob"] == "innerHTML"
    assert text_of(status) == "Allocation mensuelle indicative : 978,24 € brut, 879,15 € net."
    assert fragment.find(id="forme-field")["hx-swap-oob"] == "true"
    # The balances are not part of the result.
    assert "Mes périodes" not in response.text
    assert len(response.content) < 12_000


async def test_htmx_after_a_change_of_kind_refreshes_the_forms_and_says_what_is_wrong(visitor, demo):
    await sign_in(visitor)
    response, fragment = await visitor.fragment(estimate_url(
        type="credit-temps-fin-de-carriere", forme="complete", date="2026-12-01"), status=422)
    assert [radio["value"] for radio in fragment.select("#forme-field input[name=forme]")] == [
        "mi-temps", "un-cinquieme"]
    assert fragment.find(id="forme-error") is not None
    problems = fragment.select(".estimate__problems a")
    assert [link["href"] for link in problems] == ["#forme"]
    # No error summary that would take the focus while the citizen is choosing.
    assert fragment.find(attrs={"data-error-summary": True}) is None
    assert text_of(fragment.find(id="status-message")).startswith("Il y a un problème : La forme")


# ---------------------------------------------------------------------------------------------------
# Languages


async def test_the_page_in_dutch_writes_amounts_and_dates_as_in_dutch(visitor, demo):
    await sign_in(visitor)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2023-06-01",
                                              menage="cohabitant", regime="1"))
    assert page.find("html")["lang"] == "nl"
    assert [h2.get_text(strip=True) for h2 in page.find("main").find_all("h2")] == [
        "Mijn periodes", "Mijn uitkering ramen"]
    amounts = text_of(result_of(page).find("dl"))
    assert "€ 978,24" in amounts and "€ 879,15" in amounts
    assert "Bedrag geïndexeerd op 1/12/2022." in text_of(result_of(page))  # Babel writes Dutch dates so
    parental = kind_section(page, "Ouderschapsverlof")
    assert "2 maanden opgenomen van 4 bij volledige onderbreking, d.w.z. 10 maanden bij 1/5." in text_of(parental)
    assert "Rechtsgrond: KB van 29.10.1997 (ouderschapsverlof)" in text_of(parental)
    assert ("Rechtsgrond: Geen wettekst vermeld in de geraadpleegde bronnen"
            in text_of(kind_section(page, "Verlof voor medische bijstand")))
    _, page = await visitor.page(estimate_url(type="credit-temps-motif-formation", forme="complete",
                                              date="2023-01-01", anciennete="moins-5-ans", regime="1"))
    assert ("Rechtsgrond: KB van 12.12.2001 (recht op uitkeringen van de RVA), gewijzigd door het KB van 26.01.2023 "
            "(van kracht op 01.02.2023)") in text_of(result_of(page))


async def test_the_page_in_german_writes_amounts_and_dates_as_in_german(visitor, demo):
    await sign_in(visitor)
    await visitor.client.get("/langue/de?next=/")
    _, page = await visitor.page(estimate_url(type="assistance-medicale", forme="complete", date="2023-06-01",
                                              menage="cohabitant", regime="1"))
    assert page.find("html")["lang"] == "de"
    assert [h2.get_text(strip=True) for h2 in page.find("main").find_all("h2")] == [
        "Meine Zeiträume", "Meine Zulage schätzen"]
    assert "978,24 €" in text_of(result_of(page).find("dl"))
    assert "01.12.2022" in text_of(result_of(page))
    _, page = await visitor.page(estimate_url(type="soins-palliatifs", forme="un-dixieme", date="2026-12-01",
                                              menage="cohabitant"), status=422)
    assert page.find("title").get_text(strip=True).startswith("Fehler")
