"""The employer's part of a request, guide 001: the service's home, the steps 3 to 7, and the
Consultation of the enterprise's requests. Thin: the steps' answers live in the session (draft.py),
the checks in forms.py and the rules, the queries in services.py."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from app.careerbreak.services import utcnow
from app.careerbreak.wording import CARE_MOTIVE_NAMES, FORM_NAMES, KIND_NAMES, STATE_NAMES
from app.config import get_settings
from app.employer.documents import (
    FiledRequest,
    draw_form_pdf,
    enterprise_facts,
    send_filing_documents,
    stored_form_pdf,
)
from app.employer.draft import (
    ENTERPRISE_STEP,
    KIND_STEP,
    LEAVE_STEP,
    STEPS,
    WORKER_STEP,
    Draft,
    forget_draft,
    has_draft,
    load_draft,
    remember_sent,
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
    LeaveChoice,
    WorkerChoice,
    answers_of,
    certification_error,
    check_kind,
    check_leave,
    check_worker,
    problem_message,
    worker_not_found_message,
)
from app.employer.ebox import (
    Cursor,
    NamedWorker,
    enterprise_document,
    enterprise_pdf,
    mark_read_by_enterprise,
    messages_of_enterprise,
)
from app.employer.guards import EMPLOYER_GUARDS, ActingEmployer, NotPersonnelOfficer, acting_employer
from app.employer.joint_committees import joint_committee, search_joint_committees
from app.employer.services import (
    EmployerRequest,
    Filters,
    TicketTaken,
    Worker,
    audit_consultation,
    check_period,
    consultation,
    file_request,
    history_of_request,
    request_of_enterprise,
    worker_of,
    workers_of,
)
from app.identity.services import client_address
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind, forms_of
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
from app.rules.request_states import RequestState
from app.web.i18n import activate, format_date, language_of
from app.web.i18n import gettext as _
from app.web.render import is_htmx, render

SERVICE_PATH = "/entreprise/interruption-de-carriere"
REQUEST_PATH = f"{SERVICE_PATH}/demande"
CONSULTATION_PATH = f"{SERVICE_PATH}/consultation"
STEP_PATHS = {
    ENTERPRISE_STEP: f"{REQUEST_PATH}/entreprise",
    WORKER_STEP: f"{REQUEST_PATH}/travailleur",
    KIND_STEP: f"{REQUEST_PATH}/type",
    LEAVE_STEP: f"{REQUEST_PATH}/conge",
}
WORKER_FILE_PATH = f"{REQUEST_PATH}/dossier-travailleur"
DIMONA_PATH = f"{REQUEST_PATH}/travailleur/dimona"
CONFIRMATION_PATH = f"{REQUEST_PATH}/confirmation"
EBOX_PATH = f"{SERVICE_PATH}/ebox"

logger = logging.getLogger("guichet.employer")

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

BACK = "precedent"  # the value of the "Précédent" button: keep what was typed, go back a step
SEARCH = "rechercher"  # the joint committee's search without JavaScript


def today() -> datetime.date:
    return utcnow().date()


def see_other(path: str) -> Redirect:
    return Redirect(path=path, status_code=303)


def action_of(data: dict[str, Any]) -> str:
    action = data.get("action")
    return action if isinstance(action, str) else ""


def not_personnel_officer_page(request: Request, _exception: NotPersonnelOfficer) -> Response:
    """S6: an identified person who acts for no enterprise gets a page saying so, not a bare 403."""
    activate(language_of(request))  # the guard runs before the language is set for the request
    return render(request, "employer/not_personnel_officer.html", {"active": None}, status_code=403)


# ---------------------------------------------------------------------------------------------------
# What the accepted steps say, checked again


@dataclass
class Resolved:
    worker_choice: WorkerChoice | None = None
    worker: Worker | None = None
    kind: LeaveKind | None = None
    leave: LeaveChoice | None = None


async def resolve(acting: ActingEmployer, draft: Draft, through: str) -> tuple[Resolved, str | None]:
    """The values of the steps up to `through`, checked again (a worker may have left the enterprise
    since); or the first step the officer has to go back to."""
    resolved = Resolved()
    for step in STEPS[:STEPS.index(through) + 1]:
        if not draft.is_done(step):
            return resolved, step
        answers = draft.answers_of(step)
        if step == WORKER_STEP:
            choice, errors = check_worker(answers, public_sector=acting.public_sector, today=today())
            worker = await worker_of(acting, choice.niss) if choice else None
            if worker is None:
                return resolved, step
            resolved.worker_choice, resolved.worker = choice, worker
        elif step == KIND_STEP:
            resolved.kind, errors = check_kind(answers, public_sector=acting.public_sector)
            if errors:
                return resolved, step
        elif step == LEAVE_STEP:
            resolved.leave, errors = check_leave(answers, resolved.kind, today=today())
            if errors:
                return resolved, step
    return resolved, None


def base_context(acting: ActingEmployer, **values: Any) -> dict[str, Any]:
    return {"active": "demande", "acting": acting, "errors": [], **values}


# ---------------------------------------------------------------------------------------------------


class EmployerHomeController(Controller):
    """The service's home: open to everyone, it leads to the identification."""

    path = SERVICE_PATH

    @get("/", name="employer_home")
    async def home(self, request: Request) -> Template:
        return render(request, "employer/home.html", {"active": None})


class EmployerController(Controller):
    path = SERVICE_PATH
    guards = EMPLOYER_GUARDS
    exception_handlers = {NotPersonnelOfficer: not_personnel_officer_page}

    # -- guide 001, step 2: identified, "Continuer" -------------------------------------------

    @get("/demande", name="employer_start")
    async def start(self, request: Request) -> Template:
        acting = acting_employer(request)
        return render(request, "employer/start.html",
                      base_context(acting, in_progress=has_draft(request, acting.enterprise_id)))

    @post("/demande", status_code=303)
    async def begin(self, request: Request, data: FormData) -> Redirect:
        acting = acting_employer(request)
        if action_of(data) == "recommencer":
            await forget_draft(request)
        draft = load_draft(request, acting.enterprise_id)
        await save_draft(request, draft)
        step = draft.first_step_to_do()
        return see_other(STEP_PATHS[step] if step else CONFIRMATION_PATH)

    # -- step 3: the enterprise's data -----------------------------------------------------------

    def _enterprise_context(self, acting: ActingEmployer) -> dict[str, Any]:
        return base_context(acting, enterprise_number=format_enterprise_number(acting.enterprise_number))

    @get("/demande/entreprise", name="employer_enterprise")
    async def enterprise(self, request: Request) -> Template:
        return render(request, "employer/enterprise.html", self._enterprise_context(acting_employer(request)))

    @post("/demande/entreprise", status_code=303)
    async def enterprise_checked(self, request: Request) -> Redirect:
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        draft.keep(ENTERPRISE_STEP, {})
        draft.accept(ENTERPRISE_STEP)
        await save_draft(request, draft)
        return see_other(STEP_PATHS[WORKER_STEP])

    # -- step 4: the worker, the status, the joint committee ----------------------------------

    def _worker_context(self, acting: ActingEmployer, answers: dict[str, str], search: str,
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

    def _worker_answers(self, acting: ActingEmployer, draft: Draft) -> dict[str, str]:
        answers = draft.answers_of(WORKER_STEP)
        if "commission_paritaire" not in answers and acting.commission_paritaire:
            answers["commission_paritaire"] = acting.commission_paritaire
        return answers

    @get("/demande/travailleur", name="employer_worker")
    async def worker(self, request: Request) -> Response:
        acting = acting_employer(request)
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
        acting = acting_employer(request)
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

    def _dimona_allowed(self, acting: ActingEmployer) -> None:
        """The link is only there for fewer than 100 workers; the page is not either."""
        if not may_pick_from_dimona(acting.workers_under_contract):
            raise NotFoundException()

    async def _dimona_page(self, request: Request, acting: ActingEmployer, workers: list[Worker], chosen: str,
                           errors: Errors, status_code: int = 200) -> Template:
        """The personnel file shows every worker's name and NISS: one consultation per worker, audited."""
        await audit_consultation(acting, [worker.niss for worker in workers], "dimona",
                                 source=client_address(request))
        return render(request, "employer/dimona.html",
                      base_context(acting, workers=workers, chosen=chosen, errors=errors), status_code=status_code)

    @get("/demande/travailleur/dimona", name="employer_dimona")
    async def dimona(self, request: Request) -> Template:
        acting = acting_employer(request)
        self._dimona_allowed(acting)
        workers = await workers_of(acting)
        chosen = compact(load_draft(request, acting.enterprise_id).answers_of(WORKER_STEP).get("niss", ""))
        return await self._dimona_page(request, acting, workers, chosen, [])

    @post("/demande/travailleur/dimona", status_code=303)
    async def dimona_chosen(self, request: Request, data: FormData) -> Response:
        acting = acting_employer(request)
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
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, WORKER_STEP)
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

    def _kind_context(self, acting: ActingEmployer, resolved: Resolved, answers: dict[str, str],
                      errors: Errors) -> dict[str, Any]:
        kinds = [(kind.value, _(KIND_NAMES[kind])) for kind in kinds_for(acting.public_sector)]
        return base_context(acting, worker=resolved.worker, choice=resolved.worker_choice, kinds=kinds,
                            answers=answers, errors=errors, section="nouvelle", **self._worker_names(resolved))

    @get("/demande/type", name="employer_kind")
    async def kind(self, request: Request) -> Response:
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, WORKER_STEP)
        if back_to:
            return see_other(STEP_PATHS[back_to])
        return render(request, "employer/kind.html",
                      self._kind_context(acting, resolved, draft.answers_of(KIND_STEP), []))

    @post("/demande/type", status_code=303)
    async def kind_chosen(self, request: Request, data: FormData) -> Response:
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        answers = answers_of(data, KIND_FIELDS)
        draft.keep(KIND_STEP, answers)
        await save_draft(request, draft)
        if action_of(data) == BACK:
            return see_other(WORKER_FILE_PATH)
        resolved, back_to = await resolve(acting, draft, WORKER_STEP)
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

    def _leave_context(self, acting: ActingEmployer, resolved: Resolved, answers: dict[str, str],
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
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, KIND_STEP)
        if back_to:
            return see_other(STEP_PATHS[back_to])
        return render(request, "employer/leave.html",
                      self._leave_context(acting, resolved, draft.answers_of(LEAVE_STEP), []))

    @post("/demande/conge", status_code=303)
    async def leave_given(self, request: Request, data: FormData) -> Response:
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        answers = answers_of(data, LEAVE_FIELDS)
        draft.keep(LEAVE_STEP, answers)
        await save_draft(request, draft)
        if action_of(data) == BACK:
            return see_other(STEP_PATHS[KIND_STEP])
        resolved, back_to = await resolve(acting, draft, KIND_STEP)
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

    def _confirmation_context(self, acting: ActingEmployer, resolved: Resolved, key: str,
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
        acting = acting_employer(request)
        draft = load_draft(request, acting.enterprise_id)
        resolved, back_to = await resolve(acting, draft, LEAVE_STEP)
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
        acting = acting_employer(request)
        key = answers_of(data, ("cle",)).get("cle", "")
        sent = sent_request_for(request, key)
        if sent is not None:  # the same form, posted again after it was filed
            return see_other(f"{REQUEST_PATH}/envoyee/{sent}")
        draft = load_draft(request, acting.enterprise_id)
        if action_of(data) == BACK:
            return see_other(STEP_PATHS[LEAVE_STEP])
        resolved, back_to = await resolve(acting, draft, LEAVE_STEP)
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
        acting = acting_employer(request)
        summary = await request_of_enterprise(acting, request_id)
        if summary is None:
            raise NotFoundException()
        await audit_consultation(acting, [summary.worker_niss], "envoyee", source=client_address(request),
                                 request_id=summary.id)
        return render(request, "employer/sent.html", base_context(acting, summary=summary))

    # -- Consultation ---------------------------------------------------------------------------

    @get("/consultation", name="employer_consultation")
    async def consultation_page(self, request: Request) -> Response:
        acting = acting_employer(request)
        filters, typed, errors = parse_filters(request.query_params)
        after = _int_param(request.query_params.get("apres"))
        before = _int_param(request.query_params.get("avant"))
        page = await consultation(acting, filters, after=after, before=before) if not errors else None
        if page and page.requests:
            await audit_consultation(acting, [summary.worker_niss for summary in page.requests], "consultation",
                                     source=client_address(request))
        query = {name: value for name, value in typed.items() if value}
        context = base_context(
            acting, active="consultation", page=page, typed=typed, errors=errors,
            kinds=[(kind.value, _(KIND_NAMES[kind])) for kind in kinds_for(acting.public_sector)],
            forms=[(form.value, _(FORM_NAMES[form])) for form in LeaveForm],
            states=[(state.value, _(STATE_NAMES[state])) for state in RequestState],
            previous_url=f"{CONSULTATION_PATH}?{urlencode({**query, 'avant': page.previous_before})}"
            if page and page.previous_before else None,
            next_url=f"{CONSULTATION_PATH}?{urlencode({**query, 'apres': page.next_after})}"
            if page and page.next_after else None,
        )
        return render(request, "employer/consultation.html", context, status_code=422 if errors else 200)

    @get("/consultation/{request_id:int}", name="employer_request")
    async def request_detail(self, request: Request, request_id: FromPath[int]) -> Template:
        acting = acting_employer(request)
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
        acting = acting_employer(request)
        summary = await request_of_enterprise(acting, request_id)
        if summary is None:
            raise NotFoundException()
        content = await stored_form_pdf(acting.enterprise_id, summary.id)
        if content is None:
            content = await draw_form_pdf(filed_request_of(acting, summary))
        await audit_consultation(acting, [summary.worker_niss], "formulaire", source=client_address(request),
                                 request_id=summary.id)
        return pdf_response(content, f"formulaire-{summary.employer_ticket or summary.id}.pdf")

    # -- the enterprise's e-Box ------------------------------------------------------------------

    @get("/ebox", name="employer_ebox")
    async def ebox(self, request: Request) -> Template:
        acting = acting_employer(request)
        after = Cursor.parse(request.query_params.get("apres"))
        before = Cursor.parse(request.query_params.get("avant"))
        page = await messages_of_enterprise(acting.enterprise_id, after=after, before=before)
        notice = _("Le document est marqué comme non lu.") if request.query_params.get("fait") == "non-lu" else None
        return render(request, "employer/ebox.html", base_context(
            acting, active="ebox", page=page, notice=notice, first_page=after is None and before is None,
            previous_url=f"{EBOX_PATH}?{urlencode({'avant': str(page.previous_before)})}"
            if page.previous_before else None,
            next_url=f"{EBOX_PATH}?{urlencode({'apres': str(page.next_after)})}" if page.next_after else None,
        ))

    @get("/ebox/{public_id:str}", name="employer_ebox_message")
    async def ebox_message(self, request: Request, public_id: FromPath[str]) -> Template:
        acting = acting_employer(request)
        found = await enterprise_document(acting.enterprise_id, public_id)
        if found is None:
            raise NotFoundException()
        document, worker = found
        await mark_read_by_enterprise(acting.enterprise_id, public_id)
        await audit_document_reading(request, acting, worker, "document")
        try:
            content = document.content()
        except Exception:  # a stored context an older template wrote: the PDF is still there
            logger.exception("the HTML twin of e-Box document %s cannot be rendered", public_id)
            content = None
        return render(request, "employer/ebox_message.html",
                      base_context(acting, active="ebox", message=document.summary, content=content))

    @get("/ebox/{public_id:str}/pdf", name="employer_ebox_pdf")
    async def ebox_pdf(self, request: Request, public_id: FromPath[str]) -> Response:
        acting = acting_employer(request)
        found = await enterprise_pdf(acting.enterprise_id, public_id)
        if found is None:
            raise NotFoundException()
        message, content, worker = found
        await mark_read_by_enterprise(acting.enterprise_id, public_id)
        await audit_document_reading(request, acting, worker, "document-pdf")
        return pdf_response(content, f"{message.document_kind}-{message.created_at:%Y-%m-%d}.pdf")

    @post("/ebox/{public_id:str}/non-lu", status_code=303, name="employer_ebox_unread")
    async def ebox_unread(self, request: Request, public_id: FromPath[str]) -> Redirect:
        acting = acting_employer(request)
        if await enterprise_document(acting.enterprise_id, public_id) is None:
            raise NotFoundException()
        await mark_read_by_enterprise(acting.enterprise_id, public_id, read=False)
        return see_other(f"{EBOX_PATH}?fait=non-lu")


def origin_of(request: Request) -> str:
    """The site's address for the link of the worker's e-mail: GUICHET_PUBLIC_URL (required in
    production); in acceptance, without it, the address the officer reached."""
    return get_settings().public_url or f"{request.url.scheme}://{request.url.netloc}"


async def audit_document_reading(request: Request, acting: ActingEmployer, worker: NamedWorker | None,
                                 what: str) -> None:
    """A document of the enterprise's e-Box about a request shows its worker's name and NISS: reading
    it is a consultation of the worker's file."""
    if worker is not None:
        await audit_consultation(acting, [worker.niss], what, source=client_address(request),
                                 request_id=worker.request_id)


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(content=content, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    })


def filed_request_of(acting: ActingEmployer, summary: EmployerRequest) -> FiledRequest:
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


def _int_param(value: str | None) -> int | None:
    if value and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _filter_date(typed: dict[str, str], name: str, message: str, errors: Errors) -> datetime.date | None:
    parts = [typed.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return None
    try:
        day, month, year = (int(part) for part in parts)
        if not 1900 <= year <= 2100:
            raise ValueError(year)
        return datetime.date(year, month, day)
    except ValueError:
        errors.append((f"{name}-day", message))
        return None


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


route_handlers = [EmployerHomeController, EmployerController]
