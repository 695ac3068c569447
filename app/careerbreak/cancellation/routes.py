"""Annulation (guide 000, "Annuler une demande"): choose the request → "Suivant" → its summary
("Précédent" to choose another) → "Suivant" → confirm, and ask for an e-mail → "Confirmer" → the
ticket code. Every screen reads the citizen from the session; another citizen's request is not found."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from app.careerbreak.cancellation.forms import ChoiceForm, ConfirmationForm
from app.careerbreak.cancellation.services import (
    CancellationConflict,
    Citizen,
    cancel_request,
    cancellable_requests,
    citizen,
    send_confirmation,
)
from app.careerbreak.forms import parse_id
from app.careerbreak.menu import SERVICE_PATH
from app.careerbreak.services import RequestSummary, request_of
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.identity.services import client_address
from app.identity.sessions import current_session, update_session_data
from app.rules.request_states import RequestState, worker_can_cancel
from app.web.forms import FormData
from app.web.render import render
from app.web.urls import path_for

# Session entry: for each request cancelled in this session, where its confirmation e-mail went.
EMAILS_KEY = "cancellation_emails"
ACTIVE = "annulation"


async def own_request(request: Request, request_id: str) -> RequestSummary:
    """The citizen's request named in the path; 404 for an unknown id or another citizen's."""
    summary = None
    parsed = parse_id(request_id)
    if parsed is not None:
        summary = await request_of(signed_in_person_id(request), parsed)
    if summary is None:
        raise NotFoundException()
    return summary


def email_outcomes(request: Request) -> dict[str, Any]:
    session = current_session(request)
    return dict(session.data.get(EMAILS_KEY, {})) if session else {}


class CancellationController(Controller):
    path = f"{SERVICE_PATH}/annulation"
    guards = [CITIZEN_GUARD]

    # -- 1. choose the request ---------------------------------------------------------------

    def _choice_page(self, request: Request, requests: list[RequestSummary], form: ChoiceForm,
                     selected: int | None, status_code: int = 200) -> Template:
        return render(request, "careerbreak/cancellation/choose.html", {
            "active": ACTIVE, "requests": requests, "form": form,
            "selected": str(selected) if selected is not None else None,
        }, status_code=status_code)

    @get("/", name="careerbreak_cancellation")
    async def choose(
        self, request: Request,
        chosen: Annotated[str | None, QueryParameter(name="demande")] = None,
    ) -> Template:
        """"Précédent" on the next screen comes back here with its request still selected."""
        requests = await cancellable_requests(signed_in_person_id(request))
        return self._choice_page(request, requests, ChoiceForm(), parse_id(chosen))

    @post("/", status_code=303, name="careerbreak_cancellation_choose")
    async def choose_post(self, request: Request, data: FormData) -> Response:
        requests = await cancellable_requests(signed_in_person_id(request))
        form = ChoiceForm.parse(data, {summary.id for summary in requests})
        if form.errors:
            return self._choice_page(request, requests, form, None, status_code=422)
        return Redirect(path=path_for(request, "careerbreak_cancellation_request", request_id=form.request_id),
                        status_code=303)

    # -- 2. the request's summary -------------------------------------------------------------

    def _unavailable_page(self, request: Request, summary: RequestSummary, *, conflict: bool = False,
                          status_code: int = 200) -> Template:
        return render(request, "careerbreak/cancellation/unavailable.html",
                      {"active": ACTIVE, "summary": summary, "conflict": conflict,
                       "already_cancelled": summary.state is RequestState.CANCELLED},
                      status_code=status_code)

    @get("/{request_id:str}", name="careerbreak_cancellation_request")
    async def summary(self, request: Request, request_id: FromPath[str]) -> Template:
        summary = await own_request(request, request_id)
        if not worker_can_cancel(summary.state):
            return self._unavailable_page(request, summary)
        return render(request, "careerbreak/cancellation/summary.html", {"active": ACTIVE, "summary": summary})

    # -- 3. confirm ---------------------------------------------------------------------------

    def _confirmation_page(self, request: Request, summary: RequestSummary, person: Citizen,
                           form: ConfirmationForm, *, conflict: bool = False,
                           status_code: int = 200) -> Template:
        return render(request, "careerbreak/cancellation/confirm.html", {
            "active": ACTIVE, "summary": summary, "email": person.email, "form": form,
            "conflict": conflict,
        }, status_code=status_code)

    @get("/{request_id:str}/confirmer", name="careerbreak_cancellation_confirm")
    async def confirmation(self, request: Request, request_id: FromPath[str]) -> Template:
        summary = await own_request(request, request_id)
        if not worker_can_cancel(summary.state):
            return self._unavailable_page(request, summary)
        person = await citizen(signed_in_person_id(request))
        return self._confirmation_page(request, summary, person, ConfirmationForm())

    @post("/{request_id:str}/confirmer", status_code=303, name="careerbreak_cancel")
    async def confirm(self, request: Request, request_id: FromPath[str], data: FormData) -> Response:
        summary = await own_request(request, request_id)
        person = await citizen(signed_in_person_id(request))
        form = ConfirmationForm.parse(data, email_known=person.email is not None)
        if form.errors:
            if not worker_can_cancel(summary.state):
                return self._unavailable_page(request, summary, conflict=True, status_code=409)
            return self._confirmation_page(request, summary, person, form, status_code=422)
        try:
            if form.version is None:  # the page's hidden field was lost: it cannot be told apart from a stale page
                raise CancellationConflict(summary)
            cancellation = await cancel_request(signed_in_person_id(request), summary.id, form.version,
                                                actor=person, source=client_address(request))
        except CancellationConflict as conflict:
            current = conflict.current
            form.confirmed = False  # the citizen confirms again, knowing what changed
            form.version = current.version
            if not worker_can_cancel(current.state):
                return self._unavailable_page(request, current, conflict=True, status_code=409)
            return self._confirmation_page(request, current, person, form, conflict=True, status_code=409)
        except LookupError:
            raise NotFoundException() from None
        ticket_page = Redirect(path=path_for(request, "careerbreak_cancellation_ticket", request_id=summary.id),
                               status_code=303)
        if cancellation.repeated:
            return ticket_page  # the first of these submissions sent the e-mail, if one was asked for
        sent = await send_confirmation(person, summary, cancellation.ticket) if form.wants_email else False
        outcome = {"address": person.email if form.wants_email else None, "sent": sent}
        await update_session_data(request, **{EMAILS_KEY: {**email_outcomes(request), str(summary.id): outcome}})
        return ticket_page

    # -- 4. the ticket ------------------------------------------------------------------------

    @get("/{request_id:str}/ticket", name="careerbreak_cancellation_ticket")
    async def ticket(self, request: Request, request_id: FromPath[str]) -> Template:
        summary = await own_request(request, request_id)
        if summary.state is not RequestState.CANCELLED or not summary.cancellation_ticket:
            raise NotFoundException()
        return render(request, "careerbreak/cancellation/ticket.html", {
            "active": ACTIVE, "summary": summary, "email": email_outcomes(request).get(str(summary.id)),
        })
