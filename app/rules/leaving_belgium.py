"""« Vous quittez la Belgique ? » (guide 002, domain.md §4): which Belgian social-security rules apply
to a person who leaves, from four answers (nationality, destination, status, topic), and which fiche
says so.

The facts are data: a rule table (app/leaving_belgium/rules.toml, read by the service and handed to
`parse_rule_table`) gives each destination its regime (§4.2: the EU coordination for the EEA and
Switzerland, the EU–UK protocol, a bilateral agreement, or none), the nationalities its agreement
covers (§4.2–4.3), the dates it came into force, the branches it covers (§4.3–4.4, "non-verifie" where
domain.md lists none), and the fiches keyed by (regime or country, status, topic, coverage).

The resolution, for one topic:

1. The destination's regime; "autre" has none (the rest of the world).
2. The nationality scope: Denmark, Switzerland, Iceland, Norway and Liechtenstein apply the coordination
   only to EU/EEA/Swiss nationals, refugees and stateless persons; a bilateral agreement covers only the
   nationals of Belgium and of the other state unless it covers all nationalities; the posting articles
   of the agreements with Canada, the United States and Switzerland cover every nationality [S43]. A
   person outside the scope falls under the rest of the world's rules, for that country.
3. Under a bilateral agreement, whether the topic's branch is covered (covered, partly, not, or not
   verified).
4. The most specific fiche wins: country + status → country → regime + status → regime, each with the
   branch's coverage before without it.

Nothing here knows the web, the database or the user's language: names and texts are the service's.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

OTHER = "autre"          # a nationality or a destination not in the lists
STATELESS = "apatride"
REFUGEE = "refugie"
BELGIUM = "be"
SPECIAL_NATIONALITIES = (STATELESS, REFUGEE, OTHER)


class Regime(str, enum.Enum):
    """§4.2: the four sets of rules a destination can fall under."""

    EEA_SWITZERLAND = "eee-suisse"      # Regulations (EC) 883/2004 and 987/2009
    UNITED_KINGDOM = "royaume-uni"      # the Trade and Cooperation Agreement's protocol since 01/01/2021
    BILATERAL = "bilaterale"            # a bilateral social-security agreement
    REST_OF_WORLD = "reste-du-monde"    # no agreement: the local social security


class Status(str, enum.Enum):
    """One per query (§4.1), as the sources name them."""

    EMPLOYEE = "salarie"
    CIVIL_SERVANT = "fonctionnaire"
    SELF_EMPLOYED = "independant"
    INTERNATIONAL_TRANSPORT = "transport-international"
    FRONTIER_WORKER = "frontalier"
    POSTED_WORKER = "detache"
    PENSIONER = "pensionne"
    STUDENT = "etudiant"


class Topic(str, enum.Enum):
    """§4.1 and §4.4; "Tous les sujets" is every one of them, in this order."""

    FAMILY_ALLOWANCES = "allocations-familiales"
    PENSIONS = "pensions"
    HEALTHCARE = "soins-de-sante"
    UNEMPLOYMENT = "chomage"
    WORK_INCAPACITY = "incapacite-de-travail"
    CONTRIBUTIONS = "cotisations-sociales"  # the applicable legislation
    CAREER_BREAK = "interruption-de-carriere"


# The topics that are a branch of an agreement (the career-break allowance is a matter of domicile, §4.4).
BRANCH_TOPICS = (Topic.FAMILY_ALLOWANCES, Topic.PENSIONS, Topic.HEALTHCARE, Topic.UNEMPLOYMENT,
                 Topic.WORK_INCAPACITY, Topic.CONTRIBUTIONS)


class Coverage(str, enum.Enum):
    """Whether a bilateral agreement covers a branch."""

    COVERED = "couvert"
    PARTLY = "partiel"            # e.g. invalidity but not sickness [S44]
    NOT_COVERED = "non-couvert"
    UNVERIFIED = "non-verifie"    # domain.md does not list the branch for this agreement


class Scope(str, enum.Enum):
    """Whom an agreement covers, by nationality (§4.2, §4.3)."""

    ALL = "toutes"                                # every nationality
    NATIONALS = "ressortissants"                  # the nationals of Belgium and of the other state
    EEA_SWISS_NATIONALS = "ressortissants-eee-suisse"  # EU/EEA/Swiss nationals, refugees, stateless
    UNVERIFIED = "non-verifiee"                   # the sources do not say: applied, with a warning


class Reason(str, enum.Enum):
    """Why the person falls under the rules the outcome applies."""

    NO_AGREEMENT = "sans-convention"                        # destination « Autre pays »
    ALL_NATIONALITIES = "toutes-nationalites"
    NATIONAL = "ressortissant"                              # Belgian, or a national of the other state
    EEA_SWISS_NATIONAL = "ressortissant-eee-suisse"
    REFUGEE_OR_STATELESS = "refugie-ou-apatride"
    SCOPE_UNVERIFIED = "portee-non-verifiee"                # applied, but the sources do not say
    POSTING_ALL_NATIONALITIES = "detachement-toutes-nationalites"
    OUTSIDE_NATIONALS_ONLY = "hors-ressortissants"          # → rest of the world
    OUTSIDE_EEA_SWISS_NATIONALS = "hors-ressortissants-eee-suisse"  # → rest of the world

    @property
    def outside_scope(self) -> bool:
        return self in (Reason.OUTSIDE_NATIONALS_ONLY, Reason.OUTSIDE_EEA_SWISS_NATIONALS)


class RuleTableError(ValueError):
    """The rule table is not well formed: a reviewer's mistake, found when it is read."""


@dataclass(frozen=True)
class Posting:
    """How long a posting may last under an agreement (successive periods, in years) and its form."""

    years: tuple[int, ...]
    form: str


@dataclass(frozen=True)
class Country:
    code: str                     # ISO 3166 alpha-2 in lower case; Québec "ca-qc"
    regime: Regime
    scope: Scope
    destination: bool = True      # Belgium is a nationality, not a destination
    nationality: bool = True      # Québec is a destination, not a nationality
    own_nationality: str = ""     # the nationality of its nationals ("ca" for Québec); its code by default
    posting_all_nationalities: bool = False
    signed: datetime.date | None = None
    in_force: datetime.date | None = None
    branches: Mapping[Topic, Coverage] = field(default_factory=dict)
    posting: Posting | None = None
    sources: tuple[str, ...] = ()

    @property
    def nationals(self) -> str:
        return self.own_nationality or self.code


@dataclass(frozen=True)
class Fiche:
    """What a person is told for one topic, and when: under `regime`, for `topic`, optionally only
    for one destination (`country`), one `status`, one `coverage` of the branch."""

    id: str
    regime: Regime
    topic: Topic
    country: str | None = None
    status: Status | None = None
    coverage: Coverage | None = None
    text: str = ""                      # the key of its words (several fiches may share them)
    forms: tuple[str, ...] = ()         # A1, S1, S2, U2, CEAM
    sources: tuple[str, ...] = ()       # keys of domain.md §10
    institutions: tuple[str, ...] = ()  # besides those competent for the topic
    verified: bool = True               # False: a point of it is unverified, and it says so

    @property
    def key(self) -> tuple[Regime, str | None, Status | None, Topic, Coverage | None]:
        return (self.regime, self.country, self.status, self.topic, self.coverage)

    @property
    def specificity(self) -> tuple[bool, bool, bool]:
        """What its key names beyond the regime and the topic: country, status, coverage."""
        return (self.country is not None, self.status is not None, self.coverage is not None)


@dataclass(frozen=True, eq=False)  # one table per file read: compared and hashed by identity
class RuleTable:
    version: str
    countries: Mapping[str, Country]
    fiches: tuple[Fiche, ...]
    # Who is competent for a topic, and for a (status, topic) where it differs.
    institutions: Mapping[Topic, tuple[str, ...]]
    status_institutions: Mapping[tuple[Status, Topic], tuple[str, ...]]
    _index: Mapping[tuple, Fiche] = field(default_factory=dict, repr=False, compare=False)

    @property
    def destinations(self) -> tuple[str, ...]:
        """Every answer to "destination", "autre" last."""
        return (*(code for code, country in self.countries.items() if country.destination), OTHER)

    @property
    def nationalities(self) -> tuple[str, ...]:
        """Every answer to "nationality": the states, then stateless, refugee and "autre"."""
        return (*(code for code, country in self.countries.items() if country.nationality),
                *SPECIAL_NATIONALITIES)

    def countries_of(self, regime: Regime) -> list[Country]:
        return [country for country in self.countries.values() if country.destination and country.regime is regime]

    def is_eea_swiss_national(self, nationality: str) -> bool:
        country = self.countries.get(nationality)
        return country is not None and country.nationality and country.regime is Regime.EEA_SWITZERLAND

    def fiche(self, regime: Regime, topic: Topic, *, country: str | None = None, status: Status | None = None,
              coverage: Coverage | None = None) -> Fiche | None:
        """The most specific fiche for these keys: country before none, then status before none, then
        coverage before none."""
        for country_key in ((country, None) if country is not None else (None,)):
            for status_key in ((status, None) if status is not None else (None,)):
                for coverage_key in ((coverage, None) if coverage is not None else (None,)):
                    found = self._index.get((regime, country_key, status_key, topic, coverage_key))
                    if found is not None:
                        return found
        return None

    def institutions_for(self, status: Status, topic: Topic) -> tuple[str, ...]:
        return self.status_institutions.get((status, topic), self.institutions[topic])


@dataclass(frozen=True)
class Outcome:
    """The answer for one topic: the rules that apply and why, the fiche and who to ask."""

    nationality: str
    destination: str
    status: Status
    topic: Topic
    regime: Regime | None      # the destination's own regime (None for « Autre pays »)
    applied: Regime            # the rules applied to this person
    reason: Reason
    coverage: Coverage | None  # the branch under a bilateral agreement
    fiche: Fiche
    institutions: tuple[str, ...]


class Unresolved(LookupError):
    """No fiche for a path: a gap in the rule table (the every-path test finds them all)."""


def applicable_regime(table: RuleTable, nationality: str, destination: str, status: Status,
                      topic: Topic) -> tuple[Regime, Reason]:
    """The rules that apply to this person for this topic (steps 1 and 2 of the module's docstring)."""
    if destination == OTHER:
        return Regime.REST_OF_WORLD, Reason.NO_AGREEMENT
    country = table.countries[destination]
    regime = country.regime
    if country.scope is Scope.ALL:
        return regime, Reason.ALL_NATIONALITIES
    if country.scope is Scope.UNVERIFIED:
        # The United Kingdom: the sources do not say whom the protocol covers beyond the nationals.
        covered = nationality == country.nationals or table.is_eea_swiss_national(nationality)
        return regime, Reason.NATIONAL if covered else Reason.SCOPE_UNVERIFIED
    if country.scope is Scope.EEA_SWISS_NATIONALS:
        if nationality in (REFUGEE, STATELESS):
            return regime, Reason.REFUGEE_OR_STATELESS
        if table.is_eea_swiss_national(nationality) or nationality == country.nationals:
            return regime, Reason.EEA_SWISS_NATIONAL
        outside = Reason.OUTSIDE_EEA_SWISS_NATIONALS
    else:  # Scope.NATIONALS
        if nationality in (BELGIUM, country.nationals):
            return regime, Reason.NATIONAL
        outside = Reason.OUTSIDE_NATIONALS_ONLY
    if country.posting_all_nationalities and status is Status.POSTED_WORKER and topic is Topic.CONTRIBUTIONS:
        # [S43]: the posting articles of the agreements with Canada, the USA and Switzerland.
        return Regime.BILATERAL, Reason.POSTING_ALL_NATIONALITIES
    return Regime.REST_OF_WORLD, outside


def coverage_of(table: RuleTable, destination: str, applied: Regime, reason: Reason,
                topic: Topic) -> Coverage | None:
    """Step 3: whether the bilateral agreement applied covers the topic's branch."""
    if applied is not Regime.BILATERAL or topic not in BRANCH_TOPICS:
        return None
    if reason is Reason.POSTING_ALL_NATIONALITIES:
        return Coverage.COVERED  # the posting articles themselves
    return table.countries[destination].branches[topic]


def resolve(table: RuleTable, nationality: str, destination: str, status: Status, topic: Topic) -> Outcome:
    """The outcome of one path. `nationality` and `destination` are answers of the table (see
    `RuleTable.nationalities`, `RuleTable.destinations`); an unknown one is a KeyError."""
    if nationality not in SPECIAL_NATIONALITIES and not table.countries[nationality].nationality:
        raise KeyError(nationality)
    if destination != OTHER and not table.countries[destination].destination:
        raise KeyError(destination)
    applied, reason = applicable_regime(table, nationality, destination, status, topic)
    coverage = coverage_of(table, destination, applied, reason, topic)
    country = None if destination == OTHER else destination
    fiche = table.fiche(applied, topic, country=country, status=status, coverage=coverage)
    if fiche is None:
        raise Unresolved((nationality, destination, status, topic, applied, coverage))
    regime = None if destination == OTHER else table.countries[destination].regime
    institutions = tuple(dict.fromkeys((*table.institutions_for(status, topic), *fiche.institutions)))
    return Outcome(nationality, destination, status, topic, regime, applied, reason, coverage, fiche,
                   institutions)


def resolve_all(table: RuleTable, nationality: str, destination: str, status: Status) -> list[Outcome]:
    """"Tous les sujets": one outcome per topic, in the topics' order."""
    return [resolve(table, nationality, destination, status, topic) for topic in Topic]


def all_paths(table: RuleTable) -> Iterator[tuple[str, str, Status, Topic]]:
    """Every (nationality, destination, status, topic) a person can answer."""
    for nationality in table.nationalities:
        for destination in table.destinations:
            for status in Status:
                for topic in Topic:
                    yield nationality, destination, status, topic


# --- the graph of the rules, for content editors ----------------------------------------------------


@dataclass(frozen=True)
class GraphCell:
    """Under `regime`, for `topic` (and `coverage` of its branch), the fiche a `status` gets."""

    topic: Topic
    coverage: Coverage | None
    status: Status
    fiche: Fiche | None


def coverages_in(table: RuleTable, regime: Regime, topic: Topic) -> list[Coverage | None]:
    """The coverages a person can meet under `regime` for `topic`: under a bilateral agreement, those its
    countries list (and "covered" for contributions, which the posting articles cover), else none."""
    if regime is not Regime.BILATERAL or topic not in BRANCH_TOPICS:
        return [None]
    found = {country.branches[topic] for country in table.countries.values() if country.regime is regime}
    if topic is Topic.CONTRIBUTIONS and any(country.posting_all_nationalities for country in table.countries.values()):
        found.add(Coverage.COVERED)
    return [coverage for coverage in Coverage if coverage in found]


def regime_graph(table: RuleTable, regime: Regime) -> list[GraphCell]:
    """For each topic, coverage and status, the fiche that applies when no country has its own."""
    return [GraphCell(topic, coverage, status, table.fiche(regime, topic, status=status, coverage=coverage))
            for topic in Topic
            for coverage in coverages_in(table, regime, topic)
            for status in Status]


def country_fiches(table: RuleTable, regime: Regime) -> list[Fiche]:
    """The fiches of one country under `regime`: they win over the regime's for that country."""
    return [fiche for fiche in table.fiches if fiche.regime is regime and fiche.country is not None]


# --- reading the table ------------------------------------------------------------------------------


def _enum(kind: type[enum.Enum], value: Any, where: str):
    try:
        return kind(value)
    except ValueError:
        raise RuleTableError(f"{where}: {value!r} is not one of {[member.value for member in kind]}") from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise RuleTableError(f"{where}: a list of non-empty strings is expected")
    return tuple(value)


def _date(value: Any, where: str) -> datetime.date | None:
    if value is None:
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise RuleTableError(f"{where}: a date is expected (YYYY-MM-DD)")
    return value


def _country(code: str, data: Mapping[str, Any]) -> Country:
    where = f"countries.{code}"
    known = {"regime", "scope", "destination", "nationality", "own_nationality", "posting_all_nationalities",
             "signed", "in_force", "branches", "posting", "sources"}
    if unknown := set(data) - known:
        raise RuleTableError(f"{where}: unknown keys {sorted(unknown)}")
    regime = _enum(Regime, data.get("regime"), f"{where}.regime")
    if regime is Regime.REST_OF_WORLD:
        raise RuleTableError(f"{where}: a country without agreement is not listed (it is « autre »)")
    branches = {_enum(Topic, topic, f"{where}.branches"): _enum(Coverage, coverage, f"{where}.branches.{topic}")
                for topic, coverage in (data.get("branches") or {}).items()}
    if regime is Regime.BILATERAL:
        if missing := [topic.value for topic in BRANCH_TOPICS if topic not in branches]:
            raise RuleTableError(f"{where}: every branch is listed, 'non-verifie' when unknown; missing {missing}")
    elif branches:
        raise RuleTableError(f"{where}: branches are listed for bilateral agreements only")
    posting = data.get("posting")
    if posting is not None:
        years = posting.get("years")
        if (not isinstance(years, list) or not years
                or not all(isinstance(year, int) and not isinstance(year, bool) and 0 < year <= 10 for year in years)):
            raise RuleTableError(f"{where}.posting.years: a list of years (1 to 10) is expected")
        form = posting.get("form")
        if not isinstance(form, str) or not form:
            raise RuleTableError(f"{where}.posting.form: the form's name is expected")
        posting = Posting(tuple(years), form)
    flags = {name: data.get(name, default) for name, default in
             (("destination", True), ("nationality", True), ("posting_all_nationalities", False))}
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise RuleTableError(f"{where}.{name}: true or false")
    return Country(
        code=code, regime=regime, scope=_enum(Scope, data.get("scope"), f"{where}.scope"),
        own_nationality=str(data.get("own_nationality", "")), signed=_date(data.get("signed"), f"{where}.signed"),
        in_force=_date(data.get("in_force"), f"{where}.in_force"), branches=branches, posting=posting,
        sources=_strings(data.get("sources", []), f"{where}.sources"), **flags)


def _fiche(number: int, data: Mapping[str, Any]) -> Fiche:
    where = f"fiches[{number}] ({data.get('id', '?')})"
    known = {"id", "regime", "topic", "country", "status", "coverage", "text", "forms", "sources", "institutions",
             "verified"}
    if unknown := set(data) - known:
        raise RuleTableError(f"{where}: unknown keys {sorted(unknown)}")
    fiche_id = data.get("id")
    if not isinstance(fiche_id, str) or not fiche_id:
        raise RuleTableError(f"{where}: an id is expected")
    verified = data.get("verified", True)
    if not isinstance(verified, bool):
        raise RuleTableError(f"{where}.verified: true or false")
    sources = _strings(data.get("sources", []), f"{where}.sources")
    if not sources:
        raise RuleTableError(f"{where}: every fiche names its sources")
    return Fiche(
        id=fiche_id,
        regime=_enum(Regime, data.get("regime"), f"{where}.regime"),
        topic=_enum(Topic, data.get("topic"), f"{where}.topic"),
        country=data.get("country"),
        status=_enum(Status, data["status"], f"{where}.status") if "status" in data else None,
        coverage=_enum(Coverage, data["coverage"], f"{where}.coverage") if "coverage" in data else None,
        text=str(data.get("text", fiche_id)),
        forms=_strings(data.get("forms", []), f"{where}.forms"),
        sources=sources,
        institutions=_strings(data.get("institutions", []), f"{where}.institutions"),
        verified=verified,
    )


def parse_rule_table(data: Mapping[str, Any]) -> RuleTable:
    """The rule table from its file's data (a TOML document read by the service), checked whole:
    known values, no two fiches with the same key, every country a fiche names listed."""
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise RuleTableError("version: the table's version is expected")
    countries = {code: _country(code, values) for code, values in (data.get("countries") or {}).items()}
    for code, country in countries.items():
        if code in SPECIAL_NATIONALITIES:
            raise RuleTableError(f"countries.{code}: the code is a special answer")
        if country.own_nationality and country.own_nationality not in countries:
            raise RuleTableError(f"countries.{code}.own_nationality: unknown country {country.own_nationality!r}")
    if BELGIUM not in countries or countries[BELGIUM].destination:
        raise RuleTableError("countries.be: Belgium is listed, as a nationality and not as a destination")

    fiches = tuple(_fiche(number, values) for number, values in enumerate(data.get("fiches") or []))
    index: dict[tuple, Fiche] = {}
    ids: set[str] = set()
    for fiche in fiches:
        if fiche.id in ids:
            raise RuleTableError(f"fiche {fiche.id!r}: two fiches have this id")
        ids.add(fiche.id)
        if fiche.key in index:
            raise RuleTableError(f"fiches {index[fiche.key].id!r} and {fiche.id!r} have the same key")
        if fiche.country is not None and fiche.country not in countries:
            raise RuleTableError(f"fiche {fiche.id!r}: unknown country {fiche.country!r}")
        if fiche.coverage is not None and (fiche.regime is not Regime.BILATERAL or fiche.topic not in BRANCH_TOPICS):
            raise RuleTableError(f"fiche {fiche.id!r}: a coverage is a bilateral agreement's branch")
        index[fiche.key] = fiche

    institutions_data = data.get("institutions") or {}
    topic_institutions = institutions_data.get("sujets") or {}
    institutions = {topic: _strings(topic_institutions.get(topic.value), f"institutions.sujets.{topic.value}")
                    for topic in Topic}
    status_institutions: dict[tuple[Status, Topic], tuple[str, ...]] = {}
    for status_value, by_topic in (institutions_data.get("statuts") or {}).items():
        status = _enum(Status, status_value, "institutions.statuts")
        for topic_value, names in by_topic.items():
            topic = _enum(Topic, topic_value, f"institutions.statuts.{status_value}")
            status_institutions[status, topic] = _strings(names, f"institutions.statuts.{status_value}.{topic_value}")
    return RuleTable(version, countries, fiches, institutions, status_institutions, index)


def fiche_texts_used(table: RuleTable) -> set[str]:
    return {fiche.text for fiche in table.fiches}


def sources_used(table: RuleTable) -> set[str]:
    return {source for fiche in table.fiches for source in fiche.sources} | {
        source for country in table.countries.values() for source in country.sources}


def institutions_used(table: RuleTable) -> set[str]:
    return ({name for names in table.institutions.values() for name in names}
            | {name for names in table.status_institutions.values() for name in names}
            | {name for fiche in table.fiches for name in fiche.institutions})


def forms_used(table: RuleTable) -> set[str]:
    return {form for fiche in table.fiches for form in fiche.forms}
