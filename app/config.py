"""One settings object, read once from the environment (GUICHET_*)."""

from __future__ import annotations

import enum
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
LOCALE_DIR = PROJECT_ROOT / "app" / "locale"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


class Environment(str, enum.Enum):
    ACCEPTANCE = "acceptance"
    PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The environment does not describe a Guichet that can start."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    environment: Environment
    secret_key: str
    redis_url: str | None
    smtp_url: str | None
    # The OpenID Connect provider of the eID and itsme keys (FAS in production). Unset in
    # acceptance: Guichet's built-in test provider answers instead.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    # The site's public address (https://...), for the links of e-mails. Required in production:
    # never taken from a request's Host header there, which a client chooses.
    public_url: str | None = None
    # The key of the audit trail's chain (HMAC-SHA-256); when unset, derived from secret_key. Never
    # stored in the database, so that whoever can write to it cannot rewrite the chain.
    audit_key: str | None = None

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")


def _read_environment() -> Environment:
    raw = os.environ.get("GUICHET_ENV", Environment.ACCEPTANCE.value).strip().lower()
    try:
        return Environment(raw)
    except ValueError:
        allowed = ", ".join(e.value for e in Environment)
        raise ConfigurationError(f"GUICHET_ENV={raw!r}: expected one of {allowed}") from None


def _read_database_url() -> str:
    url = os.environ.get("GUICHET_DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"
    if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigurationError(
            "GUICHET_DATABASE_URL must start with sqlite:/// or postgresql://"
        )
    return url


def _read_secret_key(environment: Environment) -> str:
    key = os.environ.get("GUICHET_SECRET_KEY", "").strip()
    if key:
        if len(key) < 32:
            raise ConfigurationError("GUICHET_SECRET_KEY must be at least 32 characters long")
        return key
    if environment is Environment.PRODUCTION:
        raise ConfigurationError("GUICHET_SECRET_KEY is required in production")
    # Acceptance: generated once and kept under var/, so that restarts keep sessions valid.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = VAR_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, key_file)  # atomic: the first worker to start wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def _read_public_url() -> str | None:
    url = _optional("GUICHET_PUBLIC_URL")
    if url is not None and not url.startswith(("https://", "http://")):
        raise ConfigurationError("GUICHET_PUBLIC_URL must be an address starting with https://")
    return url.rstrip("/") if url else None


def check_can_serve(settings: Settings) -> None:
    """What a server needs beyond what every command needs: in production, the public address
    (e-mail links are never built from a request's Host header, which the client chooses)."""
    if settings.is_production and settings.public_url is None:
        raise ConfigurationError("GUICHET_PUBLIC_URL is required in production (the address in e-mails)")


def _optional(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


@cache
def get_settings() -> Settings:
    environment = _read_environment()
    return Settings(
        database_url=_read_database_url(),
        environment=environment,
        secret_key=_read_secret_key(environment),
        redis_url=_optional("GUICHET_REDIS_URL"),
        smtp_url=_optional("GUICHET_SMTP_URL"),
        oidc_issuer=_optional("GUICHET_OIDC_ISSUER"),
        oidc_client_id=_optional("GUICHET_OIDC_CLIENT_ID"),
        oidc_client_secret=_optional("GUICHET_OIDC_CLIENT_SECRET"),
        public_url=_read_public_url(),
        audit_key=_optional("GUICHET_AUDIT_KEY"),
    )
