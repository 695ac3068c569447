"""Break@work (guide 000, domain.md §2.3–2.4): what the page shows, in the user's language.

`periods_of` turns the citizen's history into the balances of each kind of leave (months and days taken
and still available, per child, patient, person helped or over the career, with the periods counted).
Each kind of leave names its legal basis and the pages its rules come from. `estimate` turns the
estimator's query into the indicative monthly allowance and its working: the inputs, each rule applied
with its legal basis and its sources, the result, or exactly why no amount is known. The rules themselves
live in app/rules; this module only reads them and puts them into words.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from babel.lists import format_list
from babel.numbers import format_percent

from app.breakatwork.forms import (
    AGE_NAMES,
    HOUSEHOLD_NAMES,
    SENIORITY_NAMES,
    WORK_REGIME,
    WORK_REGIME_NAMES,
    AgeAnswer,
    EstimateForm,
    HouseholdAnswer,
    SeniorityAnswer,
)
from app.careerbreak.history import history_of
from app.careerbreak.wording import FORM_NAMES, FORM_PHRASES, KIND_NAMES
from app.rules.allowances import (
    AGE_THRESHOLD,
    ALLOWANCE_RATES,
    SENIORITY_THRESHOLD_YEARS,
    TIME_CREDIT_ALLOWANCE_BASIS,
    TIME_CREDIT_SINGLE_PARENT_BASIS,
    TIME_CREDIT_SINGLE_PARENT_FROM,
    WITHHOLDING_BASIS,
    AllowanceCategory,
    AllowanceEstimate,
    AllowanceRate,
    Household,
    NoRateKnown,
    NoRateReason,
    RateKind,
    allowance_basis,
    allowance_category,
    indicative_allowance,
    net_from_gross,
    rate_kind_of,
    single_parent_increase_applies,
    single_parent_increase_basis,
)
from app.rules.breakatwork import PARENTAL_FOURTH_MONTH_PAID_FROM, Balance, balances_by_kind
from app.rules.careerbreak import (
    CEILINGS,
    DISABLED_CHILD_AGE_LIMIT,
    END_OF_CAREER_BASIS,
    MINOR_CHILD_AGE_LIMIT,
    NO_LEGAL_TEXT_CITED,
    PARENTAL_BASIS,
    PARENTAL_CHILD_AGE_LIMIT,
    TIME_CREDIT_BASIS,
    TIME_CREDIT_WITHOUT_MOTIVE_BASIS,
    Ceiling,
    Counting,
    CountedPer,
    LeaveForm,
    LeaveKind,
    LegalBasis,
    MonthsAndDays,
    birthday,
    length_in_days,
)
from app.web.i18n import babel_locale, format_amount, format_date, format_number, ngettext
from app.web.i18n import N_
from app.web.i18n import gettext as _

# ---------------------------------------------------------------------------------------------------
# Words


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

# The sources of domain.md §10 that the page cites, by their key: the page links to them. Pages that are
# not the administration's own say so.
SOURCES = {
    "S5": (N_("ONEM, congé parental"),
           "https://www.onem.be/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/"
           "faq-interruption-de-carriere-credit-temps-et-conges-thematiques/conge-parental"),
    "S6": (N_("Droits quotidiens, durée du congé parental (source non officielle)"),
           "https://espace-jeunes.droitsquotidiens.be/question/quelle-est-la-duree-de-mon-conge-parental"),
    "S7": (N_("ONEM, congé parental à 1/10 et congés thématiques plus flexibles (2019)"),
           "https://www.onem.be/actualites/2019/08/09/le-conge-parental-110-et-la-flexibilisation-de-certains-"
           "conges-thematiques-sont-accessibles-chez-tous-les-employeurs"),
    "S8": (N_("CSC, congé pour soins médicaux (source non officielle)"),
           "https://www.lacsc.be/ma-carriere/travailler-dans-le-secteur-prive/credit-temps-et-conges-thematique/"
           "cong%C3%A9s-th%C3%A9matiques/cong%C3%A9-pour-soins-m%C3%A9dicaux"),
    "S9": (N_("Hospichild, congé pour assistance médicale (source non officielle)"),
           "https://hospichild.be/conge-specifiques/prendre-un-conge-pour-rester-pres-de-votre-enfant/"
           "conge-pour-assistance-medicale"),
    "S10": (N_("Hospichild, congé pour soins palliatifs (source non officielle)"), "https://hospichild.be/?p=19639"),
    "S10b": (N_("Solidaris, congé pour soins palliatifs (source non officielle)"),
             "https://www.solidaris.be/BW/infos-sante/fin-de-vie/soins-palliatifs/Pages/conge-soins-palliatifs.aspx"),
    "S11": (N_("Hospichild, congé pour aidants proches (source non officielle)"), "https://www.hospichild.be/?p=19642"),
    "S13": (N_("SPF Emploi, crédit-temps avec motif"),
            "https://werk.belgie.be/fr/themes/jours-feries-et-conges/credit-temps-cct-ndeg-103/"
            "credit-temps-avec-motif"),
    "S14": (N_("ONEM, conditions du crédit-temps avec motif"),
            "https://www.onem.be/fr/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/faq/"
            "secteur-prive-credit-temps-regime-general/quelles-conditions-dois-je-remplir-pour-beneficier-dun-"
            "credit-temps-avec-motif"),
    "S14b": (N_("ONEM, le crédit-temps avec motif (feuille info T160)"),
             "https://www.onem.be/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/"
             "credit-temps-secteur-prive/le-credit-temps-avec-motif"),
    "S15": (N_("Securex, durée du crédit-temps avec motif (source non officielle)"),
            "https://www.securex.be/fr/lex4you/employeur/themes/vacances-et-absences/credit-temps/"
            "pendant-combien-de-temps-un-travailleur-peut-il-prendre-un-credit-temps-avec-motif"),
    "S18": (N_("CSC, durée du crédit-temps (source non officielle)"),
            "https://www.csc-en-ligne.be/csc-en-ligne/Je-cherche-des-infos-sur/Interruption-de-carriere/"
            "Credit-temps/Duree-de-l-interruption/credit-temps-duree-interruption.html"),
    "S19": (N_("ONEM, crédit-temps fin de carrière"),
            "https://www.rva.be/burgers/loopbaanonderbreking-tijdskrediet-en-thematische-verloven/"
            "faq-loopbaanonderbreking-tijdskrediet-en-thematische-verloven/privesector---tijdskrediet---landingsbaan"),
    "S20": (N_("ONEM, crédit-temps fin de carrière : droit au congé et aux allocations (feuille info T193)"),
            "https://www.rva.be/bladzijde/tijdskrediet-landingsbaan---recht-op-verlof-bij-de-werkgever-en-"
            "recht-op-onderbrekingsuitkeringen-toegekend-door-de-rva"),
    "S21": (N_("SPF BOSA, interruption de carrière dans la fonction publique fédérale"),
            "https://bosa.belgium.be/fr/themes/travailler-dans-la-fonction-publique/"
            "temps-de-travail-conges-et-absences/reduction-du-2"),
    "S21b": (N_("Fedweb, interruption de carrière complète"),
             "https://fedweb.belgium.be/fr/conge_absences_et_temps_de_travail/temps_partiel_et_interruption/"
             "interruption_carriere/complete"),
    "S23": (N_("ONEM, montants des allocations pour les congés thématiques"),
            "https://www.rva.be/documentatie/bedragen/loopbaanonderbreking-tijdskrediet/thematische-verloven"),
    "S24": (N_("ONEM, barèmes de l'interruption de carrière et du crédit-temps"),
            "https://www.rva.be/nl/documentatie/baremas/loopbaanonderbreking-tijdskrediet"),
    "S25": (N_("Jobat, montants nets au 01/11/2023 (source non officielle)"),
            "https://jobat.be/fr/art/serai-je-encore-remunere-pendant-mon-conge-parental"),
    "S27": (N_("ONEM, augmentation des allocations pour les familles monoparentales (2021)"),
            "https://www.onem.be/actualites/2021/09/10/conges-thematiques-secteur-prive-credit-temps-"
            "augmentation-du-montant-des-allocations-dinterruption-pour-les-familles-monoparentales"),
}
RATE_TABLE_SOURCE = {RateKind.THEMATIC_LEAVE: "S23", RateKind.TIME_CREDIT_WITH_MOTIVE: "S24"}


@dataclass(frozen=True)
class Reference:
    label: str
    url: str | None = None


def duration(value: MonthsAndDays) -> str:
    """"2 mois", "1 mois et 15 jours", "15 jours"."""
    months = ngettext("%(num)d mois", "%(num)d mois", value.months) % {"num": value.months}
    if not value.days:
        return months
    days = ngettext("%(num)d jour", "%(num)d jours", value.days) % {"num": value.days}
    if not value.months:
        return days
    return _("{months} et {days}").format(months=months, days=days)


def weeks(count: int) -> str:
    return ngettext("%(num)d semaine", "%(num)d semaines", count) % {"num": count}


def upper_first(text: str) -> str:
    """The first letter as at the start of a sentence, the rest untouched (German nouns keep theirs)."""
    return text[:1].upper() + text[1:]


def alternatives(items: Sequence[str]) -> str:
    """"4 mois à mi-temps, 10 mois à 1/5 ou 20 mois à 1/10", joined as the language joins them."""
    return format_list(list(items), style="or", locale=babel_locale())


def source(key: str) -> Reference:
    name, url = SOURCES.get(key, (key, None))
    return Reference(_(name) if url else key, url)


def sources_of(basis: LegalBasis, *first: str) -> tuple[Reference, ...]:
    """The pages a rule comes from: `first` (the table a step reads), then those of its legal basis."""
    return tuple(source(key) for key in dict.fromkeys((*first, *basis.source_keys)))


def legal_basis_name(basis: LegalBasis) -> str:
    """The legal text of a rule as the page names it, or the plain statement that the sources cite none."""
    return _(LEGAL_BASIS_NAMES.get(basis.text, basis.text))


# ---------------------------------------------------------------------------------------------------
# Mes périodes


@dataclass(frozen=True)
class BalanceView:
    """One balance: for whom, what is taken and left, and the periods counted."""

    id: str  # for the table of its periods
    title: str | None  # the child, patient or person; None over a career
    caption: str
    taken: str
    available: str | None
    notes: tuple[str, ...]
    headers: tuple[str, ...]
    periods: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CeilingView:
    name: str
    maximum: str
    balances: tuple[BalanceView, ...]


@dataclass(frozen=True)
class KindView:
    kind: LeaveKind
    name: str
    legal_basis: str
    sources: tuple[Reference, ...]  # the pages its rules come from
    ceilings: tuple[CeilingView, ...]


_SUBJECT = re.compile(r"^(?P<name>.+) \((?P<born>\d{4}-\d{2}-\d{2})\)$")


def subject_name(subject_id: str) -> str:
    """A child, patient or person as the worker named them: app/careerbreak/history.subject_id writes
    "Emma Dubois (2019-03-12)"; the page writes the date in the user's language."""
    match = _SUBJECT.match(subject_id)
    if match is None:
        return subject_id
    try:
        born = datetime.date.fromisoformat(match["born"])
    except ValueError:
        return subject_id
    return _("{name} (date de naissance : {date})").format(name=match["name"], date=format_date(born))


def subject_label(subject_id: str | None, counted_per: CountedPer) -> str | None:
    """For whom a balance is kept; None over a career (the maximum's name says it)."""
    if counted_per is CountedPer.CAREER:
        return None
    if subject_id is None:
        return _(UNKNOWN_SUBJECT[counted_per])
    return subject_name(subject_id)


def _in_forms(ceiling: Ceiling, months: Fraction, forms: Sequence[LeaveForm]) -> str:
    return alternatives([
        f"{duration(MonthsAndDays.from_months(ceiling.in_form(months, form)))} {_(IN_FORM[form])}"
        for form in forms
    ])


def _other_forms(ceiling: Ceiling) -> list[LeaveForm]:
    return [form for form in LeaveForm if form in ceiling.forms and form is not LeaveForm.COMPLETE]


def maximum_text(ceiling: Ceiling) -> str:
    if ceiling.months is None:
        return _("Pas de maximum : jusqu'à la pension.")
    maximum = duration(MonthsAndDays(ceiling.months))
    if ceiling.counting is Counting.COMPLETE_EQUIVALENT:
        return _("Maximum : {maximum} en interruption complète, soit {equivalents}.").format(
            maximum=maximum, equivalents=_in_forms(ceiling, Fraction(ceiling.months), _other_forms(ceiling)))
    return _("Maximum : {maximum}.").format(maximum=maximum)


def _taken_text(item: Balance) -> str:
    taken = duration(item.taken)
    if item.maximum_months is None:
        return _("{taken} pris ; pas de maximum : jusqu'à la pension.").format(taken=taken)
    maximum = format_number(item.maximum_months)
    if item.ceiling.counting is not Counting.COMPLETE_EQUIVALENT:
        return _("{taken} pris sur {maximum}.").format(taken=taken, maximum=maximum)
    used_forms = [form for form in LeaveForm if form is not LeaveForm.COMPLETE
                  and any(counted.period.form is form for counted in item.counted)]
    if not used_forms:
        return _("{taken} pris sur {maximum} en interruption complète.").format(taken=taken, maximum=maximum)
    return _("{taken} pris sur {maximum} en interruption complète, soit {equivalents}.").format(
        taken=taken, maximum=maximum, equivalents=alternatives(
            [f"{duration(item.taken_in(form))} {_(IN_FORM[form])}" for form in used_forms]))


def _available_text(item: Balance) -> str | None:
    available = item.available_months
    if available is None:
        return None
    if item.exceeded:
        excess = MonthsAndDays.from_months(item.taken_months - item.maximum_months)
        return _("Il ne vous reste rien : le maximum est dépassé de {excess}.").format(excess=duration(excess))
    if available == 0:
        return _("Il ne vous reste rien : le maximum est atteint.")
    if item.ceiling.counting is Counting.COMPLETE_EQUIVALENT:
        return _("Il vous reste {available} en interruption complète, soit {equivalents}.").format(
            available=duration(item.available),
            equivalents=_in_forms(item.ceiling, available, _other_forms(item.ceiling)))
    return _("Il vous reste {available}.").format(available=duration(item.available))


def _notes(item: Balance) -> tuple[str, ...]:
    notes = []
    if item.doubled:
        notes.append(_("Maximum doublé : vous vivez seul(e) avec un enfant gravement malade de 16 ans au plus."))
    if item.paid_maximum_months is not None:
        if item.maximum_months is not None and item.paid_maximum_months >= item.maximum_months:
            notes.append(_("L'ONEM paie une allocation pendant tout le congé : l'enfant est né ou a été adopté "
                           "à partir du {date}.").format(date=format_date(PARENTAL_FOURTH_MONTH_PAID_FROM)))
        else:
            notes.append(_("L'ONEM paie une allocation pendant {paid} en interruption complète : le dernier mois "
                           "n'est payé que pour un enfant né ou adopté à partir du {date}. Mois avec allocation "
                           "encore disponibles : {left}.").format(
                paid=duration(MonthsAndDays(item.paid_maximum_months)),
                date=format_date(PARENTAL_FOURTH_MONTH_PAID_FROM),
                left=duration(MonthsAndDays.from_months(item.paid_available_months or 0))))
    return tuple(notes)


def _periods(item: Balance) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The table of the periods counted: when, which form (and kind, for a shared maximum), for whom
    (over a career), how long, and what it counted for."""
    several_kinds = len(item.ceiling.kinds) > 1
    with_subject = item.counted_per is CountedPer.CAREER and any(c.period.subject_id for c in item.counted)
    headers = [_("Période"), _("Forme")]
    if several_kinds:
        headers.append(_("Congé"))
    if with_subject:
        headers.append(_("Pour"))
    headers += [_("Durée"), _("Compte pour")]
    rows = []
    for counted in item.counted:
        period = counted.period
        row = [_("Du {start} au {end}").format(start=format_date(period.start), end=format_date(period.end)),
               _(FORM_NAMES[period.form])]
        if several_kinds:
            row.append(_(KIND_NAMES[period.kind]))
        if with_subject:
            row.append(subject_name(period.subject_id) if period.subject_id else "–")
        # A period of whole weeks counts 1/4 month a week [S5][S6]: it is shown in weeks.
        length = (weeks(length_in_days(period.start, period.end) // 7) if counted.in_weeks
                  else duration(counted.length))
        used = duration(MonthsAndDays.from_months(counted.months))
        if item.ceiling.counting is Counting.COMPLETE_EQUIVALENT:
            used = _("{duration} en interruption complète").format(duration=used)
        row += [length, used]
        rows.append(tuple(row))
    return tuple(headers), tuple(rows)


def balance_view(item: Balance, index: int) -> BalanceView:
    headers, rows = _periods(item)
    title = subject_label(item.subject_id, item.counted_per)
    return BalanceView(
        id=f"periodes-{item.ceiling.key}-{index}",
        title=title,
        caption=_("Périodes comptées : {whom}").format(whom=title or _(CEILING_NAMES[item.ceiling.key])),
        taken=_taken_text(item),
        available=_available_text(item),
        notes=_notes(item),
        headers=headers,
        periods=rows,
    )


SHOWN_KINDS = tuple(kind for kind in LeaveKind if kind is not LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE)


def kind_views(all_balances: Sequence[Balance]) -> list[KindView]:
    """Every kind of leave with each of its maximums: the balances of the children, patients and
    persons met in the history, or the maximum alone when nothing was taken yet. (Time credit without
    motive, abolished in 2017, is not a kind of its own: its periods count against the time credit.)"""
    grouped = balances_by_kind(all_balances)
    views = []
    for kind in SHOWN_KINDS:
        ceilings = [ceiling for ceiling in CEILINGS if kind in ceiling.kinds]
        ceiling_views = []
        for ceiling in ceilings:
            of_ceiling = [item for item in grouped.get(kind, []) if item.ceiling is ceiling]
            ceiling_views.append(CeilingView(
                name=_(CEILING_NAMES[ceiling.key]),
                maximum=maximum_text(ceiling),
                balances=tuple(balance_view(item, index) for index, item in enumerate(of_ceiling, 1)),
            ))
        basis = ceilings[0].legal_basis
        views.append(KindView(kind, _(KIND_NAMES[kind]), legal_basis_name(basis), sources_of(basis),
                              tuple(ceiling_views)))
    return views


async def periods_of(person_id: int) -> list[KindView]:
    """The balances of a citizen, from the requests they sent or that were decided (one query)."""
    history = await history_of(person_id)
    return kind_views(history.balances())


# ---------------------------------------------------------------------------------------------------
# Estimer mon allocation


@dataclass(frozen=True)
class Step:
    """One rule applied: what it decided, and where it comes from (its legal basis and its pages)."""

    title: str
    text: str
    references: tuple[Reference, ...] = ()
    legal_basis: str | None = None  # None for the result, which applies no rule


@dataclass(frozen=True)
class EstimateView:
    inputs: tuple[dict[str, str], ...]  # {"key": what was asked, "value": the answer}, as summary_list reads
    steps: tuple[Step, ...]
    gross: str | None  # formatted for the user's language, None when not known
    net: str | None
    valid_from: datetime.date | None  # the date of the rate used
    no_rate: str | None  # why no amount is known, instead of a guess

    @property
    def announcement(self) -> str:
        """The short sentence the live region reads after an update."""
        if self.no_rate is not None:
            return _("Aucun montant connu pour ce cas.")
        if self.gross is None:
            return _("Allocation mensuelle indicative : {net} net.").format(net=self.net)
        return _("Allocation mensuelle indicative : {gross} brut, {net} net.").format(gross=self.gross, net=self.net)


def _household(answer: HouseholdAnswer | None) -> Household | None:
    if answer is None:
        return None
    return Household.COHABITANT if answer is HouseholdAnswer.COHABITANT else Household.SINGLE


def _seniority_years(answer: SeniorityAnswer | None) -> int | None:
    # The tables have two categories [S24]: the threshold itself stands for "5 years or more".
    if answer is None:
        return None
    return SENIORITY_THRESHOLD_YEARS if answer is SeniorityAnswer.FROM_5_YEARS else 0


def _worker_age(answer: AgeAnswer | None) -> int | None:
    # Under 50 / 50 and over [S24]: the threshold stands for "50 and over", the year before for "under".
    if answer is None:
        return None
    return AGE_THRESHOLD if answer is AgeAnswer.FROM_50 else AGE_THRESHOLD - 1


def _percent(rate: Decimal) -> str:
    return format_percent(rate, locale=babel_locale(), decimal_quantization=False)


def _inputs(form: EstimateForm, rate_kind: RateKind | None) -> tuple[dict[str, str], ...]:
    rows = [(_("Type de congé"), _(KIND_NAMES[form.kind])), (_("Forme"), _(FORM_NAMES[form.form])),
            (_("Date"), format_date(form.on))]
    time_credit = rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE
    half_time = form.form is LeaveForm.HALF_TIME
    household_used = rate_kind is RateKind.THEMATIC_LEAVE or (
        time_credit and form.form in (LeaveForm.HALF_TIME, LeaveForm.ONE_FIFTH))
    if form.household is not None and household_used:
        rows.append((_("Situation de ménage"), _(HOUSEHOLD_NAMES[form.household])))
    if rate_kind is RateKind.THEMATIC_LEAVE and form.household is HouseholdAnswer.ALONE_WITH_CHILDREN:
        if form.child_birth_date is not None:
            rows.append((_("Date de naissance du plus jeune enfant à charge"), format_date(form.child_birth_date)))
        if form.child_disabled:
            rows.append((_("Enfant handicapé"), _("Oui")))
    if time_credit and form.seniority is not None:
        rows.append((_("Ancienneté chez l'employeur"), _(SENIORITY_NAMES[form.seniority])))
    if time_credit and half_time and form.age is not None:
        rows.append((_("Âge"), _(AGE_NAMES[form.age])))
    if form.form is LeaveForm.COMPLETE:
        rows.append((_("Régime de travail"), _(WORK_REGIME_NAMES[form.typed[WORK_REGIME]])))
    return tuple({"key": key, "value": value} for key, value in rows)


def _single_parent_step(form: EstimateForm, applies: bool, basis: LegalBasis) -> Step:
    """The increase of the thematic leaves [S23][S27]: whether it applies, and on which condition."""
    references, basis_name = (source("S23"), source("S27")), legal_basis_name(basis)
    if form.household is not HouseholdAnswer.ALONE_WITH_CHILDREN:
        return Step(_("Montant majoré du parent isolé"), _(
            "Ne s'applique pas : il est réservé au travailleur qui vit exclusivement avec un ou plusieurs "
            "enfants à charge."), references, basis_name)
    if form.child_disabled:
        limit = DISABLED_CHILD_AGE_LIMIT
    elif form.kind is LeaveKind.PARENTAL:
        limit = PARENTAL_CHILD_AGE_LIMIT
    else:
        limit = MINOR_CHILD_AGE_LIMIT
    condition = _("le plus jeune enfant doit avoir moins de {limit} ans ({rule}).").format(
        limit=limit, rule=_("enfant handicapé") if form.child_disabled else (
            _("congé parental") if form.kind is LeaveKind.PARENTAL else _("autres congés thématiques")))
    if applies:
        text = _("S'applique : vous vivez exclusivement avec vos enfants à charge, et votre plus jeune enfant, "
                 "né le {born}, a moins de {limit} ans le {on}. Condition : {condition}").format(
            born=format_date(form.child_birth_date), limit=limit, on=format_date(form.on), condition=condition)
    else:
        text = _("Ne s'applique pas : votre plus jeune enfant a eu {limit} ans le {reached}. Condition : "
                 "{condition}").format(limit=limit, reached=format_date(birthday(form.child_birth_date, limit)),
                                       condition=condition)
    return Step(_("Montant majoré du parent isolé"), text, references, basis_name)


def _time_credit_single_parent_step(form: EstimateForm, basis: LegalBasis) -> Step:
    """The increase of the 1/5 time credit [S27]: its rule, without an amount (none was found)."""
    since = format_date(TIME_CREDIT_SINGLE_PARENT_FROM)
    if form.household is HouseholdAnswer.ALONE_WITH_CHILDREN:
        text = _("Vous vivez exclusivement avec vos enfants à charge : depuis le {since}, le crédit-temps à 1/5 "
                 "est majoré dans ce cas. Le montant majoré n'a été trouvé dans aucun barème consulté.").format(
            since=since)
    elif form.household is not None:
        text = _("Ne s'applique pas : il est réservé au travailleur qui vit exclusivement avec un ou plusieurs "
                 "enfants à charge.")
    else:
        text = _("Depuis le {since}, le crédit-temps à 1/5 est majoré pour le travailleur qui vit exclusivement "
                 "avec un ou plusieurs enfants à charge. Le montant majoré n'a été trouvé dans aucun barème "
                 "consulté.").format(since=since)
    return Step(_("Montant majoré du parent isolé"), text, sources_of(basis), legal_basis_name(basis))


def _latest_official_gross(rate: AllowanceRate) -> AllowanceRate | None:
    """The latest row of the same table, form and category that publishes a gross amount."""
    rows = [row for row in ALLOWANCE_RATES if row.kind is rate.kind and row.form is rate.form
            and row.category is rate.category and row.gross is not None and row.valid_from <= rate.valid_from]
    return max(rows, key=lambda row: row.valid_from, default=None)


def _rate_steps(result: AllowanceEstimate, form: EstimateForm, basis: LegalBasis) -> list[Step]:
    """The rate in force, the withholding and the work regime, each with its legal basis and source."""
    rate = result.rate
    row_source = (source(rate.source),)
    basis_name, withholding_basis_name = legal_basis_name(basis), legal_basis_name(WITHHOLDING_BASIS)
    steps = []
    on, valid_from = format_date(form.on), format_date(rate.valid_from)
    if rate.gross is not None and rate.net is not None:
        text = _("Taux indexé au {valid_from} : {gross} brut et {net} net par mois, pour un temps plein.").format(
            valid_from=valid_from, gross=format_amount(rate.gross), net=format_amount(rate.net))
    elif rate.net is not None:
        text = _("Taux indexé au {valid_from} : {net} net par mois, pour un temps plein. La source ne publie pas "
                 "le montant brut.").format(valid_from=valid_from, net=format_amount(rate.net))
        official = _latest_official_gross(rate)
        if official is not None:
            text += " " + _("Dernier montant brut officiel connu : {gross} (taux indexé au {date}).").format(
                gross=format_amount(official.gross), date=format_date(official.valid_from))
    else:
        text = _("Taux indexé au {valid_from} : {gross} brut par mois, pour un temps plein.").format(
            valid_from=valid_from, gross=format_amount(rate.gross))
    steps.append(Step(_("Taux en vigueur le {on}").format(on=on), text, row_source, basis_name))

    if result.withholding_rate is not None:
        tax = rate.gross - net_from_gross(rate.gross, result.withholding_rate)
        steps.append(Step(_("Précompte professionnel"), _(
            "Le montant net est le montant brut moins le précompte professionnel de {rate} ({why}) : "
            "{gross} − {tax} = {net}.").format(
            rate=_percent(result.withholding_rate),
            why=_("interruption complète") if form.form is LeaveForm.COMPLETE else (
                _("interruption partielle, isolé") if _household(form.household) is Household.SINGLE
                else _("interruption partielle, cohabitant")),
            gross=format_amount(rate.gross), tax=format_amount(tax),
            net=format_amount(net_from_gross(rate.gross, result.withholding_rate))),
            sources_of(WITHHOLDING_BASIS), withholding_basis_name))
    elif rate.net is not None:
        steps.append(Step(_("Montant net"), _(
            "Le montant net est celui que publie la source : le précompte professionnel y est déjà retenu."),
            row_source, withholding_basis_name))

    if form.form is LeaveForm.COMPLETE:
        if result.work_regime == 1:
            text = _("Temps plein : le montant n'est pas réduit.")
        else:
            full_net = rate.net if rate.net is not None else (
                net_from_gross(rate.gross, result.withholding_rate) if result.withholding_rate is not None else None)
            computations = [
                _("{what} : {full} × {fraction} = {prorated}").format(
                    what=what, full=format_amount(full), fraction=form.typed[WORK_REGIME],
                    prorated=format_amount(prorated))
                for what, full, prorated in ((_("brut"), rate.gross, result.gross), (_("net"), full_net, result.net))
                if full is not None and prorated is not None
            ]
            text = _("Régime de travail avant l'interruption : {regime}. Le montant d'une interruption complète "
                     "est réduit dans la même proportion ({computations}).").format(
                regime=_(WORK_REGIME_NAMES[form.typed[WORK_REGIME]]), computations=" ; ".join(computations))
        steps.append(Step(_("Régime de travail"), text, (source("S23"),), basis_name))
    return steps


def _no_rate_text(result: NoRateKnown, form: EstimateForm, rate_kind: RateKind | None,
                  category: AllowanceCategory | None) -> str:
    if result.reason is NoRateReason.NO_TABLE_FOR_KIND:
        return _("Guichet ne connaît aucun barème pour ce type de congé ({kind}) : les montants de l'ONEM n'ont "
                 "pas été trouvés dans les sources publiques consultées. Aucun montant n'est donc estimé.").format(
            kind=_(KIND_NAMES[form.kind]))
    if result.reason is NoRateReason.MISSING_INFORMATION or rate_kind is None or category is None:
        return _("Il manque une information pour choisir la ligne du barème (ancienneté, situation de ménage ou "
                 "âge). Aucun montant n'est donc estimé.")
    case = _("{table}, {form}, {category}").format(
        table=_(RATE_TABLE_NAMES[rate_kind]), form=_(FORM_PHRASES[form.form]),
        category=_(CATEGORY_NAMES[category]))
    later = [row.valid_from for row in ALLOWANCE_RATES
             if row.kind is rate_kind and row.form is form.form and row.category is category]
    if later:
        return _("Aucun taux connu n'est en vigueur le {on} pour ce cas ({case}) : le plus ancien taux connu date "
                 "du {first}. Aucun montant n'est donc estimé.").format(
            on=format_date(form.on), case=case, first=format_date(min(later)))
    if rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE and form.form is LeaveForm.ONE_FIFTH:
        return _("Les montants du crédit-temps à 1/5 n'ont été trouvés dans aucun barème officiel de l'ONEM "
                 "consulté. Aucun montant n'est donc estimé.")
    return _("Aucun barème consulté ne publie de montant pour ce cas ({case}). Aucun montant n'est donc "
             "estimé.").format(case=case)


def estimate(form: EstimateForm) -> EstimateView:
    """The indicative monthly allowance for a checked query (no errors), with its working."""
    assert form.kind is not None and form.form is not None and form.on is not None, "check the form first"
    rate_kind = rate_kind_of(form.kind)
    household = _household(form.household)
    single_parent = single_parent_increase_applies(
        form.kind, lives_only_with_dependent_children=form.household is HouseholdAnswer.ALONE_WITH_CHILDREN,
        child_birth_date=form.child_birth_date, on=form.on, child_is_disabled=form.child_disabled)
    seniority_years, worker_age = _seniority_years(form.seniority), _worker_age(form.age)
    result = indicative_allowance(form.kind, form.form, form.on, single_parent=single_parent,
                                  seniority_years=seniority_years, household=household, worker_age=worker_age,
                                  work_regime=form.work_regime)
    category = allowance_category(form.kind, form.form, single_parent=single_parent,
                                  seniority_years=seniority_years, household=household, worker_age=worker_age)

    basis = allowance_basis(form.kind)  # None exactly when no table is known (rate_kind is None)
    single_parent_basis = single_parent_increase_basis(form.kind, form.form)
    steps = []
    if rate_kind is not None and basis is not None:
        table_source = RATE_TABLE_SOURCE[rate_kind]
        steps.append(Step(_("Barème"), _("{kind} : {table}.").format(
            kind=_(KIND_NAMES[form.kind]), table=_(RATE_TABLE_NAMES[rate_kind])),
            sources_of(basis, table_source), legal_basis_name(basis)))
        if rate_kind is RateKind.THEMATIC_LEAVE and single_parent_basis is not None:
            steps.append(_single_parent_step(form, single_parent, single_parent_basis))
        elif single_parent_basis is not None:
            steps.append(_time_credit_single_parent_step(form, single_parent_basis))
        if category is not None:
            steps.append(Step(_("Catégorie du barème"), _("{category}.").format(
                category=upper_first(_(CATEGORY_NAMES[category]))), (source(table_source),), legal_basis_name(basis)))

    inputs = _inputs(form, rate_kind)
    if isinstance(result, NoRateKnown):
        return EstimateView(inputs, tuple(steps), None, None, None,
                            _no_rate_text(result, form, rate_kind, category))

    assert basis is not None, "an amount is only found in a known table"
    steps += _rate_steps(result, form, basis)
    gross = None if result.gross is None else format_amount(result.gross)
    net = None if result.net is None else format_amount(result.net)
    if gross is not None and net is not None:
        outcome = _("{gross} brut et {net} net par mois.").format(gross=gross, net=net)
    elif net is not None:
        outcome = _("{net} net par mois ; le montant brut n'est pas connu.").format(net=net)
    else:
        outcome = _("{gross} brut par mois ; le montant net n'est pas connu.").format(gross=gross)
    steps.append(Step(_("Résultat"), outcome))
    return EstimateView(inputs, tuple(steps), gross, net, result.valid_from, None)
