"""ONEM's decision on a request (app/careerbreak/decision.py and `guichet decide`): the request moves to
"decided" with its dated event, the copy of the decision (C62) reaches the worker's e-Box and a notice
the enterprise's, in the request's language; a request not waiting for a decision is refused with its
reason; five decisions at once give one (R1); the demo's decided request has both documents."""

from __future__ import annotations

import asyncio
import datetime
import getpass
import os
import subprocess
import sys

import pytest

from app.audit.tables import AuditRecord
from app.careerbreak.decision import (
    AUDIT_ACTION,
    Decision,
    NotAwaitingDecision,
    RequestNotFound,
    WrongDecisionDate,
    decide_request,
    decide_ticket,
)
from app.careerbreak.demo import load_demo_requests
from app.careerbreak.services import NewRequest, create_request, move_request
from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.db import transaction
from app.demo import load_demo_data
from app.ebox.services import belgian_date, utcnow
from app.ebox.tables import EboxMessage
from app.registry.tables import Employment, Enterprise, Person
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.rules.tickets import new_ticket_number
from tests.conftest import DATABASE
from tests.support.citizens import LENA, MARIE, person_id, sign_in
from tests.test_employer import BASE, KARIM, SOPHIE, details_of, text_of

EBOX = f"{BASE}/ebox"
UTC = datetime.timezone.utc
SENT_AT = datetime.datetime(2026, 1, 12, 9, 0, tzinfo=UTC)  # the worker's part: 12/01/2026
DECISION_DAY = datetime.date(2026, 2, 3)
WORKER_PART = {"household": "isole-avec-enfants", "iban": "BE71096123456769", "domicile_country": "BE",
               "subject_role": "patient", "subject_name": "Paul Dubois"}
GUICHET = [sys.executable, "-m", "app.cli"]


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def sent_request(username: str = MARIE, *, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 4, 1),
                       state: RequestState = RequestState.WORKER_PART_SENT) -> tuple[int, str]:
    """A medical assistance of the worker with their own employer, the worker's part sent on 12/01/2026
    (then cancelled, with `state`). Returns the request's id and the worker's ticket."""
    worker = await Person.select(Person.id, Person.language).where(Person.username == username).first()
    employer = await Employment.select(Employment.enterprise).where(
        (Employment.person == worker["id"]) & (Employment.role == "worker")
    ).first()
    request_id = await create_request(NewRequest(
        worker_id=worker["id"], enterprise_id=employer["enterprise"], kind=LeaveKind.MEDICAL_ASSISTANCE,
        form=LeaveForm.COMPLETE, start_date=start, end_date=end, language=worker["language"],
        employer_ticket=new_ticket_number(),
    ), at=SENT_AT - datetime.timedelta(days=3))
    ticket = new_ticket_number()
    async with transaction():
        await move_request(request_id, 1, RequestState.WORKER_PART_SENT, event_ticket=ticket, ticket_number=ticket,
                           worker_part=WORKER_PART, subject_name="Paul Dubois",
                           subject_birth_date=datetime.date(1948, 2, 3), at=SENT_AT)
        if state is RequestState.CANCELLED:
            await move_request(request_id, 2, RequestState.CANCELLED, event_ticket="CAN-CEL-LED",
                               cancellation_ticket="CAN-CEL-LED")
    return request_id, ticket


async def request_row(request_id: int) -> dict:
    return await CareerBreakRequest.select(
        CareerBreakRequest.state, CareerBreakRequest.version, CareerBreakRequest.decided_on
    ).where(CareerBreakRequest.id == request_id).first()


async def states_of(request_id: int) -> list[str]:
    rows = await RequestEvent.select(RequestEvent.state).where(RequestEvent.request == request_id).order_by(
        RequestEvent.at).order_by(RequestEvent.id)
    return [row["state"] for row in rows]


async def documents_of(request_id: int) -> list[dict]:
    return await EboxMessage.select(
        EboxMessage.public_id, EboxMessage.person, EboxMessage.enterprise, EboxMessage.document_kind,
        EboxMessage.title, EboxMessage.language, EboxMessage.pdf,
    ).where((EboxMessage.subject_service == "careerbreak") & (EboxMessage.subject_id == request_id)).order_by(
        EboxMessage.id)


async def enterprise_id(number: str) -> int:
    return (await Enterprise.select(Enterprise.id).where(Enterprise.enterprise_number == number).first())["id"]


async def demo_decided_request() -> dict:
    return await CareerBreakRequest.select(
        CareerBreakRequest.id, CareerBreakRequest.ticket_number, CareerBreakRequest.decided_on
    ).where(CareerBreakRequest.state == RequestState.DECIDED.value).first()


# -- the use case ------------------------------------------------------------------------------------------


async def test_onem_decides_a_request_whose_workers_part_was_sent(demo):
    request_id, ticket = await sent_request(MARIE)
    at = datetime.datetime(2026, 2, 3, 15, 30, tzinfo=UTC)

    decision = await decide_request(request_id, decided_by="agent.onem", at=at)

    assert (decision.request_id, decision.ticket_number, decision.decided_on, decision.worker_name,
            decision.enterprise_name, decision.language, decision.repeated) == (
        request_id, ticket, DECISION_DAY, "Marie Dubois", "Les Tilleuls SRL", "fr", False)
    assert decision.documents.complete
    assert await request_row(request_id) == {"state": "decidee", "version": 3, "decided_on": DECISION_DAY}
    assert await states_of(request_id) == [
        "partie-employeur-introduite", "en-attente-du-travailleur", "partie-travailleur-envoyee", "decidee"]
    event = await RequestEvent.select(RequestEvent.at, RequestEvent.ticket_number).where(
        (RequestEvent.request == request_id) & (RequestEvent.state == "decidee")).first()
    assert event["at"] == at and event["ticket_number"] is None
    audit = await AuditRecord.select().where(AuditRecord.action == AUDIT_ACTION).order_by(AuditRecord.sequence)
    assert [(row["actor"], row["subject"], row["source"], row["outcome"], details_of(row)) for row in audit] == [
        ("guichet-demo-data", "88041200259", "demo-data", "success", {  # the demo's decided parental leave
            "request": (await demo_decided_request())["id"],
            "ticket": (await demo_decided_request())["ticket_number"], "decided_on": "2023-11-20"}),
        ("agent.onem", "88041200259", "guichet-cli", "success",
         {"request": request_id, "ticket": ticket, "decided_on": "2026-02-03"}),
    ]

    documents = await documents_of(request_id)
    assert [(d["document_kind"], d["title"], d["language"], d["person"] is not None) for d in documents] == [
        ("decision-c62", "Copie de la décision de l'ONEM (C62)", "fr", True),
        ("decision-employeur", "Décision de l'ONEM – Marie Dubois", "fr", False),
    ]
    assert documents[0]["person"] == await person_id(MARIE)
    assert documents[1]["enterprise"] == await enterprise_id("0412345614")
    assert all(bytes(d["pdf"]).startswith(b"%PDF-") for d in documents)
    assert [decision.documents.worker_copy.public_id, decision.documents.enterprise_notice.public_id] == [
        d["public_id"] for d in documents]


async def test_the_day_of_the_decision_is_today_in_belgium_by_default(demo):
    request_id, _ = await sent_request(MARIE)
    decision = await decide_request(request_id, decided_by="agent.onem")
    assert decision.decided_on == belgian_date(utcnow())
    assert (await request_row(request_id))["decided_on"] == decision.decided_on


async def test_the_worker_finds_the_copy_in_her_ebox_in_the_requests_language(visitor, demo):
    request_id, ticket = await sent_request(LENA)  # Lena speaks German: her requests are in German
    await decide_request(request_id, decided_by="agent.onem", decided_on=DECISION_DAY)
    await sign_in(visitor, LENA)
    _, page = await visitor.page("/ebox")
    titles = [title.get_text(strip=True) for title in page.select("li.message-list__item h2")]
    assert titles == ["Kopie der Entscheidung des LfA (C62)"]
    _, twin = await visitor.page(page.select_one("li.message-list__item h2 a")["href"])
    article = twin.find("article")
    assert article["lang"] == "de"
    text = article.get_text(" ", strip=True)
    assert "Das LfA hat am 03.02.2026 über diesen Antrag entschieden." in text
    assert ticket in text
    # Her file says it too (in the language of the portal she chose: French by default).
    _, dossier = await visitor.page("/interruption-de-carriere/dossier")
    assert "Décision de l'ONEM envoyée" in text_of(dossier)


async def test_the_personnel_officer_finds_the_notice_in_the_enterprise_ebox(visitor, client, demo):
    request_id, ticket = await sent_request(MARIE)
    employer_ticket = (await CareerBreakRequest.select(CareerBreakRequest.employer_ticket).where(
        CareerBreakRequest.id == request_id).first())["employer_ticket"]
    await decide_request(request_id, decided_by="agent.onem", decided_on=DECISION_DAY)

    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(EBOX)
    links = [a["href"] for a in page.select(".message-list__title a")
             if a.get_text(strip=True) == "Décision de l'ONEM – Marie Dubois"]
    notice = (await documents_of(request_id))[1]
    href = f"{EBOX}/{notice['public_id']}"
    assert links[0] == href and len(links) == 2  # the newest first; then the demo's decided parental leave
    _, twin = await visitor.page(href)
    assert twin.find("h1").get_text(strip=True) == "Décision de l'ONEM – Marie Dubois"
    text = text_of(twin)
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 02/03/2026 au 01/04/2026.") in text
    assert ("L'ONEM a pris sa décision sur la demande de Marie Dubois le 03/02/2026. "
            "Le travailleur en reçoit la copie (C62) dans son e-Box.") in text
    assert "Date de la décision 03/02/2026" in text and "Période du 02/03/2026 au 01/04/2026" in text
    assert f"Numéro de ticket de l'employeur {employer_ticket}" in text
    assert f"Numéro de ticket du travailleur {ticket}" in text
    for private in ("BE71", "Paul Dubois", "Isolé", "exclusivement"):  # the worker's answers are not the employer's
        assert private not in text
    pdf = await client.get(f"{href}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith('attachment; filename="decision-employeur-')
    # The Consultation shows the request decided.
    _, consultation = await visitor.page(f"{BASE}/consultation/{request_id}")
    assert "Décision de l'ONEM envoyée" in text_of(consultation)

    # Another enterprise does not see it, not even by its address.
    client.cookies.clear()
    await sign_in(visitor, KARIM)
    _, page = await visitor.page(EBOX)
    assert "Marie Dubois" not in text_of(page)
    await visitor.page(href, status=404)
    assert (await client.get(f"{href}/pdf")).status_code == 404


async def test_the_enterprise_notice_speaks_the_requests_language(visitor, demo):
    request_id, _ = await sent_request(LENA)
    await decide_request(request_id, decided_by="agent.onem", decided_on=DECISION_DAY)
    notice = (await documents_of(request_id))[1]
    assert (notice["title"], notice["language"]) == ("Entscheidung des LfA – Lena Schmitt", "de")
    await sign_in(visitor, SOPHIE)  # a French-speaking officer reads the German document
    _, twin = await visitor.page(f"{EBOX}/{notice['public_id']}")
    article = twin.find("article")
    assert article["lang"] == "de"
    assert "Das LfA hat am 03.02.2026 über den Antrag von Lena Schmitt entschieden." in article.get_text(" ", strip=True)


# -- refusals ----------------------------------------------------------------------------------------------


async def unchanged(request_id: int):
    """What a refused decision must leave as it was."""
    return (await request_row(request_id), await states_of(request_id), await EboxMessage.count(),
            await AuditRecord.count().where(AuditRecord.action == AUDIT_ACTION))


async def test_a_request_not_waiting_for_a_decision_is_refused_with_its_reason(demo):
    waiting = (await CareerBreakRequest.select(CareerBreakRequest.id).where(
        CareerBreakRequest.state == RequestState.WAITING_FOR_WORKER.value).first())["id"]
    cancelled, _ = await sent_request(MARIE, state=RequestState.CANCELLED)
    decided = (await demo_decided_request())["id"]
    cases = [
        (waiting, "the request is not waiting for a decision: it is waiting for the worker's part"),
        (cancelled, "the request is not waiting for a decision: it was cancelled"),
        (decided, "the request is not waiting for a decision: it was already decided on 2023-11-20"),
    ]
    for request_id, reason in cases:
        before = await unchanged(request_id)
        with pytest.raises(NotAwaitingDecision) as refused:
            await decide_request(request_id, decided_by="agent.onem")
        assert refused.value.reason == reason
        assert await unchanged(request_id) == before
    with pytest.raises(RequestNotFound):
        await decide_request(987654, decided_by="agent.onem")


async def test_the_day_of_the_decision_is_neither_after_today_nor_before_the_workers_part(demo):
    request_id, _ = await sent_request(MARIE)
    before = await unchanged(request_id)
    today = belgian_date(utcnow())
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(WrongDecisionDate) as refused:
        await decide_request(request_id, decided_by="agent.onem", decided_on=tomorrow)
    assert refused.value.reason == (f"the day of the decision ({tomorrow.isoformat()}) is after today "
                                    f"({today.isoformat()})")
    with pytest.raises(WrongDecisionDate) as refused:
        await decide_request(request_id, decided_by="agent.onem", decided_on=datetime.date(2026, 1, 11))
    assert refused.value.reason == ("the day of the decision (2026-01-11) is before the worker's part was sent "
                                    "(2026-01-12)")
    assert await unchanged(request_id) == before
    decision = await decide_request(request_id, decided_by="agent.onem", decided_on=datetime.date(2026, 1, 12))
    assert decision.decided_on == datetime.date(2026, 1, 12)  # the same day is possible


async def test_r1_five_decisions_at_once_give_one_decision_one_event_one_document_each(demo):
    request_id, _ = await sent_request(MARIE)
    audited = await AuditRecord.count().where(AuditRecord.action == AUDIT_ACTION)  # the demo's decision
    outcomes = await asyncio.gather(
        *(decide_request(request_id, decided_by=f"agent{n}", decided_on=DECISION_DAY) for n in range(5)),
        return_exceptions=True,
    )
    decisions = [outcome for outcome in outcomes if isinstance(outcome, Decision)]
    refusals = [outcome for outcome in outcomes if not isinstance(outcome, Decision)]
    assert len(decisions) == 1, outcomes
    assert all(isinstance(refusal, NotAwaitingDecision) and refusal.state is RequestState.DECIDED
               and "already decided on 2026-02-03" in refusal.reason for refusal in refusals), refusals
    assert (await states_of(request_id)).count("decidee") == 1
    assert await request_row(request_id) == {"state": "decidee", "version": 3, "decided_on": DECISION_DAY}
    kinds = sorted(document["document_kind"] for document in await documents_of(request_id))
    assert kinds == ["decision-c62", "decision-employeur"]
    assert await AuditRecord.count().where(AuditRecord.action == AUDIT_ACTION) == audited + 1


async def test_a_document_that_cannot_be_made_leaves_the_decision_and_deciding_again_sends_it(demo, monkeypatch):
    import app.ebox.services

    request_id, ticket = await sent_request(MARIE)
    real_render = app.ebox.services.render_pdf

    async def broken(html, base_url=None):
        raise OSError("no fonts")

    monkeypatch.setattr(app.ebox.services, "render_pdf", broken)
    decision = await decide_ticket(ticket, decided_by="agent.onem", decided_on=DECISION_DAY)
    assert not decision.documents.complete
    assert decision.documents.worker_copy.public_id is None and decision.documents.enterprise_notice.public_id is None
    assert (await request_row(request_id))["state"] == "decidee"  # the decision stands
    assert await documents_of(request_id) == []

    monkeypatch.setattr(app.ebox.services, "render_pdf", real_render)
    again = await decide_ticket(ticket.lower().replace("-", ""), decided_by="agent.onem")
    assert again.repeated and again.documents.complete and again.decided_on == DECISION_DAY
    assert len(await documents_of(request_id)) == 2
    with pytest.raises(NotAwaitingDecision):  # nothing is missing any more
        await decide_ticket(ticket, decided_by="agent.onem")
    assert len(await documents_of(request_id)) == 2
    assert (await states_of(request_id)).count("decidee") == 1


# -- the demo ----------------------------------------------------------------------------------------------


async def test_the_demos_decided_request_has_its_decision_in_both_eboxes_once(visitor, demo):
    decided = await demo_decided_request()
    assert decided["decided_on"] == datetime.date(2023, 11, 20)
    event = await RequestEvent.select(RequestEvent.at).where(
        (RequestEvent.request == decided["id"]) & (RequestEvent.state == "decidee")).first()
    assert belgian_date(event["at"]) == datetime.date(2023, 11, 20)
    titles = [(d["title"], d["person"] is not None) for d in await documents_of(decided["id"])]
    assert titles == [("Copie de la décision de l'ONEM (C62)", True), ("Décision de l'ONEM – Marie Dubois", False)]

    await load_demo_data()  # again: nothing new
    assert len(await documents_of(decided["id"])) == 2
    # A database loaded by the demo before it sent the enterprise's notice gets it, once.
    await EboxMessage.delete().where(EboxMessage.document_kind == "decision-employeur")
    await load_demo_requests()
    await load_demo_requests()
    assert [d["title"] for d in await documents_of(decided["id"])] == [
        "Copie de la décision de l'ONEM (C62)", "Décision de l'ONEM – Marie Dubois"]

    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(EBOX)
    link = page.find("a", string="Décision de l'ONEM – Marie Dubois")
    _, twin = await visitor.page(link["href"])
    assert "L'ONEM a pris sa décision sur la demande de Marie Dubois le 20/11/2023." in text_of(twin)
    assert "Congé parental" in text_of(twin)


# -- `guichet decide` --------------------------------------------------------------------------------------


def guichet(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([*GUICHET, *arguments], env={**os.environ, "GUICHET_DATABASE_URL": DATABASE.url},
                          capture_output=True, text=True, timeout=120)


async def test_guichet_decide_decides_the_request_of_a_workers_ticket(demo):
    request_id, ticket = await sent_request(MARIE)
    result = guichet("decide", ticket.lower(), "--on", "2026-02-03")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Request {ticket} (Marie Dubois at Les Tilleuls SRL): decided on 2026-02-03.",
        "  Sent the copy of the decision (C62) to the worker's e-Box (in fr).",
        "  Sent the notice of the decision to the enterprise's e-Box (in fr).",
    ]
    assert await request_row(request_id) == {"state": "decidee", "version": 3, "decided_on": DECISION_DAY}
    assert [d["document_kind"] for d in await documents_of(request_id)] == ["decision-c62", "decision-employeur"]
    audit = await AuditRecord.select().where(AuditRecord.action == AUDIT_ACTION).order_by(
        AuditRecord.sequence, ascending=False).first()
    assert (audit["actor"], audit["source"], details_of(audit)["request"]) == (
        getpass.getuser(), "guichet-cli", request_id)  # the operator who ran it

    again = guichet("decide", ticket)
    assert again.returncode == 1
    assert again.stderr.strip().endswith(
        f"guichet decide: {ticket}: the request is not waiting for a decision: it was already decided on 2026-02-03.")
    assert again.stdout == ""
    assert len(await documents_of(request_id)) == 2


async def test_guichet_decide_says_why_it_refuses(demo):
    waiting, ticket = await sent_request(MARIE)
    cases = [
        (["decide", "K7F-4TR-9XW"], 1, "guichet decide: K7F-4TR-9XW: no request has the worker's ticket number "
                                       "K7F-4TR-9XW."),
        (["decide", "hello"], 1, "guichet decide: hello: 'hello' is not a ticket number (nine characters, like "
                                 "K7F-4TR-9XW)."),
        (["decide", ticket, "--on", "2026-01-11"], 1, f"guichet decide: {ticket}: the day of the decision "
                                                      "(2026-01-11) is before the worker's part was sent (2026-01-12)."),
        (["decide", ticket, "--on", "3/2/2026"], 2, "argument --on: not a date YYYY-MM-DD: '3/2/2026'"),
    ]
    for arguments, code, message in cases:
        result = guichet(*arguments)
        assert (result.returncode, result.stdout) == (code, ""), result
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert (await request_row(waiting))["state"] == "partie-travailleur-envoyee"


async def test_guichet_decide_sends_what_a_decision_left_out(demo, monkeypatch):
    import app.ebox.services

    request_id, ticket = await sent_request(LENA)

    async def broken(html, base_url=None):
        raise OSError("no fonts")

    monkeypatch.setattr(app.ebox.services, "render_pdf", broken)
    await decide_request(request_id, decided_by="agent.onem", decided_on=DECISION_DAY)  # no document was made
    assert await documents_of(request_id) == []

    result = guichet("decide", ticket)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Request {ticket} (Lena Schmitt at Les Tilleuls SRL) was already decided on 2026-02-03; "
        "sent what its e-Boxes lacked:",
        "  Sent the copy of the decision (C62) to the worker's e-Box (in de).",
        "  Sent the notice of the decision to the enterprise's e-Box (in de).",
    ]
    assert [(d["title"], d["language"]) for d in await documents_of(request_id)] == [
        ("Kopie der Entscheidung des LfA (C62)", "de"), ("Entscheidung des LfA – Lena Schmitt", "de")]
    assert (await states_of(request_id)).count("decidee") == 1
