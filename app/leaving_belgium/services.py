"""The use cases of « Vous quittez la Belgique ? »: a question of the wizard, the result, the graph of the
rules. Each reads the answers of the URL and the rule table (no database), applies the rules of
app/rules/leaving_belgium.py and returns what the page shows; routes.py renders it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.leaving_belgium.catalogue import TOPIC_PAGE
from app.leaving_belgium.forms import PARAMETERS, QUESTIONS, Answers, Question, options
from app.leaving_belgium.rule_table import rule_table
from app.leaving_belgium.views import GraphView, ResultView, graph_view, result_view
from app.leaving_belgium.wording import REGIME_NAMES
from app.rules.leaving_belgium import Regime, Status, Topic, resolve
from app.web.i18n import current_language
from app.web.i18n import gettext as _


@dataclass(frozen=True)
class QuestionPage:
    question: Question
    number: int                      # 1 to 4
    answers: Answers
    options: list[tuple[str, ...]]
    value: str | None                # the answer already given, to show it chosen
    action: str                      # where the form goes (a route's name)
    hidden: list[tuple[str, str]]    # the other answers, carried along
    back: str | None                 # « Précédent »: the question before (a route's name, with the answers),
    topic_page: str                  # or, from the first question, the portal's page of the topic
    errors: list[tuple[str, str]]    # (field id, message)


def question_page(query: Mapping[str, str], asked: int) -> QuestionPage:
    """The page of question `asked` (0 to 3) or, for the result's address (4) whose answers are not
    all there, the first question to answer again. Answers before `asked` must be there and in their
    lists; a problem asks that question again, with its message."""
    table = rule_table()
    answers = Answers.parse(query, table)
    problem = answers.problem(asked)
    if problem is not None:
        asked = next(index for index, question in enumerate(QUESTIONS) if question.parameter == problem[0])
    question = QUESTIONS[asked]
    return QuestionPage(
        question=question, number=asked + 1, answers=answers,
        options=options(current_language(), table)[question.parameter],
        value=answers.values.get(question.parameter),
        action=answers.action_after(asked),
        hidden=answers.hidden_fields(without=question.parameter),
        back=QUESTIONS[asked - 1].route if asked else None,
        topic_page=TOPIC_PAGE,
        errors=[problem] if problem is not None else [],
    )


def needs_question(query: Mapping[str, str]) -> bool:
    """Whether the result's address lacks an answer (or has one outside its list)."""
    return Answers.parse(query, rule_table()).problem(len(QUESTIONS)) is not None


def result(query: Mapping[str, str]) -> tuple[Answers, ResultView]:
    """The rights kept for the URL's four answers (check `needs_question` first)."""
    answers = Answers.parse(query, rule_table())
    return answers, _result_view(current_language(), *(answers.values[parameter] for parameter in PARAMETERS))


@lru_cache(maxsize=4096)
def _result_view(language: str, nationality: str, destination: str, status: str, topic: str) -> ResultView:
    """The page's words for four answers: a pure function of them, the language (the current one) and
    the rule table, read once; so the view of a frequent question is kept (the page is still rendered)."""
    del language  # the key of the cache: the words below are in the current language
    table = rule_table()
    answers = Answers.parse(dict(zip(PARAMETERS, (nationality, destination, status, topic), strict=True)), table)
    outcomes = [resolve(table, nationality, destination, answers.status, topic) for topic in answers.topics]
    return result_view(table, answers, outcomes)


def result_options() -> dict[str, list[tuple[str, str]]]:
    """The lists of the result page's form: (value, label), without the radios' hints."""
    return {parameter: [(value, label) for value, label, *_hint in choices]
            for parameter, choices in options(current_language(), rule_table()).items()}


def rules_index() -> dict[str, Any]:
    """The graph's index: the regimes, the size of the table, the paths."""
    table = rule_table()
    return {
        "version": table.version,
        "regimes": [(regime.value, _(REGIME_NAMES[regime]), len(table.countries_of(regime))) for regime in Regime],
        "nationalities": len(table.nationalities),
        "destinations": len(table.destinations),
        "fiches": len(table.fiches),
        "paths": path_count(),
    }


def path_count() -> int:
    """The (nationality, destination, status, topic) a person can answer (each topic once: « Tous les
    sujets » shows them together)."""
    table = rule_table()
    return len(table.nationalities) * len(table.destinations) * len(Status) * len(Topic)


def rules_of(regime_value: str) -> GraphView | None:
    try:
        regime = Regime(regime_value)
    except ValueError:
        return None
    return graph_view(rule_table(), regime)
