"""The screens of "Compléter une demande" (guide 000): choose the request → "Suivant" → the worker's
part → "Suivant" → check every answer ("Précédent" / "Confirmer") → the ticket number, and
"Charger des documents". Every screen reads the citizen from the session; another citizen's request is
not found (404)."""

from __future__ import annotations

import datetime
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from app.careerbreak.completion.forms import (
    HOUSEHOLD_ANSWERS,
    HOUSEHOLD_LABELS,
    SUBJECT_WORDING,
    WorkerPartForm,
    country_name,
    country_options,
    format_iban,
    parse_worker_part,
    problem_messages,
    typed_values,
)
from app.careerbreak.completion.services import (
    HouseholdSituation,
    Outcome,
    RequestToComplete,
    SubjectRole,
    WorkerPart,
    check_period,
    completable_requests,
    confirm_worker_part,
    outcome_of_sent_request,
    request_to_complete,
    send_acknowledgement_after_sending,
)
from app.careerbreak.forms import parse_id
from app.careerbreak.menu import SERVICE_PATH
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.identity.sessions import current_session, update_session_data
from app.identity.wizard import Progress, Step, Wizard
from app.rules.allowances import RateKind, rate_kind_of, single_parent_increase_applies
from app.rules.careerbreak import LeaveKind, documents_needed
from app.rules.request_states import RequestState, worker_can_attach
from app.web.forms import FormData
from app.web.i18n import format_date
from app.web.i18n import gettext as _
from app.web.render import render
from app.web.urls import path_for

COMPLETION_PATH = f"{SERVICE_PATH}/completer"
ACTIVE = "completer"
# Session entry read by "Pièces jointes": the request just completed, to which an optional document
# may be added now and only now when none is mandatory (guide 000).
ATTACH_AFTER_COMPLETION = "attach_after_completion"
SENT_STATES = (RequestState.WORKER_PART_SENT, RequestState.DECIDED)


PART_STEP = "partie"
# One step per request (its owner): what the worker typed is kept, so that "Précédent" and a reload lose
# nothing; "Précédent" goes back to the choice, the request still selected.
WORKER_PART = Wizard(
    "completion",
    steps=(Step(PART_STEP, f"{COMPLETION_PATH}/{{owner}}"),),
    check=f"{COMPLETION_PATH}/{{owner}}/verification",
    before=f"{COMPLETION_PATH}?demande={{owner}}",
)


async def own_request(request: Request, request_id: str) -> RequestToComplete:
    """The citizen's request named in the path; 404 for an unknown id or another citizen's."""
    parsed = parse_id(request_id)
    found = await request_to_complete(signed_in_person_id(request), parsed) if parsed is not None else None
    if found is None:
        raise NotFoundException()
    return found


def spelled(ticket: str) -> str:
    """K7F-4TR-9XW → "K 7 F, 4 T R, 9 X W": what a screen reader reads one character at a time."""
    return ", ".join(" ".join(group) for group in ticket.split("-"))


class CompletionController(Controller):
    path = COMPLETION_PATH
    guards = [CITIZEN_GUARD]

    # -- 1. choose the request ---------------------------------------------------------------

    @get("/", name="careerbreak_completion")
    async def choose(
        self, request: Request, chosen: Annotated[str | None, QueryParameter(name="demande")] = None,
    ) -> Template:
        """"Précédent" on the next screen comes back here with its request still selected."""
        requests = await completable_requests(signed_in_person_id(request))
        selected = parse_id(chosen)
        return render(request, "careerbreak/completion/choose.html", {
            "active": ACTIVE, "requests": requests, "errors": [],
            "selected": str(selected) if selected is not None else None,
        })

    @post("/", status_code=303, name="careerbreak_completion_choose")
    async def choose_post(self, request: Request, data: FormData) -> Response:
        requests = await completable_requests(signed_in_person_id(request))
        chosen = parse_id(data.get("demande"))
        if chosen not in {summary.id for summary in requests}:
            errors = [("demande", _("Sélectionnez la demande que vous souhaitez compléter."))] if requests else []
            return render(request, "careerbreak/completion/choose.html", {
                "active": ACTIVE, "requests": requests, "errors": errors, "selected": None,
            }, status_code=422)
        return Redirect(path=path_for(request, "careerbreak_completion_form", request_id=chosen), status_code=303)

    # -- a request that cannot be completed ---------------------------------------------------

    def _unavailable(self, request: Request, found: RequestToComplete, *, conflict: bool = False,
                     status_code: int = 200) -> Template:
        return render(request, "careerbreak/completion/unavailable.html", {
            "active": ACTIVE, "summary": found.summary, "conflict": conflict,
            "sent": found.summary.state in SENT_STATES and bool(found.summary.ticket_number),
        }, status_code=status_code)

    # -- 2. the worker's part -----------------------------------------------------------------

    def _form_page(self, request: Request, found: RequestToComplete, form: WorkerPartForm, *,
                   blocking: list[str] | None = None, status_code: int = 200) -> Template:
        role = found.subject_role
        return render(request, "careerbreak/completion/form.html", {
            "active": ACTIVE, "summary": found.summary, "form": form, "values": form.values,
            "blocking": blocking or [], "failed": status_code == 422,
            "households": [(situation.value, _(HOUSEHOLD_LABELS[situation])) for situation in HouseholdSituation],
            "subject": SUBJECT_WORDING[role] if role else None,
            "asks_disability": found.summary.kind is LeaveKind.PARENTAL,
            "countries": country_options(),
        }, status_code=status_code)

    @get("/{request_id:str}", name="careerbreak_completion_form")
    async def worker_part(self, request: Request, request_id: FromPath[str]) -> Template:
        found = await own_request(request, request_id)
        if not found.can_be_completed:
            return self._unavailable(request, found)
        # What the employer's part makes impossible is said at once, before the worker types anything.
        messages = problem_messages(await check_period(signed_in_person_id(request), found, None), found)
        form = WorkerPartForm(values=WORKER_PART.load(request, found.id).answers_of(PART_STEP))
        return self._form_page(request, found, form, blocking=messages.blocking)

    async def _checked(self, request: Request, found: RequestToComplete,
                       values: dict[str, str]) -> tuple[WorkerPartForm, list[str]]:
        """The answers checked on their own, then with the rules about the request's period."""
        form = parse_worker_part(values, found.summary.kind, found.summary.care_motive, datetime.date.today())
        blocking: list[str] = []
        if form.subject is not None or found.subject_role is None:
            problems = await check_period(signed_in_person_id(request), found, form.subject)
            messages = problem_messages(problems, found, form.subject)
            blocking = messages.blocking
            form.add_errors(messages.field_errors)
        return form, blocking

    @post("/{request_id:str}", status_code=303, name="careerbreak_completion_form_save")
    async def worker_part_post(self, request: Request, request_id: FromPath[str], data: FormData) -> Response:
        found = await own_request(request, request_id)
        if not found.can_be_completed:
            return self._unavailable(request, found, conflict=True, status_code=409)
        values = typed_values(data)

        async def refusal(_progress: Progress) -> Response | None:
            form, blocking = await self._checked(request, found, values)
            if blocking or form.errors:
                return self._form_page(request, found, form, blocking=blocking, status_code=422)
            return None

        return await WORKER_PART.submit(request, found.id, PART_STEP, values,
                                        back=data.get("action") == "precedent", check=refusal)

    # -- 3. check the answers -----------------------------------------------------------------

    def _answer_rows(self, found: RequestToComplete, part: WorkerPart) -> list[dict[str, str]]:
        """The check page's rows, each with its "Modifier" link to the field on the form."""
        answers: list[tuple[str, str, str]] = [
            (_("Situation familiale"), _(HOUSEHOLD_ANSWERS[part.household]), "household")]
        if part.subject is not None:
            wording = SUBJECT_WORDING[part.subject.role]
            answers.append((_(wording.name_label), part.subject.name, "subject_name"))
            answers.append((_(wording.birth_date_label), format_date(part.subject.birth_date),
                            "subject_birth_date-day"))
            if found.summary.kind is LeaveKind.PARENTAL:
                answers.append((_("Enfant avec un handicap"),
                                _("Oui") if part.subject.child_is_disabled else _("Non"), "child_is_disabled"))
        answers.append((_("Autre activité ou autres revenus pendant l'interruption"),
                        _("Oui") if part.other_activities else _("Non"), "other_activities"))
        if part.other_activities:
            answers.append((_("Description de l'activité ou des revenus"),
                            part.other_activities_description or "", "other_activities_description"))
        answers.append((_("Pays du domicile"), country_name(part.domicile_country), "domicile_country"))
        answers.append((_("Numéro de compte (IBAN)"), format_iban(part.iban), "iban"))
        if part.bic:
            answers.append((_("Code BIC"), part.bic, "bic"))
        return [{"key": key, "value": value, "change_url": WORKER_PART.change_url(found.id, PART_STEP, field_id)}
                for key, value, field_id in answers]

    def _single_parent_note(self, found: RequestToComplete, part: WorkerPart) -> str | None:
        """What the answers say of the increased amount of the single parent (domain.md §2.3.1)."""
        kind = found.summary.kind
        if not part.household.lives_only_with_dependent_children or rate_kind_of(kind) is not RateKind.THEMATIC_LEAVE:
            return None
        if part.subject is not None and part.subject.role is SubjectRole.CHILD:
            if single_parent_increase_applies(kind, lives_only_with_dependent_children=True,
                                              child_birth_date=part.subject.birth_date,
                                              on=found.summary.start_date,
                                              child_is_disabled=part.subject.child_is_disabled):
                return _("D'après vos réponses, le montant majoré pour travailleur isolé peut s'appliquer. "
                         "L'ONEM le vérifiera.")
            return _("D'après vos réponses, le montant majoré pour travailleur isolé ne s'applique pas : "
                     "l'enfant a atteint la limite d'âge au début du congé.")
        return _("L'ONEM vérifiera si le montant majoré pour travailleur isolé s'applique : il dépend de "
                 "l'âge des enfants avec qui vous vivez. Une attestation de composition de ménage l'aide à "
                 "le faire.")

    @get("/{request_id:str}/verification", name="careerbreak_completion_check")
    async def check(self, request: Request, request_id: FromPath[str]) -> Response:
        found = await own_request(request, request_id)
        if not found.can_be_completed:
            return self._unavailable(request, found)
        progress = WORKER_PART.load(request, found.id)
        form, blocking = await self._checked(request, found, progress.answers_of(PART_STEP))
        if not progress.is_done(PART_STEP) or blocking or form.part is None:  # nothing accepted yet, or
            return Redirect(path=WORKER_PART.path(found.id, PART_STEP), status_code=303)  # something to correct
        part = form.part
        confirmation = await WORKER_PART.confirmation(request, progress)
        return render(request, "careerbreak/completion/verification.html", {
            "active": ACTIVE, "summary": found.summary, "rows": self._answer_rows(found, part),
            "allowance_possible": part.allowance_possible, "country": country_name(part.domicile_country),
            "single_parent_note": self._single_parent_note(found, part), "key": confirmation["key"],
            "back_url": WORKER_PART.back_path(found.id),
        })

    # -- 4. confirm ---------------------------------------------------------------------------

    async def _sent(self, request: Request, progress: Progress, key: str) -> Redirect:
        """The worker's part is sent: the answers go, a repetition of this "Confirmer" that arrives later
        (a double click, a retry) gets the same ticket (R1), and "Pièces jointes" may take an optional
        document for this request now."""
        ticket_page = path_for(request, "careerbreak_completion_ticket", request_id=progress.owner)
        if key:  # (a post without the page's key is answered, but not remembered)
            await WORKER_PART.finish(request, progress, key, ticket_page)
        await update_session_data(request, **{ATTACH_AFTER_COMPLETION: int(progress.owner)})
        return Redirect(path=ticket_page, status_code=303)

    async def _not_sent(self, request: Request, found: RequestToComplete, progress: Progress, key: str,
                        part: WorkerPart | None) -> Response:
        """The request no longer waits for the worker: the same submission sent already (by a click
        posted at the same moment as this one) gets its ticket (R1); anything else is told that the
        request changed and nothing was sent (R3)."""
        person = signed_in_person_id(request)
        confirmation = await outcome_of_sent_request(person, found.id, part)
        if confirmation.outcome is Outcome.ALREADY_SENT:
            return await self._sent(request, progress, key)
        current = await request_to_complete(person, found.id) or found
        return self._unavailable(request, current, conflict=True, status_code=409)

    @post("/{request_id:str}/verification", status_code=303, name="careerbreak_completion_confirm")
    async def confirm(self, request: Request, request_id: FromPath[str], data: FormData) -> Response:
        found = await own_request(request, request_id)
        version = parse_id(data.get("version"))
        if version is None:
            raise ValidationException()  # the page's hidden field was lost or forged
        key = data.get("cle") if isinstance(data.get("cle"), str) else ""
        progress = WORKER_PART.load(request, found.id)
        first = progress.answered(key)
        if first is not None:  # this "Confirmer" was answered already: the same ticket
            return Redirect(path=first, status_code=303)
        values = progress.answers_of(PART_STEP)
        # The answers as sent, before the rules about the period: what tells the same submission apart.
        part = parse_worker_part(values, found.summary.kind, found.summary.care_motive,
                                 datetime.date.today()).part if values else None
        if not found.can_be_completed:
            return await self._not_sent(request, found, progress, key, part)
        elsewhere = WORKER_PART.unconfirmable(progress, key)  # nothing accepted, or a page shown before
        if elsewhere is not None:                             # the answers changed
            return elsewhere
        form, blocking = await self._checked(request, found, values)
        if blocking or form.part is None:
            latest = await request_to_complete(signed_in_person_id(request), found.id)
            if latest is not None and not latest.can_be_completed:  # sent meanwhile: its period now counts
                return await self._not_sent(request, latest, progress, key, part)
            return self._form_page(request, found, form, blocking=blocking, status_code=422)
        confirmation = await confirm_worker_part(signed_in_person_id(request), found, version, form.part)
        if confirmation.outcome is Outcome.CHANGED:
            current = await request_to_complete(signed_in_person_id(request), found.id) or found
            return self._unavailable(request, current, conflict=True, status_code=409)
        if confirmation.outcome is Outcome.SENT:  # a repeated click finds the part sent: nothing goes twice
            await send_acknowledgement_after_sending(found.id)
        return await self._sent(request, progress, key)

    # -- 5. the ticket ------------------------------------------------------------------------

    @get("/{request_id:str}/ticket", name="careerbreak_completion_ticket")
    async def ticket(self, request: Request, request_id: FromPath[str]) -> Template:
        found = await own_request(request, request_id)
        summary = found.summary
        if summary.state not in (*SENT_STATES, RequestState.CANCELLED) or not summary.ticket_number:
            raise NotFoundException()  # the worker's part of this request was never sent
        documents = documents_needed(summary.kind, summary.care_motive)
        mandatory = [requirement.document for requirement in documents if requirement.mandatory]
        session = current_session(request)
        just_completed = bool(session and session.data.get(ATTACH_AFTER_COMPLETION) == summary.id)
        can_attach = worker_can_attach(summary.state) and (bool(mandatory) or just_completed)
        return render(request, "careerbreak/completion/ticket.html", {
            "active": ACTIVE, "summary": summary, "spelled_ticket": spelled(summary.ticket_number),
            "mandatory": mandatory, "can_attach": can_attach,
            "attachments_url": path_for(request, "careerbreak_attachments_request", request_id=summary.id),
        })
