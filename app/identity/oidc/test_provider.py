"""The built-in test identity provider of the acceptance environment.

It speaks the OpenID Connect protocol that FAS speaks in production (authorization code flow, PKCE
S256, `acr_values`, ID tokens signed RS256), so that the relying party runs the same code in both
environments. It is mounted only in acceptance (`app.identity.oidc.route_handlers`).

    issuer = the request's origin + /fournisseur-test

    GET       /fournisseur-test/.well-known/openid-configuration   discovery
    GET       /fournisseur-test/cles                               the JWKS (public keys)
    GET       /fournisseur-test/autorisation                       authorization endpoint
    GET|POST  /fournisseur-test/identite                           choice of a demo identity
    GET|POST  /fournisseur-test/code-pin                           eID (Level500): the card's PIN
    GET|POST  /fournisseur-test/confirmation                       itsme (Level450): confirm
    POST      /fournisseur-test/annuler                            the user stops: access_denied
    POST      /fournisseur-test/jeton                              token endpoint

Where things are kept:

- the authorization request in progress, the chosen identity and the failed PIN tries live in the
  browser's session data (key `fournisseur_test`), like any login in progress;
- an authorization code is an encrypted reference (JWE, key derived from the secret key) to that
  session and to a random id. The code's details (client, redirect URI, PKCE challenge, nonce,
  person, 60 s expiry) stay in the session; the token endpoint removes them as it redeems the code,
  so a code works once. Sessions are in the database or Redis, so every worker finds them;
- the RSA key that signs the ID tokens is generated once into var/ (as app/config.py keeps the
  secret key), so several workers sign with the same key.

The token endpoint is called by the relying party's server, not by a browser: it is exempt from the
session-bound CSRF token because it authenticates the client (HTTP Basic, client_secret_basic). A
request without an `Authorization` header is not a client's call; it is treated as a browser's form
post and needs the CSRF token like every other unsafe route (budget S2).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import re
import secrets
import time
from dataclasses import replace
from functools import cache
from typing import Annotated, Any

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwe, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey, RSAKey
from litestar import Controller, MediaType, Request, get, post
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template

from app.config import VAR_DIR, get_settings
from app.identity.sessions import current_session, session_store, update_session_data
from app.registry.demo import DEMO_CARD_PIN, DEMO_IDENTITIES
from app.registry.services import PersonRecord
from app.rules.assurance import ACR_VALUES, DigitalKey
from app.rules.identifiers import format_niss
from app.web.csrf import CSRF_FIELD, EXCLUDE_OPT, CsrfTokenInvalid, token_is_valid
from app.web.i18n import gettext as _
from app.web.i18n import ngettext
from app.web.render import render
from app.web.security import STATELESS

TEST_PROVIDER_PATH = "/fournisseur-test"
CALLBACK_PATH = "/identification/oidc/retour"  # the one redirect URI of the built-in client
BUILTIN_CLIENT_ID = "guichet"
CODE_LIFETIME = 60  # seconds
ID_TOKEN_LIFETIME = 300
ACCESS_TOKEN_LIFETIME = 300
MAX_PIN_TRIES = 3
SESSION_KEY = "fournisseur_test"
SIGNING_KEY_FILE = VAR_DIR / "test_provider_signing_key.pem"
LEVEL_EID = ACR_VALUES[DigitalKey.EID]
LEVEL_ITSME = ACR_VALUES[DigitalKey.ITSME]
SUPPORTED_ACR = (LEVEL_EID, LEVEL_ITSME)
# RFC 7636 §4.1: 43 to 128 characters among the unreserved ones.
PKCE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
DEMO_PEOPLE: dict[str, PersonRecord] = {
    identity.person.niss: identity.person for identity in DEMO_IDENTITIES
}

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


# -- the provider's secrets ----------------------------------------------------------------------


def _derived(purpose: str) -> bytes:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"fournisseur-test|{purpose}".encode(), hashlib.sha256).digest()


def builtin_client_secret() -> str:
    """The secret of the built-in client `guichet`: derived from the secret key, never stored."""
    return _derived("client secret").hex()


def _code_key() -> OctKey:
    return OctKey.import_key(_derived("authorization codes"))


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


def origin_of(connection: ASGIConnection) -> str:
    return f"{connection.url.scheme}://{connection.url.netloc}"


def issuer_of(connection: ASGIConnection) -> str:
    return origin_of(connection) + TEST_PROVIDER_PATH


def redirect_uri_of(connection: ASGIConnection) -> str:
    """The redirect URI registered for the built-in client: Guichet's own, on the same origin."""
    return origin_of(connection) + CALLBACK_PATH


# -- the authorization in progress ---------------------------------------------------------------


def _progress(connection: ASGIConnection) -> dict[str, Any] | None:
    session = current_session(connection)
    progress = session.data.get(SESSION_KEY) if session else None
    return progress if progress and progress.get("request") else None


def _back_url(pending: dict[str, Any], params: dict[str, str]) -> str:
    """The client's redirect URI with the answer, its state and the issuer (RFC 9207)."""
    answer = dict(params)
    if pending.get("state"):
        answer["state"] = pending["state"]
    answer["iss"] = pending["issuer"]
    return add_params_to_uri(pending["redirect_uri"], answer)


def _back_to_client(pending: dict[str, Any], params: dict[str, str]) -> Redirect:
    return Redirect(path=_back_url(pending, params), status_code=303)


def _person_context(progress: dict[str, Any]) -> dict[str, Any]:
    person = DEMO_PEOPLE[progress["niss"]]
    return {"person_name": f"{person.first_name} {person.last_name}", "niss": format_niss(person.niss)}


def _problem(request: Request, explanation: str, status_code: int = 400) -> Template:
    return render(request, "identity/oidc/provider_problem.html", {"explanation": explanation},
                  status_code=status_code)


def _no_request_in_progress(request: Request) -> Template:
    return _problem(request, _(
        "Aucune demande d'identification n'est en cours, ou elle a déjà été traitée. "
        "Retournez au Guichet et recommencez l'identification."
    ))


def _identities_page(request: Request, error: str | None = None, chosen: str | None = None) -> Template:
    options = [
        (niss, f"{person.first_name} {person.last_name}",
         _("NISS %(niss)s") % {"niss": format_niss(niss)})
        for niss, person in DEMO_PEOPLE.items()
    ]
    progress = _progress(request) or {}
    context = {
        "options": options,
        "chosen": chosen,
        "errors": [("identite", error)] if error else [],
        "eid": progress.get("request", {}).get("acr") == LEVEL_EID,
    }
    return render(request, "identity/oidc/provider_identities.html", context,
                  status_code=422 if error else 200)


async def _issue_code(request: Request, progress: dict[str, Any]) -> Redirect:
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
    return _back_to_client(pending, {"code": code})


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
        await store.save(replace(state, data=data))
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


# -- the routes ----------------------------------------------------------------------------------


class TestProviderController(Controller):
    """Guichet's own OpenID Connect provider for the eID and itsme keys, acceptance only."""

    path = TEST_PROVIDER_PATH

    @get("/.well-known/openid-configuration", name="test_provider_discovery", opt=STATELESS,
         sync_to_thread=False)
    def discovery(self, request: Request) -> Response:
        issuer = issuer_of(request)
        document = {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/autorisation",
            "token_endpoint": f"{issuer}/jeton",
            "jwks_uri": f"{issuer}/cles",
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
        return Response(content=document, media_type=MediaType.JSON,
                        headers={"Cache-Control": "public, max-age=300"})

    @get("/cles", name="test_provider_jwks", opt=STATELESS, sync_to_thread=False)
    def jwks(self) -> Response:
        return Response(content={"keys": [signing_key().as_dict(private=False)]},
                        media_type=MediaType.JSON, headers={"Cache-Control": "public, max-age=300"})

    @get("/autorisation", name="test_provider_authorization")
    async def authorization(self, request: Request) -> Response:
        """Checks the authorization request; errors go back to the client once its redirect URI
        is known to be its own, never before (RFC 6749 §4.1.2.1)."""
        params = request.query_params
        if params.get("client_id") != BUILTIN_CLIENT_ID:
            return _problem(request, _("Le service qui demande votre identification n'est pas connu "
                                       "de ce fournisseur d'identité."))
        if params.get("redirect_uri") != redirect_uri_of(request):
            return _problem(request, _("L'adresse de retour demandée n'est pas celle du Guichet."))
        pending = {
            "issuer": issuer_of(request),
            "client_id": BUILTIN_CLIENT_ID,
            "redirect_uri": params["redirect_uri"],
            "state": params.get("state"),
        }
        requested_acr = (params.get("acr_values") or "").split()
        scope = (params.get("scope") or "").split()
        error = None
        if params.get("response_type") != "code":
            error = ("unsupported_response_type", "only the authorization code flow is supported")
        elif "openid" not in scope:
            error = ("invalid_scope", "the scope must include openid")
        elif not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
            error = ("invalid_request", "PKCE with S256 is required")
        elif "none" in (params.get("prompt") or "").split():
            error = ("login_required", "this provider always asks who you are")
        if error:
            return _back_to_client(pending, {"error": error[0], "error_description": error[1]})
        pending.update(
            code_challenge=params["code_challenge"],
            nonce=params.get("nonce"),
            scope=" ".join(scope),
            # The first supported level asked for; the eID's when none is.
            acr=next((acr for acr in requested_acr if acr in SUPPORTED_ACR), LEVEL_EID),
        )
        await update_session_data(request, **{SESSION_KEY: {"request": pending, "pin_failures": 0}})
        return Redirect(path=f"{TEST_PROVIDER_PATH}/identite", status_code=303)

    @get("/identite", name="test_provider_identities")
    async def identities(self, request: Request) -> Template:
        progress = _progress(request)
        if progress is None:
            return _no_request_in_progress(request)
        return _identities_page(request, chosen=progress.get("niss"))

    @post("/identite", status_code=303)
    async def choose_identity(self, request: Request, data: FormData) -> Response:
        progress = _progress(request)
        if progress is None:
            return _no_request_in_progress(request)
        niss = data.get("identite")
        if niss not in DEMO_PEOPLE:
            return _identities_page(request, error=_("Choisissez une identité de test."))
        await update_session_data(request, **{SESSION_KEY: {**progress, "niss": niss}})
        step = "code-pin" if progress["request"]["acr"] == LEVEL_EID else "confirmation"
        return Redirect(path=f"{TEST_PROVIDER_PATH}/{step}", status_code=303)

    def _step(self, request: Request, acr: str) -> dict[str, Any] | None:
        progress = _progress(request)
        if progress is None or not progress.get("niss") or progress["request"]["acr"] != acr:
            return None
        return progress

    @get("/code-pin", name="test_provider_pin")
    async def pin_page(self, request: Request) -> Template:
        progress = self._step(request, LEVEL_EID)
        if progress is None:
            return _no_request_in_progress(request)
        return render(request, "identity/oidc/provider_pin.html",
                      {**_person_context(progress), "errors": []})

    @post("/code-pin", status_code=303)
    async def check_pin(self, request: Request, data: FormData) -> Response:
        progress = self._step(request, LEVEL_EID)
        if progress is None:
            return _no_request_in_progress(request)
        pin = (data.get("pin") or "").strip()
        context = _person_context(progress)
        if not pin:
            return render(request, "identity/oidc/provider_pin.html",
                          {**context, "errors": [("pin", _("Saisissez le code PIN de la carte."))]},
                          status_code=422)
        if hmac.compare_digest(pin.encode(), DEMO_CARD_PIN.encode()):
            return await _issue_code(request, progress)
        failures = progress["pin_failures"] + 1
        if failures >= MAX_PIN_TRIES:
            # A real card blocks its PIN here; the authorization request ends.
            await update_session_data(request, **{SESSION_KEY: None})
            back = _back_url(progress["request"], {
                "error": "access_denied", "error_description": "PIN blocked",
            })
            return render(request, "identity/oidc/provider_pin_blocked.html",
                          {**context, "back_url": back}, status_code=403)
        await update_session_data(request, **{SESSION_KEY: {**progress, "pin_failures": failures}})
        left = MAX_PIN_TRIES - failures
        message = ngettext(
            "Code PIN incorrect. Il vous reste %(count)d essai.",
            "Code PIN incorrect. Il vous reste %(count)d essais.",
            left,
        ) % {"count": left}
        return render(request, "identity/oidc/provider_pin.html",
                      {**context, "errors": [("pin", message)]}, status_code=422)

    @get("/confirmation", name="test_provider_confirmation")
    async def confirmation_page(self, request: Request) -> Template:
        progress = self._step(request, LEVEL_ITSME)
        if progress is None:
            return _no_request_in_progress(request)
        return render(request, "identity/oidc/provider_confirm.html", _person_context(progress))

    @post("/confirmation", status_code=303)
    async def confirm(self, request: Request) -> Response:
        progress = self._step(request, LEVEL_ITSME)
        if progress is None:
            return _no_request_in_progress(request)
        return await _issue_code(request, progress)

    @post("/annuler", status_code=303)
    async def cancel(self, request: Request) -> Response:
        progress = _progress(request)
        if progress is None:
            return _no_request_in_progress(request)
        await update_session_data(request, **{SESSION_KEY: None})
        return _back_to_client(progress["request"], {
            "error": "access_denied", "error_description": "the user cancelled",
        })

    @post("/jeton", name="test_provider_token", opt={EXCLUDE_OPT: True}, status_code=200)
    async def token(self, request: Request) -> Response:
        form = await request.form()
        if "authorization" not in request.headers and not token_is_valid(request, form.get(CSRF_FIELD)):
            raise CsrfTokenInvalid()
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
