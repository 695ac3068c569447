"""The employer's part of a request, guide 001: the service's home and the steps 2 to 7. Thin: the
steps are a table (`REQUEST_WIZARD`, `STEP_FORMS`) driven by the wizard (app/identity/wizard.py: the
answers kept in the session, "Précédent", the redirects, the confirmation key); each step's check and
what the accepted steps say are in draft.py, over forms.py and the rules; the queries in services.py;
what every screen shares is in screens.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.access.guards import ActingFor, NoRightToAct, acting_for
from app.careerbreak.wording import CARE_MOTIVE_NAMES, FORM_NAMES, KIND_NAMES
from app.employer.draft import (
    ENTERPRISE_STEP,
    KIND_STEP,
    LEAVE_STEP,
    WORKER_STEP,
    Resolved,
    kind_errors,
    leave_errors,
    resolve,
    worker_errors,
)
from app.employer.forms import (
    KIND_FIELDS,
    LEAVE_FIELDS,
    STATUS_NAMES,
    WORK_REGIMES,
    WORKER_FIELDS,
    Errors,
    answers_of,
    certification_error,
)
from app.employer.joint_committees import joint_committee, search_joint_committees
from app.employer.screens import (
    BACK,
    CONFIRMATION_PATH,
    EMPLOYER_GUARDS,
    SEARCH,
    SERVICE_PATH,
    STEP_PATHS,
    WORKER_FILE_PATH,
    action_of,
    base_context,
    not_personnel_officer_page,
    origin_of,
    see_other,
    today,
)
from app.employer.services import (
    TicketTaken,
    Worker,
    audit_consultation,
    check_period,
    file_request,
    request_of_enterprise,
    workers_of,
)
from app.identity.services import client_address
from app.identity.wizard import Progress, Step, Wizard
from app.rules.careerbreak import CareMotive, LeaveKind, forms_of
from app.rules.employer import (
    compact,
    kinds_for,
    latest_notice_date,
    may_pick_from_dimona,
    notice_is_late,
    notice_months,
    statuses_for,
)
from app.rules.identifiers import format_enterprise_number, format_niss
from app.rules.tickets import new_ticket_number
from app.web.forms import FormData
from app.web.i18n import format_date
from app.web.i18n import gettext as _
from app.web.render import is_htmx, render
from app.web.urls import path_for

# ---------------------------------------------------------------------------------------------------
# The pages of steps 4 to 6 (each step's check is in draft.py)


def worker_names(resolved: Resolved) -> dict[str, Any]:
    committee = joint_committee(resolved.worker_choice.commission_paritaire)
    return {"status_name": _(STATUS_NAMES[resolved.worker_choice.status]),
            "committee_label": f"{committee.code} – {_(committee.name)}" if committee else _("Sans objet")}


def worker_context(acting: ActingFor, _resolved: Resolved, answers: dict[str, str], errors: Errors, *,
                   search: str = "") -> dict[str, Any]:
    chosen = answers.get("commission_paritaire", "")
    committees = search_joint_committees(search)
    chosen_committee = joint_committee(chosen)
    if chosen_committee is not None and chosen_committee not in committees:
        committees.insert(0, chosen_committee)  # what was chosen stays on the page
    return base_context(
        acting, answers=answers, errors=errors, search=search, committees=committees,
        statuses=[(status.value, _(STATUS_NAMES[status])) for status in statuses_for(acting.public_sector)],
        dimona=may_pick_from_dimona(acting.workers_under_contract),
    )


def kind_context(acting: ActingFor, resolved: Resolved, answers: dict[str, str], errors: Errors) -> dict[str, Any]:
    kinds = [(kind.value, _(KIND_NAMES[kind])) for kind in kinds_for(acting.public_sector)]
    return base_context(acting, worker=resolved.worker, choice=resolved.worker_choice, kinds=kinds,
                        answers=answers, errors=errors, section="nouvelle", **worker_names(resolved))


def leave_context(acting: ActingFor, resolved: Resolved, answers: dict[str, str], errors: Errors) -> dict[str, Any]:
    kind = resolved.kind
    motives = [(motive.value, _(CARE_MOTIVE_NAMES[motive])) for motive in CareMotive] \
        if kind is LeaveKind.TIME_CREDIT_CARE else []
    return base_context(
        acting, worker=resolved.worker, kind=kind, answers=answers, errors=errors,
        forms=[(form.value, _(FORM_NAMES[form])) for form in forms_of(kind)], motives=motives,
        regimes=[(value, _(label)) for value, label in WORK_REGIMES.items()],
        notice_months=notice_months(public_sector=acting.public_sector,
                                    workers_under_contract=acting.workers_under_contract),
    )


@dataclass(frozen=True)
class StepForm:
    """A step's form: its fields, its page, and its check."""

    fields: tuple[str, ...]
    template: str
    shows: str  # the last earlier step the page shows (a worker, a kind): checked again before it
    context: Callable[..., dict[str, Any]]  # (acting, resolved, answers, errors): the page's
    errors: Callable[..., Awaitable[Errors]]  # (acting, resolved, answers, *, today, source): draft.py's


# Guide 001, steps 3 to 6, as data: the wizard keeps their answers in the session, drives "Précédent"
# and the redirects, and gives step 7 ("Confirmer") its key and ticket.
REQUEST_WIZARD = Wizard(
    "employer-request",
    steps=(
        Step(ENTERPRISE_STEP, STEP_PATHS[ENTERPRISE_STEP]),
        Step(WORKER_STEP, STEP_PATHS[WORKER_STEP], after=WORKER_FILE_PATH),  # the worker's file, then the kind
        Step(KIND_STEP, STEP_PATHS[KIND_STEP], back=WORKER_FILE_PATH),
        Step(LEAVE_STEP, STEP_PATHS[LEAVE_STEP]),
    ),
    check=CONFIRMATION_PATH,
    draw=lambda: {"ticket": new_ticket_number()},
)
STEP_FORMS = {
    WORKER_STEP: StepForm(WORKER_FIELDS, "employer/worker.html", ENTERPRISE_STEP, worker_context, worker_errors),
    KIND_STEP: StepForm(KIND_FIELDS, "employer/kind.html", WORKER_STEP, kind_context, kind_errors),
    LEAVE_STEP: StepForm(LEAVE_FIELDS, "employer/leave.html", KIND_STEP, leave_context, leave_errors),
}


class EmployerHomeController(Controller):
    """The service's home: open to everyone, it leads to the identification."""

    path = SERVICE_PATH

    @get("/", name="employer_home")
    async def home(self, request: Request) -> Template:
        return render(request, "employer/home.html", {"active": None})


class EmployerRequestController(Controller):
    """Guide 001, steps 2 to 7: the request is filed step by step, its answers kept by the wizard."""

    path = SERVICE_PATH
    guards = EMPLOYER_GUARDS
    exception_handlers = {NoRightToAct: not_personnel_officer_page}

    async def _resolved(self, request: Request, through: str,
                        progress: Progress | None = None) -> tuple[Progress, Resolved, Response | None]:
        """The request in progress and its accepted steps up to `through`, checked again; or the
        redirect to the step the officer has to go back to."""
        acting = acting_for(request)
        progress = progress or REQUEST_WIZARD.load(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, progress, through, today=today())
        return progress, resolved, see_other(REQUEST_WIZARD.path(acting.enterprise_id, back_to)) if back_to else None

    async def _page(self, request: Request, step: str) -> Response:
        """A step's page, with what was typed there."""
        form = STEP_FORMS[step]
        progress, resolved, elsewhere = await self._resolved(request, form.shows)
        return elsewhere or render(request, form.template,
                                   form.context(acting_for(request), resolved, progress.answers_of(step), []))

    async def _posted(self, request: Request, step: str, data: FormData) -> Response:
        """A step's form, posted: kept; "Précédent"; or checked, then accepted or shown with its errors."""
        acting, form = acting_for(request), STEP_FORMS[step]
        answers = answers_of(data, form.fields)

        async def refusal(progress: Progress) -> Response | None:
            _progress, resolved, elsewhere = await self._resolved(request, form.shows, progress)
            errors = [] if elsewhere else await form.errors(acting, resolved, answers, today=today(),
                                                            source=client_address(request))
            if elsewhere or not errors:
                return elsewhere
            return render(request, form.template, form.context(acting, resolved, answers, errors), status_code=422)

        return await REQUEST_WIZARD.submit(request, acting.enterprise_id, step, answers,
                                           back=action_of(data) == BACK, check=refusal)

    # -- guide 001, step 2: identified, "Continuer" -------------------------------------------

    @get("/demande", name="employer_start")
    async def start(self, request: Request) -> Template:
        acting = acting_for(request)
        return render(request, "employer/start.html",
                      base_context(acting, in_progress=REQUEST_WIZARD.in_progress(request, acting.enterprise_id)))

    @post("/demande", status_code=303, name="employer_begin")
    async def begin(self, request: Request, data: FormData) -> Redirect:
        acting = acting_for(request)
        if action_of(data) == "recommencer":
            await REQUEST_WIZARD.forget(request, acting.enterprise_id)
        return see_other(REQUEST_WIZARD.resume_path(REQUEST_WIZARD.load(request, acting.enterprise_id)))

    # -- step 3: the enterprise's data -----------------------------------------------------------

    @get("/demande/entreprise", name="employer_enterprise")
    async def enterprise(self, request: Request) -> Template:
        acting = acting_for(request)
        return render(request, "employer/enterprise.html",
                      base_context(acting, enterprise_number=format_enterprise_number(acting.enterprise_number)))

    @post("/demande/entreprise", status_code=303, name="employer_enterprise_save")
    async def enterprise_checked(self, request: Request) -> Response:
        return await REQUEST_WIZARD.submit(request, acting_for(request).enterprise_id, ENTERPRISE_STEP, {})

    # -- step 4: the worker, the status, the joint committee ----------------------------------

    def _worker_answers(self, acting: ActingFor, progress: Progress) -> dict[str, str]:
        answers = progress.answers_of(WORKER_STEP)
        if "commission_paritaire" not in answers and acting.commission_paritaire:
            answers["commission_paritaire"] = acting.commission_paritaire
        return answers

    @get("/demande/travailleur", name="employer_worker")
    async def worker(self, request: Request) -> Response:
        acting = acting_for(request)
        progress = REQUEST_WIZARD.load(request, acting.enterprise_id)
        if open_step := progress.first_open(before=WORKER_STEP):
            return see_other(REQUEST_WIZARD.path(acting.enterprise_id, open_step))
        search = (request.query_params.get("recherche") or "")[:100]
        answers = self._worker_answers(acting, progress)
        if is_htmx(request) and request.query_params.get("commission_paritaire"):
            # The search swaps the list in place: the committee the officer just chose stays chosen.
            answers["commission_paritaire"] = request.query_params["commission_paritaire"][:100]
        context = worker_context(acting, Resolved(), answers, [], search=search)
        return render(request, "employer/worker.html", context, fragment="committees" if is_htmx(request) else None)

    @post("/demande/travailleur", status_code=303, name="employer_worker_save")
    async def worker_chosen(self, request: Request, data: FormData) -> Response:
        if action_of(data) != SEARCH:
            return await self._posted(request, WORKER_STEP, data)
        # The joint committee's search without JavaScript: what was typed is kept, not checked.
        progress = REQUEST_WIZARD.load(request, acting_for(request).enterprise_id)
        progress.keep(WORKER_STEP, answers_of(data, WORKER_FIELDS))
        await REQUEST_WIZARD.save(request, progress)
        search = answers_of(data, ("recherche",)).get("recherche", "")
        worker_page = path_for(request, "employer_worker")
        return see_other(f"{worker_page}?{urlencode({'recherche': search})}#commission_paritaire")

    # -- step 4, the other way: the Dimona personnel file ---------------------------------------

    def _dimona_allowed(self, acting: ActingFor) -> None:
        """The link is only there for fewer than 100 workers; the page is not either."""
        if not may_pick_from_dimona(acting.workers_under_contract):
            raise NotFoundException()

    async def _dimona_page(self, request: Request, acting: ActingFor, workers: list[Worker], chosen: str,
                           errors: Errors, status_code: int = 200) -> Template:
        """The personnel file shows every worker's name and NISS: one consultation per worker, audited."""
        await audit_consultation(acting, [worker.niss for worker in workers], "dimona",
                                 source=client_address(request))
        return render(request, "employer/dimona.html",
                      base_context(acting, workers=workers, chosen=chosen, errors=errors), status_code=status_code)

    @get("/demande/travailleur/dimona", name="employer_dimona")
    async def dimona(self, request: Request) -> Template:
        acting = acting_for(request)
        self._dimona_allowed(acting)
        workers = await workers_of(acting)
        chosen = compact(REQUEST_WIZARD.load(request, acting.enterprise_id).answers_of(WORKER_STEP).get("niss", ""))
        return await self._dimona_page(request, acting, workers, chosen, [])

    @post("/demande/travailleur/dimona", status_code=303, name="employer_dimona_save")
    async def dimona_chosen(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        self._dimona_allowed(acting)
        niss = answers_of(data, ("travailleur",)).get("travailleur", "")
        workers = await workers_of(acting)
        if niss not in {worker.niss for worker in workers}:
            errors = [("travailleur", _("Choisissez un travailleur dans le fichier du personnel."))]
            return await self._dimona_page(request, acting, workers, "", errors, status_code=422)
        progress = REQUEST_WIZARD.load(request, acting.enterprise_id)
        answers = self._worker_answers(acting, progress)
        answers["niss"] = format_niss(niss)
        progress.keep(WORKER_STEP, answers)  # back to step 4, where the status and committee are chosen
        await REQUEST_WIZARD.save(request, progress)
        return see_other(f"{path_for(request, 'employer_worker')}#statut")

    # -- step 5: "Nouvelle demande" on the left, then the type of interruption --------------------

    @get("/demande/dossier-travailleur", name="employer_worker_file")
    async def worker_file(self, request: Request) -> Response:
        acting = acting_for(request)
        _progress, resolved, elsewhere = await self._resolved(request, WORKER_STEP)
        if elsewhere:
            return elsewhere
        await audit_consultation(acting, [resolved.worker.niss], "travailleur", source=client_address(request))
        return render(request, "employer/worker_file.html",
                      base_context(acting, worker=resolved.worker, choice=resolved.worker_choice,
                                   section="dossier", **worker_names(resolved)))

    @get("/demande/type", name="employer_kind")
    async def kind(self, request: Request) -> Response:
        return await self._page(request, KIND_STEP)

    @post("/demande/type", status_code=303, name="employer_kind_save")
    async def kind_chosen(self, request: Request, data: FormData) -> Response:
        return await self._posted(request, KIND_STEP, data)

    # -- step 6: the leave -----------------------------------------------------------------------

    @get("/demande/conge", name="employer_leave")
    async def leave(self, request: Request) -> Response:
        return await self._page(request, LEAVE_STEP)

    @post("/demande/conge", status_code=303, name="employer_leave_save")
    async def leave_given(self, request: Request, data: FormData) -> Response:
        return await self._posted(request, LEAVE_STEP, data)

    # -- step 7: the confirmation --------------------------------------------------------------

    def _confirmation_context(self, acting: ActingFor, resolved: Resolved, key: str,
                              errors: Errors, certified: bool = False) -> dict[str, Any]:
        leave = resolved.leave
        months = notice_months(public_sector=acting.public_sector,
                               workers_under_contract=acting.workers_under_contract)
        late_notice = None
        if notice_is_late(leave.notice, leave.start, months):
            late_notice = _(
                "Le travailleur devait vous avertir par écrit {months} mois avant le début du congé, soit "
                "au plus tard le {latest}. L'avertissement est daté du {notice}. Vous pouvez envoyer la "
                "demande si vous acceptez ce délai plus court."
            ).format(months=months, latest=format_date(latest_notice_date(leave.start, months)),
                     notice=format_date(leave.notice))
        return base_context(
            acting, worker=resolved.worker, choice=resolved.worker_choice, kind=resolved.kind, leave=leave,
            key=key, errors=errors, certified=certified, late_notice=late_notice,
            enterprise_number=format_enterprise_number(acting.enterprise_number),
            regime_name=_(WORK_REGIMES[leave.work_regime]),
            change_urls={step: REQUEST_WIZARD.change_url(acting.enterprise_id, step) for step in REQUEST_WIZARD.names},
            **worker_names(resolved),
        )

    @get("/demande/confirmation", name="employer_confirmation")
    async def confirmation(self, request: Request) -> Response:
        progress, resolved, elsewhere = await self._resolved(request, LEAVE_STEP)
        if elsewhere:
            return elsewhere
        confirmation = await REQUEST_WIZARD.confirmation(request, progress)
        return render(request, "employer/confirmation.html",
                      self._confirmation_context(acting_for(request), resolved, confirmation["key"], []))

    @post("/demande/confirmation", status_code=303, name="employer_confirm")
    async def confirm(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        key = answers_of(data, ("cle",)).get("cle", "")
        progress = REQUEST_WIZARD.load(request, acting.enterprise_id)
        first = progress.answered(key)
        if first is not None:  # the same form, posted again after it was filed: the request it filed
            return see_other(first)
        if action_of(data) == BACK:
            return see_other(REQUEST_WIZARD.back_path(acting.enterprise_id))
        progress, resolved, elsewhere = await self._resolved(request, LEAVE_STEP, progress)
        # A step to go back to, or a form shown before the answers changed: read it again.
        elsewhere = elsewhere or REQUEST_WIZARD.unconfirmable(progress, key)
        if elsewhere:
            return elsewhere
        if data.get("certification") != "oui":
            context = self._confirmation_context(acting, resolved, key, [certification_error()])
            return render(request, "employer/confirmation.html", context, status_code=422)
        if await check_period(acting, resolved.worker, resolved.kind, resolved.leave):
            progress.reopen(LEAVE_STEP)  # the worker's history changed since step 6: check it again
            await REQUEST_WIZARD.save(request, progress)
            return see_other(path_for(request, "employer_leave"))
        ticket = progress.confirmation["ticket"]
        completion_url = origin_of(request).rstrip("/") + path_for(request, "careerbreak_completion")
        try:
            # Its documents and e-mail are written with it (the outbox) and sent at once (R5).
            request_id, _new = await file_request(acting, resolved.worker, resolved.kind, resolved.leave, ticket,
                                                  worker_choice=resolved.worker_choice, completion_url=completion_url)
        except TicketTaken:
            key = progress.redraw()["key"]
            await REQUEST_WIZARD.save(request, progress)
            errors = [("certification", _(
                "La demande n'a pas pu être enregistrée. Rien n'a été envoyé : vérifiez-la et confirmez-la à nouveau."
            ))]
            context = self._confirmation_context(acting, resolved, key, errors)
            return render(request, "employer/confirmation.html", context, status_code=409)
        sent_page = path_for(request, "employer_sent", request_id=request_id)
        await REQUEST_WIZARD.finish(request, progress, key, sent_page)
        return see_other(sent_page)

    @get("/demande/envoyee/{request_id:int}", name="employer_sent")
    async def sent(self, request: Request, request_id: FromPath[int]) -> Template:
        acting = acting_for(request)
        summary = await request_of_enterprise(acting, request_id)
        if summary is None:
            raise NotFoundException()
        await audit_consultation(acting, [summary.worker_niss], "envoyee", source=client_address(request),
                                 request_id=summary.id)
        return render(request, "employer/sent.html", base_context(acting, summary=summary))
