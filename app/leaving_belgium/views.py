"""What the pages of « Vous quittez la Belgique ? » show, put into words from the rules' outcomes: the
result (`ResultView`: the rules that apply and why, one `FicheView` per topic) and the graph of the rules
for content editors (`GraphView`: per regime, the fiche each status gets for each topic, and why)."""

from __future__ import annotations

from dataclasses import dataclass

from app.leaving_belgium.fiches import FICHE_TEXTS
from app.leaving_belgium.forms import ANSWER_NAMES, DESTINATION, NATIONALITY, QUESTIONS, STATUS, TOPIC, Answers
from app.leaving_belgium.sources import Reference, form_name, institution, source
from app.leaving_belgium.wording import (
    COVERAGE_NAMES,
    REASONS,
    REGIME_NAMES,
    REGIME_RULES,
    SCOPE_NAMES,
    STATUS_NAMES,
    TOPIC_IN_SENTENCE,
    TOPIC_NAMES,
    WITHDRAWAL_AGREEMENT,
    destination_name,
    names_list,
    nationality_name,
    sort_key,
    topic_name,
    years,
)
from app.rules.leaving_belgium import (
    OTHER,
    Country,
    Coverage,
    Fiche,
    Outcome,
    Reason,
    Regime,
    RuleTable,
    Status,
    Topic,
    applicable_regime,
    country_fiches,
    coverages_in,
    regime_graph,
)
from app.web.i18n import N_, format_date
from app.web.i18n import gettext as _

# Where each regime's rules come from (domain.md §4.2).
REGIME_SOURCES = {
    Regime.EEA_SWITZERLAND: ("S45", "S53"),
    Regime.UNITED_KINGDOM: ("S52", "S53"),
    Regime.BILATERAL: ("S42", "S43", "S44"),
    Regime.REST_OF_WORLD: ("S45b",),
}
# Which key of the rule table found a fiche (the graph's and the result's "why").
MATCHES = {
    (True, True): N_("Fiche propre à ce pays et à ce statut"),
    (True, False): N_("Fiche propre à ce pays"),
    (False, True): N_("Fiche du régime pour ce statut"),
    (False, False): N_("Fiche générale du régime"),
}


@dataclass(frozen=True)
class SummaryRow:
    """One answer of « Vos réponses », with its « Modifier » link."""

    key: str
    value: str
    change_route: str  # its question's route; `change_query` keeps every answer
    change_query: dict[str, str]
    change_label: str


@dataclass(frozen=True)
class FicheView:
    topic: Topic
    topic_name: str
    id: str
    title: str
    paragraphs: tuple[str, ...]
    forms: tuple[str, ...]
    institutions: tuple[Reference, ...]
    sources: tuple[Reference, ...]
    verified: bool
    why: tuple[str, ...]


@dataclass(frozen=True)
class ResultView:
    summary: tuple[SummaryRow, ...]
    heading: str
    regime_name: str
    regime_rules: str
    reason: str
    agreement: str | None          # the dates of the agreement, or that they are not verified
    scope: str | None              # whom the agreement covers
    withdrawal_agreement: str | None
    fiches: tuple[FicheView, ...]
    announcement: str              # what the live region says after an update


def fiche_words(fiche: Fiche, country: Country | None) -> tuple[str, tuple[str, ...]]:
    """The fiche's title and paragraphs in the user's language, placeholders filled."""
    title, paragraphs = FICHE_TEXTS[fiche.text]
    values = {"topic": _(TOPIC_IN_SENTENCE[fiche.topic]), "posting": "", "posting_form": ""}
    if country is not None and country.posting is not None:
        values["posting"] = " + ".join(years(count) for count in country.posting.years)
        values["posting_form"] = country.posting.form
    return _(title).format(**values), tuple(_(paragraph).format(**values) for paragraph in paragraphs)


def match_of(fiche: Fiche) -> str:
    return _(MATCHES[fiche.country is not None, fiche.status is not None])


def fiche_view(table: RuleTable, outcome: Outcome, page_reason: Reason) -> FicheView:
    fiche = outcome.fiche
    country = table.countries.get(outcome.destination)
    title, paragraphs = fiche_words(fiche, country)
    why = [match_of(fiche)]
    if outcome.coverage is not None:
        why.append(_(COVERAGE_NAMES[outcome.coverage]))
    if outcome.reason is not page_reason:
        why.append(_(REASONS[outcome.reason]))
    return FicheView(
        topic=outcome.topic, topic_name=_(TOPIC_NAMES[outcome.topic]), id=fiche.id, title=title,
        paragraphs=paragraphs, forms=tuple(form_name(form) for form in fiche.forms),
        institutions=tuple(institution(key) for key in outcome.institutions),
        sources=tuple(source(key) for key in fiche.sources), verified=fiche.verified, why=tuple(why))


def agreement_dates(country: Country | None, regime: Regime) -> str | None:
    """When the agreement came into force, or plainly that the sources do not say."""
    if country is None or regime not in (Regime.BILATERAL, Regime.UNITED_KINGDOM):
        return None
    if country.in_force is not None:
        return _("En vigueur depuis le {date}.").format(date=format_date(country.in_force))
    if country.signed is not None:
        return _("Signée le {date} ; sa date d'entrée en vigueur n'est pas vérifiée.").format(
            date=format_date(country.signed))
    return _("Date d'entrée en vigueur non vérifiée.")


def summary_rows(answers: Answers) -> tuple[SummaryRow, ...]:
    values = answers.values
    shown = {
        NATIONALITY: nationality_name(values[NATIONALITY]),
        DESTINATION: destination_name(values[DESTINATION]),
        STATUS: _(STATUS_NAMES[Status(values[STATUS])]),
        TOPIC: topic_name(values[TOPIC]),
    }
    return tuple(SummaryRow(_(ANSWER_NAMES[question.parameter]), shown[question.parameter],
                            question.route, answers.query(), _(ANSWER_NAMES[question.parameter]))
                 for question in QUESTIONS)


def result_view(table: RuleTable, answers: Answers, outcomes: list[Outcome]) -> ResultView:
    values = answers.values
    nationality, destination, status = values[NATIONALITY], values[DESTINATION], answers.status
    # The rules that apply to the person in general (the posting articles are a topic's exception).
    applied, reason = applicable_regime(table, nationality, destination, status, Topic.PENSIONS)
    country = table.countries.get(destination) if destination != OTHER else None
    own_regime = country.regime if country is not None else Regime.REST_OF_WORLD
    return ResultView(
        summary=summary_rows(answers),
        heading=_("{destination} : {status}").format(destination=destination_name(destination),
                                                    status=_(STATUS_NAMES[status])),
        regime_name=_(REGIME_NAMES[applied]),
        regime_rules=_(REGIME_RULES[applied]),
        reason=_(REASONS[reason]),
        agreement=agreement_dates(country, own_regime),
        scope=_(SCOPE_NAMES[country.scope]) if country is not None else None,
        withdrawal_agreement=_(WITHDRAWAL_AGREEMENT) if own_regime is Regime.UNITED_KINGDOM else None,
        fiches=tuple(fiche_view(table, outcome, reason) for outcome in outcomes),
        announcement=_("Fiches mises à jour : {status}, {topic}.").format(
            status=_(STATUS_NAMES[status]), topic=topic_name(values[TOPIC])),
    )


# --- the graph of the rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphGroup:
    """For one topic (and one coverage of its branch), the fiche of each status."""

    id: str
    title: str
    caption: str
    countries: str | None  # under a bilateral agreement: the countries with this coverage
    rows: tuple[tuple[str, str, str], ...]  # (status, fiche title and id, why)


@dataclass(frozen=True)
class GraphTopic:
    id: str
    name: str
    groups: tuple[GraphGroup, ...]


@dataclass(frozen=True)
class GraphView:
    regime: Regime
    name: str
    rules: str
    sources: tuple[Reference, ...]
    countries: tuple[tuple[str, ...], ...]  # rows of the countries' table
    country_headers: tuple[str, ...]
    topics: tuple[GraphTopic, ...]
    country_fiches: tuple[tuple[str, str, str, str], ...]  # (country, status, topic, fiche)


def _fiche_label(fiche: Fiche, country: Country | None = None) -> str:
    title, _paragraphs = fiche_words(fiche, country)
    return _("{title} (fiche {id})").format(title=title, id=fiche.id) + (
        "" if fiche.verified else " " + _("[point non vérifié]"))


def _why(fiche: Fiche, coverage: Coverage | None) -> str:
    parts = [match_of(fiche)]
    if coverage is not None:
        parts.append(_(COVERAGE_NAMES[coverage]))
    return " ; ".join(parts)


def _country_row(country: Country, regime: Regime) -> tuple[str, ...]:
    row = (destination_name(country.code), _(SCOPE_NAMES[country.scope]),
           agreement_dates(country, regime) or _("Règlements européens"))
    if regime is not Regime.BILATERAL:
        return row
    if country.posting is None:
        return (*row, _("Non vérifié"))
    posting = " + ".join(years(count) for count in country.posting.years)
    return (*row, _("{posting}, formulaire {form}").format(posting=posting, form=country.posting.form))


def graph_view(table: RuleTable, regime: Regime) -> GraphView:
    cells = regime_graph(table, regime)
    countries = table.countries_of(regime)
    topics = []
    for topic in Topic:
        groups = []
        for coverage in coverages_in(table, regime, topic):
            rows = tuple((_(STATUS_NAMES[cell.status]), _fiche_label(cell.fiche), _why(cell.fiche, coverage))
                         for cell in cells if cell.topic is topic and cell.coverage is coverage and cell.fiche)
            with_coverage = None
            if coverage is not None:
                with_coverage = names_list(destination_name(country.code) for country in countries
                                           if country.branches.get(topic) is coverage)
                if topic is Topic.CONTRIBUTIONS and coverage is Coverage.COVERED:
                    posting = names_list(destination_name(country.code) for country in table.countries.values()
                                         if country.posting_all_nationalities)
                    with_coverage = _("{countries} ; le détachement de toute nationalité vers : {posting}").format(
                        countries=with_coverage, posting=posting)
            groups.append(GraphGroup(
                id=f"{topic.value}-{coverage.value if coverage else 'tous'}",
                title=_(COVERAGE_NAMES[coverage]) if coverage else _(TOPIC_NAMES[topic]),
                caption=_("{topic} : {coverage}").format(topic=_(TOPIC_NAMES[topic]), coverage=_(COVERAGE_NAMES[coverage]))
                if coverage else _(TOPIC_NAMES[topic]),
                countries=with_coverage, rows=rows))
        topics.append(GraphTopic(topic.value, _(TOPIC_NAMES[topic]), tuple(groups)))

    if regime is Regime.REST_OF_WORLD:
        headers: tuple[str, ...] = ()
        rows: tuple[tuple[str, ...], ...] = ()
    else:
        headers = (_("Pays"), _("Nationalités couvertes"), _("Accord"))
        if regime is Regime.BILATERAL:
            headers += (_("Détachement"),)
        ordered = sorted(countries, key=lambda country: sort_key(destination_name(country.code)))
        rows = tuple(_country_row(country, regime) for country in ordered)
    specific = tuple(
        (destination_name(fiche.country), _(STATUS_NAMES[fiche.status]) if fiche.status else _("Tous les statuts"),
         _(TOPIC_NAMES[fiche.topic]), _fiche_label(fiche, table.countries[fiche.country]))
        for fiche in country_fiches(table, regime) if fiche.country is not None)
    return GraphView(regime, _(REGIME_NAMES[regime]), _(REGIME_RULES[regime]),
                     tuple(source(key) for key in REGIME_SOURCES[regime]), rows, headers, tuple(topics), specific)
