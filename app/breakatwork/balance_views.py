"""Break@work's "Mes périodes": the balances of app/rules/breakatwork.py, put into words for the page.

One `KindView` per kind of leave, with its legal basis and sources; under it one `CeilingView` per
maximum (its name and size); under that one `BalanceView` per child, patient or person helped, or over
the career: what is taken, what is left, and the table of the periods counted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.breakatwork.sources import Reference, sources_of
from app.breakatwork.wording import (
    CEILING_NAMES,
    IN_FORM,
    UNKNOWN_SUBJECT,
    alternatives,
    duration,
    legal_basis_name,
    weeks,
)
from app.careerbreak.wording import FORM_NAMES, KIND_NAMES
from app.rules.breakatwork import PARENTAL_FOURTH_MONTH_PAID_FROM, Balance, balances_by_kind
from app.rules.careerbreak import (
    CEILINGS,
    Ceiling,
    Counting,
    CountedPer,
    LeaveForm,
    LeaveKind,
    MonthsAndDays,
    length_in_days,
)
from app.web.i18n import format_date, format_number
from app.web.i18n import gettext as _


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
