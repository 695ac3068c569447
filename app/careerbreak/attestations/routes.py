"""Attestations (guide 000): "Choisissez le document dont vous souhaitez recevoir une copie et
cliquez sur « Suivant ». Vous recevrez ensuite une confirmation. L'attestation sera envoyée dans
votre e-Box." Break@work's "Attestation" button posts `document=solde` to the same address."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from app.careerbreak.attestations.forms import AttestationForm
from app.careerbreak.attestations.services import (
    RequestNotFound,
    choices_of,
    send_chosen_document,
)
from app.careerbreak.documents import DocumentNotAvailable
from app.careerbreak.menu import SERVICE_PATH
from app.ebox.services import Owner, message_of
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.web.forms import FormData
from app.web.render import render
from app.web.urls import path_for

ACTIVE = "attestations"


class AttestationsController(Controller):
    path = f"{SERVICE_PATH}/attestations"
    guards = [CITIZEN_GUARD]

    async def _page(self, request: Request, form: AttestationForm, status_code: int = 200) -> Template:
        context = {"active": ACTIVE, "form": form, "choices": await choices_of(signed_in_person_id(request))}
        return render(request, "careerbreak/attestations.html", context, status_code=status_code)

    @get("/", name="careerbreak_attestations")
    async def choose(self, request: Request) -> Template:
        return await self._page(request, AttestationForm())

    @post("/", status_code=303, name="careerbreak_attestation_send")
    async def send(self, request: Request, data: FormData) -> Response:
        form = AttestationForm.parse(data)
        if not form.errors:
            try:
                public_id = await send_chosen_document(signed_in_person_id(request), form)
            except RequestNotFound:
                raise NotFoundException() from None
            except DocumentNotAvailable:
                form.not_offered()
            else:
                return Redirect(path=path_for(request, "careerbreak_attestation_sent", public_id=public_id),
                                status_code=303)
        return await self._page(request, form, status_code=422)

    @get("/confirmation/{public_id:str}", name="careerbreak_attestation_sent")
    async def confirmation(self, request: Request, public_id: FromPath[str]) -> Template:
        message = await message_of(Owner.person(signed_in_person_id(request)), public_id)
        if message is None:
            raise NotFoundException()
        return render(request, "careerbreak/attestation_sent.html", {"active": ACTIVE, "message": message})
