"""The protocol of the acceptance identity provider.

It speaks the OpenID Connect protocol that FAS speaks in production (authorization code flow, PKCE
S256, `acr_values`, ID tokens signed RS256), so that the relying party runs the same code in both
environments. Its address, its one client `guichet` and that client's secret are the relying
party's (app/identity/oidc/relying_party.py); the routes are in routes.py.

    issuer = the request's origin + /fournisseur-test

Where things are kept:

- the authorization request in progress, the chosen identity and the failed PIN tries live in the
  browser's session data (key `fournisseur_test`), like any login in progress;
- an authorization code is an encrypted reference (JWE, key derived from the secret key) to that
  session and to a random id. The code's details (client, redirect URI, PKCE challenge, nonce,
  person, 60 s expiry) stay in the session; the token endpoint removes them as it redeems the code,
  so a code works once. Sessions are in the database or Redis, so every worker finds them;
- the RSA key that signs the ID tokens is generated once into var/ (as app/config.py keeps the
  secret key), so several workers sign with the same key.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwe, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey, RSAKey
from litestar import MediaType, Request
from litestar.connection import ASGIConnection
from litestar.response import Redirect, Response

from app.config import VAR_DIR, get_settings
from app.identity.oidc.relying_party import (
    BUILTIN_CLIENT_ID,
    BUILTIN_PROVIDER_PATH,
    CALLBACK_ROUTE,
    builtin_client_secret,
    origin_of,
)
from app.identity.sessions import current_session, session_store, update_session_data
from app.registry.demo import DEMO_IDENTITIES
from app.registry.services import PersonRecord
from app.rules.assurance import ACR_VALUES, DigitalKey
from app.web.urls import path_for

PROVIDER_PATH = BUILTIN_PROVIDER_PATH
CODE_LIFETIME = 60  # seconds
ID_TOKEN_LIFETIME = 300
ACCESS_TOKEN_LIFETIME = 300
SESSION_KEY = "fournisseur_test"
# The file name predates the package's name; kept so that an existing var/ keeps its key.
SIGNING_KEY_FILE = VAR_DIR / "test_provider_signing_key.pem"
LEVEL_EID = ACR_VALUES[DigitalKey.EID]
LEVEL_ITSME = ACR_VALUES[DigitalKey.ITSME]
SUPPORTED_ACR = (LEVEL_EID, LEVEL_ITSME)
# RFC 7636 §4.1: 43 to 128 characters among the unreserved ones.
PKCE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
DEMO_PEOPLE: dict[str, PersonRecord] = {
    identity.person.niss: identity.person for identity in DEMO_IDENTITIES
}


# -- the provider's keys --------------------------------------------------------------------------


def _code_key() -> OctKey:
    secret = get_settings().secret_key.encode()
    return OctKey.import_key(
        hmac.new(secret, b"fournisseur-test|authorization codes", hashlib.sha256).digest()
    )


def _create_key_file() -> None:
    """A new RSA key, written atomically: when several workers start at once, the first one wins."""
    SIGNING_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    draft = SIGNING_KEY_FILE.with_name(f".{SIGNING_KEY_FILE.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(RSAKey.generate_key(2048).as_pem(private=True))
    try:
        os.link(draft, SIGNING_KEY_FILE)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


@cache
def signing_key() -> RSAKey:
    if not SIGNING_KEY_FILE.exists():
        _create_key_file()
    pem = SIGNING_KEY_FILE.read_bytes()
    kid = RSAKey.import_key(pem).thumbprint()
    return RSAKey.import_key(pem, {"kid": kid, "use": "sig", "alg": "RS256"})


def issuer_of(connection: ASGIConnection) -> str:
    return origin_of(connection) + PROVIDER_PATH


def redirect_uri_of(connection: ASGIConnection) -> str:
    """The redirect URI registered for the built-in client: Guichet's own, on the same origin."""
    return origin_of(connection) + path_for(connection, CALLBACK_ROUTE)


# -- discovery ------------------------------------------------------------------------------------


def discovery_document(connection: ASGIConnection) -> dict[str, Any]:
    origin = origin_of(connection)
    return {
        "issuer": issuer_of(connection),
        "authorization_endpoint": origin + path_for(connection, "acceptance_provider_authorization"),
        "token_endpoint": origin + path_for(connection, "acceptance_provider_token"),
        "jwks_uri": origin + path_for(connection, "acceptance_provider_jwks"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": list(SUPPORTED_ACR),
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr",
                             "amr", "given_name", "family_name"],
        "authorization_response_iss_parameter_supported": True,
    }


def key_set() -> dict[str, Any]:
    """The JWKS: the public part of the signing key."""
    return {"keys": [signing_key().as_dict(private=False)]}


# -- the authorization in progress ---------------------------------------------------------------


def progress_of(connection: ASGIConnection) -> dict[str, Any] | None:
    session = current_session(connection)
    progress = session.data.get(SESSION_KEY) if session else None
    return progress if progress and progress.get("request") else None


def back_url(pending: dict[str, Any], params: dict[str, str]) -> str:
    """The client's redirect URI with the answer, its state and the issuer (RFC 9207)."""
    answer = dict(params)
    if pending.get("state"):
        answer["state"] = pending["state"]
    answer["iss"] = pending["issuer"]
    return add_params_to_uri(pending["redirect_uri"], answer)


def back_to_client(pending: dict[str, Any], params: dict[str, str]) -> Redirect:
    return Redirect(path=back_url(pending, params), status_code=303)


async def issue_code(request: Request, progress: dict[str, Any]) -> Redirect:
    """The person proved who they are: a single-use code, bound to this session, back to the client."""
    pending = progress["request"]
    code_id = secrets.token_urlsafe(16)
    session = current_session(request)
    record = {
        "id": code_id,
        "expires": int(time.time()) + CODE_LIFETIME,
        "niss": progress["niss"],
        "auth_time": int(time.time()),
        **{name: pending[name] for name in
           ("issuer", "client_id", "redirect_uri", "code_challenge", "nonce", "acr", "scope")},
    }
    await update_session_data(request, **{SESSION_KEY: {"code": record}})
    code = jwe.encrypt_compact(
        {"alg": "dir", "enc": "A256GCM"},
        f"{session.key_digest}.{code_id}",
        _code_key(),
    )
    return back_to_client(pending, {"code": code})


# -- the token endpoint --------------------------------------------------------------------------


class TokenError(Exception):
    def __init__(self, error: str, description: str, status_code: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status_code = status_code


# Redeeming reads the session, removes the code and saves the session: one redemption at a time in
# this process. (Two workers redeeming the same code in the same millisecond is the one race left;
# the relying party redeems each code once, and this provider exists only for acceptance.)
_redeeming = asyncio.Lock()


async def _redeem(code: str) -> dict[str, Any]:
    """The details of an authorization code, removed from its session: a code works once."""
    try:
        reference = jwe.decrypt_compact(code, _code_key()).plaintext.decode()
        key_digest, code_id = reference.split(".", 1)
    except (JoseError, ValueError, UnicodeDecodeError):
        raise TokenError("invalid_grant", "unknown authorization code") from None
    async with _redeeming:
        store = session_store()
        state = await store.load(key_digest)
        record = (state.data.get(SESSION_KEY) or {}).get("code") if state else None
        if not record or not hmac.compare_digest(record["id"], code_id):
            raise TokenError("invalid_grant", "authorization code unknown, expired or already used")
        data = {name: value for name, value in state.data.items() if name != SESSION_KEY}
        await store.update(replace(state, data=data))
    if record["expires"] < time.time():
        raise TokenError("invalid_grant", "authorization code expired")
    return record


def _authenticated_client(request: Request) -> str:
    client_id, client_secret = extract_basic_authorization(request.headers)
    valid = (
        client_id is not None
        and client_secret is not None
        and hmac.compare_digest(client_id.encode(), BUILTIN_CLIENT_ID.encode())
        and hmac.compare_digest(client_secret.encode(), builtin_client_secret().encode())
    )
    if not valid:
        raise TokenError("invalid_client", "client authentication failed", status_code=401)
    return client_id


def _id_token(record: dict[str, Any], client_id: str) -> str:
    person = DEMO_PEOPLE[record["niss"]]
    now = int(time.time())
    claims = {
        "iss": record["issuer"],
        "sub": person.niss,
        "aud": client_id,
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "auth_time": record["auth_time"],
        "acr": record["acr"],
        "amr": ["hwk", "pin"] if record["acr"] == LEVEL_EID else ["swk", "mfa"],
        "given_name": person.first_name,
        "family_name": person.last_name,
    }
    if record.get("nonce"):
        claims["nonce"] = record["nonce"]
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)


def _json(content: dict[str, Any], status_code: int = 200,
          headers: dict[str, str] | None = None) -> Response:
    return Response(content=content, status_code=status_code, media_type=MediaType.JSON,
                    headers={"Cache-Control": "no-store", "Pragma": "no-cache", **(headers or {})})


async def token_answer(request: Request, form: Mapping[str, Any]) -> Response:
    """The token endpoint's answer to the client's form: an ID token, or a JSON error."""
    try:
        client_id = _authenticated_client(request)
        if form.get("grant_type") != "authorization_code":
            raise TokenError("unsupported_grant_type", "only authorization_code is supported")
        record = await _redeem(form.get("code") or "")
        # The code is spent now, whatever follows (RFC 6749 §4.1.2: used once).
        if record["client_id"] != client_id or form.get("redirect_uri") != record["redirect_uri"]:
            raise TokenError("invalid_grant", "the code was issued to another client or redirect URI")
        verifier = form.get("code_verifier") or ""
        if not PKCE_VERIFIER.fullmatch(verifier) or not hmac.compare_digest(
            create_s256_code_challenge(verifier), record["code_challenge"]
        ):
            raise TokenError("invalid_grant", "PKCE verification failed")
    except TokenError as error:
        headers = None
        if error.status_code == 401:
            headers = {"WWW-Authenticate": 'Basic realm="fournisseur-test"'}
        return _json({"error": error.error, "error_description": error.description},
                     status_code=error.status_code, headers=headers)
    return _json({
        "access_token": secrets.token_urlsafe(32),
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_LIFETIME,
        "scope": record["scope"],
        "id_token": _id_token(record, client_id),
    })
