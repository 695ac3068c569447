from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.registry.tables import Person


class Account(Table):
    """What a person uses with the keys that need a user name and a password."""

    person = ForeignKey(references=Person, null=False, unique=True, index=True)
    password_hash = Varchar(length=255)
    totp_secret = Varchar(length=64, null=True, default=None)
    # The last time step whose code was accepted: a code is never accepted twice (S5).
    totp_last_step = BigInt(default=0)
    blocked = Boolean(default=False)


class TokenCard(Table):
    """A personal card of numbered security codes; a new card revokes the previous one."""

    person = ForeignKey(references=Person, null=False, index=True)
    code_digests = JSON(default="{}")  # code number → HMAC of the code, never the code itself
    issued_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class EmailCode(Table):
    """A security code sent by e-mail, bound to one login attempt, valid 10 minutes, used once."""

    login_attempt = Varchar(length=64, index=True)
    person = ForeignKey(references=Person, null=False)
    code_digest = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    tries = Integer(default=0)


class Session(Table, tablename="identity_session"):
    """A server-side session; the browser holds only a random key whose digest is stored here."""

    key_digest = Varchar(length=64, unique=True, index=True)
    person = ForeignKey(references=Person, null=True, default=None)
    level = Integer(default=0)
    digital_key = Varchar(length=32, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()  # the absolute limit (8 hours)
    data = JSON(default="{}")  # login in progress: pending person, OpenID Connect state, ...


class ThrottleCounter(Table):
    """Failed attempts per scope (an account, a code, an address), shared by every instance."""

    scope = Varchar(length=200, unique=True, index=True)
    window_started_at = Timestamptz(default=TimestamptzNow())
    failures = Integer(default=0)
