"""The wizard (app/identity/wizard.py): steps as data, the answers kept in the session, "Précédent",
the check page's "Modifier" links and its confirmation key; and, through the HTTP client, that eight
identical "Confirmer" posted at once file one request with one ticket in both flows that use it (R1)."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from litestar.connection import ASGIConnection
from litestar.response import Redirect, Response

from app.careerbreak.tables import CareerBreakRequest, RequestEvent
from app.demo import load_demo_data
from app.identity.sessions import current_session, ensure_session, update_session_data
from app.identity.wizard import KEPT_OWNERS, Progress, Step, Wizard
from app.rules.request_states import RequestState
from tests.support.citizens import MARIE, sign_in
from tests.test_careerbreak_completion import BASE as COMPLETION, key_of, reach_verification, waiting_request_of
from tests.test_employer import REQUEST, reach_confirmation

tickets = itertools.count(1)
WIZARD = Wizard(
    "essai",
    steps=(
        Step("un", "/essai/{owner}/un"),
        Step("deux", "/essai/{owner}/deux", after="/essai/{owner}/entre-deux"),
        Step("trois", "/essai/{owner}/trois", back="/essai/{owner}/entre-deux"),
        Step("quatre", "/essai/{owner}/quatre"),
    ),
    check="/essai/{owner}/verification",
    before="/essai?choix={owner}",
    draw=lambda: {"ticket": f"T{next(tickets)}"},
)


def connection() -> ASGIConnection:
    return ASGIConnection({"type": "http", "headers": [], "state": {}, "path": "/", "query_string": b""})


async def session() -> ASGIConnection:
    request = connection()
    await ensure_session(request)
    return request


def location(response: Response) -> str:
    assert isinstance(response, Redirect) and response.status_code == 303
    return response.url


# -- steps as data --------------------------------------------------------------------------------


def test_each_step_leads_to_the_next_and_back_to_the_one_before():
    assert WIZARD.next_path(7, "un") == "/essai/7/deux"
    assert WIZARD.next_path(7, "deux") == "/essai/7/entre-deux"  # `after`: a page between two steps
    assert WIZARD.next_path(7, "quatre") == "/essai/7/verification"  # the last one: the check page
    assert WIZARD.back_path(7, "un") == "/essai?choix=7"  # `before`: where the wizard was entered
    assert WIZARD.back_path(7, "deux") == "/essai/7/un"
    assert WIZARD.back_path(7, "trois") == "/essai/7/entre-deux"  # `back`
    assert WIZARD.back_path(7) == "/essai/7/quatre"  # from the check page
    assert WIZARD.change_url(7, "deux", "iban") == "/essai/7/deux#iban"  # a "Modifier" link


def test_accepting_the_steps_in_turn_leaves_none_open():
    progress = Progress(WIZARD, "7")
    assert progress.first_open() == "un" and WIZARD.resume_path(progress) == "/essai/7/un"
    for step in WIZARD.names:
        progress.keep(step, {"champ": step})
        progress.accept(step)
    assert progress.first_open() is None and WIZARD.resume_path(progress) == "/essai/7/verification"
    assert progress.first_open(before="trois") is None


def test_a_changed_earlier_answer_reopens_the_later_steps_and_keeps_their_answers():
    progress = Progress(WIZARD, "7")
    for step in WIZARD.names:
        progress.keep(step, {"champ": step})
        progress.accept(step)
    key = progress.confirmation_of()["key"]

    progress.keep("deux", {"champ": "deux"})  # the same answers again: nothing re-opens
    assert progress.done == ["un", "deux", "trois", "quatre"] and progress.confirms(key)

    progress.keep("deux", {"champ": "autre"})
    assert progress.done == ["un"]
    assert progress.first_open() == "deux" and progress.first_open(before="deux") is None
    assert progress.answers_of("trois") == {"champ": "trois"}  # kept, to be accepted again
    assert progress.answers_of("quatre") == {"champ": "quatre"}
    assert progress.confirmation is None and not progress.confirms(key)  # the check page read before is stale


def test_the_confirmation_key_is_drawn_once_with_what_the_wizard_draws():
    progress = Progress(WIZARD, "7")
    drawn = progress.confirmation_of()
    assert set(drawn) == {"key", "ticket"} and len(drawn["key"]) >= 20
    assert progress.confirmation_of() == drawn  # the check page shown again: the same key and ticket
    assert progress.confirms(drawn["key"])
    assert not progress.confirms("") and not progress.confirms(None) and not progress.confirms(["x"])
    assert not progress.confirms(drawn["key"] + "x") and not progress.confirms("clé-forgée-é")
    again = progress.redraw()  # what was drawn could not be used (a ticket taken)
    assert again["key"] != drawn["key"] and again["ticket"] != drawn["ticket"]
    assert not progress.confirms(drawn["key"]) and progress.confirms(again["key"])


# -- kept in the session ----------------------------------------------------------------------------


async def test_the_answers_are_kept_in_the_session_one_slot_per_owner():
    request = await session()
    progress = WIZARD.load(request, 7)
    assert not progress.in_progress and progress.first_open() == "un"
    progress.keep("un", {"nom": "Dubois"})
    progress.accept("un")
    await WIZARD.save(request, progress)

    again = WIZARD.load(request, 7)
    assert again.answers_of("un") == {"nom": "Dubois"} and again.is_done("un")
    assert WIZARD.in_progress(request, 7) and not WIZARD.in_progress(request, 8)  # another owner starts afresh
    assert not WIZARD.load(request, 8).in_progress
    assert not Wizard("autre", steps=WIZARD.steps, check=WIZARD.check).in_progress(request, 7)  # another wizard

    await WIZARD.forget(request, 7)  # "Recommencer"
    assert not WIZARD.in_progress(request, 7)


async def test_only_the_last_owners_touched_are_kept():
    request = await session()
    for owner in range(KEPT_OWNERS + 2):
        progress = WIZARD.load(request, owner)
        progress.keep("un", {"owner": str(owner)})
        await WIZARD.save(request, progress)
    kept = current_session(request).data[WIZARD.session_key]
    assert list(kept) == [str(owner) for owner in range(2, KEPT_OWNERS + 2)]


async def test_what_the_session_holds_that_is_not_a_wizards_is_ignored():
    request = await session()
    await update_session_data(request, **{WIZARD.session_key: {"7": {
        "answers": {"un": {"nom": "Dubois", "n": 3}, "inconnu": {"x": "y"}, "deux": "texte"},
        "done": ["un", "inconnu", 4], "confirmation": {"ticket": "T"}, "sent": {"key": "k"},
    }, "8": "texte"}})
    progress = WIZARD.load(request, 7)
    assert progress.answers == {"un": {"nom": "Dubois"}} and progress.done == ["un"]
    assert progress.confirmation is None and progress.sent is None
    assert not WIZARD.load(request, 8).in_progress
    await update_session_data(request, **{WIZARD.session_key: ["pas", "un", "dict"]})
    assert not WIZARD.load(request, 7).in_progress


# -- a step's form, posted --------------------------------------------------------------------------


async def test_a_posted_step_is_kept_then_accepted_or_refused():
    request = await session()

    async def accepted(_progress: Progress) -> Response | None:
        return None

    async def refused(_progress: Progress) -> Response | None:
        return Response("erreurs", status_code=422)

    # A step before this one not accepted yet is shown first; what was typed here is kept.
    assert location(await WIZARD.submit(request, 7, "deux", {"a": "1"}, check=accepted)) == "/essai/7/un"
    assert WIZARD.load(request, 7).answers_of("deux") == {"a": "1"}
    assert not WIZARD.load(request, 7).is_done("deux")

    assert location(await WIZARD.submit(request, 7, "un", {}, check=accepted)) == "/essai/7/deux"
    response = await WIZARD.submit(request, 7, "deux", {"a": "2"}, check=refused)
    assert response.status_code == 422  # the refusal is the answer
    progress = WIZARD.load(request, 7)
    assert progress.answers_of("deux") == {"a": "2"} and not progress.is_done("deux")

    # "Précédent": kept, not checked, back a step.
    assert location(await WIZARD.submit(request, 7, "deux", {"a": "3"}, back=True, check=refused)) == "/essai/7/un"
    assert WIZARD.load(request, 7).answers_of("deux") == {"a": "3"}

    assert location(await WIZARD.submit(request, 7, "deux", {"a": "3"}, check=accepted)) == "/essai/7/entre-deux"
    assert WIZARD.load(request, 7).done == ["un", "deux"]
    # Refused later with the same answers (the world changed): no longer accepted.
    assert (await WIZARD.submit(request, 7, "deux", {"a": "3"}, check=refused)).status_code == 422
    assert WIZARD.load(request, 7).done == ["un"]


# -- the check page and "Confirmer" -----------------------------------------------------------------


async def filled_in(request: ASGIConnection, owner: int = 7) -> Progress:
    progress = WIZARD.load(request, owner)
    for step in WIZARD.names:
        progress.keep(step, {"champ": step})
        progress.accept(step)
    await WIZARD.save(request, progress)
    return progress


async def test_confirming_needs_every_step_and_the_key_of_the_answers_as_they_are():
    request = await session()
    progress = WIZARD.load(request, 7)
    progress.keep("un", {"champ": "un"})
    progress.accept("un")
    assert location(WIZARD.unconfirmable(progress, "x")) == "/essai/7/deux"  # a step still open

    progress = await filled_in(request)
    assert location(WIZARD.unconfirmable(progress, "")) == "/essai/7/verification"  # no key drawn yet
    drawn = await WIZARD.confirmation(request, progress)
    assert (await WIZARD.confirmation(request, WIZARD.load(request, 7))) == drawn  # kept in the session
    assert WIZARD.unconfirmable(WIZARD.load(request, 7), drawn["key"]) is None
    assert location(WIZARD.unconfirmable(progress, "autre")) == "/essai/7/verification"

    # The answers change in another tab: the check page shown before cannot confirm them.
    await WIZARD.submit(request, 7, "trois", {"champ": "changé"})
    progress = WIZARD.load(request, 7)
    assert location(WIZARD.unconfirmable(progress, drawn["key"])) == "/essai/7/quatre"
    await WIZARD.submit(request, 7, "quatre", {"champ": "quatre"})
    progress = WIZARD.load(request, 7)
    assert location(WIZARD.unconfirmable(progress, drawn["key"])) == "/essai/7/verification"


async def test_a_repeated_confirm_is_answered_with_the_first_result():
    request = await session()
    progress = await filled_in(request)
    key = (await WIZARD.confirmation(request, progress))["key"]
    assert progress.answered(key) is None  # not filed yet

    await WIZARD.finish(request, progress, key, "/essai/7/ticket/ABC")
    repeat = WIZARD.load(request, 7)  # the same form, posted again
    assert repeat.answered(key) == "/essai/7/ticket/ABC"
    assert repeat.answered("autre") is None and repeat.answered("") is None and repeat.answered(None) is None
    assert repeat.answered("clé-forgée-é") is None
    assert not repeat.in_progress and repeat.first_open() == "un"  # the next request starts afresh
    assert repeat.confirmation is None

    # A new request for the same owner; the first one's repeat still finds its answer, until the new
    # one is filed in turn.
    await WIZARD.forget(request, 7)
    progress = await filled_in(request)
    second = (await WIZARD.confirmation(request, progress))["key"]
    assert second != key and WIZARD.load(request, 7).answered(key) == "/essai/7/ticket/ABC"
    await WIZARD.finish(request, progress, second, "/essai/7/ticket/DEF")
    assert WIZARD.load(request, 7).answered(second) == "/essai/7/ticket/DEF"
    assert WIZARD.load(request, 7).answered(key) is None
    assert WIZARD.load(request, 8).answered(second) is None  # another owner's


# -- R1 through HTTP: eight identical "Confirmer" at once ------------------------------------------

RACE = 8


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def test_r1_eight_concurrent_confirmations_file_one_employer_request(visitor, client, demo):
    _, page = await reach_confirmation(visitor)
    key = page.find("input", attrs={"name": "cle"})["value"]
    data = {"_csrf_token": visitor.csrf_token(), "cle": key, "certification": "oui", "action": "confirmer"}
    before = await CareerBreakRequest.count()

    responses = await asyncio.gather(*(client.post(f"{REQUEST}/confirmation", data=data) for _ in range(RACE)))

    assert [response.status_code for response in responses] == [303] * RACE
    locations = {response.headers["location"] for response in responses}
    assert len(locations) == 1, locations  # every post leads to the same request, hence the same ticket
    [sent] = locations
    assert sent.startswith(f"{REQUEST}/envoyee/")
    assert await CareerBreakRequest.count() == before + 1
    request_id = int(sent.rsplit("/", 1)[1])
    row = await CareerBreakRequest.select(CareerBreakRequest.employer_ticket).where(
        CareerBreakRequest.id == request_id).first()
    assert await CareerBreakRequest.count().where(CareerBreakRequest.employer_ticket == row["employer_ticket"]) == 1
    assert await RequestEvent.count().where(RequestEvent.request == request_id) == 2  # submitted, then waiting
    _, page = await visitor.page(sent)
    assert page.find(id="ticket-number").get_text(strip=True) == row["employer_ticket"]
    # Later, the same form again: the same request, nothing more.
    again = await client.post(f"{REQUEST}/confirmation", data=data)
    assert again.headers["location"] == sent and await CareerBreakRequest.count() == before + 1


async def test_r1_eight_concurrent_confirmations_send_one_worker_part(visitor, demo):
    await sign_in(visitor)
    request_id = await waiting_request_of(MARIE)
    await reach_verification(visitor, request_id)
    data = {"_csrf_token": visitor.csrf_token(), "version": "1", "cle": key_of(visitor.last_page)}

    responses = await asyncio.gather(*(
        visitor.client.post(f"{COMPLETION}/{request_id}/verification", data=data) for _ in range(RACE)))

    assert [response.status_code for response in responses] == [303] * RACE
    assert {response.headers["location"] for response in responses} == {f"{COMPLETION}/{request_id}/ticket"}
    sent = await RequestEvent.select(RequestEvent.ticket_number).where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value))
    assert len(sent) == 1
    row = await CareerBreakRequest.select(CareerBreakRequest.ticket_number, CareerBreakRequest.version).where(
        CareerBreakRequest.id == request_id).first()
    assert row["version"] == 2 and sent[0]["ticket_number"] == row["ticket_number"]
    _, page = await visitor.page(f"{COMPLETION}/{request_id}/ticket")
    assert page.find(class_="ticket-number").get_text(strip=True) == row["ticket_number"]
    # Later, the same form again: answered by the key, with the same ticket.
    again = await visitor.client.post(f"{COMPLETION}/{request_id}/verification", data=data)
    assert again.status_code == 303 and again.headers["location"] == f"{COMPLETION}/{request_id}/ticket"
    assert await RequestEvent.count().where(
        (RequestEvent.request == request_id) & (RequestEvent.state == RequestState.WORKER_PART_SENT.value)) == 1
