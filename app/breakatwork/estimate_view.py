"""Break@work's "Estimer mon allocation": an estimate of app/rules/breakatwork.py, put into words for the
page (`EstimateView`).

The inputs as the citizen gave them, then each rule applied as a `Step` with its legal basis and its
sources (the table, the single parent's increase, the category, the rate in force, the withholding, the
work regime), then the result; or exactly why no amount is known.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_percent

from app.breakatwork.forms import (
    AGE_NAMES,
    HOUSEHOLD_NAMES,
    SENIORITY_NAMES,
    WORK_REGIME,
    WORK_REGIME_NAMES,
    EstimateForm,
    HouseholdAnswer,
)
from app.breakatwork.sources import RATE_TABLE_SOURCE, Reference, source, sources_of
from app.breakatwork.wording import CATEGORY_NAMES, RATE_TABLE_NAMES, legal_basis_name, upper_first
from app.careerbreak.wording import FORM_NAMES, FORM_PHRASES, KIND_NAMES
from app.rules.allowances import (
    TIME_CREDIT_SINGLE_PARENT_FROM,
    WITHHOLDING_BASIS,
    AllowanceCategory,
    AllowanceEstimate,
    Household,
    NoRateKnown,
    NoRateReason,
    RateKind,
    net_from_gross,
)
from app.rules.breakatwork import (
    AllowanceWorking,
    first_rate_date,
    latest_official_gross,
    single_parent_child_age_limit,
)
from app.rules.careerbreak import LeaveForm, LeaveKind, LegalBasis, birthday
from app.web.i18n import babel_locale, format_amount, format_date
from app.web.i18n import gettext as _


@dataclass(frozen=True)
class Step:
    """One rule applied: what it decided, and where it comes from (its legal basis and its pages)."""

    title: str
    text: str
    references: tuple[Reference, ...] = ()
    legal_basis: str | None = None  # None for the result, which applies no rule


@dataclass(frozen=True)
class EstimateView:
    """The `result` block: the amounts (or why none is known), what was asked, and the working."""

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
    limit = single_parent_child_age_limit(form.kind, child_is_disabled=form.child_disabled)
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
        official = latest_official_gross(rate)
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
                _("interruption partielle, isolé") if form.rules_household is Household.SINGLE
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
    first = first_rate_date(rate_kind, form.form, category)
    if first is not None:
        return _("Aucun taux connu n'est en vigueur le {on} pour ce cas ({case}) : le plus ancien taux connu date "
                 "du {first}. Aucun montant n'est donc estimé.").format(
            on=format_date(form.on), case=case, first=format_date(first))
    if rate_kind is RateKind.TIME_CREDIT_WITH_MOTIVE and form.form is LeaveForm.ONE_FIFTH:
        return _("Les montants du crédit-temps à 1/5 n'ont été trouvés dans aucun barème officiel de l'ONEM "
                 "consulté. Aucun montant n'est donc estimé.")
    return _("Aucun barème consulté ne publie de montant pour ce cas ({case}). Aucun montant n'est donc "
             "estimé.").format(case=case)


def estimate_view(form: EstimateForm, working: AllowanceWorking) -> EstimateView:
    """The estimate of a checked query, with its working, in the user's language."""
    rate_kind, basis, category, result = working.rate_kind, working.basis, working.category, working.result
    steps = []
    if rate_kind is not None and basis is not None:
        table_source = RATE_TABLE_SOURCE[rate_kind]
        steps.append(Step(_("Barème"), _("{kind} : {table}.").format(
            kind=_(KIND_NAMES[form.kind]), table=_(RATE_TABLE_NAMES[rate_kind])),
            sources_of(basis, table_source), legal_basis_name(basis)))
        if rate_kind is RateKind.THEMATIC_LEAVE and working.single_parent_basis is not None:
            steps.append(_single_parent_step(form, working.single_parent, working.single_parent_basis))
        elif working.single_parent_basis is not None:
            steps.append(_time_credit_single_parent_step(form, working.single_parent_basis))
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
