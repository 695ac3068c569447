"""The employer's part of a request, guide 001: the service's home and the steps 2 to 7. Thin: the
steps' answers live in the session (draft.py), the checks in forms.py and the rules, the queries in
services.py; what every screen shares is in screens.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.access.guards import ActingFor, NoRightToAct, acting_for
from app.careerbreak.wording import CARE_MOTIVE_NAMES, FORM_NAMES, KIND_NAMES
from app.clock import utcnow
from app.employer.documents import (
    FiledRequest,
    enterprise_facts,
    send_filing_documents,
)
from app.employer.draft import (
    ENTERPRISE_STEP,
    KIND_STEP,
    LEAVE_STEP,
    WORKER_STEP,
    Draft,
    Resolved,
    forget_draft,
    has_draft,
    load_draft,
    remember_sent,
    resolve,
    save_draft,
    sent_request_for,
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
    check_kind,
    check_leave,
    check_worker,
    problem_message,
    worker_not_found_message,
)
from app.employer.joint_committees import joint_committee, search_joint_committees
from app.employer.screens import (
    BACK,
    CONFIRMATION_PATH,
    EMPLOYER_GUARDS,
    REQUEST_PATH,
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
    worker_of,
    workers_of,
)
from app.identity.services import client_address
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
from app.web.forms import FormData
from app.web.i18n import format_date
from app.web.i18n import gettext as _
from app.web.render import is_htmx, render

# ---------------------------------------------------------------------------------------------------

class EmployerHomeController(Controller):
    """The service's home: open to everyone, it leads to the identification."""

    path = SERVICE_PATH

    @get("/", name="employer_home")
    async def home(self, request: Request) -> Template:
        return render(request, "employer/home.html", {"active": None})


class EmployerRequestController(Controller):
    """Guide 001, steps 2 to 7: the request is filed step by step, its answers kept in the session."""

    path = SERVICE_PATH
    guards = EMPLOYER_GUARDS
    exception_handlers = {NoRightToAct: not_personnel_officer_page}

    # -- guide 001, step 2: identified, "Continuer" -------------------------------------------

    @get("/demande", name="employer_start")
    async def start(self, request: Request) -> Template:
        acting = acting_for(request)
        return render(request, "employer/start.html",
                      base_context(acting, in_progress=has_draft(request, acting.enterprise_id)))

    @post("/demande", status_code=303)
    async def begin(self, request: Request, data: FormData) -> Redirect:
        acting = acting_for(request)
        if action_of(data) == "recommencer":
            await forget_draft(request)
        draft = load_draft(request, acting.enterprise_id)
        await save_draft(request, draft)
        step = draft.first_step_to_do()
        return see_other(STEP_PATHS[step] if step else CONFIRMATION_PATH)

    # -- step 3: the enterprise's data -----------------------------------------------------------

    def _enterprise_context(self, acting: ActingFor) -> dict[str, Any]:
        return base_context(acting, enterprise_number=format_enterprise_number(acting.enterprise_number))

    @get("/demande/entreprise", name="employer_enterprise")
    async def enterprise(self, request: Request) -> Template:
        return render(request, "employer/enterprise.html", self._enterprise_context(acting_for(request)))

    @post("/demande/entreprise", status_code=303)
    async def enterprise_checked(self, request: Request) -> Redirect:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        draft.keep(ENTERPRISE_STEP, {})
        draft.accept(ENTERPRISE_STEP)
        await save_draft(request, draft)
        return see_other(STEP_PATHS[WORKER_STEP])

    # -- step 4: the worker, the status, the joint committee ----------------------------------

    def _worker_context(self, acting: ActingFor, answers: dict[str, str], search: str,
                        errors: Errors) -> dict[str, Any]:
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

    def _worker_answers(self, acting: ActingFor, draft: Draft) -> dict[str, str]:
        answers = draft.answers_of(WORKER_STEP)
        if "commission_paritaire" not in answers and acting.commission_paritaire:
            answers["commission_paritaire"] = acting.commission_paritaire
        return answers

    @get("/demande/travailleur", name="employer_worker")
    async def worker(self, request: Request) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        if not draft.is_done(ENTERPRISE_STEP):
            return see_other(STEP_PATHS[ENTERPRISE_STEP])
        search = (request.query_params.get("recherche") or "")[:100]
        answers = self._worker_answers(acting, draft)
        if is_htmx(request) and request.query_params.get("commission_paritaire"):
            # The search swaps the list in place: the committee the officer just chose stays chosen.
            answers["commission_paritaire"] = request.query_params["commission_paritaire"][:100]
        context = self._worker_context(acting, answers, search, [])
        return render(request, "employer/worker.html", context, fragment="committees" if is_htmx(request) else None)

    @post("/demande/travailleur", status_code=303)
    async def worker_chosen(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        answers = answers_of(data, WORKER_FIELDS)
        draft.keep(WORKER_STEP, answers)
        action = action_of(data)
        if action == BACK:
            await save_draft(request, draft)
            return see_other(STEP_PATHS[ENTERPRISE_STEP])
        if action == SEARCH:
            await save_draft(request, draft)
            search = answers_of(data, ("recherche",)).get("recherche", "")
            return see_other(f"{STEP_PATHS[WORKER_STEP]}?{urlencode({'recherche': search})}#commission_paritaire")
        if not draft.is_done(ENTERPRISE_STEP):
            await save_draft(request, draft)
            return see_other(STEP_PATHS[ENTERPRISE_STEP])
        choice, errors = check_worker(answers, public_sector=acting.public_sector, today=today())
        if choice is not None and await worker_of(acting, choice.niss) is None:
            errors = [("niss", worker_not_found_message())]
        if not errors:
            draft.accept(WORKER_STEP)
        await save_draft(request, draft)
        if errors:
            context = self._worker_context(acting, answers, "", errors)
            return render(request, "employer/worker.html", context, status_code=422)
        return see_other(WORKER_FILE_PATH)

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
        chosen = compact(load_draft(request, acting.enterprise_id).answers_of(WORKER_STEP).get("niss", ""))
        return await self._dimona_page(request, acting, workers, chosen, [])

    @post("/demande/travailleur/dimona", status_code=303)
    async def dimona_chosen(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        self._dimona_allowed(acting)
        niss = answers_of(data, ("travailleur",)).get("travailleur", "")
        workers = await workers_of(acting)
        if niss not in {worker.niss for worker in workers}:
            errors = [("travailleur", _("Choisissez un travailleur dans le fichier du personnel."))]
            return await self._dimona_page(request, acting, workers, "", errors, status_code=422)
        draft = load_draft(request, acting.enterprise_id)
        answers = self._worker_answers(acting, draft)
        answers["niss"] = format_niss(niss)
        draft.keep(WORKER_STEP, answers)
        await save_draft(request, draft)
        return see_other(f"{STEP_PATHS[WORKER_STEP]}#statut")

    # -- step 5: "Nouvelle demande" on the left, then the type of interruption --------------------

    @get("/demande/dossier-travailleur", name="employer_worker_file")
    async def worker_file(self, request: Request) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, WORKER_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        await audit_consultation(acting, [resolved.worker.niss], "travailleur", source=client_address(request))
        return render(request, "employer/worker_file.html",
                      base_context(acting, worker=resolved.worker, choice=resolved.worker_choice,
                                   section="dossier", **self._worker_names(resolved)))

    def _worker_names(self, resolved: Resolved) -> dict[str, Any]:
        committee = joint_committee(resolved.worker_choice.commission_paritaire)
        return {"status_name": _(STATUS_NAMES[resolved.worker_choice.status]),
                "committee_label": f"{committee.code} – {_(committee.name)}" if committee else _("Sans objet")}

    def _kind_context(self, acting: ActingFor, resolved: Resolved, answers: dict[str, str],
                      errors: Errors) -> dict[str, Any]:
        kinds = [(kind.value, _(KIND_NAMES[kind])) for kind in kinds_for(acting.public_sector)]
        return base_context(acting, worker=resolved.worker, choice=resolved.worker_choice, kinds=kinds,
                            answers=answers, errors=errors, section="nouvelle", **self._worker_names(resolved))

    @get("/demande/type", name="employer_kind")
    async def kind(self, request: Request) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, WORKER_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        return render(request, "employer/kind.html",
                      self._kind_context(acting, resolved, draft.answers_of(KIND_STEP), []))

    @post("/demande/type", status_code=303)
    async def kind_chosen(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        answers = answers_of(data, KIND_FIELDS)
        draft.keep(KIND_STEP, answers)
        await save_draft(request, draft)
        if action_of(data) == BACK:
            return see_other(WORKER_FILE_PATH)
        resolved, back_to = await resolve(acting, draft, WORKER_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        _kind, errors = check_kind(answers, public_sector=acting.public_sector)
        if errors:
            return render(request, "employer/kind.html", self._kind_context(acting, resolved, answers, errors),
                          status_code=422)
        draft.accept(KIND_STEP)
        await save_draft(request, draft)
        return see_other(STEP_PATHS[LEAVE_STEP])

    # -- step 6: the leave -----------------------------------------------------------------------

    def _leave_context(self, acting: ActingFor, resolved: Resolved, answers: dict[str, str],
                       errors: Errors) -> dict[str, Any]:
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

    @get("/demande/conge", name="employer_leave")
    async def leave(self, request: Request) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, KIND_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        return render(request, "employer/leave.html",
                      self._leave_context(acting, resolved, draft.answers_of(LEAVE_STEP), []))

    @post("/demande/conge", status_code=303)
    async def leave_given(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        answers = answers_of(data, LEAVE_FIELDS)
        draft.keep(LEAVE_STEP, answers)
        await save_draft(request, draft)
        if action_of(data) == BACK:
            return see_other(STEP_PATHS[KIND_STEP])
        resolved, back_to = await resolve(acting, draft, KIND_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        leave, errors = check_leave(answers, resolved.kind, today=today())
        if leave is not None:
            problems = await check_period(acting, resolved.worker, resolved.kind, leave,
                                          source=client_address(request))
            errors = [problem_message(problem, resolved.kind) for problem in problems]
        if errors:
            return render(request, "employer/leave.html", self._leave_context(acting, resolved, answers, errors),
                          status_code=422)
        draft.accept(LEAVE_STEP)
        await save_draft(request, draft)
        return see_other(CONFIRMATION_PATH)

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
            regime_name=_(WORK_REGIMES[leave.work_regime]), step_paths=STEP_PATHS,
            **self._worker_names(resolved),
        )

    @get("/demande/confirmation", name="employer_confirmation")
    async def confirmation(self, request: Request) -> Response:
        acting = acting_for(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, LEAVE_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        drawn = draft.confirmation is None
        confirmation = draft.confirmation_of()
        if drawn:
            await save_draft(request, draft)
        return render(request, "employer/confirmation.html",
                      self._confirmation_context(acting, resolved, confirmation["key"], []))

    @post("/demande/confirmation", status_code=303)
    async def confirm(self, request: Request, data: FormData) -> Response:
        acting = acting_for(request)
        key = answers_of(data, ("cle",)).get("cle", "")
        sent = sent_request_for(request, key)
        if sent is not None:  # the same form, posted again after it was filed
            return see_other(f"{REQUEST_PATH}/envoyee/{sent}")
        draft = load_draft(request, acting.enterprise_id)
        if action_of(data) == BACK:
            return see_other(STEP_PATHS[LEAVE_STEP])
        resolved, back_to = await resolve(acting, draft, LEAVE_STEP, today=today())
        if back_to:
            return see_other(STEP_PATHS[back_to])
        if draft.confirmation is None or key != draft.confirmation["key"]:
            return see_other(CONFIRMATION_PATH)  # a form shown before the answers changed: read it again
        if data.get("certification") != "oui":
            context = self._confirmation_context(acting, resolved, key, [certification_error()])
            return render(request, "employer/confirmation.html", context, status_code=422)
        if await check_period(acting, resolved.worker, resolved.kind, resolved.leave):
            draft.done.remove(LEAVE_STEP)  # the worker's history changed since step 6: check it again
            await save_draft(request, draft)
            return see_other(STEP_PATHS[LEAVE_STEP])
        try:
            request_id, new = await file_request(acting, resolved.worker, resolved.kind, resolved.leave,
                                                  draft.confirmation["ticket"])
        except TicketTaken:
            draft.confirmation = None
            key = draft.confirmation_of()["key"]
            await save_draft(request, draft)
            errors = [("certification", _(
                "La demande n'a pas pu être enregistrée. Rien n'a été envoyé : vérifiez-la et confirmez-la à nouveau."
            ))]
            context = self._confirmation_context(acting, resolved, key, errors)
            return render(request, "employer/confirmation.html", context, status_code=409)
        await remember_sent(request, key, request_id)
        if new:  # this post filed it (not one of its repeats, R1): the documents go once
            await send_filing_documents(FiledRequest(
                request_id=request_id, ticket=draft.confirmation["ticket"], filed_at=utcnow(),
                enterprise_id=acting.enterprise_id, enterprise=enterprise_facts(acting),
                worker_id=resolved.worker.person_id, worker_name=resolved.worker.full_name,
                worker_niss=resolved.worker.niss, language=resolved.worker.language, kind=resolved.kind,
                form=resolved.leave.form, care_motive=resolved.leave.care_motive, start=resolved.leave.start,
                end=resolved.leave.end, work_regime=resolved.leave.work_regime,
                choice=resolved.worker_choice, leave=resolved.leave,
            ), origin=origin_of(request))
        return see_other(f"{REQUEST_PATH}/envoyee/{request_id}")

    @get("/demande/envoyee/{request_id:int}", name="employer_sent")
    async def sent(self, request: Request, request_id: FromPath[int]) -> Template:
        acting = acting_for(request)
        summary = await request_of_enterprise(acting, request_id)
        if summary is None:
            raise NotFoundException()
        await audit_consultation(acting, [summary.worker_niss], "envoyee", source=client_address(request),
                                 request_id=summary.id)
        return render(request, "employer/sent.html", base_context(acting, summary=summary))
