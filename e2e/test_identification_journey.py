"""S'identifier (issue 3, guide 004): every digital key, and every demo identity with one of them,
step-up from substantial to high, single sign-on, logout, a wrong password then the right one with
the keyboard alone; each journey with JavaScript on and off (A2).

Every `journey.step` also runs axe (WCAG 2.2 AA, A1), checks reflow at 320 px (A6) and that no
script or Content-Security-Policy error happened.

The journeys read the codes as a tester would: the e-mail in the outbox of the acceptance
environment (/dev/outbox, in a second tab), the demo users' authenticator app (TOTP of the demo
secret) and their token card (`demo_card_code`).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Page, expect

from app.identity.keys.token import demo_card_code
from app.registry.demo import (
    DEMO_CARD_PIN,
    DEMO_IDENTITIES,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DemoIdentity,
)
from e2e.pages.identity import (
    EID,
    EMAIL_CODE,
    ITSME,
    KEYS_WITH_EID,
    KEYS_WITH_SECURITY_CODE,
    MOBILE_APP,
    TOKEN,
    AcceptanceProviderPages,
    CodePage,
    IdentificationPage,
    IdentityPage,
    Key,
    LoggedOutPage,
    MyKeysPage,
    OutboxPage,
    PasswordPage,
)
from e2e.pages.portal import HomePage
from e2e.support.journey import Journey

KEYS = {"eid": EID, "itsme": ITSME, "code-email": EMAIL_CODE, "application-mobile": MOBILE_APP,
        "token": TOKEN}
IDENTITIES = {identity.person.username: identity for identity in DEMO_IDENTITIES}
assert len(IDENTITIES) == len(DEMO_IDENTITIES), "two demo identities share a user name"


def identities_by_key() -> dict[str, tuple[DemoIdentity, ...]]:
    """Every key with at least one demo identity, every demo identity with one key: the n-th
    identity signs in with the (n mod number of keys)-th key, and with more keys than identities
    the identities take a second turn."""
    keys, identities = list(KEYS), list(IDENTITIES)
    pairs: dict[str, list[str]] = {key_id: [] for key_id in keys}
    for number in range(max(len(keys), len(identities))):
        username = identities[number % len(identities)]
        if username not in pairs[keys[number % len(keys)]]:
            pairs[keys[number % len(keys)]].append(username)
    return {key_id: tuple(IDENTITIES[username] for username in usernames)
            for key_id, usernames in pairs.items()}


IDENTITIES_BY_KEY = identities_by_key()
# No key and no demo identity left out, whatever the demo data becomes.
assert set(IDENTITIES_BY_KEY) == set(KEYS), IDENTITIES_BY_KEY
assert all(IDENTITIES_BY_KEY.values()), f"a key without identity: {IDENTITIES_BY_KEY}"
assert {identity.person.username for identities in IDENTITIES_BY_KEY.values()
        for identity in identities} == set(IDENTITIES), "a demo identity never signs in"


def full_name(identity: DemoIdentity) -> str:
    return f"{identity.person.first_name} {identity.person.last_name}"


# -- the codes, as the demo users get them ------------------------------------------------------


class AuthenticatorApp:
    """The demo users' mobile app (TOTP of DEMO_TOTP_SECRET, 30-s steps).

    Guichet accepts a code once per account and step, within one step of now. An account that
    already signed in during this step (the `js` and `nojs` runs of a journey follow each other
    within seconds) types the code the app shows for the next step, which Guichet's window
    accepts; only a third login within one step waits for the step to change.
    """

    def __init__(self, secret: str) -> None:
        self._totp = pyotp.TOTP(secret, interval=30)
        self._last_step: dict[str, int] = {}

    def code_for(self, username: str) -> str:
        while True:
            now = int(time.time() // 30)
            step = max(now, self._last_step.get(username, now - 1) + 1)
            if step <= now + 1:
                self._last_step[username] = step
                return self._totp.at(step * 30)
            time.sleep((now + 1) * 30 - time.time() + 0.05)


AUTHENTICATOR = AuthenticatorApp(DEMO_TOTP_SECRET)


def email_code(page: Page, journey: Journey, address: str, step: str) -> str:
    """Opens the outbox in a second tab, reads the newest code sent to `address`, closes the tab."""
    outbox = OutboxPage.open(page.context.new_page())
    assert outbox.status == 200
    expect(outbox.heading).to_have_text(outbox.text(OutboxPage.TITLE))
    expect(outbox.messages_to(address).first).to_be_visible()
    journey.step(outbox.page, step)
    code = outbox.latest_code_for(address)
    outbox.close()
    return code


def security_code(page: Page, journey: Journey, key: Key, code_page: CodePage,
                  identity: DemoIdentity, prefix: str) -> str:
    username = identity.person.username
    if key is EMAIL_CODE:
        return email_code(page, journey, identity.person.email, f"{prefix}-boite-d-envoi")
    if key is MOBILE_APP:
        return AUTHENTICATOR.code_for(username)
    assert key is TOKEN, key
    return demo_card_code(username, code_page.token_number)


# -- the identification, step by step -----------------------------------------------------------


def ask_for_my_keys(page: Page) -> IdentificationPage:
    """Opens "Mes clés numériques" without being identified: the identification page, which will
    come back to it."""
    opened = MyKeysPage.open(page)
    assert opened.path == "/identification", f"/mes-cles opened {page.url} without identification"
    identification = IdentificationPage(page)
    expect(identification.heading).to_have_text(identification.text(IdentificationPage.TITLE))
    return identification


def expect_the_keys_of_guide_004(identification: IdentificationPage) -> None:
    """Two groups, the keys with the eID first, each key a link "IDENTIFICATION ..."."""
    expect(identification.keys_in(IdentificationPage.KEYS_WITH_EID)).to_have_text(
        [identification.key_name(key) for key in KEYS_WITH_EID])
    expect(identification.keys_in(IdentificationPage.KEYS_WITH_SECURITY_CODE)).to_have_text(
        [identification.key_name(key) for key in KEYS_WITH_SECURITY_CODE])
    expect(identification.help_link).to_be_visible()


def sign_in(page: Page, journey: Journey, identification: IdentificationPage, key: Key,
            identity: DemoIdentity, prefix: str) -> MyKeysPage:
    """From the identification page to the service, with `key`; a step on every page."""
    chosen = identification.choose_key(key)
    assert chosen.status == 200, f"{key.description}: {chosen.status} at {page.url}"
    if key.through_provider:
        provider: AcceptanceProviderPages = chosen
        expect(provider.heading).to_have_text(provider.text(AcceptanceProviderPages.CHOOSE_IDENTITY))
        expect(provider.acceptance_notice).to_be_visible()
        journey.step(page, f"{prefix}-fournisseur-identite")
        provider.choose_identity(full_name(identity))
        assert provider.status == 200
        if key is EID:
            expect(provider.heading).to_have_text(provider.text(AcceptanceProviderPages.PIN))
            journey.step(page, f"{prefix}-fournisseur-code-pin")
            return provider.enter_pin(DEMO_CARD_PIN)
        expect(provider.heading).to_have_text(provider.text(AcceptanceProviderPages.CONFIRM_IN_APP))
        journey.step(page, f"{prefix}-fournisseur-confirmation")
        return provider.confirm_in_app()

    password: PasswordPage = chosen
    expect(password.heading).to_have_text(password.text(PasswordPage.TITLE))
    journey.step(page, f"{prefix}-mot-de-passe")
    code_page = password.sign_in(identity.person.username, DEMO_PASSWORD)
    assert code_page.status == 200, f"the password was refused at {page.url}"
    expect(code_page.code_field).to_be_editable()
    journey.step(page, f"{prefix}-code")
    return code_page.enter(security_code(page, journey, key, code_page, identity, prefix))


def expect_signed_in(my_keys: MyKeysPage, identity: DemoIdentity, key: Key) -> None:
    """Back on "Mes clés numériques", identified as `identity` with `key`, at the key's level."""
    assert my_keys.status == 200, f"{my_keys.status} at {my_keys.page.url}"
    assert my_keys.path == MyKeysPage.PATH, f"identified, but on {my_keys.page.url}"
    expect(my_keys.heading).to_have_text(my_keys.text(MyKeysPage.TITLE))
    expect(my_keys.sign_out_button).to_be_visible()
    summary = my_keys.summary()
    assert summary[my_keys.text("Nom")] == full_name(identity)
    key_name = IdentificationPage(my_keys.page).key_name(key)
    assert summary[my_keys.text("Clé numérique utilisée")] == key_name
    assert summary[my_keys.text("Niveau de sécurité")] == my_keys.level_name(key.high)


def expect_signed_out(logged_out: LoggedOutPage) -> None:
    assert logged_out.status == 200
    assert logged_out.path == "/deconnexion"
    expect(logged_out.heading).to_have_text(logged_out.text(LoggedOutPage.TITLE))
    expect(logged_out.sign_out_button).to_have_count(0)
    expect(logged_out.my_keys_link).to_have_count(0)
    expect(logged_out.sign_in_link).to_be_visible()


# -- the journeys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_id", "identities"),
    [pytest.param(key_id, identities,
                  id="-".join([key_id, *(identity.person.username for identity in identities)]))
     for key_id, identities in IDENTITIES_BY_KEY.items()],
)
def test_demo_identities_sign_in_with_the_key(
    page: Page, journey: Journey, key_id: str, identities: tuple[DemoIdentity, ...]
) -> None:
    """The key's demo identities in turn (one, or two when there are more identities than keys:
    the eID takes the first and the sixth) open "Mes clés numériques", are asked to identify, sign
    in with the key, find their name, the key and its level there and sign out; the next one is
    asked to identify again.

    With and without JavaScript, every key once and every demo identity once
    (`IDENTITIES_BY_KEY`): a key's pages are the same for everyone but the name, so the full
    matrix of identities and keys would only repeat them and make `make test` longer."""
    key = KEYS[key_id]
    for number, identity in enumerate(identities):
        prefix = identity.person.username.replace(".", "-")
        identification = ask_for_my_keys(page)
        if number == 0:  # the same page for everyone: its content is checked once per run
            expect_the_keys_of_guide_004(identification)
        journey.step(page, f"{prefix}-identification")

        my_keys = sign_in(page, journey, identification, key, identity, prefix)
        expect_signed_in(my_keys, identity, key)
        journey.step(page, f"{prefix}-mes-cles")

        expect_signed_out(my_keys.sign_out())
        journey.step(page, f"{prefix}-deconnecte")


def test_step_up_from_substantial_to_high_with_the_eid(page: Page, journey: Journey) -> None:
    marie = IDENTITIES["marie.dubois"]
    identification = ask_for_my_keys(page)
    journey.step(page, "identification")
    my_keys = sign_in(page, journey, identification, TOKEN, marie, "token")
    expect_signed_in(my_keys, marie, TOKEN)
    journey.step(page, "mes-cles-substantiel")

    # A service that needs the level high sends a substantial session back to identification,
    # with only the keys that qualify and the reason.
    step_up = IdentificationPage.open(page, next_path=MyKeysPage.PATH, level=3)
    assert step_up.status == 200
    expect(step_up.notice).to_contain_text(step_up.text(IdentificationPage.STEP_UP_NOTICE))
    expect(step_up.keys_in(IdentificationPage.KEYS_WITH_EID)).to_have_text(
        [step_up.key_name(key) for key in KEYS_WITH_EID])
    expect(step_up.group(IdentificationPage.KEYS_WITH_SECURITY_CODE)).to_have_count(0)
    for key in KEYS_WITH_SECURITY_CODE:
        expect(step_up.key_link(key)).to_have_count(0)
    expect(step_up.sign_out_button).to_be_visible()  # still signed in meanwhile
    journey.step(page, "identification-niveau-eleve")

    my_keys = sign_in(page, journey, step_up, EID, marie, "eid")
    expect_signed_in(my_keys, marie, EID)
    journey.step(page, "mes-cles-eleve")


def test_single_sign_on_opens_the_service_without_identifying_again(
    page: Page, journey: Journey
) -> None:
    """Identified with itsme (high) through "Se connecter" on the home page, the person comes back
    there, then opens a service that needs less (substantial) without identifying again, from the
    header's link as from its address, until logout."""
    luc = IDENTITIES["luc.martin"]
    home = HomePage.open(page)
    journey.step(page, "accueil")
    identification = IdentityPage(page).go_to_sign_in()
    assert identification.status == 200
    expect(identification.heading).to_have_text(identification.text(IdentificationPage.TITLE))
    expect_the_keys_of_guide_004(identification)
    journey.step(page, "identification")

    back_home = IdentityPage(page, status=sign_in(
        page, journey, identification, ITSME, luc, "itsme").status)
    assert back_home.status == 200
    assert back_home.path == "/", f"the login did not come back to the home page: {page.url}"
    expect(home.heading).to_have_text(home.text(HomePage.WELCOME))
    expect(back_home.sign_out_button).to_be_visible()
    expect(back_home.sign_in_link).to_have_count(0)
    journey.step(page, "accueil-identifie")

    my_keys = back_home.open_my_keys()
    expect_signed_in(my_keys, luc, ITSME)
    journey.step(page, "mes-cles-par-l-en-tete")

    HomePage.open(page)
    journey.step(page, "accueil-encore")
    my_keys = MyKeysPage.open(page)
    expect_signed_in(my_keys, luc, ITSME)
    journey.step(page, "mes-cles-par-son-adresse")


def test_logout_closes_the_session_and_the_service_asks_again(page: Page, journey: Journey) -> None:
    sophie = IDENTITIES["sophie.laurent"]
    identification = ask_for_my_keys(page)
    journey.step(page, "identification")
    my_keys = sign_in(page, journey, identification, MOBILE_APP, sophie, "application-mobile")
    expect_signed_in(my_keys, sophie, MOBILE_APP)
    journey.step(page, "mes-cles")

    logged_out = my_keys.sign_out()
    expect_signed_out(logged_out)
    journey.step(page, "deconnecte")

    # The service asks to identify again, whether opened anew or through the browser's Back.
    again = ask_for_my_keys(page)
    expect(again.sign_out_button).to_have_count(0)
    journey.step(page, "identification-a-nouveau")
    expect_signed_out(LoggedOutPage(page, page.go_back()))
    journey.step(page, "retour-page-de-deconnexion")
    page.go_back()  # "Mes clés numériques" as it was, if the browser had kept it
    assert urlsplit(page.url).path == "/identification", (
        f"Back after logout showed {page.url} instead of asking to identify")
    expect(page.get_by_text(full_name(sophie))).to_have_count(0)
    journey.step(page, "retour-apres-deconnexion")


def test_wrong_password_then_the_right_one_with_the_keyboard_alone(
    page: Page, journey: Journey, javascript: bool
) -> None:
    """The whole login with Tab, typing and Enter: the key's link, a wrong password (the error
    summary, the user name kept, the title "Erreur : ..."), the right one, the token's code, then
    "Se déconnecter"."""
    karim = IDENTITIES["karim.benali"]
    username = karim.person.username
    identification = ask_for_my_keys(page)
    journey.step(page, "identification")

    password = identification.choose_key_with_keyboard(TOKEN)
    assert password.status == 200
    expect(password.heading).to_have_text(password.text(PasswordPage.TITLE))
    journey.step(page, "mot-de-passe")

    refused = password.sign_in_with_keyboard(username, "pas-le-bon-mot-de-passe")
    assert refused.status == 422
    password = PasswordPage(page, status=refused.status)
    expect(page).to_have_title(re.compile("^" + re.escape(password.text("Erreur :")) + " "))
    expect(password.error_summary).to_be_visible()
    expect(password.error_link(PasswordPage.WRONG_PASSWORD)).to_be_visible()
    if javascript:  # the summary takes the focus, so that a screen reader reads it first
        expect(password.error_summary).to_be_focused()
    expect(password.username_field).to_have_value(username)
    expect(password.password_field).to_have_value("")
    journey.step(page, "mot-de-passe-refuse")

    code_page = password.sign_in_with_keyboard(None, DEMO_PASSWORD)  # the user name is kept
    assert code_page.status == 200
    expect(page).not_to_have_title(re.compile("^" + re.escape(code_page.text("Erreur :"))))
    journey.step(page, "code-token")

    my_keys = code_page.enter_with_keyboard(demo_card_code(username, code_page.token_number))
    expect_signed_in(my_keys, karim, TOKEN)
    journey.step(page, "mes-cles")

    my_keys.tab_to(my_keys.sign_out_button)
    logged_out = LoggedOutPage(page, status=my_keys.press_enter())
    expect_signed_out(logged_out)
    journey.step(page, "deconnecte")
