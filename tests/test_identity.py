"""S'identifier with the keys that need a user name, a password and a security code; sessions,
single sign-on, step-up, logout (budgets S1–S5)."""

import datetime
import re

import pyotp
import pytest

from app.demo import load_demo_data
from app.identity import passwords, throttling
from app.identity.keys.token import demo_card_code
from app.identity.sessions import SESSION_COOKIE
from app.registry.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.test_mail import settings as mail_settings
from tests.test_mail import smtp_server

MARIE = "marie.dubois"


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def sign_in_with_mobile_app(visitor, username=MARIE, next_path="/mes-cles"):
    await visitor.page(f"/identification?next={next_path}")
    await visitor.page("/identification/application-mobile/connexion")
    response = await visitor.submit("/identification/application-mobile/connexion",
                                    {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"] == "/identification/application-mobile/code"
    await visitor.page("/identification/application-mobile/code")
    return await visitor.submit("/identification/application-mobile/code",
                                {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})


async def test_the_identification_page_offers_the_keys_of_guide_004(visitor):
    _, page = await visitor.page("/identification")
    assert page.find("h1").get_text(strip=True) == "S'identifier à l'administration en ligne"
    sections = [h2.get_text(strip=True) for h2 in page.find_all("h2")]
    assert sections[:2] == [
        "Clé(s) numérique(s) avec l'eID ou identité numérique",
        "Clé(s) numérique(s) avec code de sécurité et nom d'utilisateur + mot de passe",
    ]
    keys = [" ".join(link.get_text(" ", strip=True).split()) for link in page.select("main ul a")]
    assert keys == [
        "IDENTIFICATION avec un lecteur de cartes eID",
        "IDENTIFICATION via itsme",
        "IDENTIFICATION avec un code de sécurité envoyé par e-mail",
        "IDENTIFICATION avec un code de sécurité via une application mobile",
        "IDENTIFICATION avec code de sécurité via token",
    ]


async def test_a_protected_service_sends_an_anonymous_visitor_to_identify(client, demo):
    response = await client.get("/mes-cles")
    assert response.status_code == 303
    assert response.headers["location"] == "/identification?next=%2Fmes-cles&niveau=2"


async def test_mobile_app_key_signs_in_and_comes_back_to_the_service(visitor, client, demo):
    response = await sign_in_with_mobile_app(visitor)
    assert response.status_code == 303
    assert response.headers["location"] == "/mes-cles"
    _, page = await visitor.page("/mes-cles")
    assert "Marie Dubois" in page.find("main").get_text()
    assert page.find("button", string="Se déconnecter") is not None


async def test_single_sign_on_opens_another_service_of_the_same_level(visitor, client, demo):
    await sign_in_with_mobile_app(visitor, next_path="/")
    response = await client.get("/mes-cles")
    assert response.status_code == 200


async def test_a_service_needing_high_asks_a_substantial_session_to_step_up(visitor, client, demo):
    from litestar import get

    from app.identity.guards import requires
    from app.rules.assurance import Level

    @get("/tests/eleve", guards=[requires(Level.HIGH)], sync_to_thread=False)
    def high_service() -> str:
        return "élevé"

    app = client._transport.app
    if not any(route.path == "/tests/eleve" for route in app.routes):
        app.register(high_service)
    await sign_in_with_mobile_app(visitor, next_path="/")
    response = await client.get("/tests/eleve")
    assert response.headers["location"] == "/identification?next=%2Ftests%2Feleve&niveau=3"
    _, page = await visitor.page(response.headers["location"])
    keys = [" ".join(link.get_text(" ", strip=True).split()) for link in page.select("main ul a")]
    assert keys == ["IDENTIFICATION avec un lecteur de cartes eID", "IDENTIFICATION via itsme"]
    assert "niveau de sécurité élevé" in page.find("main").get_text()


async def test_token_key_asks_the_code_by_its_number(visitor, demo):
    await visitor.page("/identification/token/connexion")
    await visitor.submit("/identification/token/connexion", {"username": MARIE, "password": DEMO_PASSWORD})
    _, page = await visitor.page("/identification/token/code")
    label = page.find("label", attrs={"for": "code"}).get_text(strip=True)
    number = int(label.split("n°")[1].split()[0])
    response = await visitor.submit("/identification/token/code", {"code": demo_card_code(MARIE, number)})
    assert response.status_code == 303


async def test_a_wrong_password_is_refused_with_a_clear_message_and_keeps_the_user_name(visitor, demo):
    await visitor.page("/identification/token/connexion")
    response = await visitor.submit("/identification/token/connexion",
                                    {"username": MARIE, "password": "not-the-password"})
    assert response.status_code == 422
    from tests.support.html import check_page

    page = check_page(response.text)
    assert page.find("title").get_text().startswith("Erreur :")
    assert page.find(attrs={"data-error-summary": True}) is not None
    assert page.find("input", id="username")["value"] == MARIE
    assert "incorrect" in page.find(id="username-error").get_text()


async def test_an_empty_form_names_each_missing_field(visitor, demo):
    await visitor.page("/identification/token/connexion")
    response = await visitor.submit("/identification/token/connexion", {"username": "", "password": ""})
    assert response.status_code == 422
    from tests.support.html import check_page

    summary = check_page(response.text).find(attrs={"data-error-summary": True}).get_text()
    assert "Saisissez votre nom d'utilisateur." in summary
    assert "Saisissez votre mot de passe." in summary


async def test_an_unknown_user_costs_a_password_check_too(visitor, demo, monkeypatch):
    """S3: the same argon2 work for a user who does not exist."""
    checks = []
    real_hasher = passwords.HASHER

    class CountingHasher:
        def verify(self, stored, password):
            checks.append(stored)
            return real_hasher.verify(stored, password)

        def hash(self, password):
            return real_hasher.hash(password)

    monkeypatch.setattr(passwords, "HASHER", CountingHasher())
    monkeypatch.setattr(throttling, "slow_down_after_failure", _no_delay)
    await visitor.page("/identification/token/connexion")
    await visitor.submit("/identification/token/connexion", {"username": "nobody", "password": "x" * 12})
    assert len(checks) == 1


async def _no_delay(failures):
    _no_delay.seen.append(failures)


_no_delay.seen = []


def test_passwords_are_hashed_with_argon2id_at_the_owasp_minimum():
    stored = passwords.hash_password("Guichet-demo-2026")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_ten_failed_passwords_lock_the_account_for_fifteen_minutes(visitor, demo, monkeypatch):
    """S4: at most 10 failures per account per 15 minutes, each answered more slowly."""
    delays = []

    async def record_delay(failures):
        delays.append(min(0.25 * 2 ** (failures - 1), 4.0))

    monkeypatch.setattr(throttling, "slow_down_after_failure", record_delay)
    await visitor.page("/identification/token/connexion")
    for _ in range(10):
        response = await visitor.submit("/identification/token/connexion",
                                        {"username": MARIE, "password": "wrong-password"})
        assert response.status_code == 422
    assert delays == sorted(delays) and delays[0] < delays[-1]
    response = await visitor.submit("/identification/token/connexion",
                                    {"username": MARIE, "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "Réessayez dans 15 minutes" in response.text


async def test_a_mobile_app_code_is_never_accepted_twice(visitor, client, demo):
    code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    for expected in (303, 422):
        client.cookies.clear()
        await visitor.page("/identification/application-mobile/connexion")
        await visitor.submit("/identification/application-mobile/connexion",
                             {"username": MARIE, "password": DEMO_PASSWORD})
        await visitor.page("/identification/application-mobile/code")
        response = await visitor.submit("/identification/application-mobile/code", {"code": code})
        assert response.status_code == expected


async def test_five_wrong_codes_end_the_login_attempt(visitor, demo):
    await visitor.page("/identification/application-mobile/connexion")
    await visitor.submit("/identification/application-mobile/connexion",
                         {"username": MARIE, "password": DEMO_PASSWORD})
    await visitor.page("/identification/application-mobile/code")
    statuses = []
    for _ in range(5):
        response = await visitor.submit("/identification/application-mobile/code", {"code": "000000"})
        statuses.append(response.status_code)
    assert statuses == [422, 422, 422, 422, 429]
    response = await visitor.client.get("/identification/application-mobile/code")
    assert response.headers["location"] == "/identification/application-mobile/connexion"


async def test_a_malformed_code_says_what_a_code_looks_like(visitor, demo):
    await visitor.page("/identification/application-mobile/connexion")
    await visitor.submit("/identification/application-mobile/connexion",
                         {"username": MARIE, "password": DEMO_PASSWORD})
    await visitor.page("/identification/application-mobile/code")
    response = await visitor.submit("/identification/application-mobile/code", {"code": "12ab"})
    assert response.status_code == 422
    assert "6 chiffres" in response.text
    assert 'autocomplete="one-time-code"' in response.text


async def test_session_fixation_fails(visitor, client, demo):
    """S1: a key chosen by an attacker, or obtained before the login, is never a signed-in session."""
    client.cookies.set(SESSION_COOKIE, "chosen-by-the-attacker", domain="127.0.0.1")
    await visitor.page("/identification/application-mobile/connexion")
    pre_login_key = client.cookies.get(SESSION_COOKIE)
    assert pre_login_key and pre_login_key != "chosen-by-the-attacker"
    await sign_in_with_mobile_app(visitor)
    signed_in_key = client.cookies.get(SESSION_COOKIE)
    assert signed_in_key not in (pre_login_key, "chosen-by-the-attacker")

    import httpx

    transport = client._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as attacker:
        for planted in (pre_login_key, "chosen-by-the-attacker"):
            attacker.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1")
            response = await attacker.get("/mes-cles")
            assert response.status_code == 303, planted


async def test_logout_ends_the_session_on_the_server(visitor, client, demo):
    await sign_in_with_mobile_app(visitor)
    key = client.cookies.get(SESSION_COOKIE)
    await visitor.page("/mes-cles")
    response = await visitor.submit("/deconnexion", {})
    assert response.status_code == 303 and response.headers["location"] == "/deconnexion"
    _, page = await visitor.page("/deconnexion")
    assert page.find("h1").get_text(strip=True) == "Vous êtes déconnecté(e)"
    client.cookies.set(SESSION_COOKIE, key, domain="127.0.0.1")
    assert (await client.get("/mes-cles")).status_code == 303


async def test_a_csrf_token_of_another_session_is_refused(visitor, client, demo):
    """S2: the token is bound to the session."""
    await visitor.page("/identification/token/connexion")
    foreign_token = visitor.csrf_token()
    client.cookies.clear()
    await visitor.page("/identification/token/connexion")
    response = await client.post("/identification/token/connexion",
                                 data={"_csrf_token": foreign_token, "username": MARIE, "password": "x"})
    assert response.status_code == 403


async def test_the_session_can_be_extended_without_leaving_the_page(visitor, client, demo):
    await sign_in_with_mobile_app(visitor)
    _, page = await visitor.page("/mes-cles")
    warning = page.find(id="session-warning")
    assert warning is not None and warning.has_attr("hidden")
    response = await visitor.submit("/session/prolonger", {"next": "/mes-cles"},
                                    headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert 14 * 60 < int(response.headers["X-Session-Seconds-Left"]) <= 15 * 60
    assert 14 * 60 < int(warning["data-session-seconds-left"]) <= 15 * 60
    response = await visitor.submit("/session/prolonger", {"next": "/mes-cles"})
    assert response.headers["location"] == "/mes-cles"


async def step_up_with_eid(visitor, next_path: str) -> str:
    """From a substantial session, identify again with the eID (built-in test provider)."""
    from tests.test_oidc import MARIE as MARIE_NISS
    from tests.test_oidc import start, through_acceptance_provider

    await visitor.page(f"/identification?next={next_path}&niveau=3")
    back = await through_acceptance_provider(visitor, await start(visitor.client, "eid"), MARIE_NISS)
    response = await visitor.client.get(back)
    assert response.status_code == 303
    return response.headers["location"]


MARIE_NISS = "88041200259"


async def key_events(action: str) -> list[str]:
    """The subjects of the audit records of this kind; each is its own actor."""
    from app.audit.tables import AuditRecord

    rows = await AuditRecord.select(AuditRecord.actor, AuditRecord.subject).where(AuditRecord.action == action)
    assert all(row["actor"] == row["subject"] for row in rows)
    return [row["subject"] for row in rows]


async def test_activating_a_mobile_app_needs_the_level_high(visitor, client, demo):
    await sign_in_with_mobile_app(visitor)
    response = await client.get("/mes-cles/application-mobile")
    assert response.headers["location"] == "/identification?next=%2Fmes-cles%2Fapplication-mobile&niveau=3"
    assert await step_up_with_eid(visitor, "/mes-cles/application-mobile") == "/mes-cles/application-mobile"

    _, page = await visitor.page("/mes-cles/application-mobile")
    assert page.find("img")["src"].startswith("data:image/svg+xml")
    secret = page.find("code").get_text().replace(" ", "")
    assert len(secret) == 32 and secret != DEMO_TOTP_SECRET
    assert page.find("input", id="code")["autocomplete"] == "one-time-code"
    response = await visitor.submit("/mes-cles/application-mobile", {"code": "000000"})
    assert response.status_code == 422
    response = await visitor.submit("/mes-cles/application-mobile", {"code": pyotp.TOTP(secret).now()})
    assert response.headers["location"] == "/mes-cles"
    assert await key_events("mobile_app_activated") == [MARIE_NISS]  # S9
    _, page = await visitor.page("/mes-cles")
    assert "Votre application mobile est activée." in page.find(id="status-message").get_text()
    _, page = await visitor.page("/mes-cles")  # once: a reload does not say it again
    assert "Votre application mobile est activée." not in page.get_text()

    # The old app's codes stop working; the new one's work.
    visitor.client.cookies.clear()
    response = await sign_in_with_mobile_app(visitor)
    assert response.status_code == 422


async def test_a_new_token_card_is_shown_once_and_replaces_the_old_one(visitor, client, demo):
    await sign_in_with_mobile_app(visitor, next_path="/")
    await step_up_with_eid(visitor, "/mes-cles/carte-token")
    await visitor.page("/mes-cles/carte-token")
    assert await key_events("token_card_issued") == []  # the demo's cards are not recorded
    response = await visitor.submit("/mes-cles/carte-token", {})
    assert response.headers["location"] == "/mes-cles/carte-token"
    assert await key_events("token_card_issued") == [MARIE_NISS]  # S9
    _, page = await visitor.page("/mes-cles/carte-token")
    rows = page.find("tbody").find_all("tr")
    codes = {int(row.find("th").get_text()): row.find("td").get_text() for row in rows}
    assert len(codes) == 24
    _, page = await visitor.page("/mes-cles/carte-token")
    assert page.find("tbody") is None, "the codes are shown only once"

    visitor.client.cookies.clear()
    await visitor.page("/identification/token/connexion")
    await visitor.submit("/identification/token/connexion", {"username": MARIE, "password": DEMO_PASSWORD})
    _, page = await visitor.page("/identification/token/code")
    number = int(page.find("label", attrs={"for": "code"}).get_text().split("n°")[1].split()[0])
    old_code = demo_card_code(MARIE, number)
    if old_code != codes[number]:
        response = await visitor.submit("/identification/token/code", {"code": old_code})
        assert response.status_code == 422
    response = await visitor.submit("/identification/token/code", {"code": codes[number]})
    assert response.status_code == 303


# -- the e-mail key ------------------------------------------------------------------------------


def code_in(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)


async def start_email_login(visitor, username=MARIE):
    await visitor.page("/identification/code-email/connexion")
    return await visitor.submit("/identification/code-email/connexion",
                                {"username": username, "password": DEMO_PASSWORD})


async def test_email_key_sends_the_code_by_smtp(visitor, demo):
    with smtp_server() as (controller, inbox), mail_settings(
        GUICHET_SMTP_URL=f"smtp://127.0.0.1:{controller.port}"
    ):
        response = await start_email_login(visitor)
        assert response.headers["location"] == "/identification/code-email/code"
        assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [["marie.dubois@example.be"]]
        body = inbox.envelopes[0].content.decode()
    _, page = await visitor.page("/identification/code-email/code")
    assert "m•••••••••••@example.be" in page.find("main").get_text()
    response = await visitor.submit("/identification/code-email/code", {"code": code_in(body)})
    assert response.status_code == 303


async def latest_outbox_code() -> str:
    from app.mail.services import latest_outbox_messages

    return code_in((await latest_outbox_messages(1))[0].body)


async def test_an_email_code_is_used_once_and_only_for_its_login_attempt(visitor, client, demo):
    await start_email_login(visitor)
    first_code = await latest_outbox_code()
    client.cookies.clear()  # another login attempt, in another browser
    await start_email_login(visitor)
    response = await visitor.submit("/identification/code-email/code", {"code": first_code})
    assert response.status_code == 422, "a code is bound to its own login attempt"
    second_code = await latest_outbox_code()
    assert (await visitor.submit("/identification/code-email/code", {"code": second_code})).status_code == 303


async def test_an_email_code_expires_after_ten_minutes(visitor, demo):
    from app.identity.tables import EmailCode

    await start_email_login(visitor)
    code = await latest_outbox_code()
    await EmailCode.raw("UPDATE email_code SET expires_at = {}", datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    response = await visitor.submit("/identification/code-email/code", {"code": code})
    assert response.status_code == 422


async def test_at_most_three_email_codes_per_fifteen_minutes(visitor, demo):
    await start_email_login(visitor)
    await visitor.page("/identification/code-email/code")
    statuses = []
    for _ in range(3):
        response = await visitor.submit("/identification/code-email/nouveau-code", {})
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert "trop de codes" in response.text


async def test_blocking_an_account_ends_its_sessions_at_once(visitor, client, demo):
    from app.identity.services import set_account_blocked

    await sign_in_with_mobile_app(visitor)
    assert (await client.get("/mes-cles")).status_code == 200
    assert await set_account_blocked(MARIE, True, administrator="tests")
    assert (await client.get("/mes-cles")).status_code == 303
    client.cookies.clear()
    await visitor.page("/identification/token/connexion")
    response = await visitor.submit("/identification/token/connexion",
                                    {"username": MARIE, "password": DEMO_PASSWORD})
    assert response.status_code == 422
    assert await set_account_blocked(MARIE, False, administrator="tests")
    assert not await set_account_blocked("nobody", True, administrator="tests")


async def test_a_blocked_person_cannot_sign_in_with_the_eid_either(visitor, demo):
    from app.identity.services import set_account_blocked
    from tests.test_oidc import MARIE as MARIE_NISS
    from tests.test_oidc import start, through_acceptance_provider

    await set_account_blocked(MARIE, True, administrator="tests")
    back = await through_acceptance_provider(visitor, await start(visitor.client, "eid"), MARIE_NISS)
    response = await visitor.client.get(back)
    assert response.status_code == 403
    assert "Accès refusé" in response.text


async def test_changing_the_password_follows_the_rules_and_ends_the_other_sessions(visitor, client, demo):
    import httpx

    await sign_in_with_mobile_app(visitor)
    async with httpx.AsyncClient(transport=client._transport, base_url="http://127.0.0.1") as other:
        from tests.support.html import CheckedClient

        other_visitor = CheckedClient(other)
        await other_visitor.page("/identification/token/connexion")
        await other_visitor.submit("/identification/token/connexion", {"username": MARIE, "password": DEMO_PASSWORD})
        _, page = await other_visitor.page("/identification/token/code")
        number = int(page.find("label", attrs={"for": "code"}).get_text().split("n°")[1].split()[0])
        await other_visitor.submit("/identification/token/code", {"code": demo_card_code(MARIE, number)})
        assert (await other.get("/mes-cles")).status_code == 200

        await visitor.page("/mes-cles/mot-de-passe")
        for new, message in [("court", "au moins 8 caractères"), ("azertyuiop", "trop courant"),
                             (MARIE, "nom d'utilisateur")]:
            response = await visitor.submit("/mes-cles/mot-de-passe", {
                "current_password": DEMO_PASSWORD, "new_password": new, "confirmation": new})
            assert response.status_code == 422 and message in response.text.replace("&#39;", "'")
            assert new not in response.text.split("<main")[1] or new == MARIE
        response = await visitor.submit("/mes-cles/mot-de-passe", {
            "current_password": "wrong-one", "new_password": "trois mots au hasard",
            "confirmation": "trois mots au hasard"})
        assert response.status_code == 422
        response = await visitor.submit("/mes-cles/mot-de-passe", {
            "current_password": DEMO_PASSWORD, "new_password": "trois mots au hasard",
            "confirmation": "trois mots au hasard"})
        assert response.headers["location"] == "/mes-cles"
        page = await client.get("/mes-cles")
        assert page.status_code == 200 and "Votre mot de passe est changé." in page.text
        assert (await other.get("/mes-cles")).status_code == 303
