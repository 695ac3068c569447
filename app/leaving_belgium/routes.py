"""« Vous quittez la Belgique ? » (guide 002): four questions, then the rights kept abroad; and the graph of
the rules for content editors. No identification: anyone can use it.

Every page is a GET whose state is the URL (app/leaving_belgium/forms.py). A question whose earlier
answers are missing or outside their lists is asked again with a message (422). On the result page htmx
asks for the `fiches` block only when the status or the topic changes.
"""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.leaving_belgium.forms import QUESTIONS, SERVICE_PATH
from app.leaving_belgium.services import (
    needs_question,
    question_page,
    result,
    result_options,
    rules_index,
    rules_of,
)
from app.web.render import is_htmx, render

QUESTION_TEMPLATE = "leaving_belgium/question.html"
RESULT_TEMPLATE = "leaving_belgium/result.html"


def _question(request: Request, asked: int) -> Template:
    page = question_page(request.query_params, asked)
    return render(request, QUESTION_TEMPLATE, {"page": page, "questions_count": len(QUESTIONS)},
                  status_code=422 if page.errors else 200)


class LeavingBelgiumController(Controller):
    path = SERVICE_PATH

    @get("/", name="leaving_belgium_nationality")
    async def nationality(self, request: Request) -> Template:
        return _question(request, 0)

    @get("/destination", name="leaving_belgium_destination")
    async def destination(self, request: Request) -> Template:
        return _question(request, 1)

    @get("/statut", name="leaving_belgium_status")
    async def status(self, request: Request) -> Template:
        return _question(request, 2)

    @get("/sujet", name="leaving_belgium_topic")
    async def topic(self, request: Request) -> Template:
        return _question(request, 3)

    @get("/resultat", name="leaving_belgium_result")
    async def result(self, request: Request) -> Template:
        """The rights kept: the whole page, or its `fiches` block when htmx asks (the status or the
        topic changed). An answer missing or outside its list asks its question again."""
        htmx = is_htmx(request)
        if needs_question(request.query_params):
            if not htmx:
                return _question(request, len(QUESTIONS))
            page = question_page(request.query_params, len(QUESTIONS))
            return render(request, RESULT_TEMPLATE, {"problem": page, "htmx": True}, fragment="fiches",
                          status_code=422)
        answers, view = result(request.query_params)
        context = {
            "problem": None, "answers": answers, "view": view, "htmx": htmx, "options": result_options(),
        }
        return render(request, RESULT_TEMPLATE, context, fragment="fiches")

    @get("/regles", name="leaving_belgium_rules")
    async def rules(self, request: Request) -> Template:
        """The graph of the rules, for content editors: how a fiche is chosen, and the regimes."""
        return render(request, "leaving_belgium/rules_index.html", rules_index())

    @get("/regles/{regime:str}", name="leaving_belgium_regime_rules")
    async def regime_rules(self, request: Request, regime: FromPath[str]) -> Template:
        """One regime's page of the graph: for each topic and status, the fiche that applies and why."""
        view = rules_of(regime)
        if view is None:
            raise NotFoundException()
        return render(request, "leaving_belgium/rules.html", {"view": view})
