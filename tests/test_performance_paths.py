"""The fast paths of a signed-in page view (budget P3) give exactly what the slow ones gave.

"Mon dossier" reads the session and the citizen's requests with written-once SQL, small SQLite reads
run on the event loop's thread, the converters and the template engine skip work, and pure results
(dates, translations, CSRF tokens) are kept: each test compares a fast path with the plain one.
"""

from __future__ import annotations

import datetime
import sqlite3

import pytest
from jinja2 import Template as JinjaTemplate
from jinja2 import ext
from jinja2.runtime import Context
from markupsafe import Markup
from piccolo.engine.sqlite import convert_date_out, convert_timestamptz_out

from app.careerbreak.services import events_of, move_request, request_of, requests_of
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.db import transaction
from app.db import sqlite as embedded
from app.demo import load_demo_data
from app.registry.tables import Person
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.web import csrf, i18n
from app.installed import template_globals
from app.web.templates import make_environment
from app.web.urls import template_url_for
from tests.conftest import DATABASE
from tests.support.citizens import JAN, MARIE, person_id, request_for

ON_SQLITE = DATABASE.kind == "sqlite"


@pytest.fixture
async def demo(database):
    await load_demo_data()


# -- the requests of "Mon dossier": raw SQL = what the ORM query gave -----------------------------


async def orm_requests_of(person: int) -> list[dict]:
    """The query requests_of ran through Piccolo's query builder before it was written out."""
    r = CareerBreakRequest
    return await r.select(
        r.id, r.kind, r.form, r.care_motive, r.start_date, r.end_date, r.state, r.version, r.language,
        r.enterprise, r.enterprise.name, r.subject_name, r.subject_birth_date, r.ticket_number,
        r.cancellation_ticket, r.decided_on,
    ).where(r.worker == person).order_by(r.start_date, ascending=False).order_by(r.id, ascending=False)


async def orm_events_of(request_ids: list[int]) -> list[dict]:
    e = RequestEvent
    return await e.select(e.request, e.state, e.at, e.ticket_number).where(
        e.request.is_in(request_ids)).order_by(e.at).order_by(e.id)


async def test_requests_of_gives_what_the_orm_query_gave(demo):
    marie = await person_id(MARIE)
    # Two requests on the same start date: the most recent id comes first, as before.
    await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.HALF_TIME,
                      start=datetime.date(2025, 4, 2), end=datetime.date(2025, 6, 1))
    summaries = await requests_of(marie)
    rows = await orm_requests_of(marie)
    assert len(summaries) == len(rows) == 4
    assert [summary.id for summary in summaries] == [row["id"] for row in rows]
    for summary, row in zip(summaries, rows):
        assert summary == type(summary).from_row(row)
    # Every kind of value came through with its type: dates, absent ones, enums, the join.
    decided = next(summary for summary in summaries if summary.state is RequestState.DECIDED)
    assert decided.decided_on == datetime.date(2023, 11, 20)
    assert decided.subject_birth_date == datetime.date(2019, 3, 12)
    assert type(decided.start_date) is datetime.date and type(decided.id) is int
    assert "Les Tilleuls SRL" in {summary.enterprise_name for summary in summaries}
    assert await requests_of(await person_id("luc.martin")) == []


async def test_request_of_finds_only_the_citizens_own_request(demo):
    marie, jan = await person_id(MARIE), await person_id(JAN)
    own = (await requests_of(marie))[0]
    assert await request_of(marie, own.id) == own
    assert await request_of(jan, own.id) is None  # another citizen's id: not found
    assert await request_of(marie, 999_999) is None


async def test_events_of_gives_each_history_oldest_first_as_the_orm_query_did(demo):
    marie = await person_id(MARIE)
    summaries = await requests_of(marie)
    ids = [summary.id for summary in summaries]
    # Two events at the same moment: the order falls back on their ids.
    same_moment = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=datetime.timezone.utc)
    waiting = next(summary for summary in summaries if summary.state is RequestState.WAITING_FOR_WORKER)
    async with transaction():
        await move_request(waiting.id, waiting.version, RequestState.WORKER_PART_SENT, at=same_moment,
                           event_ticket="TICKET-1")
    history = await events_of(ids)
    rows = await orm_events_of(ids)
    flattened = [(event.request_id, event.state.value, event.at, event.ticket_number)
                 for request_id in ids for event in history[request_id]]
    expected = [(row["request"], row["state"], row["at"], row["ticket_number"])
                for request_id in ids for row in rows if row["request"] == request_id]
    assert flattened == expected
    assert all(event.at.tzinfo == datetime.timezone.utc for events in history.values() for event in events)
    assert history[waiting.id][-1].ticket_number == "TICKET-1"
    assert await events_of([]) == {}
    assert await events_of([999_999]) == {999_999: ()}


# -- small reads on the event loop's thread (SQLite) ----------------------------------------------


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded SQLite engine's own path")
async def test_a_read_on_the_event_loop_gives_the_pools_rows(demo):
    sql = "SELECT id, username, language FROM person ORDER BY id"
    pooled = await Person.raw(sql)
    with embedded.on_event_loop():
        direct = await Person.raw(sql)
    assert direct == pooled and type(direct[0]) is dict


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded SQLite engine's own path")
async def test_only_reads_in_the_block_and_outside_a_transaction_take_the_direct_path(database, monkeypatch):
    direct_reads: list[str] = []
    read_directly = embedded.EmbeddedSQLiteEngine._read_directly

    def counting(self, sql, args):
        direct_reads.append(sql)
        return read_directly(self, sql, args)

    monkeypatch.setattr(embedded.EmbeddedSQLiteEngine, "_read_directly", counting)
    await Person.raw("SELECT 1 AS one")
    assert direct_reads == []  # not asked for
    with embedded.on_event_loop():
        await Person.insert(Person(niss="88041200259", first_name="M", last_name="D",
                                   username="m", language="fr"))  # a write: the write path
        async with transaction():
            await Person.update({Person.first_name: "Marie"}).where(Person.username == "m")
            # Inside a transaction, its own connection: it sees its uncommitted change.
            inside = await Person.raw("SELECT first_name FROM person WHERE username = {}", "m")
        assert inside == [{"first_name": "Marie"}]
        assert direct_reads == []
        await Person.raw("SELECT first_name FROM person")
    assert len(direct_reads) == 1
    await Person.raw("SELECT first_name FROM person")
    assert len(direct_reads) == 1  # the block is over


class BusyConnection:
    """A connection on which SQLite reports the database busy, or another error."""

    def __init__(self, code: int) -> None:
        self.code = code

    def execute(self, sql, args):
        error = sqlite3.OperationalError("database is locked" if self.code == sqlite3.SQLITE_BUSY
                                         else "no such table: nowhere")
        error.sqlite_errorcode = self.code
        raise error


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded SQLite engine's own path")
async def test_a_busy_database_sends_the_read_to_the_pool_instead_of_blocking_the_loop(demo, monkeypatch):
    expected = await Person.raw("SELECT username FROM person ORDER BY id")
    monkeypatch.setattr(embedded.EmbeddedSQLiteEngine, "_direct_connection",
                        lambda self, resources: BusyConnection(sqlite3.SQLITE_BUSY))
    with embedded.on_event_loop():
        assert await Person.raw("SELECT username FROM person ORDER BY id") == expected
    monkeypatch.setattr(embedded.EmbeddedSQLiteEngine, "_direct_connection",
                        lambda self, resources: BusyConnection(sqlite3.SQLITE_ERROR))
    with embedded.on_event_loop(), pytest.raises(sqlite3.OperationalError, match="no such table"):
        await Person.raw("SELECT username FROM person")


@pytest.mark.skipif(not ON_SQLITE, reason="the direct connection is SQLite's")
async def test_the_direct_connection_never_waits_for_a_lock(demo):
    with embedded.on_event_loop():
        await Person.raw("SELECT 1 AS one")
    resources = embedded.EmbeddedSQLiteEngine._loop_resources(database_engine())
    assert resources.direct.execute("PRAGMA busy_timeout").fetchone()[0] == 0


def database_engine() -> embedded.EmbeddedSQLiteEngine:
    return Person._meta.db


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's converters")
async def test_integer_columns_are_read_as_sqlite_gives_them(demo):
    """No converter for INTEGER: ids, versions and foreign keys are SQLite's own ints, also where a
    program stored a float with an integral value (the INTEGER affinity keeps it as the integer)."""
    assert "INTEGER" not in sqlite3.converters
    marie = (await Person.select(Person.id).where(Person.username == "marie.dubois").first())["id"]
    rows = await CareerBreakRequest.raw(
        "SELECT id, version, worker FROM career_break_request WHERE worker = {}", marie)
    assert rows and all(type(value) is int for row in rows for value in row.values())
    await CareerBreakRequest.raw("UPDATE career_break_request SET version = 7.0 WHERE id = {}", rows[0]["id"])
    with embedded.on_event_loop():  # the direct connection of the event loop's thread, then the pool's
        direct = await CareerBreakRequest.raw("SELECT version FROM career_break_request WHERE id = {}",
                                              rows[0]["id"])
    pooled = await CareerBreakRequest.select(CareerBreakRequest.version).where(
        CareerBreakRequest.id == rows[0]["id"]).first()
    assert direct == [{"version": 7}] and type(direct[0]["version"]) is int
    assert pooled == {"version": 7} and type(pooled["version"]) is int


def test_the_converters_give_piccolos_values():
    assert embedded._date_out(b"2025-04-02") == convert_date_out(b"2025-04-02")
    for value in (b"2025-03-10 10:00:00+00:00", b"2025-03-10 10:00:00.123456+00:00", b"2025-03-10 10:00:00",
                  b"2025-03-10 12:00:00+02:00"):
        ours, piccolos = embedded._timestamptz_out(value), convert_timestamptz_out(value)
        assert (ours, ours.tzinfo, ours.utcoffset()) == (piccolos, piccolos.tzinfo, piccolos.utcoffset())


# -- the template engine: the same HTML as stock Jinja --------------------------------------------


def stock_environment():
    """Guichet's environment with Jinja's own context, template class and `_` put back."""
    environment = make_environment(template_globals())
    environment.context_class = Context
    environment.template_class = JinjaTemplate
    environment.globals["_"] = ext._gettext_alias
    return environment


class FakeRequest:
    """What the layout reads of a request."""

    class url:  # noqa: N801 - the attribute's name
        path = "/interruption-de-carriere/dossier"
        query = "a=<b>&c"

    scope: dict = {}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
async def test_the_dossier_renders_exactly_as_with_stock_jinja(demo, app, language):
    marie = await person_id(MARIE)
    summaries = await requests_of(marie)
    context = {"active": "dossier", "requests": summaries, "request": FakeRequest(),
               "history": await events_of([summary.id for summary in summaries])}
    pages = []
    for environment in (make_environment(template_globals()), stock_environment()):
        environment.globals["csrf_token"] = lambda: "token"
        environment.globals["url_for"] = template_url_for(app)  # the application's addresses
        i18n.activate(language)
        pages.append(environment.get_template("careerbreak/dossier.html").render(context))
    i18n.activate("fr")
    assert pages[0] == pages[1]
    assert "Les Tilleuls SRL" in pages[0] and "a%3D%3Cb%3E" in pages[0]


SOURCES = [
    # Translations with and without variables, escaped variables, "%%", Markup kept as it is.
    '{{ _("Mon dossier") }}|{{ _("%(n)s < %(m)s", n="<b>", m=markup) }}|{{ _("100 %%") }}',
    '{% autoescape false %}{{ _("a <b> %(x)s", x="<i>") }}{{ "<raw>" }}{% endautoescape %}',
    # A macro takes the autoescaping of where it is called, not of where it was defined.
    '{% macro bold() %}<b>{% endmacro %}{{ bold() | e }}'
    '{% autoescape false %}{{ bold() | e }}{{ (bold() ~ "<i>") | e }}{% endautoescape %}',
    # Values of every kind: escaped text, numbers, None, Markup, objects with __html__, undefined-safe.
    '{{ text }}{{ number }}{{ nothing }}{{ markup }}{{ html_object }}{{ text ~ markup }}'
    '{{ items | join(", ") }}',
    # Calls: C methods, plain functions, filters, macros (with and without caller), loops.
    '{% macro box(x, y="y") %}[{{ x }}|{{ y }}]{% endmacro %}'
    '{% macro wrap(x) %}({{ x }}{{ caller() }}){% endmacro %}'
    '{{ box(text) }}{% call wrap("c") %}<in>{% endcall %}{{ day.isoformat() }}{{ day | date }}'
    '{% for item in items %}{{ loop.index }}{{ shout(item) }}{{ box(item, y=loop.last) }}{% endfor %}',
    # Imports without and with context, and the context a pass_context global sees inside a loop.
    '{% from "components/content.html" import notification_banner %}'
    '{% from "components/fields.html" import csrf_field with context %}'
    '{{ notification_banner("t", "<p>") }}{{ csrf_field() }}'
    '{% for x in [1, 2] %}{% set y = x * 2 %}{{ seen(y) }}{% endfor %}',
]


class HtmlObject:
    def __html__(self):
        return "<em>safe</em>"


@pytest.mark.parametrize("source", SOURCES)
def test_templates_render_exactly_as_with_stock_jinja(source):
    from jinja2 import pass_context

    @pass_context
    def seen(context, value):
        return f"{value}/{context.get('x')}/{context.get('y')}"

    context = {"text": "<script>&", "number": 3.5, "nothing": None, "markup": Markup("<b>ok</b>"),
               "html_object": HtmlObject(), "items": ["a<", "b"], "day": datetime.date(2025, 4, 2),
               "shout": str.upper, "seen": seen}
    results = []
    for environment in (make_environment(template_globals()), stock_environment()):
        environment.globals["csrf_token"] = lambda: "token"
        i18n.activate("nl")
        results.append(environment.from_string(source).render(context))
    i18n.activate("fr")
    assert results[0] == results[1]


def test_a_date_is_formatted_in_the_current_language_every_time():
    day = datetime.date(2025, 4, 2)
    moment = datetime.datetime(2025, 4, 2, 23, 30, tzinfo=datetime.timezone.utc)
    results = {}
    for language in ("fr", "de", "fr", "nl", "en"):
        i18n.activate(language)
        results[language] = (i18n.format_date(day), i18n.format_date(moment), i18n.format_date(day, "long"))
    i18n.activate("fr")
    assert results["fr"] == ("02/04/2025", "02/04/2025", "2 avril 2025")
    assert results["de"][0] == "02.04.2025" and results["de"][2] == "2. April 2025"
    assert results["nl"][2] == "2 april 2025"
    assert i18n.format_date(None) == i18n.format_date(datetime.date.today())


# -- the CSRF token ----------------------------------------------------------------------------------


def test_the_csrf_token_is_bound_to_the_session_and_the_secret(monkeypatch):
    first, second = csrf._sign("session", "a" * 64), csrf._sign("session", "b" * 64)
    assert first != second and first == csrf._sign("session", "a" * 64)
    assert csrf._sign("seed", "a" * 64) != first

    class OtherSettings:
        secret_key = "another-secret-key-that-is-long-enough-0123456789"

    monkeypatch.setattr(csrf, "get_settings", lambda: OtherSettings)
    assert csrf._sign("session", "a" * 64) not in (first, second)


def test_a_number_is_formatted_in_the_current_language_every_time():
    results = {}
    for language in ("fr", "en", "fr", "de"):
        i18n.activate(language)
        results[language] = (i18n.format_number(1234567), i18n.format_number(1.5))
    i18n.activate("fr")
    assert results["fr"][0] == "1\u202f234\u202f567" and results["fr"][1] == "1,5"
    assert results["en"] == results["de"] == ("1.234.567", "1,5")  # en_BE writes numbers as in Belgium


# -- kept fragments: a request's card is rendered once per request, history and language ----------


async def test_a_kept_card_is_the_card_rendered_afresh_and_follows_its_request(demo, app):
    from app.web.fragments import FRAGMENTS

    marie = await person_id(MARIE)
    environment = make_environment(template_globals())
    environment.globals["csrf_token"] = lambda: "token"
    environment.globals["url_for"] = template_url_for(app)  # the application's addresses

    async def dossier() -> str:
        summaries = await requests_of(marie)
        context = {"active": "dossier", "requests": summaries, "request": FakeRequest(),
                   "history": await events_of([summary.id for summary in summaries])}
        return environment.get_template("careerbreak/dossier.html").render(context)

    FRAGMENTS.clear()
    fresh = await dossier()
    assert len(FRAGMENTS) == len(await requests_of(marie)) == 3
    assert await dossier() == fresh  # every card from FRAGMENTS now
    i18n.activate("nl")
    try:
        dutch = await dossier()
        assert "Mijn dossier" in dutch and "Verlof voor medische bijstand" in dutch
        assert len(FRAGMENTS) == 6  # the cards of each language
    finally:
        i18n.activate("fr")

    waiting = next(summary for summary in await requests_of(marie)
                   if summary.state is RequestState.WAITING_FOR_WORKER)
    async with transaction():
        await move_request(waiting.id, waiting.version, RequestState.CANCELLED,
                           at=datetime.datetime(2025, 3, 12, 9, 0, tzinfo=datetime.timezone.utc))
    changed = await dossier()
    assert changed != fresh
    assert changed.count("Annulée") == fresh.count("Annulée") + 2  # its state, and its history's last step
    assert "12/03/2025" in changed
