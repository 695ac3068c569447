"""The bench's P5 phase (bench/scale.py, bench/growth.py) without timing anything.

What P5 decides from the figures (a page's growth, when it is a flag and when the machine's drift),
that the rows the bench adds look like the app's own and leave the measured users' data alone, and
that with many rows in PostgreSQL the pages' queries read through indexes (the plans, not the
time). The growth and the plans need PostgreSQL (GUICHET_TEST_DATABASE=postgres): on SQLite they are
skipped, the rest runs.
"""

from __future__ import annotations

import datetime
import json

import pytest
from stdnum.be import vat

from app.careerbreak.services import create_request, NewRequest
from app.careerbreak.tables import CareerBreakRequest
from app.access.guards import ActingFor
from app.employer.services import Filters, consultation
from app.registry.services import (
    EnterpriseRecord, PersonRecord, ensure_employment, ensure_enterprise, ensure_person,
)
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.employer import niss_problem
from app.rules.request_states import RequestState
from app.rules.tickets import parse_ticket_number
from bench.growth import HISTORIES, Size, grow
from bench.load import LoadResult, LoadSettings
from bench.scale import MAX_GROWTH, best_round, compare, scale_settings
from bench.seed import TILLEULS_STAFF, staff_niss
from tests.conftest import DATABASE
from tests.support.queries import count_queries

ON_POSTGRES = DATABASE.kind == "postgres"
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="the P5 phase runs on PostgreSQL")


def load(p50: float, mean: float | None = None, *, status_errors: int = 0,
         size: float = 5000.0) -> LoadResult:
    return LoadResult(requests=1000, seconds=3.0, requests_per_second=333.3, p50_ms=p50,
                      p90_ms=p50 * 1.5, p99_ms=p50 * 3, mean_ms=mean or p50 * 1.1, max_ms=p50 * 5,
                      non_2xx_3xx=status_errors, socket_errors=0, socket_error_detail={},
                      bytes_per_response=size)


# -- what P5 decides from the figures -------------------------------------------------------------


def test_a_page_as_fast_with_a_million_requests_meets_p5():
    growth = compare("mon-dossier", "/dossier", load(6.0), load(6.3), 10_000, 9_800)
    assert growth.p50_ratio == pytest.approx(1.05)
    assert growth.flags == () and growth.warnings == ()


def test_a_page_more_than_one_and_a_half_times_slower_is_a_flag():
    growth = compare("consultation", "/c", load(20.0, 22.0), load(31.0, 40.0), 10_000, 10_000)
    assert growth.p50_ratio == pytest.approx(1.55)
    assert growth.mean_ratio == pytest.approx(40 / 22)
    assert growth.flags == ("P5: p50 20.00 → 31.00 ms (×1.55) > ×1.5 with 1,000,000 requests",)


def test_exactly_one_and_a_half_times_is_within_the_budget():
    assert compare("c", "/c", load(20.0), load(30.0), 10_000, 10_000).flags == ()


def test_a_page_that_slowed_down_with_the_whole_machine_is_a_warning_not_a_flag():
    # The hello endpoint, which reads no table, served 40 % fewer requests in the second step.
    growth = compare("consultation", "/c", load(20.0), load(34.0), 10_000, 6_000)
    assert growth.hello_slowdown == pytest.approx(10_000 / 6_000)
    assert growth.adjusted_ratio == pytest.approx(1.7 / (10_000 / 6_000))
    assert growth.flags == ()
    assert "the hello endpoint slowed down ×1.67" in growth.warnings[0]


def test_a_page_slower_than_the_machine_explains_is_still_a_flag():
    growth = compare("consultation", "/c", load(20.0), load(60.0), 10_000, 8_000)
    assert growth.adjusted_ratio == pytest.approx(3.0 / 1.25)
    assert growth.flags and growth.flags[0].startswith("P5: p50 20.00 → 60.00 ms (×3.00)")


def test_a_page_that_only_kept_up_because_the_machine_sped_up_is_a_warning():
    growth = compare("consultation", "/c", load(20.0), load(29.0), 6_000, 10_000)
    assert growth.flags == ()
    assert "sped up" in growth.warnings[0]


def test_a_page_not_measured_or_failing_under_load_is_a_flag():
    missing = compare("mon-dossier", "/d", load(6.0), None, 10_000, 10_000,
                      errors=(None, "GET /d answered 500"))
    assert missing.p50_ratio is None
    assert missing.flags == ("not measured with 1,000,000 requests: GET /d answered 500",)
    failing = compare("mon-dossier", "/d", load(6.0, status_errors=3), load(6.0), 10_000, 10_000)
    assert failing.flags == ("3 responses outside 2xx/3xx and 0 socket errors under load with "
                             "1,000 requests",)


def test_a_page_that_changed_between_the_steps_is_a_warning():
    assert compare("c", "/c", load(20.0, size=5626.0), load(20.0, size=5640.0), 1, 1).warnings == ()
    changed = compare("c", "/c", load(20.0, size=5626.0), load(20.0, size=1200.0), 1, 1)
    assert changed.flags == ()
    assert changed.warnings == ("the response is not the same page with 1,000,000 requests "
                                "(5,626 → 1,200 bytes): the measured user's data should not change "
                                "between the steps",)


def test_the_best_round_is_the_fastest_unless_one_failed():
    rounds = [load(7.0), load(5.5), load(6.0)]
    assert best_round(rounds) is rounds[1]
    failed = [load(5.0), load(9.0, status_errors=1)]
    assert best_round(failed) is failed[1]
    assert best_round([]) is None


def test_the_phase_loads_with_a_few_connections_in_short_rounds_after_a_warm_up():
    assert scale_settings(LoadSettings(5, 1, 16, 2)) == LoadSettings(3, 2, 4, 1)
    assert scale_settings(LoadSettings(1, 0, 2, 1)) == LoadSettings(1, 2, 2, 1)
    assert MAX_GROWTH == 1.5


def test_the_staff_the_seed_gives_les_tilleuls_have_valid_distinct_niss():
    today = datetime.date(2026, 11, 22)
    numbers = [staff_niss(number) for number in range(TILLEULS_STAFF)]
    assert len(set(numbers)) == TILLEULS_STAFF
    assert [niss for niss in numbers if niss_problem(niss, today) is not None] == []


# -- the rows the bench adds (PostgreSQL) ---------------------------------------------------------


async def fetch(sql: str, *args) -> list:
    import asyncpg

    connection = await asyncpg.connect(DATABASE.url)
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


async def a_measured_citizen() -> tuple[int, int, int]:
    """A citizen and her enterprise, with one request, before the bench adds anyone."""
    enterprise = await ensure_enterprise(EnterpriseRecord("0412.345.614", "Les Tilleuls SRL", False, 42,
                                                          "330"))
    person = await ensure_person(PersonRecord("88041200259", "Marie", "Dubois", "marie.dubois", "fr"))
    await ensure_employment(person, enterprise, "worker")
    request = await create_request(NewRequest(
        worker_id=person, enterprise_id=enterprise, kind=LeaveKind.PARENTAL, form=LeaveForm.ONE_FIFTH,
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 3, 31)))
    return person, enterprise, request


@needs_postgres
async def test_the_added_rows_look_like_the_apps_own(database):
    person, enterprise, request = await a_measured_citizen()
    counts = await grow(DATABASE.url, Size(requests=400, citizens=41, enterprises=6))
    assert (counts.requests, counts.citizens, counts.enterprises, counts.employments) == (400, 41, 6, 41)
    assert 2 * 399 < counts.events - 2 < 4 * 399

    today = datetime.date.today()
    people = await fetch("SELECT niss, username FROM person WHERE id <> $1", person)
    assert [row["niss"] for row in people if niss_problem(row["niss"], today) is not None] == []
    assert all(row["username"].startswith("citoyen.") for row in people)
    numbers = await fetch("SELECT enterprise_number FROM enterprise WHERE id <> $1", enterprise)
    assert all(vat.is_valid(row["enterprise_number"]) for row in numbers)

    added = await fetch("SELECT * FROM career_break_request WHERE id <> $1", request)
    for row in added:
        state = RequestState(row["state"])
        kind = LeaveKind(row["kind"])
        LeaveForm(row["form"])
        assert (row["care_motive"] is not None) == (kind is LeaveKind.TIME_CREDIT_CARE)
        if row["care_motive"]:
            CareMotive(row["care_motive"])
        assert parse_ticket_number(row["employer_ticket"]) == row["employer_ticket"]
        sent = state in (RequestState.WORKER_PART_SENT, RequestState.DECIDED)
        assert (row["ticket_number"] is not None) == sent
        assert (row["worker_part"] is not None) == sent
        assert (row["cancellation_ticket"] is not None) == (state is RequestState.CANCELLED)
        assert (row["decided_on"] is not None) == (state is RequestState.DECIDED)
        assert row["start_date"] <= row["end_date"]
        assert row["created_at"] <= row["updated_at"]
    assert {row["state"] for row in added} == set(HISTORIES)

    # Each request's enterprise is its worker's employer.
    strangers = await fetch("""
        SELECT r.id FROM career_break_request r
        WHERE NOT EXISTS (SELECT 1 FROM employment m WHERE m.person = r.worker
                          AND m.enterprise = r.enterprise AND m.role = 'worker')""")
    assert strangers == []

    # Each history is the one its state implies, in order, with the tickets it gave.
    events = await fetch("""
        SELECT r.id, r.state, r.employer_ticket, r.ticket_number, r.cancellation_ticket,
               array_agg(e.state ORDER BY e.at, e.id) AS states,
               array_agg(e.ticket_number ORDER BY e.at, e.id) AS tickets
        FROM career_break_request r JOIN career_break_request_event e ON e.request = r.id
        WHERE r.id <> $1 GROUP BY r.id""", request)
    assert len(events) == len(added)
    for row in events:
        expected = HISTORIES[row["state"]]
        assert row["states"] == [state for state, _, _ in expected]
        given = {"employer": row["employer_ticket"], "worker": row["ticket_number"],
                 "cancellation": row["cancellation_ticket"], None: None}
        assert row["tickets"] == [given[ticket] for _, _, ticket in expected]


@needs_postgres
async def test_growing_again_adds_only_others_rows(database):
    person, enterprise, request = await a_measured_citizen()
    await grow(DATABASE.url, Size(requests=200, citizens=21, enterprises=3))
    before = await fetch("SELECT id, worker, enterprise, state, employer_ticket FROM career_break_request "
                         "ORDER BY id")
    counts = await grow(DATABASE.url, Size(requests=900, citizens=61, enterprises=5))
    assert (counts.requests, counts.citizens, counts.enterprises) == (900, 61, 5)
    after = await fetch("SELECT id, worker, enterprise, state, employer_ticket FROM career_break_request "
                        "ORDER BY id")
    assert after[:len(before)] == before
    # The measured citizen and her enterprise got nothing.
    mine = await fetch("SELECT id FROM career_break_request WHERE worker = $1 OR enterprise = $2",
                       person, enterprise)
    assert [row["id"] for row in mine] == [request]
    assert len({row["employer_ticket"] for row in after}) == 900


# -- the plans with many rows (PostgreSQL) --------------------------------------------------------


async def plan_of(sql: str) -> list[dict]:
    """The plan's nodes, depth first."""
    rows = await fetch(f"EXPLAIN (FORMAT JSON) {sql}")
    nodes, todo = [], [json.loads(rows[0][0])[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo += node.get("Plans", [])
    return nodes


def reads(plan: list[dict], table: str) -> list[str]:
    """How the plan reads `table`: the scans' node types, with their index."""
    return [" ".join(filter(None, (node["Node Type"], node.get("Index Name"))))
            for node in plan if node.get("Relation Name") == table]


@needs_postgres
async def test_the_consultation_reads_one_page_through_the_keyset_index(database):
    await grow(DATABASE.url, Size(requests=30_000, citizens=3_000, enterprises=60))
    row = (await fetch("SELECT id, enterprise_number, name FROM enterprise ORDER BY id LIMIT 1"))[0]
    acting = ActingFor(person_id=1, niss="83022101446", enterprise_id=row["id"],
                            enterprise_number=row["enterprise_number"], enterprise_name=row["name"],
                            public_sector=False, workers_under_contract=50, commission_paritaire="200")
    with count_queries(database) as statements:
        first = await consultation(acting, Filters())
        await consultation(acting, Filters(), after=first.next_after)
    assert first.next_after is not None
    assert len(statements) == 2
    for sql in statements:
        plan = await plan_of(sql)
        # One backward range of the index, stopped by the LIMIT: no sort of the enterprise's rows.
        assert reads(plan, "career_break_request") == [
            "Index Scan career_break_request_enterprise_id"]
        assert plan[0]["Node Type"] == "Limit"
        assert "Sort" not in [node["Node Type"] for node in plan]
        assert reads(plan, "person") == ["Index Scan person_pkey"]


@needs_postgres
async def test_mon_dossier_reads_the_citizens_rows_through_indexes(database):
    from app.careerbreak.services import events_of, requests_of

    person, _, _ = await a_measured_citizen()
    await grow(DATABASE.url, Size(requests=30_000, citizens=3_000, enterprises=60))
    with count_queries(database) as statements:
        requests = await requests_of(person)
        await events_of([summary.id for summary in requests])
    assert len(requests) == 1 and len(statements) == 2
    # The index of the citizen's rows, then of their requests' history (directly or as a bitmap).
    for sql, table, index in zip(statements, ("career_break_request", "career_break_request_event"),
                                 ("career_break_request_worker", "career_break_request_event_request")):
        plan = await plan_of(sql)
        assert "Seq Scan" not in reads(plan, table)
        assert index in [node.get("Index Name") for node in plan]


async def test_the_keyset_index_is_in_the_schema(database):
    if ON_POSTGRES:
        rows = await fetch("SELECT indexdef FROM pg_indexes WHERE indexname = "
                           "'career_break_request_enterprise_id'")
        assert [row["indexdef"] for row in rows] == [
            "CREATE INDEX career_break_request_enterprise_id ON public.career_break_request "
            "USING btree (enterprise, id)"]
    else:
        rows = await CareerBreakRequest.raw("SELECT sql FROM sqlite_master WHERE name = "
                                            "'career_break_request_enterprise_id'")
        assert rows == [{"sql": "CREATE INDEX career_break_request_enterprise_id ON "
                                "career_break_request (enterprise, id)"}]
