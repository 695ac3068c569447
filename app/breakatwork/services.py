"""Break@work's use cases (guide 000, domain.md §2.3–2.4): the balances of a citizen's leave, and the
indicative allowance of the estimator's query.

Each reads what it needs (the person's history, through app/careerbreak/history.py; the checked form),
applies the rules of app/rules/breakatwork.py, and hands the result to the module that puts it into words:
balance_views.py for "Mes périodes", estimate_view.py for "Estimer mon allocation".
"""

from __future__ import annotations

from app.breakatwork.balance_views import KindView, kind_views
from app.breakatwork.estimate_view import EstimateView, estimate_view
from app.breakatwork.forms import EstimateForm
from app.careerbreak.history import history_of
from app.rules.breakatwork import allowance_working


async def periods_of(person_id: int) -> list[KindView]:
    """The balances of a citizen, from the requests they sent or that were decided (one query)."""
    history = await history_of(person_id)
    return kind_views(history.balances())


def estimate(form: EstimateForm) -> EstimateView:
    """The indicative monthly allowance for a checked query (no errors), with its working."""
    assert form.kind is not None and form.form is not None and form.on is not None, "check the form first"
    working = allowance_working(
        form.kind, form.form, form.on,
        lives_only_with_dependent_children=form.lives_only_with_dependent_children,
        child_birth_date=form.child_birth_date, child_is_disabled=form.child_disabled,
        seniority_years=form.seniority_years, household=form.rules_household, worker_age=form.worker_age,
        work_regime=form.work_regime)
    return estimate_view(form, working)
