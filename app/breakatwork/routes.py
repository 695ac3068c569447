"""Break@work (guide 000): "Si vous souhaitez calculer les périodes de crédit-temps ou d'interruption de
carrière qu'il vous reste ou le montant de votre allocation".

One GET page: the balances, the estimator (a GET form: its state is the URL) and the "Attestation"
button (posted to the Attestations screen). htmx asks for the `result` block only.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.response import Template

from app.breakatwork.forms import EstimateForm, estimator_options
from app.breakatwork.services import estimate, periods_of
from app.careerbreak.menu import SERVICE_PATH
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.web.render import is_htmx, render

BELGIAN_TIME = ZoneInfo("Europe/Brussels")
# The document the Attestations screen sends for "Attestation": the balance of the periods.
BALANCE_DOCUMENT = "solde"


class BreakAtWorkController(Controller):
    path = f"{SERVICE_PATH}/breakatwork"
    guards = [CITIZEN_GUARD]

    @get("/", name="careerbreak_breakatwork")
    async def page(self, request: Request) -> Template:
        today = datetime.datetime.now(BELGIAN_TIME).date()
        form = EstimateForm.parse(request.query_params, today)
        htmx = is_htmx(request)
        context = {
            "active": "breakatwork",
            "form": form,
            "errors": form.errors,
            "field_errors": dict(reversed(form.errors)),  # the first message of each field
            "result": estimate(form) if form.asked and not form.errors else None,
            "htmx": htmx,
            # The balances are not part of the result block: an htmx update does not read them.
            "kinds": [] if htmx else await periods_of(signed_in_person_id(request)),
            "options": estimator_options(form),
            "balance_document": BALANCE_DOCUMENT,
        }
        return render(request, "breakatwork/breakatwork.html", context, fragment="result",
                      status_code=422 if form.errors else 200)
