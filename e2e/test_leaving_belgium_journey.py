"""Guide 002, « Vous quittez la Belgique ? », in French: three people answer the four questions and read
the rights they keep abroad. Each journey runs with JavaScript on and off (A2); every `journey.step` runs
axe (A1), checks reflow at 320 px (A6) and that no script or Content-Security-Policy error happened.

Each behaviour is proven once (P7): the way in from the home page, an unanswered question, « Modifier »
keeping the other answers, the htmx update announced in the live region (or the reload without
JavaScript), the result page in Dutch and German.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.pages.leaving_belgium import QuestionPage, ResultPage, RulesPage, country
from e2e.pages.portal import HomePage
from e2e.support.journey import Journey
from e2e.support.words import translate

ALL_TOPICS = ("Allocations familiales", "Pensions", "Remboursement des soins de santé", "Allocations de chômage",
              "Indemnités d'incapacité de travail", "Paiement des cotisations sociales",
              "Allocations d'interruption de carrière")


def answer_the_four_questions(page: Page, journey: Journey, first: QuestionPage, nationality: str,
                              destination: str, status: str, topic: str, name: str) -> ResultPage:
    """Nationality and destination from their lists (country names as the page writes them), status and
    topic from their radios (French), « Continuer » after each: a step on every page."""
    expect(first.heading).to_have_text(first.text(QuestionPage.NATIONALITY))
    journey.step(page, f"{name}-nationalite")
    screen = first.choose_in_list("Nationalité", nationality).next()
    assert screen.status == 200, screen.status
    expect(screen.heading).to_have_text(screen.text(QuestionPage.DESTINATION))
    journey.step(page, f"{name}-destination")
    screen = screen.choose_in_list("Pays de destination", destination).next()
    expect(screen.heading).to_have_text(screen.text(QuestionPage.STATUS))
    journey.step(page, f"{name}-statut")
    screen = screen.check("Votre statut", status).next()
    expect(screen.heading).to_have_text(screen.text(QuestionPage.TOPIC))
    journey.step(page, f"{name}-sujet")
    result = screen.check("Sujet", topic).next()
    assert isinstance(result, ResultPage) and result.status == 200, page.url
    expect(result.heading).to_have_text(result.text(ResultPage.TITLE))
    journey.step(page, f"{name}-resultat")
    return result


def test_a_belgian_self_employed_going_to_france_asks_about_pensions(page: Page, journey: Journey,
                                                                   javascript: bool) -> None:
    """Home → Citoyen → the theme → « Vous quittez la Belgique ? » (who it is for) → the four questions →
    the pension fiche; « Modifier » the destination keeps the other answers; another topic updates the
    fiches in place (JavaScript) or reloads the page; the same address in Dutch and German."""
    home = HomePage.open(page)
    journey.step(page, "accueil")
    citizen = home.open_audience("Citoyen")
    expect(citizen.heading).to_have_text(citizen.text("Citoyen"))
    journey.step(page, "citoyen")
    theme = citizen.follow("Vivre, travailler ou étudier à l'étranger")
    expect(theme.heading).to_have_text(theme.text("Vivre, travailler ou étudier à l'étranger"))
    journey.step(page, "theme")
    topic = theme.follow("Vous quittez la Belgique ?")
    expect(topic.main).to_contain_text(topic.text(
        "Il n'est pas destiné aux personnes qui partent en vacances, ni à celles qui viennent vivre, "
        "travailler ou étudier en Belgique."))
    journey.step(page, "vous-quittez-la-belgique")
    first = topic.follow("Vérifier les droits que vous gardez")
    result = answer_the_four_questions(page, journey, QuestionPage(page, status=first.status), country("fr", "BE"),
                                       country("fr", "FR"), "Indépendant", "Pensions", "independant-france")
    assert result.answers() == {"Nationalité": "Belgique", "Pays de destination": "France",
                                "Statut": "Indépendant", "Sujet": "Pensions"}
    expect(result.fiches).to_have_count(1)
    expect(result.fiche("Pensions")).to_contain_text("Pension : vos périodes comptent dans chaque pays")
    expect(result.fiche("Pensions")).to_contain_text(
        "Institut national d'assurances sociales pour travailleurs indépendants (INASTI)")
    address = page.url

    # « Modifier » the destination: the question comes back with France chosen, the others are kept.
    question = result.change("Pays de destination")
    expect(question.heading).to_have_text(question.text(QuestionPage.DESTINATION))
    expect(question.list_field("Pays de destination")).to_have_value("fr")
    journey.step(page, "modifier-destination")
    result = question.choose_in_list("Pays de destination", country("fr", "DE")).next()
    assert isinstance(result, ResultPage), page.url
    assert result.answers() == {"Nationalité": "Belgique", "Pays de destination": "Allemagne",
                                "Statut": "Indépendant", "Sujet": "Pensions"}
    journey.step(page, "resultat-allemagne")

    # Another topic: the fiches change in place and the live region says so (or the page reloads).
    assert result.show(topic="Tous les sujets") == 200
    expect(result.fiches).to_have_count(len(ALL_TOPICS))
    if javascript:
        expect(result.live_region).to_have_text(
            result.text("Fiches mises à jour : {status}, {topic}.").format(
                status=result.text("Indépendant"), topic=result.text("Tous les sujets")))
    assert "sujet=tous" in page.url, page.url
    expect(result.answers_list).to_contain_text(result.text("Tous les sujets"))
    journey.step(page, "resultat-tous-les-sujets")

    # The first address, bookmarked, in Dutch then German: the same answers, in that language.
    page.goto(address)
    for language, name in (("nl", "Nederlands"), ("de", "Deutsch")):
        result = ResultPage(page).switch_language(name)
        assert result.status == 200
        expect(result.root).to_have_attribute("lang", language)
        title = translate(language, ResultPage.TITLE)
        assert title != ResultPage.TITLE, f"no {language} translation"
        expect(result.heading).to_have_text(title)
        expect(result.fiche("Pensions")).to_contain_text(
            translate(language, "Pension : vos périodes comptent dans chaque pays"))
        expect(result.answers_list).to_contain_text(country(language, "FR"))
        journey.step(page, f"resultat-{language}")


def test_an_algerian_employee_posted_to_algeria_asks_about_family_allowances(page: Page, journey: Journey) -> None:
    """Straight to the service; « Continuer » without an answer asks again with the error summary; the
    agreement with Algeria covers family allowances, and its rules for a posted worker's children are
    not verified: the fiche says so."""
    first = QuestionPage.open(page)
    empty = first.next()
    assert empty.status == 422
    expect(empty.error_summary).to_contain_text(empty.text("Choisissez votre nationalité."))
    assert page.title().startswith(empty.text("Erreur :"))
    journey.step(page, "nationalite-erreur")
    result = answer_the_four_questions(page, journey, empty, country("fr", "DZ"), country("fr", "DZ"),
                                       "Travailleur détaché", "Allocations familiales", "algerien-detache")
    fiche = result.fiche("Allocations familiales")
    expect(fiche).to_contain_text("Détachement : les allocations familiales sont à vérifier")
    expect(fiche).to_contain_text(result.text("Point non vérifié"))
    expect(result.main).to_contain_text("En vigueur depuis le 01/10/1969.")


def test_a_belgian_pensioner_going_to_the_united_states_reads_every_topic(page: Page, journey: Journey) -> None:
    """Every topic on one page; then « Comment ces fiches sont choisies », the graph of the rules that a
    content editor reads, and the bilateral agreements' page."""
    first = QuestionPage.open(page)
    result = answer_the_four_questions(page, journey, first, country("fr", "BE"), country("fr", "US"),
                                       "Pensionné", "Tous les sujets", "pensionne-etats-unis")
    expect(result.fiches).to_have_count(len(ALL_TOPICS))
    for topic in ALL_TOPICS:
        expect(result.fiche(topic)).to_be_visible()
    expect(result.fiche("Pensions")).to_contain_text("Pension : la convention couvre les pensions")
    expect(result.fiche("Remboursement des soins de santé")).to_contain_text(
        "Soins de santé : pas d'accord, pas de couverture belge")

    rules = result.open_rules()
    assert rules.status == 200
    expect(rules.heading).to_have_text(rules.text(RulesPage.TITLE))
    journey.step(page, "regles")
    bilateral = rules.open_regime("Conventions bilatérales")
    expect(bilateral.heading).to_have_text(bilateral.text("Conventions bilatérales"))
    # healthcare: with an agreement or without, each table a row per status
    expect(bilateral.topic_tables("Remboursement des soins de santé")).to_have_count(2)
    journey.step(page, "regles-conventions-bilaterales")
