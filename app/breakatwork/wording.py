"""How Break@work names what the rules decide, in French source text marked for translation (`N_`;
`_()` translates it where it is shown): the legal bases, the maximums, the forms a duration is taken in,
the rate tables and their categories. And how lengths and lists are written in the user's language.

The kinds and forms of leave are named by the career-break service (app/careerbreak/wording.py), the
estimator's answers by its form (forms.py), the sources by sources.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from app.rules.allowances import (
    TIME_CREDIT_ALLOWANCE_BASIS,
    TIME_CREDIT_SINGLE_PARENT_BASIS,
    AllowanceCategory,
    RateKind,
)
from app.rules.careerbreak import (
    END_OF_CAREER_BASIS,
    NO_LEGAL_TEXT_CITED,
    PARENTAL_BASIS,
    TIME_CREDIT_BASIS,
    TIME_CREDIT_WITHOUT_MOTIVE_BASIS,
    CountedPer,
    LeaveForm,
    LegalBasis,
    MonthsAndDays,
)
from app.web.i18n import babel_locale, format_duration, ngettext
from app.web.i18n import N_
from app.web.i18n import gettext as _

# The legal bases of app/rules, as the page names them (the same French text, marked for translation).
LEGAL_BASIS_NAMES = {
    NO_LEGAL_TEXT_CITED: N_("Aucun texte légal cité par les sources consultées"),
    PARENTAL_BASIS.text: N_("AR du 29.10.1997 (congé parental)"),
    TIME_CREDIT_BASIS.text: N_("CCT n° 103 (crédit-temps), modifiée par la CCT n° 103/6 du 27.09.2022"),
    TIME_CREDIT_WITHOUT_MOTIVE_BASIS.text: N_("CCT n° 103ter (fin du crédit-temps sans motif)"),
    END_OF_CAREER_BASIS.text: N_("CCT n° 103 (crédit-temps), modifiée pour la fin de carrière par la CCT "
                                 "n° 103/7 (en vigueur le 01.01.2026)"),
    TIME_CREDIT_ALLOWANCE_BASIS.text: N_("AR du 12.12.2001 (droit aux allocations de l'ONEM), modifié par l'AR "
                                         "du 26.01.2023 (en vigueur le 01.02.2023)"),
    TIME_CREDIT_SINGLE_PARENT_BASIS.text: N_("AR du 31.08.2021 (montant majoré du crédit-temps à 1/5, en vigueur "
                                             "le 01.07.2021)"),
}

# What each maximum of app/rules/careerbreak.CEILINGS covers, by its key.
CEILING_NAMES = {
    "parental-per-child": N_("Par enfant"),
    "medical-assistance-complete-per-patient": N_("Interruption complète, par patient"),
    "medical-assistance-partial-per-patient": N_("Réduction à mi-temps ou d'1/5, par patient"),
    "palliative-care-per-patient": N_("Par patient, quelle que soit la forme"),
    "aidant-proche-complete-per-person": N_("Interruption complète, par personne aidée"),
    "aidant-proche-partial-per-person": N_("Réduction à mi-temps ou d'1/5, par personne aidée"),
    "aidant-proche-complete-career": N_("Interruption complète, sur toute la carrière"),
    "aidant-proche-partial-career": N_("Réduction à mi-temps ou d'1/5, sur toute la carrière"),
    "time-credit-with-motive-career": N_("Motifs de soins et de formation ensemble, sur toute la carrière"),
    "time-credit-training-career": N_("Motif de formation, sur toute la carrière"),
    "end-of-career-until-pension": N_("Réduction à mi-temps ou d'1/5, jusqu'à la pension"),
    "public-sector-complete-career": N_("Interruption complète, sur toute la carrière"),
    "public-sector-partial-career": N_("Réduction des prestations, sur toute la carrière"),
}

# "10 mois à 1/5": a duration taken in a form.
IN_FORM = {
    LeaveForm.COMPLETE: N_("en interruption complète"),
    LeaveForm.HALF_TIME: N_("à mi-temps"),
    LeaveForm.ONE_FIFTH: N_("à 1/5"),
    LeaveForm.ONE_TENTH: N_("à 1/10"),
}

# A child, patient or person helped not named in a past request.
UNKNOWN_SUBJECT = {
    CountedPer.CHILD: N_("Enfant non précisé"),
    CountedPer.PATIENT: N_("Patient non précisé"),
    CountedPer.PERSON_HELPED: N_("Personne aidée non précisée"),
}

RATE_TABLE_NAMES = {
    RateKind.THEMATIC_LEAVE: N_("barème des congés thématiques (secteur privé)"),
    RateKind.TIME_CREDIT_WITH_MOTIVE: N_("barème du crédit-temps avec motif (secteur privé)"),
}

CATEGORY_NAMES = {
    AllowanceCategory.BASE: N_("montant de base"),
    AllowanceCategory.SINGLE_PARENT: N_("montant majoré du parent isolé"),
    AllowanceCategory.UNDER_5_YEARS: N_("ancienneté de moins de 5 ans"),
    AllowanceCategory.FROM_5_YEARS: N_("ancienneté de 5 ans ou plus"),
    AllowanceCategory.UNDER_5_YEARS_COHABITANT_UNDER_50: N_("ancienneté de moins de 5 ans, cohabitant, moins de 50 ans"),
    AllowanceCategory.UNDER_5_YEARS_SINGLE_UNDER_50: N_("ancienneté de moins de 5 ans, isolé, moins de 50 ans"),
    AllowanceCategory.UNDER_5_YEARS_COHABITANT_FROM_50: N_("ancienneté de moins de 5 ans, cohabitant, 50 ans ou plus"),
    AllowanceCategory.UNDER_5_YEARS_SINGLE_FROM_50: N_("ancienneté de moins de 5 ans, isolé, 50 ans ou plus"),
    AllowanceCategory.FROM_5_YEARS_COHABITANT_UNDER_50: N_("ancienneté de 5 ans ou plus, cohabitant, moins de 50 ans"),
    AllowanceCategory.FROM_5_YEARS_SINGLE_UNDER_50: N_("ancienneté de 5 ans ou plus, isolé, moins de 50 ans"),
    AllowanceCategory.FROM_5_YEARS_COHABITANT_FROM_50: N_("ancienneté de 5 ans ou plus, cohabitant, 50 ans ou plus"),
    AllowanceCategory.FROM_5_YEARS_SINGLE_FROM_50: N_("ancienneté de 5 ans ou plus, isolé, 50 ans ou plus"),
}


def legal_basis_name(basis: LegalBasis) -> str:
    """The legal text of a rule as the page names it, or the plain statement that the sources cite none."""
    return _(LEGAL_BASIS_NAMES.get(basis.text, basis.text))


def duration(value: MonthsAndDays) -> str:
    """"2 mois", "1 mois et 15 jours", "15 jours"."""
    return format_duration(value.months, value.days)


def weeks(count: int) -> str:
    return ngettext("%(num)d semaine", "%(num)d semaines", count) % {"num": count}


def upper_first(text: str) -> str:
    """The first letter as at the start of a sentence, the rest untouched (German nouns keep theirs)."""
    return text[:1].upper() + text[1:]


def alternatives(items: Sequence[str]) -> str:
    """"4 mois à mi-temps, 10 mois à 1/5 ou 20 mois à 1/10", joined as the language joins them."""
    return format_list(list(items), style="or", locale=babel_locale())
