"""Identification (guide 004): the choice of a digital key, user name and password, the security
code, the built-in test identity provider (eID, itsme), "Mes clés numériques", the outbox of the
acceptance environment and the page after "Se déconnecter".

Locators are by role, label and visible text only, in the page's own language (French source
texts through `PortalPage.text`). Every intent that leaves a page waits for the next one to load
and returns its page object; `status` is the HTTP status of the page reached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Self
from urllib.parse import urlencode

from playwright.sync_api import Locator, Page, Response

from e2e.pages.layout import PortalPage

TAB_LIMIT = 60  # Tab presses before giving up on reaching an element with the keyboard


@dataclass(frozen=True)
class Key:
    """A digital key as the identification page names it: "IDENTIFICATION" + its description."""

    description: str  # the French source text ("avec un lecteur de cartes eID")
    through_provider: bool  # eID and itsme: the identity provider; else user name + password
    high: bool  # the level it gives: high (eID, itsme) or substantial (the security codes)


EID = Key("avec un lecteur de cartes eID", through_provider=True, high=True)
ITSME = Key("via itsme", through_provider=True, high=True)
EMAIL_CODE = Key("avec un code de sécurité envoyé par e-mail", through_provider=False, high=False)
MOBILE_APP = Key("avec un code de sécurité via une application mobile", through_provider=False,
                 high=False)
TOKEN = Key("avec code de sécurité via token", through_provider=False, high=False)
KEYS_WITH_EID = (EID, ITSME)
KEYS_WITH_SECURITY_CODE = (EMAIL_CODE, MOBILE_APP, TOKEN)


class IdentityPage(PortalPage):
    """Any page of the portal as identification sees it: the header's "Se connecter", or
    "Mes clés numériques" and "Se déconnecter" once identified; the error summary; moving with
    the keyboard alone."""

    def __init__(self, page: Page, response: Response | None = None, *,
                 status: int | None = None) -> None:
        super().__init__(page, response)
        if status is not None:  # the page was reached by a navigation the intent waited for
            self.status = status

    @property
    def sign_in_link(self) -> Locator:
        """"Se connecter" in the header (not on the identification pages themselves)."""
        return self.page.get_by_role("banner").get_by_role(
            "link", name=self.text("Se connecter"), exact=True
        )

    @property
    def my_keys_link(self) -> Locator:
        """"Mes clés numériques" in the header, once identified."""
        return self.page.get_by_role("banner").get_by_role(
            "link", name=self.text("Mes clés numériques"), exact=True
        )

    @property
    def sign_out_button(self) -> Locator:
        return self.page.get_by_role("banner").get_by_role(
            "button", name=self.text("Se déconnecter"), exact=True
        )

    @property
    def error_summary(self) -> Locator:
        """The error summary (role alert, titled "Il y a un problème")."""
        return self.page.get_by_role("alert").filter(
            has=self.page.get_by_role("heading", name=self.text("Il y a un problème"))
        )

    def error_link(self, message: str) -> Locator:
        """The summary's link to the field in error, by the French source text of the message."""
        return self.error_summary.get_by_role("link", name=self.text(message))

    # -- intents ---------------------------------------------------------------------------------

    def go_to_sign_in(self) -> IdentificationPage:
        """"Se connecter": the identification page, which comes back to this page."""
        return IdentificationPage(self.page, status=self._status_after(self.sign_in_link.click))

    def open_my_keys(self) -> MyKeysPage:
        """"Mes clés numériques" in the header."""
        return MyKeysPage(self.page, status=self._status_after(self.my_keys_link.click))

    def sign_out(self) -> LoggedOutPage:
        """"Se déconnecter" in the header: the page that says the session is closed."""
        return LoggedOutPage(self.page, status=self._status_after(self.sign_out_button.click))

    # -- the keyboard ----------------------------------------------------------------------------

    def tab_to(self, target: Locator) -> None:
        """Presses Tab until `target` has the focus, as a keyboard user moves through the page."""
        for _ in range(TAB_LIMIT):
            self.page.keyboard.press("Tab")
            if target.evaluate("(element) => element === document.activeElement"):
                return
        raise AssertionError(
            f"{target} not reached with {TAB_LIMIT} presses of Tab on {self.page.url}"
        )

    def press_enter(self) -> int | None:
        """Enter on the focused link or field; returns the status of the page it leads to."""
        with self.page.expect_navigation(wait_until="load") as navigation:
            self.page.keyboard.press("Enter")
        return navigation.value.status if navigation.value is not None else None

    def _status_after(self, action) -> int | None:
        with self.page.expect_navigation(wait_until="load") as navigation:
            action()
        return navigation.value.status if navigation.value is not None else None


# -- "S'identifier à l'administration en ligne" ------------------------------------------------


class IdentificationPage(IdentityPage):
    """`/identification`: the digital keys, grouped as in guide 004
    (templates/identity/choose_key.html)."""

    TITLE = "S'identifier à l'administration en ligne"
    KEYS_WITH_EID = "Clé(s) numérique(s) avec l'eID ou identité numérique"
    KEYS_WITH_SECURITY_CODE = (
        "Clé(s) numérique(s) avec code de sécurité et nom d'utilisateur + mot de passe"
    )
    STEP_UP_NOTICE = ("Ce service demande un niveau de sécurité élevé. "
                      "Identifiez-vous à nouveau avec l'eID ou itsme.")

    @classmethod
    def open(cls, page: Page, next_path: str | None = None, level: int | None = None) -> Self:
        query = {name: value for name, value in (("next", next_path), ("niveau", level))
                 if value is not None}
        return cls.visit(page, "/identification" + (f"?{urlencode(query)}" if query else ""))

    def group(self, title: str) -> Locator:
        """A group of keys (a region named by its h2), by its French title."""
        return self.main.get_by_role("region", name=self.text(title))

    def key_name(self, key: Key) -> str:
        return f"{self.text('IDENTIFICATION')} {self.text(key.description)}"

    def key_link(self, key: Key) -> Locator:
        return self.main.get_by_role("link", name=self.key_name(key), exact=True)

    def keys_in(self, title: str) -> Locator:
        """The key links of a group, in the page's order."""
        return self.group(title).get_by_role("link")

    @property
    def notice(self) -> Locator:
        """The information about the level the service needs (role note)."""
        return self.main.get_by_role("note")

    @property
    def help_link(self) -> Locator:
        return self.main.get_by_role("link", name=self.text("Besoin d'aide ?"), exact=True)

    # -- intents ---------------------------------------------------------------------------------

    def choose_key(self, key: Key) -> PasswordPage | AcceptanceProviderPages:
        """Follows the key's link: the test provider for eID and itsme, else the user name and
        the password."""
        return self._next_page(key, self._status_after(self.key_link(key).click))

    def choose_key_with_keyboard(self, key: Key) -> PasswordPage | AcceptanceProviderPages:
        """The same with Tab to the key's link, then Enter."""
        self.tab_to(self.key_link(key))
        return self._next_page(key, self.press_enter())

    def _next_page(self, key: Key, status: int | None) -> PasswordPage | AcceptanceProviderPages:
        page_object = AcceptanceProviderPages if key.through_provider else PasswordPage
        return page_object(self.page, status=status)


# -- the keys with user name, password and a security code ---------------------------------------


class PasswordPage(IdentityPage):
    """`/identification/<key>/connexion`: the first factor (templates/identity/password.html)."""

    TITLE = "Nom d'utilisateur et mot de passe"
    WRONG_PASSWORD = "Le nom d'utilisateur ou le mot de passe est incorrect."

    @property
    def username_field(self) -> Locator:
        return self.page.get_by_label(self.text("Nom d'utilisateur"), exact=True)

    @property
    def password_field(self) -> Locator:
        return self.page.get_by_label(self.text("Mot de passe"), exact=True)

    @property
    def next_button(self) -> Locator:
        return self.main.get_by_role("button", name=self.text("Suivant"), exact=True)

    def sign_in(self, username: str, password: str) -> CodePage:
        """Types the user name and the password and goes on ("Suivant"): the security code's page,
        or this page again with the error summary (then see `status`, `error_summary`)."""
        self.username_field.fill(username)
        self.password_field.fill(password)
        status = self._status_after(self.next_button.click)
        return CodePage(self.page, status=status)

    def sign_in_with_keyboard(self, username: str | None, password: str) -> CodePage:
        """The same with Tab and typing, then Enter in the password field. `username` None keeps
        the user name already in its field (as the page gives it back after an error)."""
        if username is not None:
            self.tab_to(self.username_field)
            self.page.keyboard.type(username)
        self.tab_to(self.password_field)
        self.page.keyboard.type(password)
        return CodePage(self.page, status=self.press_enter())


class CodePage(IdentityPage):
    """`/identification/<key>/code`: the security code (templates/identity/code_*.html): one field,
    "Code de sécurité", or "Code n° N de votre carte token"."""

    TOKEN_LABEL = "Code n° %(number)s de votre carte token"

    def _token_label(self) -> re.Pattern[str]:
        words = self.text(self.TOKEN_LABEL).split("%(number)s")
        return re.compile("^" + r"(\d+)".join(re.escape(part) for part in words) + "$")

    @property
    def code_field(self) -> Locator:
        """The one field of the page, by its label (either wording)."""
        return self.main.get_by_label(self.text("Code de sécurité"), exact=True).or_(
            self.main.get_by_label(self._token_label())
        )

    @property
    def confirm_button(self) -> Locator:
        return self.main.get_by_role("button", name=self.text("Confirmer"), exact=True)

    @property
    def token_number(self) -> int:
        """The number of the card's code the page asks for, read from the field's label."""
        label = self.main.get_by_text(self._token_label()).inner_text()
        return int(self._token_label().match(label.strip()).group(1))

    def enter(self, code: str) -> MyKeysPage:
        """Types the code and confirms: the service that asked for the identification."""
        self.code_field.fill(code)
        status = self._status_after(self.confirm_button.click)
        return MyKeysPage(self.page, status=status)

    def enter_with_keyboard(self, code: str) -> MyKeysPage:
        self.tab_to(self.code_field)
        self.page.keyboard.type(code)
        return MyKeysPage(self.page, status=self.press_enter())


# -- the built-in test identity provider (eID and itsme) ----------------------------------------


class AcceptanceProviderPages(IdentityPage):
    """`/fournisseur-test/...`: the identity chosen among the demo identities, then the eID card's
    PIN or the confirmation in the itsme app (templates/acceptance/identity_provider/)."""

    CHOOSE_IDENTITY = "Choisissez une identité de test"
    PIN = "Introduisez le code PIN de votre carte eID"
    CONFIRM_IN_APP = "Confirmer dans l'application"

    @property
    def acceptance_notice(self) -> Locator:
        return self.main.get_by_role("note", name=self.text("Fournisseur d'identité de test"))

    def identity(self, name: str) -> Locator:
        """The radio button of a demo identity, by the person's name ("Marie Dubois")."""
        return self.main.get_by_role("radio", name=name)

    @property
    def pin_field(self) -> Locator:
        return self.main.get_by_label(self.text("Code PIN"), exact=True)

    def choose_identity(self, name: str) -> Self:
        """Chooses a demo identity and continues: the PIN page (eID) or the app's (itsme)."""
        self.identity(name).check()
        self.status = self._status_after(
            self.main.get_by_role("button", name=self.text("Continuer"), exact=True).click
        )
        return self

    def enter_pin(self, pin: str) -> MyKeysPage:
        """Types the card's PIN and validates: back to Guichet, identified."""
        self.pin_field.fill(pin)
        status = self._status_after(
            self.main.get_by_role("button", name=self.text("Valider"), exact=True).click
        )
        return MyKeysPage(self.page, status=status)

    def confirm_in_app(self) -> MyKeysPage:
        """Confirms as the itsme app would: back to Guichet, identified."""
        status = self._status_after(
            self.main.get_by_role("button", name=self.text("Confirmer"), exact=True).click
        )
        return MyKeysPage(self.page, status=status)


# -- after the identification ------------------------------------------------------------------


class MyKeysPage(IdentityPage):
    """`/mes-cles`, "Mes clés numériques": a service that needs the level substantial
    (templates/identity/my_keys.html)."""

    TITLE = "Mes clés numériques"
    PATH = "/mes-cles"

    @classmethod
    def open(cls, page: Page) -> Self:
        """Opens the service: its page when identified, else the identification page (see
        `path`)."""
        return cls.visit(page, cls.PATH)

    def summary(self) -> dict[str, str]:
        """The summary list as {term: value}, both as the page shows them. Each row is a term
        and two definitions: the value, and the (here empty) action."""
        terms = [text.strip() for text in self.main.get_by_role("term").all_inner_texts()]
        definitions = [
            text.strip() for text in self.main.get_by_role("definition").all_inner_texts()
        ]
        assert len(definitions) == 2 * len(terms), (terms, definitions)
        return dict(zip(terms, definitions[::2], strict=True))

    def value(self, term: str) -> str:
        """The value of a row, by the French source text of its term ("Nom")."""
        return self.summary()[self.text(term)]

    def level_name(self, high: bool) -> str:
        """How the page names a level: "élevé" or "substantiel"."""
        return self.text("élevé" if high else "substantiel")


class LoggedOutPage(IdentityPage):
    """`/deconnexion`: "Vous êtes déconnecté(e)" (templates/identity/logged_out.html)."""

    TITLE = "Vous êtes déconnecté(e)"


# -- the outbox of the acceptance environment ---------------------------------------------------


class OutboxPage(PortalPage):
    """`/dev/outbox`: the e-mails Guichet kept instead of sending them, newest first
    (templates/mail/outbox.html), read as a tester reads them."""

    TITLE = "Boîte d'envoi (environnement d'acceptation)"
    CODE = re.compile(r"\b(\d{6})\b")

    @classmethod
    def open(cls, page: Page) -> Self:
        return cls.visit(page, "/dev/outbox")

    @property
    def table(self) -> Locator:
        return self.main.get_by_role(
            "table", name=self.text("Derniers e-mails, du plus récent au plus ancien")
        )

    def messages_to(self, address: str) -> Locator:
        """The rows of the e-mails sent to `address` (its row header), newest first."""
        return self.table.get_by_role("row").filter(
            has=self.page.get_by_role("rowheader", name=address, exact=True)
        )

    def latest_code_for(self, address: str) -> str:
        """The security code in the newest e-mail to `address`."""
        newest = self.messages_to(address).first
        body = newest.get_by_role("cell").last.inner_text()
        found = self.CODE.search(body)
        assert found, f"no 6-digit code in the newest e-mail to {address}: {body!r}"
        return found.group(1)

    def close(self) -> None:
        self.page.close()
