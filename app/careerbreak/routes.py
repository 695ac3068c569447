"""The service's home and "Mon dossier" (guide 000)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from app.careerbreak.menu import SERVICE_PATH
from app.careerbreak.services import events_of, requests_of
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.web.render import render

class CareerBreakController(Controller):
    path = SERVICE_PATH
    guards = [CITIZEN_GUARD]

    @get("/", name="careerbreak_home")
    async def home(self, request: Request) -> Template:
        return render(request, "careerbreak/home.html", {"active": None})

    @get("/dossier", name="careerbreak_dossier")
    async def my_file(self, request: Request) -> Template:
        requests = await requests_of(signed_in_person_id(request))
        history = await events_of([summary.id for summary in requests])
        return render(request, "careerbreak/dossier.html",
                      {"active": "dossier", "requests": requests, "history": history})
