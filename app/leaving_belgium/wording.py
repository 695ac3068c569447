"""How « Vous quittez la Belgique ? » names what the rules decide, in French source text marked for
translation (`N_`; `_()` translates it where it is shown): the regimes, statuses, topics, coverages, the
reasons a person falls under a regime, the special answers. Countries are named by Babel's locale data
in the user's language (Québec, which is not a state, through gettext), and every list is sorted for that
language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.lists import format_list

from app.rules.leaving_belgium import (
    OTHER,
    REFUGEE,
    STATELESS,
    Coverage,
    Reason,
    Regime,
    Scope,
    Status,
    Topic,
)
from app.web.i18n import BABEL_LOCALES, N_, babel_locale, current_language, ngettext
from app.web.i18n import gettext as _

# Destinations that are not a state of Babel's territories.
PLACE_NAMES = {"ca-qc": N_("Québec")}
OTHER_DESTINATION = N_("Autre pays")
SPECIAL_NATIONALITY_NAMES = {
    STATELESS: N_("Apatride"),
    REFUGEE: N_("Réfugié"),
    OTHER: N_("Autre nationalité"),
}

REGIME_NAMES = {
    Regime.EEA_SWITZERLAND: N_("Espace économique européen et Suisse"),
    Regime.UNITED_KINGDOM: N_("Royaume-Uni"),
    Regime.BILATERAL: N_("Conventions bilatérales"),
    Regime.REST_OF_WORLD: N_("Reste du monde"),
}
# What applies under each regime (§4.2), one sentence.
REGIME_RULES = {
    Regime.EEA_SWITZERLAND: N_("Les règlements européens de coordination (CE) 883/2004 et 987/2009 : une seule "
                               "législation s'applique, les périodes d'assurance de chaque pays sont additionnées "
                               "et les prestations peuvent être payées dans un autre pays."),
    Regime.UNITED_KINGDOM: N_("Le protocole sur la coordination de la sécurité sociale de l'accord de commerce et "
                              "de coopération entre l'Union européenne et le Royaume-Uni, en vigueur depuis le "
                              "1er janvier 2021 : proche des règlements européens, mais plus étroit."),
    Regime.BILATERAL: N_("Une convention bilatérale de sécurité sociale : les droits que vous gardez dépendent de "
                         "ce qu'elle couvre."),
    Regime.REST_OF_WORLD: N_("Aucune convention : c'est en principe la sécurité sociale du pays où vous allez "
                             "qui s'applique. Une assurance facultative auprès de la sécurité sociale d'outre-mer "
                             "de l'ONSS est possible."),
}
WITHDRAWAL_AGREEMENT = N_("Une situation commencée avant le 31/12/2020 (par exemple un travail ou un séjour au "
                          "Royaume-Uni déjà en cours à cette date) reste protégée par l'accord de retrait, selon "
                          "les règles européennes. Si c'est votre cas, dites-le à l'institution compétente.")

STATUS_NAMES = {
    Status.EMPLOYEE: N_("Travailleur salarié"),
    Status.CIVIL_SERVANT: N_("Fonctionnaire"),
    Status.SELF_EMPLOYED: N_("Indépendant"),
    Status.INTERNATIONAL_TRANSPORT: N_("Personne occupée dans le transport international"),
    Status.FRONTIER_WORKER: N_("Travailleur frontalier"),
    Status.POSTED_WORKER: N_("Travailleur détaché"),
    Status.PENSIONER: N_("Pensionné"),
    Status.STUDENT: N_("Étudiant"),
}
# (The first choice has none: its hint's id would be the group's, in fields.html's radios.)
STATUS_HINTS = {
    Status.CIVIL_SERVANT: N_("Vous travaillez dans un service public ou assimilé."),
    Status.INTERNATIONAL_TRANSPORT: N_("Par exemple le personnel roulant ou navigant d'une entreprise de transport."),
    Status.FRONTIER_WORKER: N_("Vous travaillez dans un pays et vous habitez dans un autre."),
    Status.POSTED_WORKER: N_("Votre employeur vous envoie travailler temporairement à l'étranger."),
}

TOPIC_NAMES = {
    Topic.FAMILY_ALLOWANCES: N_("Allocations familiales"),
    Topic.PENSIONS: N_("Pensions"),
    Topic.HEALTHCARE: N_("Remboursement des soins de santé"),
    Topic.UNEMPLOYMENT: N_("Allocations de chômage"),
    Topic.WORK_INCAPACITY: N_("Indemnités d'incapacité de travail"),
    Topic.CONTRIBUTIONS: N_("Paiement des cotisations sociales"),
    Topic.CAREER_BREAK: N_("Allocations d'interruption de carrière"),
}
ALL_TOPICS = "tous"
ALL_TOPICS_NAME = N_("Tous les sujets")
TOPIC_HINTS = {
    Topic.CONTRIBUTIONS: N_("Dans quel pays vous êtes assuré et payez vos cotisations (la législation applicable)."),
}
# "Les sources ne disent pas si la convention couvre {topic}": the topic within a sentence.
TOPIC_IN_SENTENCE = {
    Topic.FAMILY_ALLOWANCES: N_("les allocations familiales"),
    Topic.PENSIONS: N_("les pensions"),
    Topic.HEALTHCARE: N_("les soins de santé"),
    Topic.UNEMPLOYMENT: N_("le chômage"),
    Topic.WORK_INCAPACITY: N_("l'incapacité de travail"),
    Topic.CONTRIBUTIONS: N_("la législation applicable"),
    Topic.CAREER_BREAK: N_("l'interruption de carrière"),
}

COVERAGE_NAMES = {
    Coverage.COVERED: N_("Couvert par la convention"),
    Coverage.PARTLY: N_("Couvert en partie par la convention"),
    Coverage.NOT_COVERED: N_("Non couvert par la convention"),
    Coverage.UNVERIFIED: N_("Non vérifié"),
}
SCOPE_NAMES = {
    Scope.ALL: N_("Toutes les nationalités"),
    Scope.NATIONALS: N_("Ressortissants belges et de ce pays"),
    Scope.EEA_SWISS_NATIONALS: N_("Ressortissants de l'UE, de l'EEE et de la Suisse, réfugiés et apatrides"),
    Scope.UNVERIFIED: N_("Non vérifié au-delà des ressortissants de l'UE, de l'EEE et du Royaume-Uni"),
}

# Why the person falls under the rules applied (the result page and the graph say it).
REASONS = {
    Reason.NO_AGREEMENT: N_("La Belgique n'a pas de convention de sécurité sociale avec ce pays."),
    Reason.ALL_NATIONALITIES: N_("Les règles avec ce pays s'appliquent quelle que soit votre nationalité."),
    Reason.NATIONAL: N_("Les règles avec ce pays couvrent votre nationalité."),
    Reason.EEA_SWISS_NATIONAL: N_("Ce pays n'applique les règlements européens qu'aux ressortissants de l'Union "
                                  "européenne, de l'EEE et de la Suisse (et aux réfugiés et apatrides) : votre "
                                  "nationalité en fait partie."),
    Reason.REFUGEE_OR_STATELESS: N_("Ce pays n'applique les règlements européens qu'aux ressortissants de l'Union "
                                    "européenne, de l'EEE et de la Suisse, aux réfugiés et aux apatrides : c'est "
                                    "votre cas."),
    Reason.SCOPE_UNVERIFIED: N_("Les sources consultées ne disent pas si ces règles couvrent votre nationalité. "
                                "Ce point n'est pas vérifié : demandez-le à l'institution compétente."),
    Reason.POSTING_ALL_NATIONALITIES: N_("Votre nationalité n'est pas couverte par les règles générales avec ce "
                                         "pays, mais les règles de détachement de sa convention avec la Belgique "
                                         "s'appliquent à toutes les nationalités."),
    Reason.OUTSIDE_NATIONALS_ONLY: N_("La convention avec ce pays ne couvre que les ressortissants belges et de ce "
                                      "pays. Avec votre nationalité, ce sont les règles valables sans convention "
                                      "qui s'appliquent."),
    Reason.OUTSIDE_EEA_SWISS_NATIONALS: N_("Ce pays n'applique les règlements européens qu'aux ressortissants de "
                                           "l'Union européenne, de l'EEE et de la Suisse, aux réfugiés et aux "
                                           "apatrides. Avec votre nationalité, ce sont les règles valables sans "
                                           "convention qui s'appliquent."),
}


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def sort_key(text: str) -> str:
    """The order of a name in an index of the user's language: accents and case set aside
    (« États-Unis » among the E, « Österreich » among the O), as Babel has no collation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character)).casefold()


def sorted_by_name(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(value, name) pairs by name, for the user's language."""
    return sorted(items, key=lambda item: (sort_key(item[1]), item[1]))


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(BABEL_LOCALES[language]).territories)


def country_name(code: str) -> str:
    """A destination or nationality's country in the user's language: « Allemagne », « Duitsland »."""
    if code in PLACE_NAMES:
        return _(PLACE_NAMES[code])
    return _territories(current_language())[code.upper()]


def destination_name(code: str) -> str:
    return _(OTHER_DESTINATION) if code == OTHER else country_name(code)


def nationality_name(code: str) -> str:
    if code in SPECIAL_NATIONALITY_NAMES:
        return _(SPECIAL_NATIONALITY_NAMES[code])
    return country_name(code)


def topic_name(value: str) -> str:
    return _(ALL_TOPICS_NAME) if value == ALL_TOPICS else _(TOPIC_NAMES[Topic(value)])


def names_list(names: Iterable[str]) -> str:
    """« Algérie, Bosnie-Herzégovine et Maroc », joined and sorted as the language does."""
    ordered = sorted(names, key=lambda name: (sort_key(name), name))
    return format_list(ordered, locale=babel_locale()) if ordered else ""


def years(count: int) -> str:
    return ngettext("%(num)d an", "%(num)d ans", count) % {"num": count}
