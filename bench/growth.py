"""Many other citizens, enterprises and requests, made by PostgreSQL itself (the bench's P5 phase).

`grow(url, size)` adds rows until the tables hold `size`: enterprises, citizens (a `person` row and
a `worker` employment at one of the added enterprises each) and requests (each with the 2 to 4
history rows its state implies), with `generate_series` and `INSERT ... SELECT`, then runs
`VACUUM (ANALYZE)` so that the planner knows the new sizes and no autovacuum starts in the middle of
a measurement. It never touches the rows already there: the demo data and what bench/seed.py made
(the measured users' own data) stay as they were.

The rows look like real ones: valid NISS and enterprise numbers (the mod-97 check digits), ticket
numbers in the app's format (`K7F-4TR-9XW`), the app's kinds, forms, care motives and states, a
worker's part for the requests that have one, filing dates spread over six years, and each
request's enterprise is its worker's employer. Every value derives from the row's number (the dates
from the time of the run), so two runs make the same data. The added people are `citoyen.<n>`, their
enterprises are private ones numbered from 0700.000.0xx (no demo or seed row uses those numbers):
nobody has a key to sign in as them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.rules.tickets import TICKET_ALPHABET

REQUEST_CHUNK = 100_000  # requests per statement: progress is printed after each one
CITIZEN_PREFIX = "citoyen."
FILING_YEARS = 6  # requests are filed over the six years before now
SECONDS_PER_YEAR = 365 * 86_400
# A step of the Weyl sequence spreading the filing times over the six years (coprime with their
# number of seconds, 2⁸·3⁴·5³·73, and about 0.618 of it): consecutive requests are years apart.
FILING_STEP = 116_942_011
# Request n's tickets are numbers 3n, 3n + 1 and 3n + 2 times this, modulo 30⁹: a bijection (it is
# coprime with 30), so the tickets are distinct without looking alike. (3n + 2) times it stays within
# a bigint up to 1.9 million requests.
TICKET_MULTIPLIER = 1_618_033_988_749
GROWN_TABLES = ("enterprise", "person", "employment", "career_break_request",
                "career_break_request_event")

# Kinds of the private sector filed today (the time credit without motive was abolished in 2017;
# the added enterprises are private ones).
KINDS = tuple(kind.value for kind in LeaveKind if kind not in (
    LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE, LeaveKind.PUBLIC_SECTOR_CAREER_BREAK))
FORMS = tuple(form.value for form in LeaveForm)
MOTIVES = tuple(motive.value for motive in CareMotive)
FIRST_NAMES = ("Marie", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Olivia", "Jules", "Elise",
               "Victor", "Lotte", "Daan", "Fien", "Wout", "Anna", "Lukas", "Sarah", "Mohamed",
               "Ines", "Adam", "Camille", "Hugo", "Julie", "Thomas")
LAST_NAMES = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
              "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent",
              "Leclercq", "Renard", "Mathieu", "Lejeune", "Schmitz", "Kessler", "El Amrani",
              "Nguyen", "Rossi")
CITIES = (("1000", "Bruxelles"), ("2000", "Antwerpen"), ("9000", "Gent"), ("4000", "Liège"),
          ("5000", "Namur"), ("6000", "Charleroi"), ("8000", "Brugge"), ("3000", "Leuven"),
          ("4700", "Eupen"), ("7000", "Mons"))
JOINT_COMMITTEES = ("200", "330", "226", "124", "302", "311", "140", "118")

# What each state's history holds: (the request's state, the event's state, days after filing,
# the ticket the event shows). The app writes the first two at filing (create_request), then one
# per move (move_request).
WAITING, SENT = RequestState.WAITING_FOR_WORKER.value, RequestState.WORKER_PART_SENT.value
DECIDED, CANCELLED = RequestState.DECIDED.value, RequestState.CANCELLED.value
SUBMITTED = RequestState.EMPLOYER_PART_SUBMITTED.value
HISTORIES = {
    WAITING: ((SUBMITTED, 0, "employer"), (WAITING, 0, None)),
    SENT: ((SUBMITTED, 0, "employer"), (WAITING, 0, None), (SENT, 10, "worker")),
    DECIDED: ((SUBMITTED, 0, "employer"), (WAITING, 0, None), (SENT, 10, "worker"),
              (DECIDED, 40, None)),
    CANCELLED: ((SUBMITTED, 0, "employer"), (WAITING, 0, None), (CANCELLED, 7, "cancellation")),
}
# The fate of request n is FATES[n // 3 % 10]: 3 in 10 waiting, 3 sent, 3 decided, 1 cancelled.
FATES = (WAITING,) * 3 + (SENT,) * 3 + (DECIDED,) * 3 + (CANCELLED,)
VERSIONS = {WAITING: 1, SENT: 2, DECIDED: 3, CANCELLED: 2}


@dataclass(frozen=True)
class Size:
    """How many rows the tables hold in all once grown."""

    requests: int
    citizens: int  # rows of `person`
    enterprises: int


@dataclass(frozen=True)
class Counts:
    enterprises: int
    citizens: int
    employments: int
    requests: int
    events: int

    def describe(self) -> str:
        return (f"{self.requests:,} requests ({self.events:,} history rows), "
                f"{self.citizens:,} citizens, {self.enterprises:,} enterprises")


def _text_array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


def _pick(values: tuple[str, ...], number: str) -> str:
    """The SQL of values[number % len(values)] (PostgreSQL arrays count from 1)."""
    return f"({_text_array(values)})[({number}) % {len(values)} + 1]"


def ticket_sql(number: str) -> str:
    """The SQL of the ticket of `number` (0 ≤ number < 1.9 million × 3): the base-30 digits of
    number × TICKET_MULTIPLIER mod 30⁹, in the app's alphabet, grouped by three."""
    scrambled = f"(({number})::bigint * {TICKET_MULTIPLIER} % {30 ** 9})"
    digits = [f"substr('{TICKET_ALPHABET}', ({scrambled} / {30 ** power} % 30)::int + 1, 1)"
              for power in reversed(range(9))]
    return " || '-' || ".join(" || ".join(digits[start:start + 3]) for start in (0, 3, 6))


# Citizen k: born on day k mod 14,600 after 1 January 1960 (so before 2000: the check digits are
# 97 − (the first nine digits mod 97)), sequence number 501 + k div 14,600 (the demo people and
# the seed's use lower ones).
_NEW_CITIZENS = f"""
WITH numbered AS (
    SELECT k, to_char(DATE '1960-01-01' + (k % 14600)::int, 'YYMMDD')
              || lpad((501 + k / 14600)::text, 3, '0') AS first_nine
    FROM generate_series($1::bigint, $2::bigint - 1) AS k
)
INSERT INTO person (niss, first_name, last_name, username, language, email)
SELECT first_nine || lpad((97 - first_nine::bigint % 97)::text, 2, '0'),
       {_pick(FIRST_NAMES, "k")}, {_pick(LAST_NAMES, "k / 7")},
       '{CITIZEN_PREFIX}' || k,
       (ARRAY['fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'nl', 'nl', 'nl', 'de'])[k % 10 + 1],
       CASE WHEN k % 4 = 0 THEN NULL ELSE '{CITIZEN_PREFIX}' || k || '@example.be' END
FROM numbered
ORDER BY k
"""

# Enterprise k: number 0 + (7,000,000 + k) on seven digits + 97 − (that mod 97).
_NEW_ENTERPRISES = f"""
INSERT INTO enterprise (enterprise_number, name, public_sector, workers_under_contract,
                        commission_paritaire, onss_number, street, postcode, city)
SELECT '0' || lpad((7000000 + k)::text, 7, '0') || lpad((97 - (7000000 + k) % 97)::text, 2, '0'),
       {_pick(LAST_NAMES, "k")} || ' & ' || {_pick(LAST_NAMES, "k / 25 + 3")}
           || (ARRAY[' SRL', ' SA', ' BV', ' NV', ' SC'])[k % 5 + 1] || ' ' || k,
       false,
       5 + (k * 37) % 400,
       {_pick(JOINT_COMMITTEES, "k")},
       lpad((4000000 + k)::text, 7, '0') || '-' || lpad((k % 97)::text, 2, '0'),
       'Rue de l''Industrie ' || (1 + k % 200),
       (ARRAY[{", ".join(f"'{code}'" for code, _ in CITIES)}])[k % {len(CITIES)} + 1],
       (ARRAY[{", ".join("'" + city.replace("'", "''") + "'" for _, city in CITIES)}])[k % {len(CITIES)} + 1]
FROM generate_series($1::bigint, $2::bigint - 1) AS k
ORDER BY k
"""

# The added enterprises and citizens, numbered from 0 in the order they were added: the added
# citizens are spread over the added enterprises, the requests over the added citizens.
_ADDED_ENTERPRISES = """
DROP TABLE IF EXISTS bench_enterprise;
CREATE TEMPORARY TABLE bench_enterprise AS
SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS k, id
FROM enterprise WHERE enterprise_number LIKE '07%'
"""
_NEW_EMPLOYMENTS = f"""
INSERT INTO employment (person, enterprise, role)
SELECT p.id, e.id, 'worker'
FROM person p
JOIN bench_enterprise e ON e.k = p.id % (SELECT count(*) FROM bench_enterprise)
WHERE p.username LIKE '{CITIZEN_PREFIX}%'
  AND NOT EXISTS (SELECT 1 FROM employment m WHERE m.person = p.id)
ORDER BY p.id
"""
_ADDED_CITIZENS = f"""
DROP TABLE IF EXISTS bench_citizen;
CREATE TEMPORARY TABLE bench_citizen AS
SELECT (row_number() OVER (ORDER BY p.id) - 1)::bigint AS k, p.id AS person,
       m.enterprise, p.language, p.last_name
FROM person p JOIN employment m ON m.person = p.id AND m.role = 'worker'
WHERE p.username LIKE '{CITIZEN_PREFIX}%'
"""


def _history_values() -> str:
    rows = []
    for state, steps in HISTORIES.items():
        for position, (event_state, days, ticket) in enumerate(steps):
            rows.append(f"('{state}', {position}, '{event_state}', {days}, "
                        f"{'NULL' if ticket is None else repr(ticket)})")
    return ",\n        ".join(rows)


# Request n (over all the requests ever added): the citizen n mod (added citizens), filed at a time
# of the six years before $4 that the Weyl step spreads, and the fate FATES[n div 3 mod 10].
_FATE = f"({_text_array(FATES)})[(n / 3) % 10 + 1]"
_NEW_REQUESTS = f"""
WITH source AS (
    SELECT n, c.person, c.enterprise, c.language, c.last_name,
           {_pick(KINDS, "n")} AS kind,
           {_FATE} AS state,
           $4::timestamptz - make_interval(secs => (n * {FILING_STEP}) % {FILING_YEARS * SECONDS_PER_YEAR})
               AS filed_at
    FROM generate_series($1::bigint, $2::bigint - 1) AS n
    JOIN bench_citizen c ON c.k = n % $3
),
added AS (
    INSERT INTO career_break_request (
        worker, enterprise, kind, form, care_motive, start_date, end_date, work_regime, language,
        state, version, subject_name, subject_birth_date, worker_part, employer_ticket,
        ticket_number, cancellation_ticket, decided_on, created_at, updated_at)
    SELECT person, enterprise, kind,
           {_pick(FORMS, "n / 8")},
           CASE WHEN kind = '{LeaveKind.TIME_CREDIT_CARE.value}' THEN {_pick(MOTIVES, "n / 8")} END,
           filed_at::date + (30 + n % 90)::int,
           filed_at::date + (30 + n % 90)::int + (29 + (n / 5) % 335)::int,
           (ARRAY['1', '1', '1', '4/5', '3/4'])[n % 5 + 1],
           language, state,
           ({_text_array(tuple(str(VERSIONS[fate]) for fate in FATES))})[(n / 3) % 10 + 1]::int,
           CASE WHEN state IN ('{SENT}', '{DECIDED}') AND kind IN (
                    '{LeaveKind.PARENTAL.value}', '{LeaveKind.MEDICAL_ASSISTANCE.value}',
                    '{LeaveKind.PALLIATIVE_CARE.value}')
                THEN {_pick(FIRST_NAMES, "n / 3")} || ' ' || last_name END,
           CASE WHEN state IN ('{SENT}', '{DECIDED}') AND kind = '{LeaveKind.PARENTAL.value}'
                THEN filed_at::date - (400 + n % 3000)::int END,
           CASE WHEN state IN ('{SENT}', '{DECIDED}')
                THEN '{{"domicile_country": "BE", "household": "cohabitant"}}'::json END,
           {ticket_sql("3 * n")},
           CASE WHEN state IN ('{SENT}', '{DECIDED}') THEN {ticket_sql("3 * n + 1")} END,
           CASE WHEN state = '{CANCELLED}' THEN {ticket_sql("3 * n + 2")} END,
           CASE WHEN state = '{DECIDED}' THEN least(filed_at + interval '40 days', $4)::date END,
           filed_at,
           least(filed_at + make_interval(days => CASE state WHEN '{SENT}' THEN 10
                 WHEN '{DECIDED}' THEN 40 WHEN '{CANCELLED}' THEN 7 ELSE 0 END), $4)
    FROM source
    ORDER BY n
    RETURNING id, state, created_at, employer_ticket, ticket_number, cancellation_ticket
)
INSERT INTO career_break_request_event (request, state, "at", ticket_number)
SELECT added.id, step.event_state,
       least(added.created_at + make_interval(days => step.days), $4),
       CASE step.ticket WHEN 'employer' THEN added.employer_ticket
                        WHEN 'worker' THEN added.ticket_number
                        WHEN 'cancellation' THEN added.cancellation_ticket END
FROM added
JOIN (VALUES
        {_history_values()}
     ) AS step(request_state, position, event_state, days, ticket)
  ON step.request_state = added.state
ORDER BY added.id, step.position
"""

_COUNTS = """
SELECT (SELECT count(*) FROM enterprise) AS enterprises,
       (SELECT count(*) FROM person) AS citizens,
       (SELECT count(*) FROM employment) AS employments,
       (SELECT count(*) FROM career_break_request) AS requests,
       (SELECT count(*) FROM career_break_request_event) AS events
"""


async def counts(connection) -> Counts:
    row = await connection.fetchrow(_COUNTS)
    return Counts(**dict(row))


async def grow(url: str, size: Size, progress: Callable[[str], None] = lambda _: None) -> Counts:
    """Adds enterprises, citizens and requests until the tables hold `size`; returns the counts."""
    import asyncpg

    started = time.monotonic()
    connection = await asyncpg.connect(url)
    try:
        # The bench's own database: a crash may lose the last commits, nobody else waits on them.
        await connection.execute("SET synchronous_commit = off; SET work_mem = '64MB'; "
                                 "SET maintenance_work_mem = '256MB'")
        before = await counts(connection)
        now = await connection.fetchval("SELECT now()")
        if size.enterprises > before.enterprises:
            await connection.execute(_NEW_ENTERPRISES, before.enterprises, size.enterprises)
        if size.citizens > before.citizens:
            await connection.execute(_NEW_CITIZENS, before.citizens, size.citizens)
        await connection.execute(_ADDED_ENTERPRISES)
        if await connection.fetchval("SELECT count(*) FROM bench_enterprise") == 0:
            raise ValueError("grow(): no enterprise added to employ the added citizens")
        await connection.execute(_NEW_EMPLOYMENTS)
        if size.requests > before.requests:
            await connection.execute(_ADDED_CITIZENS)
            await connection.execute("ALTER TABLE bench_citizen ADD PRIMARY KEY (k); "
                                     "ANALYZE bench_citizen")
            citizens = await connection.fetchval("SELECT count(*) FROM bench_citizen")
            if citizens == 0:
                raise ValueError("grow(): no added citizen to file the added requests")
            progress(f"  {size.citizens - before.citizens:,} citizens and "
                     f"{size.enterprises - before.enterprises:,} enterprises added in "
                     f"{time.monotonic() - started:.0f} s; adding "
                     f"{size.requests - before.requests:,} requests")
            for start in range(before.requests, size.requests, REQUEST_CHUNK):
                end = min(start + REQUEST_CHUNK, size.requests)
                await connection.execute(_NEW_REQUESTS, start, end, citizens, now)
                if size.requests - before.requests > REQUEST_CHUNK:
                    progress(f"  {end:,} / {size.requests:,} requests "
                             f"({time.monotonic() - started:.0f} s)")
        vacuum_started = time.monotonic()
        for table in GROWN_TABLES:
            await connection.execute(f"VACUUM (ANALYZE) {table}")
        after = await counts(connection)
        progress(f"  {after.describe()} ({time.monotonic() - started:.0f} s, VACUUM (ANALYZE) "
                 f"{time.monotonic() - vacuum_started:.0f} s of it)")
        return after
    finally:
        await connection.close()


def grow_to(url: str, size: Size, progress: Callable[[str], None] = lambda _: None) -> Counts:
    return asyncio.run(grow(url, size, progress))
