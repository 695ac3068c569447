"""S1 under concurrency: a session ended on the server never answers again, whatever was in flight,
on every store; a blocked account is refused at its next request; several tabs of one live session
never get a 5xx.

The interleavings are forced, not hoped for: the store's write of the in-flight request waits on a
barrier until the session has been ended by another request or by the administrator."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from app import config
from app.demo import load_demo_data
from app.identity import sessions
from app.identity.services import set_account_blocked
from tests.support.citizens import MARIE, sign_in
from tests.test_sessions import REDIS_URL, redis_reachable

DOSSIER = "/interruption-de-carriere/dossier"


@pytest.fixture(params=["database", "redis"])
async def store(request, database, monkeypatch):
    """The app's session store for the test: the database's, or Redis (as GUICHET_REDIS_URL sets it)."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("no Redis at 127.0.0.1:6379")
        monkeypatch.setenv("GUICHET_REDIS_URL", REDIS_URL)
    config.get_settings.cache_clear()
    sessions.session_store.cache_clear()
    store = sessions.session_store()
    yield store
    if request.param == "redis":
        await store.redis.flushdb()
        await store.redis.aclose()
    monkeypatch.undo()
    config.get_settings.cache_clear()
    sessions.session_store.cache_clear()


@contextlib.contextmanager
def writes_held(store, release: asyncio.Event, held: asyncio.Event):
    """Every write of an existing session through `store` waits for `release` (`held` says one is
    waiting): the request has loaded its session and is about to write it back."""
    names = [name for name in ("update", "save") if hasattr(type(store), name)]
    originals = {name: getattr(store, name) for name in names}

    def holding(original):
        async def write(state, *args, **kwargs):
            held.set()
            await release.wait()
            return await original(state, *args, **kwargs)
        return write

    for name in names:
        setattr(store, name, holding(originals[name]))
    try:
        yield
    finally:
        for name in names:
            setattr(store, name, originals[name])


async def signed_in(visitor):
    await load_demo_data()
    await sign_in(visitor, MARIE)
    assert (await visitor.client.get(DOSSIER)).status_code == 200


async def end_while_a_write_is_in_flight(visitor, store, end) -> None:
    """A request of the session ("prolonger") has loaded it and waits to write it; meanwhile `end()`
    ends the session; then the request writes. The old cookie must not open the service again."""
    token = visitor.csrf_token()
    release, held = asyncio.Event(), asyncio.Event()
    with writes_held(store, release, held):
        in_flight = asyncio.create_task(visitor.client.post(
            "/session/prolonger", data={"_csrf_token": token, "next": DOSSIER}))
        await asyncio.wait_for(held.wait(), 10)
        await end()
        release.set()
        answer = await in_flight
    assert answer.status_code < 500
    again = await visitor.client.get(DOSSIER)
    assert again.status_code == 303 and again.headers["location"].startswith("/identification")


async def test_a_session_logged_out_in_another_tab_does_not_come_back(visitor, store):
    await signed_in(visitor)
    _, page = await visitor.page(DOSSIER)
    cookies = dict(visitor.client.cookies)

    async def log_out_in_another_tab():
        other = visitor.client.__class__(transport=visitor.client._transport, base_url=visitor.client.base_url,
                                         cookies=cookies)
        async with other:
            assert (await other.post("/deconnexion", data={"_csrf_token": visitor.csrf_token()})).status_code == 303

    await end_while_a_write_is_in_flight(visitor, store, log_out_in_another_tab)


async def test_a_session_of_an_account_blocked_meanwhile_does_not_come_back(visitor, store):
    await signed_in(visitor)
    await visitor.page(DOSSIER)

    async def block():
        assert await set_account_blocked(MARIE, True, administrator="test")

    await end_while_a_write_is_in_flight(visitor, store, block)


async def test_a_blocked_account_is_refused_at_its_next_request_even_if_its_sessions_were_not_ended(
        visitor, store, monkeypatch):
    """`guichet account block` run where the session store is not reachable (Redis not configured
    for the command) ends no session: the account's block is what refuses it."""
    await signed_in(visitor)

    async def no_op(person_id):
        return None

    monkeypatch.setattr(type(store), "delete_for_person", lambda self, person_id: no_op(person_id))
    assert await set_account_blocked(MARIE, True, administrator="test")
    answer = await visitor.client.get(DOSSIER)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/identification")


async def test_many_tabs_of_one_live_session_never_get_a_5xx(visitor, store):
    await signed_in(visitor)
    await visitor.page(DOSSIER)
    token = visitor.csrf_token()
    answers = await asyncio.gather(*[
        visitor.client.post("/session/prolonger", data={"_csrf_token": token, "next": DOSSIER})
        if n % 2 else visitor.client.get(DOSSIER)
        for n in range(24)
    ])
    assert sorted({answer.status_code for answer in answers}) == [200, 303]
    assert (await visitor.client.get(DOSSIER)).status_code == 200
