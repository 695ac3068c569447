"""« Vous quittez la Belgique ? » (guide 002): the way in, the four questions, the result and its fragment,
bad answers in the URL, the languages, the graph of the rules. Every page through the `visitor` (title,
lang, unique ids, labels, forms with action and method)."""

import gzip
import re
from urllib.parse import parse_qs, urlencode

import pytest

from app.rules.leaving_belgium import Regime, Topic
from tests.support.queries import count_queries

SERVICE = "/vous-quittez-la-belgique"
RESULT = f"{SERVICE}/resultat"
TOPIC_PAGE = "/citoyen/vivre-travailler-ou-etudier-a-l-etranger/vous-quittez-la-belgique"
SELF_EMPLOYED_TO_FRANCE = {"nationalite": "be", "destination": "fr", "statut": "independant", "sujet": "pensions"}
PENSIONER_TO_THE_USA = {"nationalite": "be", "destination": "us", "statut": "pensionne", "sujet": "tous"}
HOSTILE = '"><script>alert(1)</script>'


def url(path: str, **answers: str) -> str:
    return f"{path}?{urlencode(answers)}" if answers else path


def text_of(element) -> str:
    return " ".join(element.get_text(" ", strip=True).replace("\u202f", " ").replace("\xa0", " ").split())


def form_of(page):
    return page.find("main").find("form")


def hidden_fields(form) -> dict[str, str]:
    return {field["name"]: field["value"] for field in form.find_all("input", type="hidden")}


def fiches(page) -> dict[str, str]:
    """The fiches shown: {topic heading: fiche title}."""
    return {text_of(card.find("h3")): text_of(card.find("strong")) for card in page.select("section.fiche")}


def compressed(response) -> int:
    return len(gzip.compress(response.content, compresslevel=6))


async def set_language(client, language: str) -> None:
    await client.get(f"/langue/{language}?next=/")


# --- the way in ---------------------------------------------------------------------------------------


async def test_citoyen_leads_to_the_topic_page_that_says_who_the_service_is_for(visitor):
    _, page = await visitor.page("/citoyen")
    theme = next(link["href"] for link in page.find("main").find_all("a")
                 if text_of(link) == "Vivre, travailler ou étudier à l'étranger")
    _, page = await visitor.page(theme)
    topic = page.find("main").find("a", string="Vous quittez la Belgique ?")
    assert topic["href"] == TOPIC_PAGE
    _, page = await visitor.page(TOPIC_PAGE)
    assert text_of(page.find("h1")) == "Vous quittez la Belgique ?"
    text = text_of(page.find("main"))
    assert "qui partent vivre, travailler, étudier ou prendre leur pension à l'étranger" in text
    assert "Il n'est pas destiné aux personnes qui partent en vacances, ni à celles qui viennent vivre" in text
    assert "Aucune identification n'est nécessaire." in text
    assert page.find("main").find("a", string="Vérifier les droits que vous gardez")["href"] == SERVICE


# --- the questions ------------------------------------------------------------------------------------


async def test_the_first_question_lists_the_nationalities_sorted_by_their_french_names(visitor):
    response, page = await visitor.page(SERVICE)
    assert "Quelle est votre nationalité ?" in page.find("title").get_text()
    assert text_of(page.find("h1")) == "Quelle est votre nationalité ?"
    form = form_of(page)
    assert (form["method"], form["action"]) == ("get", f"{SERVICE}/destination")
    assert hidden_fields(form) == {}
    select = form.find("select", id="nationalite")
    assert text_of(page.find("label", attrs={"for": "nationalite"})) == "Nationalité"
    options = [(option["value"], text_of(option)) for option in select.find_all("option")]
    assert options[0] == ("", "Choisissez dans la liste")
    countries = options[1:-3]
    assert len(countries) == 57 and ("be", "Belgique") in countries and ("dz", "Algérie") in countries
    assert ("ca-qc", "Québec") not in countries  # a destination, not a nationality
    names = [name for _, name in countries]
    assert names.index("Espagne") < names.index("Estonie") < names.index("États-Unis") < names.index("Finlande")
    assert options[-3:] == [("apatride", "Apatride"), ("refugie", "Réfugié"), ("autre", "Autre nationalité")]
    assert page.find("a", string="Précédent")["href"] == TOPIC_PAGE
    assert "no-store" in response.headers["cache-control"]


async def test_each_question_carries_the_answers_given_and_goes_to_the_next(visitor):
    _, page = await visitor.page(url(f"{SERVICE}/destination", nationalite="dz"))
    assert text_of(page.find("h1")) == "Dans quel pays partez-vous ?"
    form = form_of(page)
    assert (form["action"], hidden_fields(form)) == (f"{SERVICE}/statut", {"nationalite": "dz"})
    options = [(option["value"], text_of(option)) for option in form.find("select", id="destination").find_all("option")]
    assert len(options) == 1 + 57 + 1
    assert ("ca-qc", "Québec") in options and ("ca", "Canada") in options and ("cd", "Congo-Kinshasa") in options
    assert ("be", "Belgique") not in options and options[-1] == ("autre", "Autre pays")
    assert page.find("a", string="Précédent")["href"] == f"{SERVICE}?nationalite=dz"

    _, page = await visitor.page(url(f"{SERVICE}/statut", nationalite="dz", destination="dz"))
    assert text_of(page.find("h1")) == "Quel sera votre statut ?"
    form = form_of(page)
    assert (form["action"], hidden_fields(form)) == (f"{SERVICE}/sujet", {"nationalite": "dz", "destination": "dz"})
    labels = [text_of(page.find("label", attrs={"for": radio["id"]}).contents[0])
              for radio in form.find_all("input", type="radio")]
    assert labels == ["Travailleur salarié", "Fonctionnaire", "Indépendant",
                      "Personne occupée dans le transport international", "Travailleur frontalier",
                      "Travailleur détaché", "Pensionné", "Étudiant"]

    _, page = await visitor.page(url(f"{SERVICE}/sujet", nationalite="dz", destination="dz", statut="detache"))
    assert text_of(page.find("h1")) == "Sur quel sujet cherchez-vous des informations ?"
    form = form_of(page)
    assert form["action"] == RESULT
    assert [radio["value"] for radio in form.find_all("input", type="radio")] == [
        *(topic.value for topic in Topic), "tous"]


async def test_modifier_asks_one_question_again_with_its_answer_chosen_and_the_others_kept(visitor):
    _, page = await visitor.page(url(RESULT, **SELF_EMPLOYED_TO_FRANCE))
    changes = {text_of(row.find("dt")): row.find("a")["href"] for row in page.select("#vos-reponses .summary-list__row")}
    assert list(changes) == ["Nationalité", "Pays de destination", "Statut", "Sujet"]
    questions = [SERVICE, f"{SERVICE}/destination", f"{SERVICE}/statut", f"{SERVICE}/sujet"]
    for question, (name, href) in zip(questions, changes.items(), strict=True):
        path, query = href.split("?")
        assert path == question and parse_qs(query) == {key: [value] for key, value in
                                                              SELF_EMPLOYED_TO_FRANCE.items()}, name
    _, page = await visitor.page(changes["Pays de destination"])
    form = form_of(page)
    # the other answers are carried, the question goes straight back to the result
    assert form["action"] == RESULT
    assert hidden_fields(form) == {"nationalite": "be", "statut": "independant", "sujet": "pensions"}
    assert form.find("option", value="fr").has_attr("selected")


# --- bad or missing answers in the URL -----------------------------------------------------------------


async def test_a_question_left_unanswered_is_asked_again_with_a_message(visitor):
    _, page = await visitor.page(f"{SERVICE}/destination?nationalite=", status=422)
    assert page.find("title").get_text().startswith("Erreur : Quelle est votre nationalité ?")
    summary = page.find(attrs={"data-error-summary": True})
    assert [(link["href"], text_of(link)) for link in summary.find_all("a")] == [
        ("#nationalite", "Choisissez votre nationalité.")]
    select = page.find("select", id="nationalite")
    assert select["aria-invalid"] == "true" and "nationalite-error" in select["aria-describedby"]
    assert form_of(page)["action"] == f"{SERVICE}/destination"


@pytest.mark.parametrize("path, query, question, message", [
    (f"{SERVICE}/destination", {"nationalite": HOSTILE}, "nationalite", "Choisissez une nationalité de la liste."),
    (f"{SERVICE}/statut", {"nationalite": "be", "destination": "xx"}, "destination", "Choisissez un pays de la liste."),
    (f"{SERVICE}/statut", {"nationalite": "be", "destination": "be"}, "destination", "Choisissez un pays de la liste."),
    (f"{SERVICE}/statut", {"nationalite": "be", "destination": "fr", "statut": HOSTILE}, "statut",
     "Choisissez un statut de la liste."),
    (f"{SERVICE}/sujet", {"nationalite": "be", "destination": "fr"}, "statut", "Choisissez votre statut."),
    (RESULT, {**SELF_EMPLOYED_TO_FRANCE, "sujet": HOSTILE}, "sujet", "Choisissez un sujet de la liste."),
    (RESULT, {**SELF_EMPLOYED_TO_FRANCE, "sujet": "x" * 5000}, "sujet", "Choisissez un sujet de la liste."),
    (RESULT, {"nationalite": "ca-qc", "destination": "fr"}, "nationalite", "Choisissez une nationalité de la liste."),
    (RESULT, {}, "nationalite", "Choisissez votre nationalité."),
])
async def test_a_bad_answer_is_never_shown_back_and_its_question_is_asked_again(visitor, path, query, question,
                                                                                 message):
    response, page = await visitor.page(url(path, **query), status=422)
    assert HOSTILE not in response.text and "<script>alert" not in response.text
    summary = page.find(attrs={"data-error-summary": True})
    assert [(link["href"], text_of(link)) for link in summary.find_all("a")] == [(f"#{question}", message)]
    assert page.find(id=question) is not None
    # the valid answers are carried on, the bad one is not
    assert HOSTILE not in hidden_fields(form_of(page)).values()


async def test_a_later_answer_outside_its_list_is_dropped_by_an_earlier_question(visitor):
    _, page = await visitor.page(url(f"{SERVICE}/destination", nationalite="be", sujet=HOSTILE, statut="detache"))
    assert hidden_fields(form_of(page)) == {"nationalite": "be", "statut": "detache"}


# --- the result ----------------------------------------------------------------------------------------


async def test_a_belgian_self_employed_going_to_france_reads_the_pension_fiche(visitor, database):
    with count_queries(database) as statements:
        response, page = await visitor.page(url(RESULT, **SELF_EMPLOYED_TO_FRANCE))
    assert statements == []  # the rule table is data in a file, read once
    assert "HX-Request" in response.headers["vary"]
    assert text_of(page.find("h1")) == "Vos droits de sécurité sociale belge à l'étranger"
    answers = {text_of(row.find("dt")): text_of(row.find("dd")) for row in page.select("#vos-reponses .summary-list__row")}
    assert answers == {"Nationalité": "Belgique", "Pays de destination": "France", "Statut": "Indépendant",
                       "Sujet": "Pensions"}
    block = page.find(id="fiches")
    assert text_of(block.find("h2")) == "France : Indépendant"
    assert "Espace économique européen et Suisse" in text_of(block.find("dl"))
    assert fiches(page) == {"Pensions": "Pension : vos périodes comptent dans chaque pays"}
    card = page.select_one("section.fiche")
    text = text_of(card)
    assert "au prorata" in text and "Point non vérifié" not in text
    assert [text_of(item) for item in card.find("h4", string="À qui vous adresser").find_next("ul").find_all("li")] == [
        "Service fédéral des Pensions (SFP)",
        "Institut national d'assurances sociales pour travailleurs indépendants (INASTI)"]
    sources = [link["href"] for link in card.select("p.hint a")]
    assert sources == ["https://diplomatie.belgium.be/en/belgians-abroad/your-belgian-pension-abroad",
                       "https://viw.be/retirement-abroad"]
    assert "Fiche générale du régime" in text


async def test_a_belgian_pensioner_going_to_the_usa_reads_every_topic_within_one_round_trip(visitor):
    response, page = await visitor.page(url(RESULT, **PENSIONER_TO_THE_USA))
    assert list(fiches(page)) == ["Allocations familiales", "Pensions", "Remboursement des soins de santé",
                                  "Allocations de chômage", "Indemnités d'incapacité de travail",
                                  "Paiement des cotisations sociales", "Allocations d'interruption de carrière"]
    assert fiches(page)["Remboursement des soins de santé"] == "Soins de santé : pas d'accord, pas de couverture belge"
    text = text_of(page.find(id="fiches"))
    assert "Date d'entrée en vigueur non vérifiée." in text
    assert text.count("Point non vérifié") == 3  # family allowances, unemployment, work incapacity
    assert "Sécurité sociale d'outre-mer de l'ONSS" in text
    assert compressed(response) <= 14 * 1024


async def test_an_algerian_posted_to_algeria_is_covered_by_the_agreement(visitor):
    _, page = await visitor.page(url(RESULT, nationalite="dz", destination="dz", statut="detache", sujet="tous"))
    found = fiches(page)
    assert found["Allocations familiales"] == "Détachement : les allocations familiales sont à vérifier"
    assert found["Paiement des cotisations sociales"] == "Détachement : jusqu'à 1 an + 1 an + 3 ans"
    text = text_of(page.find(id="fiches"))
    assert "Le formulaire de détachement de cette convention est le B/ALG 1, 2" in text
    assert "En vigueur depuis le 01/10/1969." in text
    assert "Fiche propre à ce pays et à ce statut" in text


async def test_outside_the_agreement_s_scope_the_page_says_why(visitor):
    _, page = await visitor.page(url(RESULT, nationalite="fr", destination="ma", statut="salarie",
                                     sujet="allocations-familiales"))
    block = text_of(page.find(id="fiches"))
    assert "Reste du monde" in block
    assert ("La convention avec ce pays ne couvre que les ressortissants belges et de ce pays. Avec votre nationalité, "
            "ce sont les règles valables sans convention qui s'appliquent.") in block
    assert fiches(page) == {"Allocations familiales": "Allocations familiales : pas de droit, sauf exceptions"}


async def test_the_uk_page_tells_of_the_withdrawal_agreement(visitor):
    _, page = await visitor.page(url(RESULT, nationalite="be", destination="gb", statut="salarie", sujet="chomage"))
    text = text_of(page.find(id="fiches"))
    assert "Une situation commencée avant le 31/12/2020" in text and "accord de retrait" in text
    assert "Point non vérifié" in text and "Office national de l'emploi (ONEM)" in text


async def test_changing_status_or_topic_with_htmx_swaps_only_the_fiches_and_announces_it(visitor):
    response, fragment = await visitor.fragment(url(RESULT, **{**SELF_EMPLOYED_TO_FRANCE, "sujet": "tous",
                                                               "statut": "pensionne"}))
    assert fragment.find("h1") is None and fragment.find("form") is None
    status = fragment.find(id="status-message")
    assert status["hx-swap-oob"] == "innerHTML"
    assert text_of(status) == "Fiches mises à jour : Pensionné, Tous les sujets."
    summary = fragment.find(id="vos-reponses")
    assert summary["hx-swap-oob"] == "true" and "Pensionné" in text_of(summary)
    assert len(fragment.select("section.fiche")) == 7
    assert "Pensionné : le document S1 garde votre couverture belge" in text_of(fragment)
    assert compressed(response) <= 4 * 1024


async def test_the_result_form_works_without_javascript_and_with_htmx(visitor):
    _, page = await visitor.page(url(RESULT, **SELF_EMPLOYED_TO_FRANCE))
    form = page.find("form", id="autre-recherche")
    assert (form["method"], form["action"], form["hx-get"], form["hx-target"]) == ("get", RESULT, RESULT, "#fiches")
    assert hidden_fields(form) == {"nationalite": "be", "destination": "fr"}
    assert form.find("select", id="statut").find("option", value="independant").has_attr("selected")
    assert form.find("select", id="sujet").find("option", value="pensions").has_attr("selected")


async def test_a_bad_answer_sent_by_htmx_gets_a_message_in_place(visitor):
    response, fragment = await visitor.fragment(url(RESULT, **{**SELF_EMPLOYED_TO_FRANCE, "statut": HOSTILE}),
                                                status=422)
    assert "<script>alert" not in response.text
    assert text_of(fragment.find(id="status-message")) == "Choisissez un statut de la liste."
    assert fragment.find("a")["href"].startswith(f"{SERVICE}/statut?nationalite=be&destination=fr")


@pytest.mark.parametrize("regime", list(Regime))
async def test_every_regime_s_fullest_result_fits_in_one_round_trip(visitor, regime):
    """P1: « Tous les sujets » for a posted worker (the most fiches and notes) ≤ 14 KB, its fragment ≤ 4 KB."""
    destination = {Regime.EEA_SWITZERLAND: "ch", Regime.UNITED_KINGDOM: "gb", Regime.BILATERAL: "dz",
                   Regime.REST_OF_WORLD: "autre"}[regime]
    path = url(RESULT, nationalite="ma", destination=destination, statut="detache", sujet="tous")
    response, _ = await visitor.page(path)
    assert compressed(response) <= 14 * 1024
    response, _ = await visitor.fragment(path)
    assert compressed(response) <= 4 * 1024


# --- languages -------------------------------------------------------------------------------------------


async def test_the_same_address_in_dutch_and_german(visitor, client):
    path = url(RESULT, **SELF_EMPLOYED_TO_FRANCE)
    await set_language(client, "nl")
    _, page = await visitor.page(path)
    assert page.find("html")["lang"] == "nl"
    assert text_of(page.find("h1")) == "Uw Belgische socialezekerheidsrechten in het buitenland"
    assert text_of(page.find(id="fiches").find("h2")) == "Frankrijk: Zelfstandige"
    assert "Federale Pensioendienst (FPD)" in text_of(page.find(id="fiches"))
    await set_language(client, "de")
    _, page = await visitor.page(path)
    assert page.find("html")["lang"] == "de"
    assert text_of(page.find(id="fiches").find("h2")) == "Frankreich: Selbstständiger"
    assert "Pensionen" in fiches(page)


async def test_the_lists_are_sorted_for_the_user_s_language(visitor, client):
    await set_language(client, "de")
    _, page = await visitor.page(SERVICE)
    names = [text_of(option) for option in page.find("select", id="nationalite").find_all("option")][1:-3]
    assert names.index("Norwegen") < names.index("Österreich") < names.index("Philippinen")  # Ö among the O
    assert names == sorted(names, key=lambda name: name.casefold().translate(str.maketrans("äöüé", "aoue")))


# --- the graph of the rules -----------------------------------------------------------------------------


async def test_the_graph_of_the_rules_has_a_page_per_regime(visitor, client):
    response, page = await visitor.page(f"{SERVICE}/regles")
    text = text_of(page.find("main"))
    assert "194 880 chemins" in text.replace("\u202f", " ")
    links = [link["href"] for link in page.find("main").find_all("a")]
    assert links == [f"{SERVICE}/regles/{regime.value}" for regime in Regime]
    for link in links:
        response, page = await visitor.page(link)
        assert compressed(response) <= 14 * 1024, link
        for section in page.find("main").find_all("section"):
            for table in section.find_all("table"):
                rows = table.select("tbody tr")
                assert [text_of(row.find("th")) for row in rows] == [
                    "Travailleur salarié", "Fonctionnaire", "Indépendant",
                    "Personne occupée dans le transport international", "Travailleur frontalier",
                    "Travailleur détaché", "Pensionné", "Étudiant"]
                assert all(re.search(r"\(fiche [a-z0-9-]+\)", text_of(row)) for row in rows)
    assert (await client.get(f"{SERVICE}/regles/lune")).status_code == 404


async def test_the_bilateral_graph_names_the_countries_of_each_coverage_and_the_country_fiches(visitor):
    _, page = await visitor.page(f"{SERVICE}/regles/bilaterale")
    section = page.find("section", attrs={"aria-labelledby": "sujet-soins-de-sante"})
    text = text_of(section)
    assert "Couvert par la convention Pays : Albanie, Algérie, Australie, Bosnie-Herzégovine" in text
    assert "bilaterale-soins-de-sante-sans-accord" in text
    countries = page.find("table", id="fiches-pays")
    assert [text_of(row.find("th")) for row in countries.select("tbody tr")] == [
        "Algérie", "Argentine", "Australie", "Bosnie-Herzégovine", "Brésil", "Canada"]
    assert "Détachement : jusqu'à 5 ans (fiche au-detache-cotisations)" in text_of(countries)



@pytest.mark.parametrize("language", ["nl", "de", "en"])
def test_the_translations_keep_the_placeholders_the_page_fills(language):
    """A fiche's {posting}, {posting_form}, {topic}, a sentence's {date}, {status}…: the same fields in
    every language, or the page would fail (or say less) there."""
    from babel.messages.pofile import read_po

    from app.config import LOCALE_DIR

    with open(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)

    def fields(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)\}", text)) | set(re.findall(r"%\((\w+)\)", text))

    wrong = [message.id for message in catalog if isinstance(message.id, str) and message.id
             and fields(message.id) != fields(message.string)]
    assert wrong == []
