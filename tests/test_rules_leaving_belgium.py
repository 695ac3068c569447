"""« Vous quittez la Belgique ? »: the resolution of app/rules/leaving_belgium.py (regimes, nationality
scope, the branches of the bilateral agreements, the most specific fiche), on small tables written here and
on the real rule table (app/leaving_belgium/rules.toml), every path of it.

Every expectation comes from domain.md §4.2–4.4; the source key is next to it.
"""

import datetime
import re
import string

import pytest

from app.leaving_belgium.fiches import FICHE_TEXTS
from app.leaving_belgium.rule_table import rule_table
from app.leaving_belgium.sources import FORM_NAMES, INSTITUTIONS, SOURCES
from app.rules.leaving_belgium import (
    BRANCH_TOPICS,
    OTHER,
    Coverage,
    Reason,
    Regime,
    RuleTableError,
    Scope,
    Status,
    Topic,
    Unresolved,
    all_paths,
    country_fiches,
    coverages_in,
    forms_used,
    institutions_used,
    parse_rule_table,
    regime_graph,
    resolve,
    resolve_all,
    sources_used,
)

EEA, UK, BILATERAL, WORLD = Regime.EEA_SWITZERLAND, Regime.UNITED_KINGDOM, Regime.BILATERAL, Regime.REST_OF_WORLD
EMPLOYEE, CIVIL_SERVANT, SELF_EMPLOYED, TRANSPORT, FRONTIER, POSTED, PENSIONER, STUDENT = Status
FAMILY, PENSIONS, HEALTH, UNEMPLOYMENT, INCAPACITY, CONTRIBUTIONS, CAREER_BREAK = Topic


@pytest.fixture(scope="module")
def table():
    return rule_table()


# --- the mechanism, on a small table --------------------------------------------------------------------

ALL_BRANCHES = {topic.value: "couvert" for topic in BRANCH_TOPICS}


def small_table(*fiches, countries=None):
    return parse_rule_table({
        "version": "test",
        "institutions": {"sujets": {topic.value: ["onem"] for topic in Topic}},
        "countries": countries or {
            "be": {"regime": "eee-suisse", "scope": "toutes", "destination": False},
            "fr": {"regime": "eee-suisse", "scope": "toutes"},
            "dz": {"regime": "bilaterale", "scope": "ressortissants", "branches": ALL_BRANCHES},
        },
        "fiches": list(fiches),
    })


def fiche(fiche_id, regime, topic, **keys):
    return {"id": fiche_id, "regime": regime, "topic": topic, "sources": ["S44"], **keys}


LAYERS = (
    fiche("regime", "bilaterale", "pensions"),
    fiche("regime-coverage", "bilaterale", "pensions", coverage="couvert"),
    fiche("regime-status", "bilaterale", "pensions", status="detache"),
    fiche("regime-status-coverage", "bilaterale", "pensions", status="detache", coverage="couvert"),
    fiche("country", "bilaterale", "pensions", country="dz"),
    fiche("country-status", "bilaterale", "pensions", country="dz", status="detache"),
)


@pytest.mark.parametrize("present, expected", [
    (LAYERS, "country-status"),
    (LAYERS[:5], "country"),
    (LAYERS[:4], "regime-status-coverage"),
    (LAYERS[:3], "regime-status"),
    (LAYERS[:2], "regime-coverage"),
    (LAYERS[:1], "regime"),
], ids=["country+status wins", "then country", "then regime+status+coverage", "then regime+status",
        "then regime+coverage", "then regime"])
def test_the_most_specific_fiche_wins(present, expected):
    table = small_table(*present)
    assert resolve(table, "be", "dz", POSTED, PENSIONS).fiche.id == expected


def test_a_fiche_of_another_status_or_country_never_applies():
    table = small_table(LAYERS[0], LAYERS[2], LAYERS[5])
    # an employee (not posted) gets the regime's fiche; a Belgian going to France gets no bilateral fiche
    assert resolve(table, "be", "dz", EMPLOYEE, PENSIONS).fiche.id == "regime"
    with pytest.raises(Unresolved):
        resolve(table, "be", "fr", POSTED, PENSIONS)


def test_a_person_outside_the_scope_gets_the_rest_of_the_world_s_fiche_for_that_country():
    table = small_table(fiche("bilateral", "bilaterale", "pensions"), fiche("world", "reste-du-monde", "pensions"))
    outcome = resolve(table, "fr", "dz", EMPLOYEE, PENSIONS)
    assert (outcome.fiche.id, outcome.applied, outcome.regime, outcome.reason) == (
        "world", WORLD, BILATERAL, Reason.OUTSIDE_NATIONALS_ONLY)
    assert outcome.reason.outside_scope
    inside = resolve(table, "dz", "dz", EMPLOYEE, PENSIONS)
    assert inside.fiche.id == "bilateral" and not inside.reason.outside_scope


@pytest.mark.parametrize("change, message", [
    (lambda data: data["fiches"].append(dict(data["fiches"][0], id="twin")), "same key"),
    (lambda data: data["fiches"].append(dict(data["fiches"][0])), "two fiches have this id"),
    (lambda data: data["fiches"][0].update(topic="vacances"), "is not one of"),
    (lambda data: data["fiches"][0].update(country="zz"), "unknown country"),
    (lambda data: data["fiches"][0].pop("sources"), "names its sources"),
    (lambda data: data["fiches"][0].update(regime="eee-suisse", coverage="couvert"), "coverage"),
    (lambda data: data["fiches"][0].update(verified="oui"), "true or false"),
    (lambda data: data["countries"]["dz"]["branches"].pop("chomage"), "every branch is listed"),
    (lambda data: data["countries"]["dz"].update(scope="certains"), "is not one of"),
    (lambda data: data["countries"]["dz"].update(posting={"years": [0], "form": "B/ALG 1"}), "posting.years"),
    (lambda data: data["countries"]["dz"].update(in_force="1969"), "a date is expected"),
    (lambda data: data["countries"]["fr"].update(branches=ALL_BRANCHES), "bilateral agreements only"),
    (lambda data: data["countries"]["fr"].update(regime="reste-du-monde"), "not listed"),
    (lambda data: data["countries"].pop("be"), "Belgium is listed"),
    (lambda data: data["countries"]["fr"].update(capital="Paris"), "unknown keys"),
    (lambda data: data["institutions"]["sujets"].pop("pensions"), "institutions.sujets.pensions"),
    (lambda data: data.pop("version"), "version"),
])
def test_a_malformed_table_is_refused_with_the_key_named(change, message):
    data = {
        "version": "test",
        "institutions": {"sujets": {topic.value: ["onem"] for topic in Topic}},
        "countries": {
            "be": {"regime": "eee-suisse", "scope": "toutes", "destination": False},
            "fr": {"regime": "eee-suisse", "scope": "toutes"},
            "dz": {"regime": "bilaterale", "scope": "ressortissants", "branches": dict(ALL_BRANCHES),
                   "in_force": datetime.date(1969, 10, 1)},
        },
        "fiches": [fiche("regime", "bilaterale", "pensions")],
    }
    parse_rule_table(data)  # as written, the table is good
    change(data)
    with pytest.raises(RuleTableError, match=message):
        parse_rule_table(data)


# --- the real table: its countries (domain.md §4.2, §4.3) ----------------------------------------------


def test_the_destinations_are_the_eea_switzerland_the_uk_the_25_agreements_and_quebec(table):
    by_regime = {regime: {country.code for country in table.countries_of(regime)} for regime in Regime}
    # [S45b]: the 27 EU states and Iceland, Liechtenstein, Norway; Belgium is where one leaves from.
    assert len(by_regime[EEA]) == 26 + 3 + 1 and {"fr", "de", "is", "li", "no", "ch"} <= by_regime[EEA]
    assert "be" not in table.destinations and "be" in table.nationalities
    assert by_regime[UK] == {"gb"}
    # [S42]: 25 agreements, Canada and Québec counted once; DR Congo included.
    assert by_regime[BILATERAL] == {"al", "dz", "ar", "au", "ba", "br", "cl", "in", "il", "jp", "ca", "ca-qc", "cd",
                                    "xk", "ma", "mk", "md", "me", "ph", "sm", "rs", "kr", "tn", "tr", "us", "uy"}
    assert table.destinations[-1] == OTHER and len(table.destinations) == 30 + 1 + 26 + 1


def test_the_nationalities_are_the_states_with_stateless_refugee_and_other(table):
    assert "ca-qc" not in table.nationalities  # Québec's nationals are Canadian
    assert table.nationalities[-3:] == ("apatride", "refugie", "autre")
    assert len(table.nationalities) == 1 + 29 + 1 + 1 + 25 + 3


def test_the_nationality_scopes_are_those_of_the_sources(table):
    scope = {code: country.scope for code, country in table.countries.items()}
    # [S45][S53]
    assert {code for code, value in scope.items() if value is Scope.EEA_SWISS_NATIONALS} == {"dk", "ch", "is", "no", "li"}
    # [S43]: all nationalities
    assert {code for code, value in scope.items() if value is Scope.ALL and table.countries[code].regime is BILATERAL} == {
        "au", "jp", "mk", "in", "uy", "rs", "al", "ar", "ba", "br", "md", "me", "ca-qc"}
    assert {code for code, country in table.countries.items() if country.posting_all_nationalities} == {"ca", "us", "ch"}


def test_the_branches_are_those_of_the_sources_and_the_rest_is_unverified(table):
    def covered(topic, coverage=Coverage.COVERED):
        return {country.code for country in table.countries_of(BILATERAL) if country.branches[topic] is coverage}

    assert covered(PENSIONS) == {country.code for country in table.countries_of(BILATERAL)}  # [S44]
    assert covered(HEALTH) == {"al", "dz", "au", "ba", "mk", "ma", "me", "ca-qc", "rs", "tn", "tr"}  # [S49]
    assert covered(FAMILY) == {"dz", "ba", "xk", "me", "mk", "rs", "il", "ma", "tn", "tr"}  # [S51][S51d]
    assert covered(FAMILY, Coverage.NOT_COVERED) == {"ar", "au", "br"}  # [S44]: invalidity and pensions only
    assert covered(UNEMPLOYMENT) == {"dz", "ba"}  # [S44]
    assert covered(INCAPACITY, Coverage.PARTLY) == {"ar", "au", "br"}  # [S44]: invalidity only
    assert "us" in covered(UNEMPLOYMENT, Coverage.UNVERIFIED) and "ca" in covered(FAMILY, Coverage.UNVERIFIED)


def test_the_dates_of_the_agreements(table):
    countries = table.countries
    assert countries["dz"].in_force == datetime.date(1969, 10, 1)  # [S44]
    assert countries["jp"].in_force == datetime.date(2007, 1, 1)  # [S44c]
    assert {code for code in ("ar", "md", "al") if countries[code].in_force == datetime.date(2016, 1, 1)} == {
        "ar", "md", "al"}  # [S44b]
    assert countries["br"].in_force is None and countries["br"].signed == datetime.date(2009, 10, 4)
    assert countries["gb"].in_force == datetime.date(2021, 1, 1)  # [S52]


# --- every path -----------------------------------------------------------------------------------------

PATHS = 60 * 58 * len(Status) * len(Topic)


def test_every_path_resolves_names_its_institution_and_source_and_every_fiche_is_reached(table):
    """All (nationality, destination, status, topic) of the table: each gives a fiche with words, an
    institution and a source; every fiche of the table is the answer of at least one path; every regime
    answers every topic."""
    reached: set[str] = set()
    regime_topics: set[tuple[Regime, Topic]] = set()
    count = 0
    for nationality, destination, status, topic in all_paths(table):
        outcome = resolve(table, nationality, destination, status, topic)
        fiche = outcome.fiche
        assert fiche.topic is topic and fiche.regime is outcome.applied
        assert outcome.institutions and fiche.sources
        assert fiche.country in (None, destination)
        assert fiche.status in (None, status)
        reached.add(fiche.id)
        regime_topics.add((outcome.applied, topic))
        count += 1
    assert count == PATHS == 194_880
    assert reached == {fiche.id for fiche in table.fiches}
    assert regime_topics == {(regime, topic) for regime in Regime for topic in Topic}


def test_every_fiche_has_words_and_everything_it_cites_is_known(table):
    assert {fiche.text for fiche in table.fiches} == set(FICHE_TEXTS)
    assert sources_used(table) <= set(SOURCES)
    assert institutions_used(table) <= set(INSTITUTIONS)
    assert forms_used(table) <= set(FORM_NAMES)
    fields = {name for title, paragraphs in FICHE_TEXTS.values() for text in (title, *paragraphs)
              for _, name, _, _ in string.Formatter().parse(text) if name}
    assert fields == {"posting", "posting_form", "topic"}
    for fiche in table.fiches:  # the posting terms come from the fiche's country
        if "{posting" in FICHE_TEXTS[fiche.text][0] + "".join(FICHE_TEXTS[fiche.text][1]):
            assert fiche.country is not None and table.countries[fiche.country].posting is not None, fiche.id


def test_an_unverified_fiche_says_so_in_its_words(table):
    """domain.md's [GK] and unlisted branches: the fiche says plainly what is not verified."""
    for fiche in table.fiches:
        words = " ".join((FICHE_TEXTS[fiche.text][0], *FICHE_TEXTS[fiche.text][1]))
        assert ("vérifi" in words) is (not fiche.verified), fiche.id


def test_every_regime_topic_and_coverage_of_the_graph_has_a_fiche(table):
    for regime in Regime:
        cells = regime_graph(table, regime)
        assert all(cell.fiche is not None for cell in cells), regime
        assert {cell.topic for cell in cells} == set(Topic)
    assert coverages_in(table, BILATERAL, UNEMPLOYMENT) == [Coverage.COVERED, Coverage.NOT_COVERED, Coverage.UNVERIFIED]
    assert {fiche.country for fiche in country_fiches(table, BILATERAL)} == {"dz", "ar", "au", "ba", "br", "ca"}


# --- the hand-written paths: the expected fiche, and why -------------------------------------------------

CASES = [
    # nationality, destination, status, topic, fiche, rules applied, reason
    ("be", "fr", SELF_EMPLOYED, PENSIONS, "eee-pensions", EEA, "EU coordination: periods aggregated, pro rata [S50]"),
    ("be", "de", POSTED, CONTRIBUTIONS, "eee-detache-cotisations", EEA, "posted: Belgian ≤ 24 months, A1 [S46]"),
    ("be", "lu", FRONTIER, CONTRIBUTIONS, "eee-frontalier-cotisations", EEA, "frontier: law of the country of work [S46]"),
    ("be", "nl", FRONTIER, UNEMPLOYMENT, "eee-frontalier-chomage", EEA, "frontier: the state of residence pays [S47]"),
    ("be", "at", EMPLOYEE, UNEMPLOYMENT, "eee-chomage", EEA, "U2: 4 weeks, 7 days, 3 to 6 months [S47]"),
    ("be", "es", PENSIONER, HEALTH, "eee-pensionne-soins-de-sante", EEA, "pensioner: S1 [S48]"),
    ("be", "it", EMPLOYEE, HEALTH, "eee-soins-de-sante", EEA, "EHIC, S2 [S49]"),
    ("be", "pt", STUDENT, FAMILY, "eee-etudiant-allocations-familiales", EEA, "study: 17 h a week [S51c]"),
    ("be", "se", CIVIL_SERVANT, CONTRIBUTIONS, "eee-fonctionnaire-cotisations", EEA, "civil servants: unverified"),
    ("be", "fr", TRANSPORT, CONTRIBUTIONS, "eee-transport-cotisations", EEA, "transport staff: unverified"),
    ("be", "fr", EMPLOYEE, CAREER_BREAK, "eee-interruption-de-carriere", EEA, "domicile in the EEA allowed [S28]"),
    ("ma", "dk", EMPLOYEE, PENSIONS, "reste-du-monde-pensions", WORLD, "Denmark: EU/EEA/Swiss nationals only [S45]"),
    ("refugie", "dk", EMPLOYEE, PENSIONS, "eee-pensions", EEA, "Denmark covers refugees [S45]"),
    ("apatride", "no", EMPLOYEE, FAMILY, "eee-allocations-familiales", EEA, "Norway covers stateless persons [S45]"),
    ("fr", "is", EMPLOYEE, UNEMPLOYMENT, "eee-chomage", EEA, "Iceland covers EU nationals [S45]"),
    ("ch", "li", EMPLOYEE, PENSIONS, "eee-pensions", EEA, "Liechtenstein covers Swiss nationals [S45]"),
    ("us", "ch", EMPLOYEE, CONTRIBUTIONS, "reste-du-monde-cotisations", WORLD, "Switzerland: EU/EEA/Swiss only [S45]"),
    ("us", "ch", POSTED, CONTRIBUTIONS, "bilaterale-detache-cotisations", BILATERAL,
     "Swiss posting articles for every nationality [S43]"),
    ("be", "gb", EMPLOYEE, PENSIONS, "royaume-uni-pensions", UK, "TCA: apply where you live [S50]"),
    ("ma", "gb", EMPLOYEE, UNEMPLOYMENT, "royaume-uni-chomage", UK, "TCA export unverified [GK]"),
    ("gb", "gb", PENSIONER, HEALTH, "royaume-uni-soins-de-sante", UK, "close to EU rules, card unverified [S49]"),
    ("be", "gb", EMPLOYEE, CAREER_BREAK, "royaume-uni-interruption-de-carriere", UK, "[GK: check]"),
    ("dz", "dz", POSTED, FAMILY, "bilaterale-detache-allocations-familiales-couvert", BILATERAL,
     "Algeria covers family allowances; posted worker's children unverified [S51d]"),
    ("dz", "dz", POSTED, CONTRIBUTIONS, "dz-detache-cotisations", BILATERAL, "Algeria: 1 + 1 + 3 years, B/ALG [S44]"),
    ("be", "au", POSTED, CONTRIBUTIONS, "au-detache-cotisations", BILATERAL, "Australia: 5 years [S44]"),
    ("be", "us", POSTED, CONTRIBUTIONS, "bilaterale-detache-cotisations", BILATERAL, "USA: posting terms unknown"),
    ("be", "dz", EMPLOYEE, HEALTH, "bilaterale-soins-de-sante-accord", BILATERAL, "healthcare agreement [S49]"),
    ("be", "ca", EMPLOYEE, HEALTH, "bilaterale-soins-de-sante-sans-accord", BILATERAL, "none with Canada [S49]"),
    ("be", "ca-qc", EMPLOYEE, HEALTH, "bilaterale-soins-de-sante-accord", BILATERAL, "one with Québec [S49]"),
    ("fr", "ca", POSTED, CONTRIBUTIONS, "ca-detache-cotisations", BILATERAL, "Canada's posting for all [S43]"),
    ("fr", "ca", EMPLOYEE, PENSIONS, "reste-du-monde-pensions", WORLD, "Canada: nationals only [S43]"),
    ("fr", "ca-qc", EMPLOYEE, PENSIONS, "bilaterale-pensions", BILATERAL, "Québec: all nationalities [S43]"),
    ("ma", "us", POSTED, FAMILY, "reste-du-monde-detache-allocations-familiales", WORLD,
     "USA: only the posting articles cover all; family allowances ≤ 1 year [S51b]"),
    ("be", "us", PENSIONER, PENSIONS, "bilaterale-pensions", BILATERAL, "every agreement covers pensions [S44]"),
    ("be", "us", PENSIONER, FAMILY, "bilaterale-allocations-familiales-non-verifie", BILATERAL, "unlisted branch"),
    ("be", "ar", EMPLOYEE, INCAPACITY, "bilaterale-incapacite-de-travail-partiel", BILATERAL, "invalidity only [S44]"),
    ("be", "ba", EMPLOYEE, UNEMPLOYMENT, "bilaterale-chomage-couvert", BILATERAL, "BiH: unemployment branch [S44]"),
    ("be", "au", EMPLOYEE, UNEMPLOYMENT, "bilaterale-chomage-non-couvert", BILATERAL, "Australia: none [S44]"),
    ("be", "jp", EMPLOYEE, UNEMPLOYMENT, "bilaterale-chomage-non-verifie", BILATERAL, "Japan: unlisted branch"),
    ("fr", "jp", EMPLOYEE, PENSIONS, "bilaterale-pensions", BILATERAL, "Japan: all nationalities [S43]"),
    ("fr", "ma", EMPLOYEE, FAMILY, "reste-du-monde-allocations-familiales", WORLD, "Morocco: nationals only [S43]"),
    ("ma", "ma", EMPLOYEE, FAMILY, "bilaterale-allocations-familiales-couvert", BILATERAL, "Morocco [S51d]"),
    ("be", "ar", EMPLOYEE, FAMILY, "bilaterale-allocations-familiales-non-couvert", BILATERAL, "Argentina [S44]"),
    ("refugie", "dz", EMPLOYEE, PENSIONS, "reste-du-monde-pensions", WORLD, "bilateral: nationals only [S43]"),
    ("be", "cd", EMPLOYEE, PENSIONS, "bilaterale-pensions", BILATERAL, "DR Congo is in the portal's list [S42]"),
    ("be", "us", EMPLOYEE, CAREER_BREAK, "bilaterale-interruption-de-carriere", BILATERAL, "outside the EEA [S28d]"),
    ("be", OTHER, EMPLOYEE, HEALTH, "reste-du-monde-soins-de-sante", WORLD, "no agreement: no cover [S45b]"),
    ("be", OTHER, POSTED, FAMILY, "reste-du-monde-detache-allocations-familiales", WORLD, "kept ≤ 1 year [S51b]"),
    ("be", OTHER, CIVIL_SERVANT, FAMILY, "reste-du-monde-fonctionnaire-allocations-familiales", WORLD,
     "federal staff: no limit [S51e]"),
    ("be", OTHER, STUDENT, FAMILY, "reste-du-monde-etudiant-allocations-familiales", WORLD, "some study stays [S51e]"),
    ("be", OTHER, POSTED, CONTRIBUTIONS, "reste-du-monde-detache-cotisations", WORLD, "posting without agreement"),
]


def test_the_hand_written_table_is_long_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("nationality, destination, status, topic, expected, applied, reason", CASES,
                         ids=[f"{case[0]}-{case[1]}-{case[2].value}-{case[3].value}: {case[6]}" for case in CASES])
def test_a_hand_written_path(table, nationality, destination, status, topic, expected, applied, reason):
    outcome = resolve(table, nationality, destination, status, topic)
    assert (outcome.fiche.id, outcome.applied) == (expected, applied), reason


@pytest.mark.parametrize("nationality, destination, topic, reason", [
    ("be", "fr", PENSIONS, Reason.ALL_NATIONALITIES),
    ("ma", "dk", PENSIONS, Reason.OUTSIDE_EEA_SWISS_NATIONALS),
    ("refugie", "ch", PENSIONS, Reason.REFUGEE_OR_STATELESS),
    ("pl", "no", PENSIONS, Reason.EEA_SWISS_NATIONAL),
    ("be", "gb", PENSIONS, Reason.NATIONAL),
    ("us", "gb", PENSIONS, Reason.SCOPE_UNVERIFIED),
    ("ma", "ma", PENSIONS, Reason.NATIONAL),
    ("be", "ma", PENSIONS, Reason.NATIONAL),
    ("tn", "ma", PENSIONS, Reason.OUTSIDE_NATIONALS_ONLY),
    ("ca", "ca-qc", PENSIONS, Reason.ALL_NATIONALITIES),
    ("ma", "ca", CONTRIBUTIONS, Reason.POSTING_ALL_NATIONALITIES),
    ("be", OTHER, PENSIONS, Reason.NO_AGREEMENT),
])
def test_why_the_person_falls_under_the_rules_applied(table, nationality, destination, topic, reason):
    assert resolve(table, nationality, destination, POSTED, topic).reason is reason


def test_the_competent_institutions(table):
    """SFP and INASTI for a self-employed person's pension, INASTI for their contributions, the ONSS's
    overseas social security where Belgium does not cover healthcare [S45b]."""
    assert resolve(table, "be", "fr", SELF_EMPLOYED, PENSIONS).institutions == ("sfp", "inasti")
    assert resolve(table, "be", "fr", SELF_EMPLOYED, CONTRIBUTIONS).institutions == ("inasti",)
    assert resolve(table, "be", "fr", EMPLOYEE, CONTRIBUTIONS).institutions == ("onss",)
    assert resolve(table, "be", "us", EMPLOYEE, HEALTH).institutions == ("inami", "mutualites", "onss-outre-mer")
    assert resolve(table, "be", "fr", EMPLOYEE, FAMILY).institutions == ("caisses-allocations-familiales",)


def test_all_topics_is_every_topic_in_order(table):
    outcomes = resolve_all(table, "be", "us", PENSIONER)
    assert [outcome.topic for outcome in outcomes] == list(Topic)
    assert [outcome.fiche.id for outcome in outcomes] == [
        "bilaterale-allocations-familiales-non-verifie", "bilaterale-pensions", "bilaterale-soins-de-sante-sans-accord",
        "bilaterale-chomage-non-verifie", "bilaterale-incapacite-de-travail-non-verifie", "bilaterale-cotisations",
        "bilaterale-interruption-de-carriere"]


def test_an_answer_outside_the_lists_is_refused(table):
    for nationality, destination in (("ca-qc", "fr"), ("be", "be"), ("zz", "fr"), ("be", "zz")):
        with pytest.raises(KeyError):
            resolve(table, nationality, destination, EMPLOYEE, PENSIONS)


def test_the_table_has_a_version_that_reads_as_a_date(table):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table.version)
