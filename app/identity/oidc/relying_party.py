"""The OpenID Connect relying party of the eID and itsme keys.

Authorization code flow with PKCE (S256), `state`, `nonce` and `acr_values` (the FAS level of the
key, `ACR_VALUES`). The provider is found by discovery (`<issuer>/.well-known/openid-configuration`);
the ID token's signature is checked against the provider's JWKS, and its `iss`, `aud`, `exp`,
`iat`, `nonce` and `acr` are checked. Its `niss` claim, or else its `sub`, is the person's NISS.

Which provider:

- `GUICHET_OIDC_ISSUER`, `GUICHET_OIDC_CLIENT_ID` (and `GUICHET_OIDC_CLIENT_SECRET`) when set: FAS
  in production, any OpenID Connect provider elsewhere; reached over the network;
- else, in the acceptance environment, Guichet's built-in provider (app/acceptance/identity_provider;
  issuer: the request's origin + /fournisseur-test), called in-process through the running app, so
  that no network call to itself is needed. Its address and its one client (`guichet`, whose secret
  is derived from the secret key) are defined below, and the provider reads them from here: the
  acceptance package depends on app.identity, never the reverse;
- else (production without configuration): none, and the keys say so (`Reason.NOT_CONFIGURED`).

The login in progress (state, nonce, code verifier, key, issuer) lives in the session's data under
`oidc`, and is removed as soon as the provider's answer comes back: a state works once.
Protocol helpers come from authlib, the JOSE work from joserfc; nothing here is hand-made crypto.
"""

from __future__ import annotations

import asyncio
import base64
import enum
import hashlib
import hmac
import ipaddress
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from litestar.connection import ASGIConnection

from app.config import get_settings
from app.identity.sessions import current_session, update_session_data
from app.rules.assurance import ACR_VALUES, DigitalKey
from app.rules.identifiers import ValidationError, compact_niss
from app.web.urls import path_for

logger = logging.getLogger("guichet.identity.oidc")

PENDING_KEY = "oidc"
LOGIN_LIFETIME = 600  # seconds between leaving for the provider and coming back
METADATA_LIFETIME = 300  # discovery documents and JWKS are kept this long
LEEWAY = 60  # clock skew tolerated on exp and iat
HTTP_TIMEOUT = 10.0
ID_TOKEN_ALGORITHMS = ("RS256", "PS256", "ES256")
CALLBACK_ROUTE = "identification_oidc_return"  # the redirect URI's route (routes.py)

# The built-in provider of the acceptance environment, as both sides know it.
BUILTIN_PROVIDER_PATH = "/fournisseur-test"
BUILTIN_CLIENT_ID = "guichet"


def builtin_client_secret() -> str:
    """The secret of the built-in client `guichet`: derived from the secret key, never stored."""
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, b"fournisseur-test|client secret", hashlib.sha256).hexdigest()


def origin_of(connection: ASGIConnection) -> str:
    return f"{connection.url.scheme}://{connection.url.netloc}"


class Reason(str, enum.Enum):
    """Why a login with the eID or itsme did not succeed; each has its page (routes.py)."""

    NOT_CONFIGURED = "not_configured"
    UNAVAILABLE = "unavailable"  # the provider does not answer, or answers nonsense
    STATE = "state"  # no login in progress, another one's answer, or too late
    CANCELLED = "cancelled"  # access_denied: the user stopped, or the provider refused
    PROVIDER_ERROR = "provider_error"  # any other error sent back by the provider
    INVALID_RESPONSE = "invalid_response"  # the code exchange or the ID token failed a check
    NONCE = "nonce"  # the ID token answers another authorization request
    LEVEL = "level"  # the provider did not confirm the key's level (acr)
    UNKNOWN_PERSON = "unknown_person"  # identified, but nobody with this NISS is known


class LoginFailed(Exception):
    def __init__(self, reason: Reason, detail: str = "", *, key: DigitalKey | None = None,
                 niss: str | None = None) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.key = key
        self.niss = niss


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str | None
    in_process: bool  # Guichet's own built-in provider, called through the running app


def provider_for(connection: ASGIConnection) -> Provider | None:
    """The provider of the eID and itsme keys for this request, or None when there is none."""
    settings = get_settings()
    builtin = origin_of(connection) + BUILTIN_PROVIDER_PATH
    if settings.oidc_issuer:
        if not settings.is_production and settings.oidc_issuer.rstrip("/") == builtin:
            return Provider(builtin, BUILTIN_CLIENT_ID, builtin_client_secret(), in_process=True)
        if not settings.oidc_client_id:
            return None
        return Provider(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret,
                        in_process=False)
    if settings.is_production:
        return None
    return Provider(builtin, BUILTIN_CLIENT_ID, builtin_client_secret(), in_process=True)


# -- HTTP -----------------------------------------------------------------------------------------


class InProcessTransport(httpx.ASGITransport):
    """Calls the running app directly. Each call runs in a task of its own, so that what the
    provider's request sets in context variables (its language, ...) stays out of this request."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await asyncio.create_task(super().handle_async_request(request))


def http_client(provider: Provider, connection: ASGIConnection) -> httpx.AsyncClient:
    """The client that talks to the provider: in-process for the built-in one, else the network."""
    if provider.in_process:
        transport = InProcessTransport(app=connection.app, client=("127.0.0.1", 0))
        return httpx.AsyncClient(transport=transport, timeout=HTTP_TIMEOUT)
    return httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _usable_endpoint(url: Any, provider: Provider) -> bool:
    """Endpoints are HTTPS, except for the built-in provider and a provider on this machine."""
    if not isinstance(url, str):
        return False
    scheme = urlsplit(url).scheme
    return scheme == "https" or (scheme == "http" and (provider.in_process or _is_loopback(url)))


async def _get_json(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    try:
        response = await client.get(url, headers={"Accept": "application/json"})
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise LoginFailed(Reason.UNAVAILABLE, f"GET {url}: {error!r}") from None
    if response.status_code != 200:
        raise LoginFailed(Reason.UNAVAILABLE, f"GET {url}: HTTP {response.status_code}")
    try:
        document = response.json()
    except ValueError:
        raise LoginFailed(Reason.UNAVAILABLE, f"GET {url}: not JSON") from None
    if not isinstance(document, dict):
        raise LoginFailed(Reason.UNAVAILABLE, f"GET {url}: not a JSON object")
    return document


# Per process: discovery documents by issuer, key sets by JWKS address, each with its expiry.
# (The built-in provider's issuer follows the Host header: the caches are kept small.)
_metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_key_set_cache: dict[str, tuple[float, KeySet]] = {}
CACHE_SIZE = 32


def _remember(cache: dict[str, tuple[float, Any]], name: str, value: Any) -> None:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[name] = (time.monotonic() + METADATA_LIFETIME, value)


async def discover(client: httpx.AsyncClient, provider: Provider) -> dict[str, Any]:
    cached = _metadata_cache.get(provider.issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    metadata = await _get_json(client, url)
    if metadata.get("issuer") != provider.issuer:
        raise LoginFailed(Reason.UNAVAILABLE, f"{url} names the issuer {metadata.get('issuer')!r}")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not _usable_endpoint(metadata.get(endpoint), provider):
            raise LoginFailed(Reason.UNAVAILABLE, f"{url}: unusable {endpoint}")
    _remember(_metadata_cache, provider.issuer, metadata)
    return metadata


async def _key_set(client: httpx.AsyncClient, jwks_uri: str, *, refresh: bool = False) -> KeySet:
    cached = _key_set_cache.get(jwks_uri)
    if cached and cached[0] > time.monotonic() and not refresh:
        return cached[1]
    document = await _get_json(client, jwks_uri)
    try:
        key_set = KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise LoginFailed(Reason.UNAVAILABLE, f"{jwks_uri}: unusable key set ({error!r})") from None
    _remember(_key_set_cache, jwks_uri, key_set)
    return key_set


# -- the authorization request ---------------------------------------------------------------------


async def begin(connection: ASGIConnection, key: DigitalKey) -> str:
    """Starts a login with `key`: remembers state, nonce and code verifier in the session and
    returns the provider's authorization URL to send the browser to."""
    provider = provider_for(connection)
    if provider is None:
        raise LoginFailed(Reason.NOT_CONFIGURED, key=key)
    async with http_client(provider, connection) as client:
        metadata = await discover(client, provider)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = generate_token(64)  # letters and digits: a valid PKCE verifier (RFC 7636 §4.1)
    redirect_uri = origin_of(connection) + path_for(connection, CALLBACK_ROUTE)
    await update_session_data(connection, **{PENDING_KEY: {
        "key": key.value, "issuer": provider.issuer, "state": state, "nonce": nonce,
        "verifier": verifier, "redirect_uri": redirect_uri, "started": int(time.time()),
    }})
    return prepare_grant_uri(
        metadata["authorization_endpoint"],
        provider.client_id,
        "code",
        redirect_uri=redirect_uri,
        scope="openid",
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
        acr_values=ACR_VALUES[key],
    )


# -- the provider's answer ------------------------------------------------------------------------


async def finish(connection: ASGIConnection, params: Mapping[str, str]) -> tuple[DigitalKey, str]:
    """Checks the provider's answer at the redirect URI; returns the key used and the NISS."""
    session = current_session(connection)
    pending = session.data.get(PENDING_KEY) if session else None
    if not pending:
        raise LoginFailed(Reason.STATE, "no login in progress in this session")
    await update_session_data(connection, **{PENDING_KEY: None})  # a state is used once
    key = DigitalKey(pending["key"])
    if not hmac.compare_digest((params.get("state") or "").encode(), pending["state"].encode()):
        raise LoginFailed(Reason.STATE, "the state does not match", key=key)
    if time.time() - pending["started"] > LOGIN_LIFETIME:
        raise LoginFailed(Reason.STATE, "the login took too long", key=key)
    if params.get("iss") is not None and params["iss"] != pending["issuer"]:
        raise LoginFailed(Reason.INVALID_RESPONSE, f"answer from issuer {params['iss']!r}", key=key)
    if params.get("error"):
        reason = Reason.CANCELLED if params["error"] == "access_denied" else Reason.PROVIDER_ERROR
        description = params.get("error_description", "")
        raise LoginFailed(reason, f"{params['error']!r}: {description!r}", key=key)
    if not params.get("code"):
        raise LoginFailed(Reason.PROVIDER_ERROR, "no code in the answer", key=key)
    provider = provider_for(connection)
    if provider is None or provider.issuer != pending["issuer"]:
        raise LoginFailed(Reason.UNAVAILABLE, "the provider changed during the login", key=key)
    async with http_client(provider, connection) as client:
        metadata = await discover(client, provider)
        iss_expected = metadata.get("authorization_response_iss_parameter_supported")
        if iss_expected and params.get("iss") is None:
            raise LoginFailed(Reason.INVALID_RESPONSE, "the answer does not name its issuer", key=key)
        id_token = await _exchange_code(client, provider, metadata, params["code"], pending, key)
        claims = await _verified_claims(client, provider, metadata, id_token, pending["nonce"], key)
    subject = claims.get("niss") or claims.get("sub")
    try:
        niss = compact_niss(str(subject))
    except ValidationError:
        raise LoginFailed(Reason.UNKNOWN_PERSON, "the subject is not a NISS", key=key) from None
    return key, niss


def _client_authentication(
    provider: Provider, metadata: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """The headers and form fields that authenticate Guichet at the token endpoint."""
    if provider.client_secret is None:
        return {}, {"client_id": provider.client_id}  # a public client: PKCE alone
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" not in methods and "client_secret_post" in methods:
        return {}, {"client_id": provider.client_id, "client_secret": provider.client_secret}
    # RFC 6749 §2.3.1: both are form-encoded before they are joined and base64-encoded.
    credentials = f"{quote_plus(provider.client_id)}:{quote_plus(provider.client_secret)}"
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}, {}


async def _exchange_code(client: httpx.AsyncClient, provider: Provider, metadata: Mapping[str, Any],
                         code: str, pending: Mapping[str, Any], key: DigitalKey) -> str:
    headers, fields = _client_authentication(provider, metadata)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending["redirect_uri"],
        "code_verifier": pending["verifier"],
        **fields,
    }
    try:
        response = await client.post(metadata["token_endpoint"], data=form,
                                     headers={"Accept": "application/json", **headers})
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise LoginFailed(Reason.UNAVAILABLE, f"token endpoint: {error!r}", key=key) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code != 200 or not isinstance(answer, dict):
        error = answer.get("error") if isinstance(answer, dict) else None
        raise LoginFailed(Reason.INVALID_RESPONSE,
                          f"token endpoint: HTTP {response.status_code} {error or ''}", key=key)
    id_token = answer.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise LoginFailed(Reason.INVALID_RESPONSE, "token endpoint: no ID token", key=key)
    return id_token


async def _verified_claims(client: httpx.AsyncClient, provider: Provider, metadata: Mapping[str, Any],
                           id_token: str, nonce: str, key: DigitalKey) -> dict[str, Any]:
    advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in ID_TOKEN_ALGORITHMS if alg in advertised]
    if not algorithms:
        raise LoginFailed(Reason.UNAVAILABLE, f"no supported ID token algorithm in {advertised}", key=key)
    try:
        key_set = await _key_set(client, metadata["jwks_uri"])
        try:
            token = jwt.decode(id_token, key_set, algorithms=algorithms)
        except InvalidKeyIdError:  # the provider may have rotated its keys: fetch them once more
            key_set = await _key_set(client, metadata["jwks_uri"], refresh=True)
            token = jwt.decode(id_token, key_set, algorithms=algorithms)
        claims = dict(token.claims)
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        ).validate(claims)
    except (JoseError, ValueError, TypeError) as error:
        raise LoginFailed(Reason.INVALID_RESPONSE, f"ID token: {error!r}", key=key) from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise LoginFailed(Reason.INVALID_RESPONSE, "ID token: azp is not Guichet", key=key)
    if not hmac.compare_digest(str(claims.get("nonce") or "").encode(), nonce.encode()):
        raise LoginFailed(Reason.NONCE, "ID token: the nonce does not match", key=key)
    if claims.get("acr") != ACR_VALUES[key]:
        raise LoginFailed(Reason.LEVEL, f"ID token: acr {claims.get('acr')!r}", key=key)
    return claims
