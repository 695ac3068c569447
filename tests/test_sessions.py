"""Session stores: the database (default) and Redis (GUICHET_REDIS_URL), the same contract."""

import datetime
import socket
import uuid
from dataclasses import replace

import pytest

from app.identity import sessions
from app.identity.sessions import (
    DatabaseSessionStore,
    RedisSessionStore,
    SessionState,
    digest,
    utcnow,
)
from app.rules.assurance import DigitalKey, Level

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def new_state(person_id: int | None = None) -> SessionState:
    now = utcnow()
    return SessionState(
        key_digest=digest(uuid.uuid4().hex), person_id=person_id, level=Level.SUBSTANTIAL,
        digital_key=DigitalKey.TOKEN, created_at=now, last_seen_at=now,
        expires_at=now + sessions.ABSOLUTE_TIMEOUT, data={"next": "/mes-cles"},
    )


@pytest.fixture(params=["database", "redis"])
async def store(request, database):
    if request.param == "database":
        yield DatabaseSessionStore()
        return
    if not redis_reachable():
        pytest.skip("no Redis at 127.0.0.1:6379")
    store = RedisSessionStore(REDIS_URL)
    yield store
    await store.redis.flushdb()
    await store.redis.aclose()


async def person() -> int:
    from app.demo import load_demo_data
    from app.registry.tables import Person

    await load_demo_data()
    return (await Person.select(Person.id).where(Person.username == "jan.peeters").first())["id"]


async def test_a_saved_session_is_loaded_as_it_was(store):
    state = new_state(await person())
    await store.create(state)
    loaded = await store.load(state.key_digest)
    assert loaded.person_id == state.person_id and loaded.level is Level.SUBSTANTIAL
    assert loaded.digital_key is DigitalKey.TOKEN and loaded.data == {"next": "/mes-cles"}
    assert abs(loaded.expires_at - state.expires_at) < datetime.timedelta(seconds=1)


async def test_a_changed_session_is_saved_again(store):
    state = new_state()
    await store.create(state)
    assert await store.update(replace(state, data={"pending": {"key": "token"}}))
    assert (await store.load(state.key_digest)).data == {"pending": {"key": "token"}}


async def test_an_ended_session_is_not_written_back(store):
    """S1: a request that read the session before it was ended cannot bring it back."""
    state = new_state()
    await store.create(state)
    await store.delete(state.key_digest)
    assert not await store.update(replace(state, data={"late": "write"}))
    assert await store.load(state.key_digest) is None


async def test_deleting_a_session_and_all_sessions_of_a_person(store):
    person_id = await person()
    first, second, other = new_state(person_id), new_state(person_id), new_state()
    for state in (first, second, other):
        await store.create(state)
    await store.delete(first.key_digest)
    assert await store.load(first.key_digest) is None
    await store.delete_for_person(person_id)
    assert await store.load(second.key_digest) is None
    assert await store.load(other.key_digest) is not None


def test_idle_and_absolute_limits():
    state = new_state()
    assert not state.expired(state.last_seen_at + datetime.timedelta(minutes=14))
    assert state.expired(state.last_seen_at + datetime.timedelta(minutes=15))
    old = replace(state, expires_at=state.created_at + datetime.timedelta(hours=8),
                  last_seen_at=state.created_at + datetime.timedelta(hours=7, minutes=59))
    assert old.expired(state.created_at + datetime.timedelta(hours=8))


async def test_an_idle_session_is_refused_and_removed(visitor, client, database):
    from app.identity.tables import Session
    from tests.test_identity import sign_in_with_mobile_app

    await person()
    await sign_in_with_mobile_app(visitor)
    assert (await client.get("/mes-cles")).status_code == 200
    sixteen_minutes_ago = utcnow() - datetime.timedelta(minutes=16)
    await Session.update({Session.last_seen_at: sixteen_minutes_ago}, force=True)
    assert (await client.get("/mes-cles")).status_code == 303
    assert await Session.count().where(Session.person.is_not_null()) == 0


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
async def test_with_redis_configured_a_login_lives_in_redis(visitor, client, database, monkeypatch):
    from app.identity.tables import Session
    from tests.test_identity import sign_in_with_mobile_app

    redis_store = RedisSessionStore(REDIS_URL)
    monkeypatch.setattr(sessions, "session_store", lambda: redis_store)
    try:
        await person()
        await sign_in_with_mobile_app(visitor)
        assert (await client.get("/mes-cles")).status_code == 200
        assert await Session.count() == 0
        assert await redis_store.redis.dbsize() >= 1
    finally:
        await redis_store.redis.flushdb()
        await redis_store.redis.aclose()


async def test_expired_sessions_are_purged(database):
    from app.identity.tables import Session

    store = DatabaseSessionStore()
    fresh, idle = new_state(), new_state()
    idle = replace(idle, last_seen_at=utcnow() - datetime.timedelta(minutes=20))
    await store.create(fresh)
    await store.create(idle)
    await store.purge_expired()
    remaining = await Session.select(Session.key_digest)
    assert [row["key_digest"] for row in remaining] == [fresh.key_digest]


async def test_a_session_opened_on_one_instance_works_on_another(visitor, client, database):
    """R4: two app instances on one database behave as one."""
    import httpx

    from app.asgi import create_app
    from tests.test_identity import sign_in_with_mobile_app

    await person()
    await sign_in_with_mobile_app(visitor)
    other_instance = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other_instance),
                                 base_url="http://127.0.0.1", cookies=client.cookies) as other:
        response = await other.get("/mes-cles")
        assert response.status_code == 200
        assert "Marie Dubois" in response.text
