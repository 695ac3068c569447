"""The Consultation (guide 001): the enterprise's requests, with a search, keyset pages, each
request's page and its form."""

from __future__ import annotations

import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.access.guards import ActingFor, NoRightToAct, acting_for
from app.careerbreak.wording import FORM_NAMES, KIND_NAMES, STATE_NAMES
from app.employer.documents import (
    FiledRequest,
    draw_form_pdf,
    enterprise_facts,
    stored_form_pdf,
)
from app.employer.forms import (
    Errors,
)
from app.employer.screens import (
    EMPLOYER_GUARDS,
    SERVICE_PATH,
    base_context,
    not_personnel_officer_page,
    pdf_response,
)
from app.employer.services import (
    EmployerRequest,
    Filters,
    audit_consultation,
    consultation,
    history_of_request,
    request_of_enterprise,
)
from app.identity.services import client_address
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.employer import (
    compact,
    kinds_for,
)
from app.rules.request_states import RequestState
from app.web.forms import DateProblem, date_error_field, parse_date, parse_id
from app.web.i18n import gettext as _
from app.web.render import render
from app.web.urls import path_for


class ConsultationController(Controller):
    """The enterprise's requests, searched and paged, each with its page and its form (a PDF); every
    view of a worker's data is audited (S9)."""

    path = SERVICE_PATH
    guards = EMPLOYER_GUARDS
    exception_handlers = {NoRightToAct: not_personnel_officer_page}

    @get("/consultation", name="employer_consultation")
    async def consultation_page(self, request: Request) -> Response:
        acting = acting_for(request)
        filters, typed, errors = parse_filters(request.query_params)
        after = parse_id(request.query_params.get("apres"))  # a request's id (the keyset's key)
        before = parse_id(request.query_params.get("avant"))
        page = await consultation(acting, filters, after=after, before=before) if not errors else None
        if page and page.items:
            await audit_consultation(acting, [summary.worker_niss for summary in page.items], "consultation",
                                     source=client_address(request))
        query = {name: value for name, value in typed.items() if value}
        context = base_context(
            acting, active="consultation", page=page, typed=typed, errors=errors,
            kinds=[(kind.value, _(KIND_NAMES[kind])) for kind in kinds_for(acting.public_sector)],
            forms=[(form.value, _(FORM_NAMES[form])) for form in LeaveForm],
            states=[(state.value, _(STATE_NAMES[state])) for state in RequestState],
            previous_url=path_for(request, "employer_consultation", query={**query, "avant": page.previous_before})
            if page and page.previous_before else None,
            next_url=path_for(request, "employer_consultation", query={**query, "apres": page.next_after})
            if page and page.next_after else None,
        )
        return render(request, "employer/consultation.html", context, status_code=422 if errors else 200)

    @get("/consultation/{request_id:int}", name="employer_request")
    async def request_detail(self, request: Request, request_id: FromPath[int]) -> Template:
        acting = acting_for(request)
        summary = await request_of_enterprise(acting, request_id)
        if summary is None:
            raise NotFoundException()
        await audit_consultation(acting, [summary.worker_niss], "demande", source=client_address(request),
                                 request_id=summary.id)
        history = await history_of_request(summary.id)
        return render(request, "employer/request.html",
                      base_context(acting, active="consultation", summary=summary, history=history))

    @get("/consultation/{request_id:int}/formulaire.pdf", name="employer_request_pdf")
    async def request_pdf(self, request: Request, request_id: FromPath[int]) -> Response:
        """The request's form: the copy the enterprise's e-Box received when it was filed, or, for a
        request filed before forms were kept, the same template drawn now. A consultation: audited."""
        acting = acting_for(request)
        summary = await request_of_enterprise(acting, request_id)
        if summary is None:
            raise NotFoundException()
        content = await stored_form_pdf(acting.enterprise_id, summary.id)
        if content is None:
            content = await draw_form_pdf(filed_request_of(acting, summary))
        await audit_consultation(acting, [summary.worker_niss], "formulaire", source=client_address(request),
                                 request_id=summary.id)
        return pdf_response(content, f"formulaire-{summary.employer_ticket or summary.id}.pdf")

def filed_request_of(acting: ActingFor, summary: EmployerRequest) -> FiledRequest:
    """A request as its form shows it, from what the request holds (the status, the joint committee
    and the notice were not kept: the form leaves them out)."""
    return FiledRequest(
        request_id=summary.id, ticket=summary.employer_ticket, filed_at=summary.filed_at,
        enterprise_id=acting.enterprise_id, enterprise=enterprise_facts(acting), worker_id=None,
        worker_name=summary.worker_name, worker_niss=summary.worker_niss, language=summary.language,
        kind=summary.kind, form=summary.form, care_motive=summary.care_motive, start=summary.start_date,
        end=summary.end_date, work_regime=summary.work_regime,
    )


# ---------------------------------------------------------------------------------------------------
# The Consultation's search


FILTER_FIELDS = ("travailleur", "type", "forme", "statut",
                 *(f"{name}-{part}" for name in ("du", "au") for part in ("day", "month", "year")))


def _filter_date(typed: dict[str, str], name: str, message: str, errors: Errors) -> datetime.date | None:
    date, problem = parse_date(typed, name)
    if problem not in (None, DateProblem.MISSING):
        errors.append((date_error_field(name), message))
    return date


def parse_filters(params: Any) -> tuple[Filters, dict[str, str], Errors]:
    """The search as typed (kept on the page) and as values; a wrong value is an error, not ignored."""
    typed = {name: (params.get(name) or "")[:100] for name in FILTER_FIELDS}
    errors: Errors = []

    def choice(name: str, enum_type: type, message: str) -> Any:
        if not typed[name]:
            return None
        try:
            return enum_type(typed[name])
        except ValueError:
            errors.append((name, message))
            return None

    worker = typed["travailleur"].strip()
    digits = compact(worker)
    niss = digits if digits.isascii() and digits.isdigit() and len(digits) == 11 else None
    filters = Filters(
        worker=worker, niss=niss,
        kind=choice("type", LeaveKind, _("Choisissez un type d'interruption de la liste.")),
        form=choice("forme", LeaveForm, _("Choisissez une forme d'interruption de la liste.")),
        state=choice("statut", RequestState, _("Choisissez un statut de la liste.")),
        period_from=_filter_date(typed, "du", _("Le début de la période doit être une vraie date, par exemple 01/01/2026."), errors),
        period_to=_filter_date(typed, "au", _("La fin de la période doit être une vraie date, par exemple 31/12/2026."), errors),
    )
    if filters.period_from and filters.period_to and filters.period_to < filters.period_from:
        errors.append(("au-day", _("La fin de la période doit suivre son début.")))
    return filters, typed, errors

