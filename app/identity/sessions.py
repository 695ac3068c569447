"""Server-side sessions (budget S1).

The browser holds only a random key (cookie `guichet_session`, HttpOnly, SameSite=Lax, Secure in
production); the store keeps the session under the key's SHA-256 digest, in the database by default
or in Redis when GUICHET_REDIS_URL is set, so that sessions survive a restart and work across app
instances. A key the store does not know is ignored: the server never adopts a key the client chose,
and every login or step-up gives a new key (`sign_in` rotates), so a planted key never becomes a
signed-in session. Idle timeout 15 minutes, absolute limit 8 hours.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Protocol

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.clock import utcnow
from app.config import get_settings
from app.db.sqlite import on_event_loop
from app.identity.tables import Account, Session
from app.rules.assurance import DigitalKey, Level
from app.web.csrf import bind_csrf_tokens
from app.web.security import add_cookie, guichet_cookie, is_stateless

SESSION_COOKIE = "guichet_session"
IDLE_TIMEOUT = datetime.timedelta(minutes=15)
ABSOLUTE_TIMEOUT = datetime.timedelta(hours=8)
# last_seen is written at most this often, so that a page view costs one read, not a write.
TOUCH_INTERVAL = datetime.timedelta(seconds=30)
PURGE_ONE_IN = 100
_STATE_KEY = "guichet_session"
_COOKIE_KEY = "guichet_session_cookie"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class SessionState:
    key_digest: str
    person_id: int | None
    level: Level
    digital_key: DigitalKey | None
    created_at: datetime.datetime
    last_seen_at: datetime.datetime
    expires_at: datetime.datetime
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        return self.person_id is not None and self.level > Level.NONE

    @property
    def idle_expires_at(self) -> datetime.datetime:
        return min(self.last_seen_at + IDLE_TIMEOUT, self.expires_at)

    def seconds_left(self, now: datetime.datetime | None = None) -> int:
        """Until the idle timeout: what the page's warning counts down from. A duration, not a
        time of day, so that a browser whose clock is wrong still warns at the right moment."""
        return max(0, int((self.idle_expires_at - (now or utcnow())).total_seconds()))

    def expired(self, now: datetime.datetime) -> bool:
        return now >= self.idle_expires_at

    def to_json(self) -> str:
        return json.dumps({
            "key_digest": self.key_digest, "person_id": self.person_id, "level": int(self.level),
            "digital_key": self.digital_key.value if self.digital_key else None,
            "created_at": self.created_at.isoformat(), "last_seen_at": self.last_seen_at.isoformat(),
            "expires_at": self.expires_at.isoformat(), "data": self.data,
        })

    @classmethod
    def from_json(cls, raw: str | bytes) -> SessionState:
        values = json.loads(raw)
        return cls(
            key_digest=values["key_digest"], person_id=values["person_id"],
            level=Level(values["level"]),
            digital_key=DigitalKey(values["digital_key"]) if values["digital_key"] else None,
            created_at=datetime.datetime.fromisoformat(values["created_at"]),
            last_seen_at=datetime.datetime.fromisoformat(values["last_seen_at"]),
            expires_at=datetime.datetime.fromisoformat(values["expires_at"]),
            data=values["data"],
        )


class SessionStore(Protocol):
    """A session is created once, under a new random key; after that it is only ever updated, and an
    update of a session that was ended meanwhile (logout, block, password change, expiry) finds
    nothing and says so: a request in flight never brings an ended session back (S1)."""

    async def load(self, key_digest: str) -> SessionState | None: ...
    async def create(self, state: SessionState) -> None: ...
    async def update(self, state: SessionState) -> bool: ...
    async def delete(self, key_digest: str) -> None: ...
    async def delete_for_person(self, person_id: int) -> None: ...


class SessionEnded(NotAuthorizedException):
    """The request's session was ended on the server while the request was being answered."""

    detail = "session ended"


# The account's block is read with the session: a blocked account's session does not open anything,
# even where blocking could not end it (a store the administrator's command did not reach).
_LOAD_SESSION = (
    "SELECT s.key_digest, s.person, s.level, s.digital_key, s.created_at, s.last_seen_at, s.expires_at, "
    f"s.data, a.blocked FROM {Session._meta.tablename} s LEFT JOIN {Account._meta.tablename} a "
    "ON a.person = s.person WHERE s.key_digest = {}"
)
_ACCOUNT_BLOCKED = f"SELECT blocked FROM {Account._meta.tablename} WHERE person = {{}}"


async def _account_blocked(person_id: int) -> bool:
    with on_event_loop():
        rows = await Account.raw(_ACCOUNT_BLOCKED, person_id)
    return bool(rows and rows[0]["blocked"])


class DatabaseSessionStore:
    """Sessions in the `identity_session` table. Now and then, a new session also removes the
    expired ones, so that visitors who never log out do not fill the table."""

    async def purge_expired(self) -> None:
        now = utcnow()
        await Session.delete().where(
            (Session.last_seen_at < now - IDLE_TIMEOUT) | (Session.expires_at < now)
        )

    async def load(self, key_digest: str) -> SessionState | None:
        # Raw SQL: this runs on every request, and building the query costs more than running it;
        # on SQLite this one-row read by a unique key runs on the event loop's thread.
        with on_event_loop():
            rows = await Session.raw(_LOAD_SESSION, key_digest)
        if not rows:
            return None
        row = rows[0]
        if row["blocked"]:
            await self.delete(key_digest)
            return None
        data = row["data"]
        return SessionState(
            key_digest=row["key_digest"], person_id=row["person"], level=Level(row["level"]),
            digital_key=DigitalKey(row["digital_key"]) if row["digital_key"] else None,
            created_at=row["created_at"], last_seen_at=row["last_seen_at"],
            expires_at=row["expires_at"],
            data=json.loads(data) if isinstance(data, str) else (data or {}),
        )

    async def create(self, state: SessionState) -> None:
        if secrets.randbelow(PURGE_ONE_IN) == 0:
            await self.purge_expired()
        await Session.insert(Session(
            key_digest=state.key_digest, person=state.person_id, level=int(state.level),
            digital_key=state.digital_key.value if state.digital_key else None,
            created_at=state.created_at, last_seen_at=state.last_seen_at,
            expires_at=state.expires_at, data=json.dumps(state.data),
        ))

    async def update(self, state: SessionState) -> bool:
        values = {
            Session.level: int(state.level),
            Session.digital_key: state.digital_key.value if state.digital_key else None,
            Session.last_seen_at: state.last_seen_at, Session.data: json.dumps(state.data),
        }
        updated = await Session.update(values).where(
            Session.key_digest == state.key_digest
        ).returning(Session.id)
        return bool(updated)

    async def delete(self, key_digest: str) -> None:
        await Session.delete().where(Session.key_digest == key_digest)

    async def delete_for_person(self, person_id: int) -> None:
        await Session.delete().where(Session.person == person_id)


class RedisSessionStore:
    """Sessions in Redis, each expiring by itself at its idle or absolute limit."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.redis = redis.Redis.from_url(url)

    @staticmethod
    def _key(key_digest: str) -> str:
        return f"guichet:session:{key_digest}"

    @staticmethod
    def _person_key(person_id: int) -> str:
        return f"guichet:person-sessions:{person_id}"

    async def load(self, key_digest: str) -> SessionState | None:
        raw = await self.redis.get(self._key(key_digest))
        if not raw:
            return None
        state = SessionState.from_json(raw)
        if state.person_id is not None and await _account_blocked(state.person_id):
            await self.delete(key_digest)
            return None
        return state

    @staticmethod
    def _seconds_left(state: SessionState) -> int:
        return max(1, int((state.idle_expires_at - utcnow()).total_seconds()) + 1)

    async def create(self, state: SessionState) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(state.key_digest), state.to_json(), ex=self._seconds_left(state), nx=True)
            if state.person_id is not None:
                pipe.sadd(self._person_key(state.person_id), state.key_digest)
                pipe.expire(self._person_key(state.person_id), int(ABSOLUTE_TIMEOUT.total_seconds()))
            await pipe.execute()

    async def update(self, state: SessionState) -> bool:
        # XX: only a session that still exists is written; one deleted meanwhile stays deleted.
        return bool(await self.redis.set(self._key(state.key_digest), state.to_json(),
                                         ex=self._seconds_left(state), xx=True))

    async def delete(self, key_digest: str) -> None:
        await self.redis.delete(self._key(key_digest))

    async def delete_for_person(self, person_id: int) -> None:
        digests = await self.redis.smembers(self._person_key(person_id))
        keys = [self._key(d.decode()) for d in digests]
        if keys:
            await self.redis.delete(*keys)
        await self.redis.delete(self._person_key(person_id))


@cache
def session_store() -> SessionStore:
    redis_url = get_settings().redis_url
    return RedisSessionStore(redis_url) if redis_url else DatabaseSessionStore()


# -- the request's session -----------------------------------------------------------------------


def current_session(connection: ASGIConnection) -> SessionState | None:
    return connection.scope.get("state", {}).get(_STATE_KEY)


def _remember(connection: ASGIConnection, state: SessionState | None, cookie_value: str | None) -> None:
    connection.scope.setdefault("state", {})[_STATE_KEY] = state
    connection.scope["state"][_COOKIE_KEY] = cookie_value
    bind_csrf_tokens(connection.scope, state.key_digest if state is not None else None)


def _new_state(**values: Any) -> tuple[str, SessionState]:
    key = secrets.token_urlsafe(32)
    now = utcnow()
    state = SessionState(
        key_digest=digest(key), person_id=None, level=Level.NONE, digital_key=None,
        created_at=now, last_seen_at=now, expires_at=now + ABSOLUTE_TIMEOUT, data={},
    )
    return key, replace(state, **values)


async def ensure_session(connection: ASGIConnection) -> SessionState:
    """The session of a login in progress: the current one, or a new anonymous one."""
    state = current_session(connection)
    if state is not None:
        return state
    key, state = _new_state()
    await session_store().create(state)
    _remember(connection, state, key)
    return state


async def _write(connection: ASGIConnection, state: SessionState) -> SessionState:
    """Writes the request's session back; if it was ended meanwhile, the request has none (SessionEnded)."""
    if not await session_store().update(state):
        _remember(connection, None, "")
        raise SessionEnded()
    connection.scope["state"][_STATE_KEY] = state
    return state


async def update_session_data(connection: ASGIConnection, **changes: Any) -> SessionState:
    """Stores values of a login in progress (a pending person, an OpenID Connect state, ...);
    a value of None removes the entry."""
    state = await ensure_session(connection)
    data = {**state.data, **changes}
    data = {name: value for name, value in data.items() if value is not None}
    return await _write(connection, replace(state, data=data))


async def sign_in(connection: ASGIConnection, person_id: int, key: DigitalKey, level: Level) -> SessionState:
    """A login or a step-up: the old session is destroyed and a new key given (rotation)."""
    old = current_session(connection)
    if old is not None:
        await session_store().delete(old.key_digest)
    kept = {}
    if old is not None and old.person_id == person_id and "next" in old.data:
        kept["next"] = old.data["next"]
    new_key, state = _new_state(person_id=person_id, level=level, digital_key=key, data=kept)
    await session_store().create(state)
    _remember(connection, state, new_key)
    return state


async def sign_out(connection: ASGIConnection) -> None:
    state = current_session(connection)
    if state is not None:
        await session_store().delete(state.key_digest)
    _remember(connection, None, "")


async def extend(connection: ASGIConnection) -> SessionState | None:
    """The user asked for more time: the idle timeout starts again (never past 8 hours)."""
    state = current_session(connection)
    if state is None:
        return None
    try:
        return await _write(connection, replace(state, last_seen_at=utcnow()))
    except SessionEnded:
        return None


class SessionMiddleware:
    """Loads the session of the request's cookie; sets, rotates or clears the cookie on the way out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_stateless(scope):
            await self.app(scope, receive, send)
            return
        connection = ASGIConnection(scope)
        key = connection.cookies.get(SESSION_COOKIE)
        state = None
        if key:
            store = session_store()
            state = await store.load(digest(key))
            now = utcnow()
            if state is not None and state.expired(now):
                await store.delete(state.key_digest)
                state = None
            elif state is not None and now - state.last_seen_at > TOUCH_INTERVAL:
                state = replace(state, last_seen_at=now)
                if not await store.update(state):
                    state = None  # ended since it was read
        scope.setdefault("state", {})[_STATE_KEY] = state
        bind_csrf_tokens(scope, state.key_digest if state is not None else None)
        # A cookie naming no session is cleared, so that the browser stops sending it.
        scope["state"][_COOKIE_KEY] = "" if key and state is None else None

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = scope["state"].get(_COOKIE_KEY)
                if value is not None:
                    max_age = int(ABSOLUTE_TIMEOUT.total_seconds()) if value else 0
                    add_cookie(message, guichet_cookie(SESSION_COOKIE, value, max_age=max_age))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
