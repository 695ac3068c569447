"""R5: `kill -9` of the server in the middle of a burst of submissions loses none of what a ticket
promises, and a restart sends nothing twice.

The real server (`guichet serve`, one worker) runs on a fresh database of its own with the demo data.
Sophie Laurent prepares 20 employer's parts up to their confirmation (one session each: the wizard keeps
one request in progress per session), and Marie Dubois her part of 6 requests filed just before. Then
every confirmation is posted at once, each employer's confirmation three times (double clicks, R1),
and the server is killed with SIGKILL as soon as a few tickets have come back, while the others are
still being drawn. After a restart the outbox delivers what the dead server left (at start-up, then
when the claims of the dead server expire), and every request the database holds has, exactly once,
the form in the worker's e-Box and the acknowledgement in the enterprise's, at least one e-mail to the
worker, and for a worker's part sent, exactly once the acknowledgement of receipt in the worker's e-Box
and the notice in the enterprise's.

    GUICHET_TEST_DATABASE=sqlite .venv/bin/python -m pytest tests/test_crash_delivery.py -q -s
"""

from __future__ import annotations

import asyncio
import datetime
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from app.identity.keys.token import demo_card_code
from app.registry.demo import DEMO_PASSWORD
from tests.support.databases import provision, requested_kind

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "crash-test-secret-key-not-for-production-0123456789"
SOPHIE, MARIE = "sophie.laurent", "marie.dubois"
WORKERS = {"marie": "88041200259", "lena": "01091702266"}
REQUEST = "/entreprise/interruption-de-carriere/demande"
COMPLETION = "/interruption-de-carriere/completer"
FILINGS = 20  # employer's parts confirmed in the burst
REPEATS = 3  # each confirmation posted this many times at once
COMPLETIONS = 6  # worker's parts confirmed in the burst
KILL_AFTER = 6  # answers with a ticket before the kill
KILL_AMID = 4  # documents of the burst in the e-Boxes before the kill
START_TIMEOUT = 30.0
DRAIN_TIMEOUT = float(os.environ.get("GUICHET_CRASH_DRAIN_SECONDS", "45"))
PART = {  # Marie's part of a medical-assistance request (the patient is her father)
    "household": "cohabitant", "subject_name": "Paul Dubois",
    "subject_birth_date-day": "3", "subject_birth_date-month": "2", "subject_birth_date-year": "1950",
    "other_activities": "non", "domicile_country": "BE", "iban": "BE71 0961 2345 6769",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`guichet serve` as a subprocess on a free port of 127.0.0.1, on the test's database."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url, self.log_path = database_url, log_path
        self.log = log_path.open("a")
        self.process: subprocess.Popen | None = None
        self.url = ""

    def environment(self) -> dict[str, str]:
        return {**os.environ, "GUICHET_DATABASE_URL": self.database_url, "GUICHET_ENV": "acceptance",
                "GUICHET_SECRET_KEY": SECRET_KEY, "PYTHONUNBUFFERED": "1"}

    def command(self, *arguments: str) -> None:
        self.log.write(f"$ guichet {' '.join(arguments)}\n")
        self.log.flush()
        done = subprocess.run([sys.executable, "-m", "app.cli", *arguments], cwd=PROJECT_ROOT,
                              env=self.environment(), stdout=self.log, stderr=subprocess.STDOUT, timeout=120)
        assert done.returncode == 0, f"guichet {arguments} failed:\n{self.tail()}"

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log.write(f"$ guichet serve --port {port}\n")
        self.log.flush()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", "1", "--no-access-log"],
            cwd=PROJECT_ROOT, env=self.environment(), stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server exited:\n{self.tail()}"
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"the server did not start:\n{self.tail()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def tail(self, lines: int = 60) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# -- a browser without JavaScript ------------------------------------------------------------------------


class Browser:
    def __init__(self, base_url: str) -> None:
        self.client = httpx.AsyncClient(base_url=base_url, timeout=120)
        self.page: BeautifulSoup | None = None

    async def get(self, path: str) -> BeautifulSoup:
        response = await self.client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        self.page = BeautifulSoup(response.text, "html.parser")
        return self.page

    def field(self, name: str) -> str:
        return self.page.find("input", attrs={"name": name})["value"]

    async def post(self, path: str, data: dict[str, str], *, expect: str | None = None) -> str:
        response = await self.client.post(path, data={"_csrf_token": self.field("_csrf_token"), **data})
        assert response.status_code == 303, (path, response.status_code, response.text[:600])
        location = response.headers["location"]
        assert expect is None or location.split("#")[0].endswith(expect), (path, location)
        return location

    async def sign_in(self, username: str) -> None:
        """The token card's key: its codes can be typed again (a TOTP is accepted once per 30 s)."""
        await self.get("/identification/token/connexion")
        await self.post("/identification/token/connexion", {"username": username, "password": DEMO_PASSWORD})
        page = await self.get("/identification/token/code")
        label = page.find("label", attrs={"for": "code"}).get_text(strip=True)
        number = int(label.split("n°")[1].split()[0])
        await self.post("/identification/token/code", {"code": demo_card_code(username, number)})

    async def close(self) -> None:
        await self.client.aclose()


def month(index: int) -> tuple[datetime.date, datetime.date]:
    """The index-th month from January 2028: every request has a period of its own."""
    year, month_number = 2028 + index // 12, index % 12 + 1
    start = datetime.date(year, month_number, 1)
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def day_fields(name: str, value: datetime.date) -> dict[str, str]:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


async def prepare_filing(base_url: str, niss: str, period: int) -> Browser:
    """Sophie's own session, up to the confirmation page of a request for this worker."""
    browser = Browser(base_url)
    await browser.sign_in(SOPHIE)
    await browser.get(REQUEST)
    await browser.post(REQUEST, {"action": "continuer"}, expect="/entreprise")
    await browser.get(f"{REQUEST}/entreprise")
    await browser.post(f"{REQUEST}/entreprise", {}, expect="/travailleur")
    await browser.get(f"{REQUEST}/travailleur")
    await browser.post(f"{REQUEST}/travailleur", {"niss": niss, "statut": "employe", "commission_paritaire": "330",
                                                  "recherche": "", "action": "selectionner"})
    await browser.get(f"{REQUEST}/type")
    await browser.post(f"{REQUEST}/type", {"type": "assistance-medicale"}, expect="/conge")
    await browser.get(f"{REQUEST}/conge")
    start, end = month(period)
    notice = datetime.date.today() - datetime.timedelta(days=7)
    await browser.post(f"{REQUEST}/conge", {"forme": "complete", **day_fields("debut", start), **day_fields("fin", end),
                                            "regime": "1", **day_fields("avertissement", notice)},
                       expect="/confirmation")
    await browser.get(f"{REQUEST}/confirmation")
    return browser


def confirmation_of(browser: Browser) -> dict[str, str]:
    return {"_csrf_token": browser.field("_csrf_token"), "cle": browser.field("cle"), "certification": "oui",
            "action": "confirmer"}


async def prepare_completion(browser: Browser, request_id: int) -> dict[str, str]:
    """Marie's part of the request, up to its check page; the form "Confirmer" posts."""
    await browser.get(f"{COMPLETION}/{request_id}")
    await browser.post(f"{COMPLETION}/{request_id}", PART, expect="/verification")
    await browser.get(f"{COMPLETION}/{request_id}/verification")
    return {"_csrf_token": browser.field("_csrf_token"), "version": browser.field("version"),
            "cle": browser.field("cle")}


# -- the database, read as it is ------------------------------------------------------------------------


class Database:
    def __init__(self, url: str) -> None:
        self.url = url

    async def rows(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite:"):
            connection = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            try:
                return [tuple(row) for row in connection.execute(sql).fetchall()]
            finally:
                connection.close()
        import asyncpg

        connection = await asyncpg.connect(self.url)
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    async def documents(self) -> int:
        return (await self.rows("SELECT count(*) FROM ebox_message"))[0][0]

    async def pending_outbox_items(self) -> int | None:
        try:
            return (await self.rows("SELECT count(*) FROM outbox_item WHERE done_at IS NULL"))[0][0]
        except Exception:  # noqa: BLE001 - a database without the outbox (the code before it)
            return None


@dataclass
class Findings:
    requests: int = 0
    completed: int = 0
    problems: list[str] = field(default_factory=list)
    found: Counter = field(default_factory=Counter)  # documents found, by kind
    missing: Counter = field(default_factory=Counter)
    doubled: Counter = field(default_factory=Counter)
    wrong: set[int] = field(default_factory=set)  # the requests with a document missing or doubled


DOCUMENTS = {  # e-Box document kinds expected exactly once: of every request, of every request completed
    "formulaire-employeur": "filed", "accuse-partie-employeur": "filed",
    "accuse-de-reception": "completed", "partie-travailleur-envoyee": "completed",
}


async def findings(database: Database, first_id: int) -> Findings:
    requests = await database.rows(
        f"SELECT id, state, employer_ticket FROM career_break_request WHERE id >= {first_id} ORDER BY id")
    documents = Counter((row[0], row[1]) for row in await database.rows(
        "SELECT subject_id, document_kind FROM ebox_message "
        f"WHERE subject_service = 'careerbreak' AND subject_id >= {first_id}"))
    bodies = [row[0] for row in await database.rows("SELECT body FROM outbox_message")]
    result = Findings(requests=len(requests))
    for request_id, state, ticket in requests:
        completed = state in ("partie-travailleur-envoyee", "decidee")
        result.completed += completed
        for kind, when in DOCUMENTS.items():
            if when == "completed" and not completed:
                continue
            count = documents[request_id, kind]
            result.found[kind] += count
            if count == 0:
                result.missing[kind] += 1
                result.problems.append(f"request {request_id}: no {kind}")
                result.wrong.add(request_id)
            elif count > 1:
                result.doubled[kind] += 1
                result.problems.append(f"request {request_id}: {count} × {kind}")
                result.wrong.add(request_id)
        mails = sum(1 for body in bodies if ticket and ticket in body)
        result.found["e-mail"] += mails
        if mails == 0:
            result.missing["e-mail"] += 1
            result.problems.append(f"request {request_id}: no e-mail")
            result.wrong.add(request_id)
    return result


# -- the test ----------------------------------------------------------------------------------------------


def request_of(location: str) -> int:
    """The request of a ticket page: `.../demande/envoyee/12` or `.../completer/12/ticket`."""
    return int(location.removesuffix("/ticket").rsplit("/", 1)[1])


async def post_all(client: httpx.AsyncClient, path: str, data: dict[str, str], answered: asyncio.Event,
                   tickets: list[str], copies: int) -> None:
    async def one() -> None:
        try:
            response = await client.post(path, data=data)
        except httpx.HTTPError:
            return  # the server was killed under this post
        location = response.headers.get("location", "")
        if response.status_code == 303 and (location.endswith("/ticket") or "/envoyee/" in location):
            tickets.append(location)  # the request's ticket page: the request stands
            answered.set()

    await asyncio.gather(*(one() for _ in range(copies)))


@pytest.fixture
def crash_database():
    database = provision(requested_kind(), label="crash")
    yield database
    database.drop()


async def test_r5_a_killed_server_delivers_every_promised_document_once_after_a_restart(crash_database):
    began = time.monotonic()
    log_path = Path(tempfile.mkdtemp(prefix="guichet-crash-")) / "server.log"
    server = Server(crash_database.url, log_path)
    database = Database(crash_database.url)
    browsers: list[Browser] = []
    try:
        server.command("migrate")
        server.command("demo-data")
        server.start()
        first_id = (await database.rows("SELECT coalesce(max(id), 0) + 1 FROM career_break_request"))[0][0]

        # Before the burst: 6 requests filed for Marie, whose part she prepares (a session for each, as
        # for Sophie: concurrent requests of one session would race on its saved answers).
        completions = []
        for period in range(COMPLETIONS):
            browser = await prepare_filing(server.url, WORKERS["marie"], period)
            browsers.append(browser)
            sent = await browser.client.post(f"{REQUEST}/confirmation", data=confirmation_of(browser))
            assert sent.status_code == 303, sent.text[:600]
            request_id = int(sent.headers["location"].rsplit("/", 1)[1])
            marie = Browser(server.url)
            browsers.append(marie)
            await marie.sign_in(MARIE)
            completions.append((marie, request_id, await prepare_completion(marie, request_id)))

        # 20 employer's parts up to their confirmation, five sessions at a time.
        filings: list[Browser] = []
        for batch in range(0, FILINGS, 5):
            filings += await asyncio.gather(*(
                prepare_filing(server.url, WORKERS["marie" if n % 2 else "lena"], COMPLETIONS + n)
                for n in range(batch, min(batch + 5, FILINGS))))
        browsers += filings

        # The burst, and the kill once a few tickets have come back.
        documents_before = await database.documents()
        answered, tickets = asyncio.Event(), []
        burst = [asyncio.create_task(post_all(browser.client, f"{REQUEST}/confirmation", confirmation_of(browser),
                                              answered, tickets, REPEATS)) for browser in filings]
        burst += [asyncio.create_task(post_all(marie.client, f"{COMPLETION}/{request_id}/verification", data,
                                               answered, tickets, 2)) for marie, request_id, data in completions]
        burst_began = time.monotonic()
        # Killed in the middle of the deliveries: some documents drawn, others being drawn or waiting.
        while time.monotonic() - burst_began < 30:
            if len(tickets) >= KILL_AFTER and await database.documents() - documents_before >= KILL_AMID:
                break
            await asyncio.sleep(0.02)
        server.kill()
        await asyncio.gather(*burst)
        killed_after = time.monotonic() - burst_began
        before_restart = await findings(database, first_id)

        server.start()
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while True:
            after = await findings(database, first_id)
            pending = await database.pending_outbox_items()
            if (not after.problems and not pending) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        drained_after = time.monotonic() - deadline + DRAIN_TIMEOUT

        ticketed = set(tickets)
        ticketed_ids = {request_of(location) for location in ticketed}
        summary = (
            f"\nR5 crash test ({crash_database.kind}): killed {killed_after:.1f} s into the burst, "
            f"{len(ticketed)} tickets answered ({len(tickets)} answers); {after.requests} requests in the "
            f"database ({after.completed} with the worker's part sent).\n"
            f"  ticketed requests with a document missing or doubled: {len(ticketed_ids & before_restart.wrong)} "
            f"at the kill, {len(ticketed_ids & after.wrong)} after the restart\n"
            f"  at the kill: found {dict(before_restart.found)}, missing {dict(before_restart.missing)}, "
            f"twice or more {dict(before_restart.doubled)}\n"
            f"  after the restart ({drained_after:.1f} s): found {dict(after.found)}, missing {dict(after.missing)}, "
            f"twice or more {dict(after.doubled)}, outbox items pending {pending}\n"
            f"  in all {time.monotonic() - began:.1f} s"
        )
        print(summary)
        filed = {location for location in ticketed if location.startswith(f"{REQUEST}/envoyee/")}
        assert after.requests >= COMPLETIONS + len(filed), summary
        assert after.problems == [], summary + "\n" + "\n".join(after.problems) + "\n" + server.tail()
        assert pending == 0, summary
        # Every ticket answered names a request of the database.
        known = {row[0] for row in await database.rows(f"SELECT id FROM career_break_request WHERE id >= {first_id}")}
        assert ticketed_ids <= known, ticketed
    finally:
        for browser in browsers:
            await browser.close()
        server.stop()
