"""The eID and itsme keys: the OpenID Connect relying party, against the acceptance identity
provider (app/acceptance/identity_provider) and against a provider the project did not write (the npm package `oidc-provider`)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from app.acceptance import service as acceptance
from app.acceptance.identity_provider import provider
from app.acceptance.identity_provider.routes import AcceptanceIdentityProviderController
from app.asgi import create_app
from app.audit.tables import AuditRecord
from app.config import get_settings
from app.identity.oidc import relying_party
from app.identity.oidc.relying_party import BUILTIN_CLIENT_ID, builtin_client_secret
from app.identity.sessions import SESSION_COOKIE, digest, session_store
from app.registry.demo import load_demo_data
from app.registry.tables import Person
from app.rules.assurance import ACR_VALUES, DigitalKey, Level

ORIGIN = "http://127.0.0.1"
CALLBACK = f"{ORIGIN}/identification/oidc/retour"
ISSUER = f"{ORIGIN}/fournisseur-test"
MARIE = "88041200259"
JAN = "79110300589"
PROVIDER_DIR = Path(__file__).parent / "support" / "oidc_provider"


# -- helpers --------------------------------------------------------------------------------------


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode({**query_of(url), **changes})))


async def stored_session(client: httpx.AsyncClient):
    key = client.cookies.get(SESSION_COOKIE)
    return await session_store().load(digest(key)) if key else None


async def person_id(niss: str) -> int:
    return (await Person.select(Person.id).where(Person.niss == niss).first())["id"]


async def audit_records(action: str) -> list[dict]:
    rows = await AuditRecord.select().where(AuditRecord.action == action).order_by(AuditRecord.sequence)
    for row in rows:
        if isinstance(row["details"], str):
            row["details"] = json.loads(row["details"])
    return rows


async def start(client: httpx.AsyncClient, key: str, **params: str) -> str:
    """Opens /identification/<key>: the address of the provider's authorization endpoint."""
    path = f"/identification/{key}" + (f"?{urlencode(params)}" if params else "")
    response = await client.get(path)
    assert response.status_code == 303, (response.status_code, response.text[:300])
    return response.headers["location"]


def in_language_of(page, french: str) -> str:
    """A French source text as a page in another language shows it."""
    from app.web.i18n import activate, current_language, gettext

    before = current_language()
    activate(page.html["lang"])
    try:
        return gettext(french)
    finally:
        activate(before)


async def through_acceptance_provider(visitor, authorization_url: str, niss: str = MARIE) -> str:
    """Plays the user at the built-in provider: identity, then PIN (eID) or confirmation (itsme).
    Returns the address the provider sends the browser back to."""
    response = await visitor.client.get(authorization_url)
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"] == "/fournisseur-test/identite"
    await visitor.page("/fournisseur-test/identite")
    response = await visitor.submit("/fournisseur-test/identite", {"identite": niss})
    assert response.status_code == 303
    step = response.headers["location"]
    _, page = await visitor.page(step)
    if step.endswith("/code-pin"):
        response = await visitor.submit(step, {"pin": "1234"})
    else:
        assert page.h1.get_text(strip=True) == in_language_of(page, "Confirmer dans l'application")
        response = await visitor.submit(step, {})
    assert response.status_code == 303, response.text[:300]
    return response.headers["location"]


async def code_for(visitor, key: str = "eid", niss: str = MARIE) -> tuple[str, dict]:
    """An authorization code from the built-in provider, not yet redeemed, with the login in
    progress kept in the session (its code verifier)."""
    back = await through_acceptance_provider(visitor, await start(visitor.client, key), niss)
    pending = (await stored_session(visitor.client)).data["oidc"]
    return query_of(back)["code"], pending


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def redeem(client: httpx.AsyncClient, code: str, verifier: str, **headers: str) -> httpx.Response:
    return await client.post("/fournisseur-test/jeton", data={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "redirect_uri": CALLBACK,
    }, headers=headers or basic(BUILTIN_CLIENT_ID, builtin_client_secret()))


def assert_not_signed_in(session) -> None:
    assert session is None or (session.person_id is None and session.level == Level.NONE)


@pytest.fixture
async def demo():
    await load_demo_data()


@pytest.fixture
def settings_env():
    """Changes GUICHET_* variables for one test; the settings are read again, then restored."""
    saved = dict(os.environ)

    def apply(**variables: str) -> None:
        os.environ.update(variables)
        get_settings.cache_clear()

    yield apply
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()


# -- registration ---------------------------------------------------------------------------------


def test_the_app_registers_the_keys_and_the_acceptance_provider(app):
    paths = {route.path for route in app.routes}
    assert {"/identification/eid", "/identification/itsme", "/identification/oidc/retour",
            "/fournisseur-test/autorisation", "/fournisseur-test/jeton"} <= paths


def test_the_acceptance_provider_exists_only_in_acceptance(settings_env):
    assert AcceptanceIdentityProviderController in acceptance.SERVICE.acceptance_route_handlers
    assert "/fournisseur-test/jeton" in {route.path for route in create_app().routes}
    settings_env(GUICHET_ENV="production")
    assert not any(route.path.startswith("/fournisseur-test") for route in create_app().routes)


# -- the whole flow through the built-in provider -------------------------------------------------


async def test_eid_login_through_the_acceptance_provider(visitor, demo):
    authorization_url = await start(visitor.client, "eid")
    assert authorization_url.startswith(f"{ISSUER}/autorisation?")
    request = query_of(authorization_url)
    assert request["response_type"] == "code" and request["client_id"] == BUILTIN_CLIENT_ID
    assert request["redirect_uri"] == CALLBACK and request["scope"] == "openid"
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert request["acr_values"] == ACR_VALUES[DigitalKey.EID]
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    cookie_before = visitor.client.cookies[SESSION_COOKIE]

    response = await visitor.client.get(authorization_url)
    _, page = await visitor.page(response.headers["location"])
    assert page.h1.get_text(strip=True) == "Choisissez une identité de test"
    text = page.get_text(" ", strip=True)
    assert "Fournisseur d'identité de test" in text and "environnement d'acceptation" in text
    radios = page.find_all("input", attrs={"type": "radio", "name": "identite"})
    assert [radio["value"] for radio in radios][:2] == [MARIE, JAN]
    assert "Marie Dubois" in text and "88.04.12-002.59" in text

    response = await visitor.submit("/fournisseur-test/identite", {"identite": MARIE})
    assert response.headers["location"] == "/fournisseur-test/code-pin"
    _, page = await visitor.page("/fournisseur-test/code-pin")
    pin = page.find("input", attrs={"name": "pin"})
    assert pin["type"] == "password" and pin["inputmode"] == "numeric"
    response = await visitor.submit("/fournisseur-test/code-pin", {"pin": "1234"})
    assert response.status_code == 303
    back = response.headers["location"]
    assert back.startswith(CALLBACK + "?")
    assert query_of(back)["state"] == request["state"] and query_of(back)["iss"] == ISSUER

    response = await visitor.client.get(back)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert visitor.client.cookies[SESSION_COOKIE] != cookie_before  # rotated at login
    session = await stored_session(visitor.client)
    assert session.level == Level.HIGH and session.digital_key == DigitalKey.EID
    assert session.person_id == await person_id(MARIE)
    assert "oidc" not in session.data and "fournisseur_test" not in session.data
    logins = await audit_records("login")
    assert logins[-1]["actor"] == MARIE and logins[-1]["details"]["key"] == "eid"


async def test_itsme_login_through_the_acceptance_provider(visitor, demo):
    authorization_url = await start(visitor.client, "itsme", next="/mes-cles")
    assert query_of(authorization_url)["acr_values"] == ACR_VALUES[DigitalKey.ITSME]
    cookie_before = visitor.client.cookies[SESSION_COOKIE]
    response = await visitor.client.get(authorization_url)
    await visitor.page(response.headers["location"])
    response = await visitor.submit("/fournisseur-test/identite", {"identite": JAN})
    assert response.headers["location"] == "/fournisseur-test/confirmation"
    _, page = await visitor.page("/fournisseur-test/confirmation")
    assert page.h1.get_text(strip=True) == "Confirmer dans l'application"
    assert "Jan Peeters" in page.get_text(" ", strip=True)
    assert page.find("button", string="Confirmer") is not None

    response = await visitor.submit("/fournisseur-test/confirmation", {})
    response = await visitor.client.get(response.headers["location"])
    assert response.status_code == 303 and response.headers["location"] == "/mes-cles"
    assert visitor.client.cookies[SESSION_COOKIE] != cookie_before
    session = await stored_session(visitor.client)
    assert session.level == Level.HIGH and session.digital_key == DigitalKey.ITSME
    assert session.person_id == await person_id(JAN)


async def test_the_acceptance_provider_pages_work_with_the_keyboard_alone(visitor, demo):
    """No JavaScript needed: plain forms with submit buttons, radios in a fieldset with a legend."""
    response = await visitor.client.get(await start(visitor.client, "eid"))
    _, page = await visitor.page(response.headers["location"])
    form = page.find("form", attrs={"action": "/fournisseur-test/identite"})
    assert form["method"] == "post" and form.find("button", attrs={"type": "submit"})
    assert form.find("fieldset").find("legend").get_text(strip=True) == "Identité"
    assert not page.find(attrs={"onclick": True}) and not page.find("script", src=False)


# -- refusals -------------------------------------------------------------------------------------


async def test_a_wrong_state_is_refused_and_the_state_works_once(visitor, demo):
    back = await through_acceptance_provider(visitor, await start(visitor.client, "eid"))
    _, page = await visitor.page(with_query(back, state="forged-state"), status=400)
    assert page.h1.get_text(strip=True) == "Identification expirée ou inconnue"
    assert_not_signed_in(await stored_session(visitor.client))
    # The genuine answer comes too late: the login in progress was spent by the forged one.
    await visitor.page(back, status=400)
    assert_not_signed_in(await stored_session(visitor.client))
    failures = await audit_records("login_failed")
    assert [row["details"] for row in failures] == [{"key": "eid", "reason": "state"}]


async def test_an_answer_without_a_login_in_progress_is_refused(visitor):
    _, page = await visitor.page("/identification/oidc/retour?code=abc&state=xyz", status=400)
    assert page.h1.get_text(strip=True) == "Identification expirée ou inconnue"
    assert await audit_records("login_failed") == []  # no login was attempted from this browser


async def test_an_answer_that_does_not_name_its_issuer_is_refused(visitor, demo):
    """The built-in provider, like oidc-provider, says it sends `iss` back (RFC 9207)."""
    back = await through_acceptance_provider(visitor, await start(visitor.client, "eid"))
    query = {name: value for name, value in query_of(back).items() if name != "iss"}
    _, page = await visitor.page(CALLBACK + "?" + urlencode(query), status=400)
    assert page.h1.get_text(strip=True) == "L'identification n'a pas abouti"
    assert_not_signed_in(await stored_session(visitor.client))


async def test_a_replayed_code_is_refused(visitor, demo):
    first = await through_acceptance_provider(visitor, await start(visitor.client, "eid"))
    response = await visitor.client.get(first)
    assert response.status_code == 303  # signed in with the code
    # An attacker who saw the code starts a login of their own and slips the code into it.
    second = await start(visitor.client, "eid")
    replay = with_query(first, state=query_of(second)["state"])
    _, page = await visitor.page(replay, status=400)
    assert page.h1.get_text(strip=True) == "L'identification n'a pas abouti"
    failures = await audit_records("login_failed")
    assert failures[-1]["details"] == {"key": "eid", "reason": "invalid_response"}


async def test_the_token_endpoint_redeems_a_code_once(visitor, demo):
    code, pending = await code_for(visitor)
    first = await redeem(visitor.client, code, pending["verifier"])
    assert first.status_code == 200, first.text
    assert first.headers["cache-control"] == "no-store"
    assert first.json()["token_type"] == "Bearer" and first.json()["id_token"].count(".") == 2
    again = await redeem(visitor.client, code, pending["verifier"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_the_token_endpoint_checks_the_client_pkce_and_expiry(visitor, demo, monkeypatch):
    code, pending = await code_for(visitor)
    wrong_secret = await redeem(visitor.client, code, pending["verifier"],
                                **basic(BUILTIN_CLIENT_ID, "x" * 64))
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    assert wrong_secret.headers["www-authenticate"].startswith("Basic")
    wrong_verifier = await redeem(visitor.client, code, "v" * 64)
    assert wrong_verifier.status_code == 400 and wrong_verifier.json()["error"] == "invalid_grant"
    # The failed PKCE check spent the code.
    assert (await redeem(visitor.client, code, pending["verifier"])).json()["error"] == "invalid_grant"

    monkeypatch.setattr(provider, "CODE_LIFETIME", -1)
    code, pending = await code_for(visitor)
    expired = await redeem(visitor.client, code, pending["verifier"])
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"

    garbage = await redeem(visitor.client, "not-a-code", pending["verifier"])
    assert garbage.status_code == 400 and garbage.json()["error"] == "invalid_grant"


async def test_the_token_endpoint_without_client_authentication_needs_the_csrf_token(client):
    """A browser's post (no Authorization header) is held to the CSRF rule of every unsafe route."""
    await client.get("/")
    response = await client.post("/fournisseur-test/jeton", data={"grant_type": "authorization_code"})
    assert response.status_code == 403


class TamperingTransport(httpx.AsyncBaseTransport):
    """Between Guichet and the provider: changes the ID token of the token endpoint's answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, tamper) -> None:
        self.inner = inner
        self.tamper = tamper

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if not request.url.path.endswith("/jeton"):
            return response
        body = json.loads(await response.aread())
        body["id_token"] = self.tamper(body["id_token"])
        return httpx.Response(response.status_code, json=body)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def another_subject(id_token: str) -> str:
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return ".".join([header, _b64({**claims, "sub": JAN}), signature])


def another_signature(id_token: str) -> str:
    header, payload, signature = id_token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[len(raw) // 2] ^= 0x01
    return ".".join([header, payload, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()])


@pytest.mark.parametrize("tamper", [another_subject, another_signature])
async def test_a_tampered_id_token_is_refused(visitor, demo, monkeypatch, tamper):
    def tampering_client(provider, connection):
        inner = relying_party.InProcessTransport(app=connection.app, client=("127.0.0.1", 0))
        return httpx.AsyncClient(transport=TamperingTransport(inner, tamper))

    monkeypatch.setattr(relying_party, "http_client", tampering_client)
    back = await through_acceptance_provider(visitor, await start(visitor.client, "eid"))
    _, page = await visitor.page(back, status=400)
    assert page.h1.get_text(strip=True) == "L'identification n'a pas abouti"
    assert_not_signed_in(await stored_session(visitor.client))
    failures = await audit_records("login_failed")
    assert failures[-1]["details"] == {"key": "eid", "reason": "invalid_response"}


async def test_a_wrong_nonce_is_refused_in_the_users_language(visitor, demo):
    visitor.client.cookies.set("guichet_lang", "nl")
    authorization_url = await start(visitor.client, "itsme")
    # The browser is the attacker's: it changes the nonce on its way to the provider.
    back = await through_acceptance_provider(visitor, with_query(authorization_url, nonce="n" * 43))
    response, page = await visitor.page(back, status=400)
    assert page.html["lang"] == "nl"  # the in-process calls to the provider left the language alone
    assert_not_signed_in(await stored_session(visitor.client))
    failures = await audit_records("login_failed")
    assert failures[-1]["details"] == {"key": "itsme", "reason": "nonce"}


async def test_a_lower_level_than_the_keys_is_refused(visitor, demo):
    """The browser asks the provider for itsme's level while Guichet started an eID login."""
    authorization_url = await start(visitor.client, "eid")
    downgraded = with_query(authorization_url, acr_values=ACR_VALUES[DigitalKey.ITSME])
    back = await through_acceptance_provider(visitor, downgraded)
    _, page = await visitor.page(back, status=403)
    assert page.h1.get_text(strip=True) == "Niveau de sécurité non confirmé"
    assert_not_signed_in(await stored_session(visitor.client))
    failures = await audit_records("login_failed")
    assert failures[-1]["details"] == {"key": "eid", "reason": "level"}


async def test_a_wrong_pin_is_refused_three_times_at_most(visitor, demo):
    response = await visitor.client.get(await start(visitor.client, "eid"))
    await visitor.page(response.headers["location"])
    await visitor.submit("/fournisseur-test/identite", {"identite": MARIE})
    await visitor.page("/fournisseur-test/code-pin")

    response = await visitor.submit("/fournisseur-test/code-pin", {"pin": "0000"})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.title.get_text().startswith("Erreur :")
    summary = page.find(class_="error-summary")
    assert summary.find("a")["href"] == "#pin"
    assert "Code PIN incorrect. Il vous reste 2 essais." in summary.get_text()
    assert page.find("input", attrs={"name": "pin"})["aria-invalid"] == "true"

    response = await visitor.submit("/fournisseur-test/code-pin", {"pin": ""})
    assert response.status_code == 422 and "Saisissez le code PIN" in response.text  # not a try

    response = await visitor.submit("/fournisseur-test/code-pin", {"pin": "4321"})
    assert "Il vous reste 1 essai." in response.text

    response = await visitor.submit("/fournisseur-test/code-pin", {"pin": "9999"})
    assert response.status_code == 403
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "Code PIN bloqué"
    back = page.find("a", string="Retourner au Guichet")["href"]
    assert query_of(back)["error"] == "access_denied"

    # The right PIN comes too late: the request ended with the third wrong one.
    response = await visitor.submit("/fournisseur-test/code-pin", {"pin": "1234"})
    assert response.status_code == 400
    _, page = await visitor.page(back, status=400)
    assert page.h1.get_text(strip=True) == "Identification annulée"
    assert_not_signed_in(await stored_session(visitor.client))


async def test_cancelling_at_the_provider_comes_back_as_a_clear_page(visitor, demo):
    response = await visitor.client.get(await start(visitor.client, "itsme"))
    await visitor.page(response.headers["location"])
    response = await visitor.submit("/fournisseur-test/annuler", {})
    assert query_of(response.headers["location"])["error"] == "access_denied"
    _, page = await visitor.page(response.headers["location"], status=400)
    assert page.h1.get_text(strip=True) == "Identification annulée"


async def test_an_identified_person_unknown_to_guichet_gets_a_clear_page(visitor):
    back = await through_acceptance_provider(visitor, await start(visitor.client, "eid"))  # no demo data
    _, page = await visitor.page(back, status=403)
    assert page.h1.get_text(strip=True) == "Personne inconnue"
    failures = await audit_records("login_failed")
    assert failures[-1]["actor"] == MARIE
    assert failures[-1]["details"] == {"key": "eid", "reason": "unknown_person"}


async def test_production_without_a_provider_says_the_keys_are_not_configured(visitor, settings_env):
    settings_env(GUICHET_ENV="production", GUICHET_OIDC_ISSUER="", GUICHET_OIDC_CLIENT_ID="")
    for key in ("eid", "itsme"):
        _, page = await visitor.page(f"/identification/{key}", status=503)
        assert "La connexion avec l'eID ou itsme n'est pas configurée" in page.get_text(" ", strip=True)


async def test_an_unreachable_provider_gives_a_clear_page(visitor, settings_env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the socket is closed
    settings_env(GUICHET_OIDC_ISSUER=f"http://127.0.0.1:{port}", GUICHET_OIDC_CLIENT_ID="guichet",
                 GUICHET_OIDC_CLIENT_SECRET="secret")
    _, page = await visitor.page("/identification/eid", status=502)
    assert page.h1.get_text(strip=True) == "Le service d'identification ne répond pas"


# -- the built-in provider's protocol -------------------------------------------------------------


async def test_discovery_and_keys_of_the_acceptance_provider(client):
    response = await client.get("/fournisseur-test/.well-known/openid-configuration")
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == ISSUER
    assert metadata["authorization_endpoint"] == f"{ISSUER}/autorisation"
    assert metadata["token_endpoint"] == f"{ISSUER}/jeton"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["acr_values_supported"] == [ACR_VALUES[DigitalKey.EID], ACR_VALUES[DigitalKey.ITSME]]
    keys = (await client.get(metadata["jwks_uri"])).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])  # public parts only


async def test_the_acceptance_provider_refuses_unknown_clients_and_foreign_redirect_uris(visitor):
    authorization_url = await start(visitor.client, "eid")
    for changes in ({"client_id": "intruder"}, {"redirect_uri": "https://evil.example/retour"}):
        response = await visitor.client.get(with_query(authorization_url, **changes))
        assert response.status_code == 400 and "location" not in response.headers
        page = BeautifulSoup(response.text, "html.parser")
        assert page.h1.get_text(strip=True) == "Demande d'identification non valable"


async def test_the_acceptance_provider_requires_pkce(visitor):
    authorization_url = await start(visitor.client, "eid")
    parts = urlsplit(authorization_url)
    query = {name: value for name, value in query_of(authorization_url).items()
             if not name.startswith("code_challenge")}
    response = await visitor.client.get(urlunsplit(parts._replace(query=urlencode(query))))
    assert response.status_code == 303
    assert query_of(response.headers["location"])["error"] == "invalid_request"


# -- a provider the project did not write ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def external_provider():
    """panva's `oidc-provider`, installed from the committed lock file, on a free loopback port."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed on this machine: "
                    "the external OpenID Connect provider cannot run")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        npm = shutil.which("npm")
        assert npm, "node is installed but npm is not: cannot install oidc-provider"
        installed = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR,
                                   capture_output=True, text=True, timeout=600)
        assert installed.returncode == 0, f"npm ci failed:\n{installed.stdout}\n{installed.stderr}"
    port = _free_port()
    client = {"id": "guichet-external", "secret": base64.urlsafe_b64encode(os.urandom(24)).decode()}
    environment = {**os.environ, "PORT": str(port), "CLIENT_ID": client["id"],
                   "CLIENT_SECRET": client["secret"], "REDIRECT_URI": CALLBACK}
    process = subprocess.Popen([node, "provider.js"], cwd=PROVIDER_DIR, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "oidc-provider did not start within 30 s"
            time.sleep(0.1)
        yield {"issuer": issuer, **client}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture
def external_settings(external_provider, settings_env):
    settings_env(GUICHET_OIDC_ISSUER=external_provider["issuer"],
                 GUICHET_OIDC_CLIENT_ID=external_provider["id"],
                 GUICHET_OIDC_CLIENT_SECRET=external_provider["secret"])
    return external_provider


async def through_external_provider(
    authorization_url: str, niss: str, *, abort: bool = False
) -> tuple[str, list[str]]:
    """Plays the user at oidc-provider's interaction pages (login, then consent) with a real HTTP
    client; returns the address it sends the browser back to and the titles of the pages seen."""
    titles: list[str] = []
    async with httpx.AsyncClient(timeout=10) as browser:
        method, url, form = "GET", authorization_url, None
        for _ in range(20):
            if url.startswith(CALLBACK):
                return url, titles
            response = await browser.request(method, url, data=form)
            if response.status_code in (302, 303):
                method, url, form = "GET", urljoin(str(response.url), response.headers["location"]), None
                continue
            assert response.status_code == 200, (response.status_code, response.text[:500])
            page = BeautifulSoup(response.text, "html.parser")
            titles.append(page.h1.get_text(strip=True))
            forms = page.find_all("form")
            chosen = forms[-1] if abort else forms[0]  # the last form of each page is "Cancel"
            form = {"login": niss} if chosen.find("input", attrs={"name": "login"}) else {}
            method, url = "POST", urljoin(str(response.url), chosen["action"])
    raise AssertionError(f"never came back to Guichet; pages seen: {titles}")


async def test_eid_login_through_a_provider_guichet_did_not_write(visitor, demo, external_settings):
    authorization_url = await start(visitor.client, "eid")
    assert authorization_url.startswith(f"{external_settings['issuer']}/auth?")
    cookie_before = visitor.client.cookies[SESSION_COOKIE]
    back, titles = await through_external_provider(authorization_url, MARIE)
    assert titles == ["Sign in", "Authorize"]
    assert query_of(back)["iss"] == external_settings["issuer"]

    response = await visitor.client.get(back)
    assert response.status_code == 303, response.text[:500]
    assert visitor.client.cookies[SESSION_COOKIE] != cookie_before
    session = await stored_session(visitor.client)
    assert session.level == Level.HIGH and session.digital_key == DigitalKey.EID
    assert session.person_id == await person_id(MARIE)


async def test_cancelling_at_a_provider_guichet_did_not_write(visitor, demo, external_settings):
    back, _ = await through_external_provider(await start(visitor.client, "itsme"), MARIE, abort=True)
    _, page = await visitor.page(back, status=400)
    assert page.h1.get_text(strip=True) == "Identification annulée"
    assert_not_signed_in(await stored_session(visitor.client))
