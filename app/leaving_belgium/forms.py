"""The four questions of « Vous quittez la Belgique ? » and the answers read from the URL.

Every answer lives in the query string (GOV.UK's smart answers): each question is a GET form that carries
the answers already given as hidden fields, and the result is a stable address that can be bookmarked,
printed, sent, or opened in another language:

    /vous-quittez-la-belgique/resultat?nationalite=be&destination=fr&statut=independant&sujet=pensions

Parameter names and values are French and stable. A value outside the lists is never shown back: the
question is asked again with a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from app.leaving_belgium.wording import (
    ALL_TOPICS,
    ALL_TOPICS_NAME,
    OTHER_DESTINATION,
    SPECIAL_NATIONALITY_NAMES,
    STATUS_HINTS,
    STATUS_NAMES,
    TOPIC_HINTS,
    TOPIC_NAMES,
    country_name,
    sorted_by_name,
)
from app.rules.leaving_belgium import (
    OTHER,
    REFUGEE,
    STATELESS,
    RuleTable,
    Status,
    Topic,
)
from app.web.i18n import N_
from app.web.i18n import gettext as _

SERVICE_PATH = "/vous-quittez-la-belgique"  # the prefix of the service's controller, its catalogue entry
RESULT_ROUTE = "leaving_belgium_result"  # the result's route (routes.py): templates ask url_for its address

NATIONALITY, DESTINATION, STATUS, TOPIC = "nationalite", "destination", "statut", "sujet"
PARAMETERS = (NATIONALITY, DESTINATION, STATUS, TOPIC)
LONGEST_VALUE = 40  # longer values are not in any list


@dataclass(frozen=True)
class Question:
    parameter: str
    route: str    # the name of its page's route (routes.py)
    title: str    # the page's heading: the question
    label: str    # the field's label (a select) or legend (radios)
    hint: str
    missing: str  # no answer
    unknown: str  # an answer that is not in the list


QUESTIONS = (
    Question(NATIONALITY, "leaving_belgium_nationality", N_("Quelle est votre nationalité ?"), N_("Nationalité"),
             N_("Certaines conventions ne couvrent que certaines nationalités. Si la vôtre n'est pas dans la liste, "
                "choisissez « Autre nationalité »."),
             N_("Choisissez votre nationalité."), N_("Choisissez une nationalité de la liste.")),
    Question(DESTINATION, "leaving_belgium_destination", N_("Dans quel pays partez-vous ?"), N_("Pays de destination"),
             N_("La liste reprend les pays liés à la Belgique par des règles de sécurité sociale : l'Espace économique "
                "européen, la Suisse, le Royaume-Uni et les pays qui ont une convention avec la Belgique. Pour un "
                "autre pays, choisissez « Autre pays »."),
             N_("Choisissez le pays où vous partez."), N_("Choisissez un pays de la liste.")),
    Question(STATUS, "leaving_belgium_status", N_("Quel sera votre statut ?"), N_("Votre statut"),
             N_("Un seul statut par recherche. Vous pourrez en choisir un autre sur la page des résultats."),
             N_("Choisissez votre statut."), N_("Choisissez un statut de la liste.")),
    Question(TOPIC, "leaving_belgium_topic", N_("Sur quel sujet cherchez-vous des informations ?"), N_("Sujet"),
             N_("Choisissez « Tous les sujets » pour voir tous vos droits sur une page."),
             N_("Choisissez un sujet."), N_("Choisissez un sujet de la liste.")),
)
QUESTION_OF = {question.parameter: question for question in QUESTIONS}
ANSWER_NAMES = {
    NATIONALITY: N_("Nationalité"), DESTINATION: N_("Pays de destination"), STATUS: N_("Statut"), TOPIC: N_("Sujet"),
}


@cache
def allowed_values(table: RuleTable) -> dict[str, frozenset[str]]:
    return {
        NATIONALITY: frozenset(table.nationalities),
        DESTINATION: frozenset(table.destinations),
        STATUS: frozenset(status.value for status in Status),
        TOPIC: frozenset((*(topic.value for topic in Topic), ALL_TOPICS)),
    }


@dataclass
class Answers:
    """The answers of a URL: `values` those in the lists, `invalid` the parameters whose value is not."""

    values: dict[str, str] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, query: Mapping[str, str], table: RuleTable) -> Answers:
        allowed = allowed_values(table)
        answers = cls()
        for parameter in PARAMETERS:
            typed = query.get(parameter)
            if typed is None or not str(typed).strip():
                continue
            value = str(typed).strip()
            if len(value) <= LONGEST_VALUE and value in allowed[parameter]:
                answers.values[parameter] = value
            else:
                answers.invalid.add(parameter)
        return answers

    def problem(self, asked: int) -> tuple[str, str] | None:
        """The first problem for the page of question `asked` (len(QUESTIONS) for the result): an answer
        before it missing or not in its list, or its own answer not in the list. (parameter, message)."""
        for question in QUESTIONS[:asked]:
            if question.parameter in self.invalid:
                return question.parameter, _(question.unknown)
            if question.parameter not in self.values:
                return question.parameter, _(question.missing)
        if asked < len(QUESTIONS) and QUESTIONS[asked].parameter in self.invalid:
            return QUESTIONS[asked].parameter, _(QUESTIONS[asked].unknown)
        return None

    @property
    def status(self) -> Status:
        return Status(self.values[STATUS])

    @property
    def topics(self) -> list[Topic]:
        topic = self.values[TOPIC]
        return list(Topic) if topic == ALL_TOPICS else [Topic(topic)]

    def query(self, *, without: str | None = None) -> dict[str, str]:
        """The answers as the query of an address (`url_for(route, query=...)`), in the questions' order."""
        return dict(self.hidden_fields(without))

    def hidden_fields(self, without: str | None = None) -> list[tuple[str, str]]:
        return [(parameter, self.values[parameter]) for parameter in PARAMETERS
                if parameter in self.values and parameter != without]

    def action_after(self, asked: int) -> str:
        """Where the form of question `asked` goes (a route's name): to the result when every other
        answer is known (a change from « Vos réponses »), else to the next question."""
        others = [question.parameter for index, question in enumerate(QUESTIONS) if index != asked]
        if asked == len(QUESTIONS) - 1 or all(parameter in self.values for parameter in others):
            return RESULT_ROUTE
        return QUESTIONS[asked + 1].route


@cache
def options(language: str, table: RuleTable) -> dict[str, list[tuple[str, ...]]]:
    """The choices of each question in `language` (the current one), as (value, label[, hint]): the
    countries sorted by their name in that language, the special answers after them."""
    del language  # the key of the cache: the names below are in the current language
    nationalities = sorted_by_name((code, country_name(code)) for code in table.nationalities
                                   if code not in SPECIAL_NATIONALITY_NAMES)
    specials = sorted_by_name((code, _(SPECIAL_NATIONALITY_NAMES[code])) for code in (STATELESS, REFUGEE))
    destinations = sorted_by_name((code, country_name(code)) for code in table.destinations if code != OTHER)
    return {
        NATIONALITY: [*nationalities, *specials, (OTHER, _(SPECIAL_NATIONALITY_NAMES[OTHER]))],
        DESTINATION: [*destinations, (OTHER, _(OTHER_DESTINATION))],
        STATUS: [(status.value, _(STATUS_NAMES[status]), *((_(STATUS_HINTS[status]),) if status in STATUS_HINTS else ()))
                 for status in Status],
        TOPIC: [*((topic.value, _(TOPIC_NAMES[topic]), *((_(TOPIC_HINTS[topic]),) if topic in TOPIC_HINTS else ()))
                  for topic in Topic), (ALL_TOPICS, _(ALL_TOPICS_NAME))],
    }
