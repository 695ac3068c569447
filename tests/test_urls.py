"""Named addresses (app/web/urls.py): a route's name gives its path, with its path parameters and a
query; an unknown name raises. The templates' `url_for` is the application's; every name the
templates and the routes ask for exists, and the services' menus open routes that exist."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar, get
from litestar.connection import ASGIConnection
from litestar.exceptions import NoRouteMatchFoundException
from litestar.params import FromPath

from app.careerbreak.menu import MENU as CAREERBREAK_MENU
from app.config import TEMPLATES_DIR
from app.employer.screens import MENU as EMPLOYER_MENU
from app.identity.oidc.relying_party import CALLBACK_ROUTE
from app.leaving_belgium.forms import QUESTIONS, RESULT_ROUTE
from app.installed import template_globals
from app.web.templates import make_environment
from app.web.urls import path_for, template_url_for

APP_DIR = TEMPLATES_DIR.parent / "app"


@get("/", name="start", sync_to_thread=False)
def start() -> str:
    return ""


@get("/groupes/{group:int}/membres/{member:str}", name="member", sync_to_thread=False)
def member(group: FromPath[int], member: FromPath[str]) -> str:
    return ""


@get("/demandes/{request_id:str}", name="request_page", sync_to_thread=False)
def request_page(request_id: FromPath[str]) -> str:
    return ""


SMALL_APP = Litestar(route_handlers=[start, member, request_page], openapi_config=None)


def connection(app: Litestar) -> ASGIConnection:
    return ASGIConnection({"type": "http", "litestar_app": app, "headers": [], "path": "/", "query_string": b""})


def test_a_name_gives_its_path_with_its_path_parameters():
    here = connection(SMALL_APP)
    assert path_for(here, "start") == "/"
    assert path_for(here, "member", group=3, member="ana") == "/groupes/3/membres/ana"
    # A number for a `:str` parameter: the same text (the career-break paths take ids as text).
    assert path_for(here, "request_page", request_id=12) == path_for(here, "request_page", request_id="12") \
        == "/demandes/12"


def test_a_query_leaves_out_its_empty_values_and_is_encoded():
    here = connection(SMALL_APP)
    assert path_for(here, "start", query={"demande": 12}) == "/?demande=12"
    assert path_for(here, "request_page", request_id=7, query={"a": "", "b": None, "c": 0, "d": "x y/é"}) \
        == "/demandes/7?c=0&d=x+y%2F%C3%A9"
    assert path_for(here, "start", query={"a": ""}) == path_for(here, "start", query={}) == "/"


def test_an_unknown_name_or_a_missing_parameter_raises():
    here = connection(SMALL_APP)
    with pytest.raises(NoRouteMatchFoundException):
        path_for(here, "no_such_route")
    with pytest.raises(NoRouteMatchFoundException):
        path_for(here, "member", group=3)
    with pytest.raises(NoRouteMatchFoundException):
        path_for(here, "member", group="trois", member="ana")  # an `:int` parameter takes a number


def test_the_templates_url_for_is_the_applications_and_needs_no_request(app):
    url_for = template_url_for(SMALL_APP)
    assert url_for("member", group=1, member="b", query={"x": "1"}) == "/groupes/1/membres/b?x=1"
    engine = app.template_engine.engine
    source = ('{{ url_for("careerbreak_attachments_request", request_id=12) }}|'
              '{{ url_for("careerbreak_cancellation", query={"demande": 3}) }}|{{ url_for("home") }}')
    assert engine.from_string(source).render() == \
        "/interruption-de-carriere/pieces-jointes/12|/interruption-de-carriere/annulation?demande=3|/"
    # An environment that serves no application (the PDFs') says so.
    with pytest.raises(RuntimeError, match="no application"):
        make_environment(template_globals()).from_string('{{ url_for("home") }}').render()


def test_every_name_the_templates_and_the_routes_ask_for_exists(app):
    asked = set()
    for template in TEMPLATES_DIR.rglob("*.html"):
        asked |= set(re.findall(r"""url_for\(\s*["']([a-z_]+)["']""", template.read_text()))
    for module in APP_DIR.rglob("*.py"):
        asked |= set(re.findall(r"""path_for\(\s*\w+,\s*["']([a-z_]+)["']""", module.read_text()))
    asked |= {entry.route for entry in (*CAREERBREAK_MENU, *EMPLOYER_MENU)}
    asked |= {question.route for question in QUESTIONS} | {RESULT_ROUTE, CALLBACK_ROUTE}
    assert len(asked) > 80
    assert sorted(name for name in asked if app.get_handler_index_by_name(name) is None) == []


def test_the_menus_open_the_pages_they_did(app):
    url_for = template_url_for(app)
    assert [url_for(entry.route) for entry in CAREERBREAK_MENU] == [
        "/interruption-de-carriere/dossier", "/interruption-de-carriere/attestations",
        "/interruption-de-carriere/completer", "/interruption-de-carriere/annulation",
        "/interruption-de-carriere/pieces-jointes", "/interruption-de-carriere/breakatwork",
    ]
    assert [url_for(entry.route) for entry in EMPLOYER_MENU] == [
        "/entreprise/interruption-de-carriere/demande", "/entreprise/interruption-de-carriere/consultation",
        "/entreprise/interruption-de-carriere/ebox",
    ]
