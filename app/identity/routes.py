"""Identification: the choice of the digital key, the keys with user name + password + security
code, logout, the session's extension and the page of one's own keys."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from app.audit.services import AuditAction, record
from app.identity import throttling
from app.identity.enrolment import (
    activate_mobile_app,
    grouped,
    new_secret,
    provisioning_uri,
    qr_code_data_uri,
    username_of,
)
from app.identity.flash import flash, take_flash
from app.identity.forms import CodeForm, NewPasswordForm, PasswordForm, error_of
from app.identity.guards import requires
from app.identity.keys import SECOND_FACTORS, KeyUnavailable, SecondFactor
from app.identity.keys.email_code import send_code
from app.identity.keys.token import active_card, issue_card
from app.identity.passwords import verify_password
from app.identity.services import (
    change_password,
    client_address,
    complete_login,
    log_out,
    remember_destination,
)
from app.identity.sessions import (
    current_session,
    ensure_session,
    extend,
    update_session_data,
)
from app.identity.tables import Account
from app.registry.tables import Person
from app.rules.assurance import (
    KEYS_WITH_EID,
    KEYS_WITH_SECURITY_CODE,
    DigitalKey,
    Level,
    qualifying_keys,
)
from app.rules.identifiers import format_niss
from app.web.forms import FormData
from app.web.i18n import gettext as _
from app.web.redirects import safe_local_path
from app.web.render import render
from app.web.urls import path_for


def second_factor_of(key: str) -> SecondFactor:
    try:
        return SECOND_FACTORS[DigitalKey(key)]
    except (ValueError, KeyError):
        raise NotFoundException() from None


class IdentificationController(Controller):
    path = "/identification"

    @get("/", name="identification")
    async def choose_key(
        self,
        request: Request,
        next_path: Annotated[str | None, QueryParameter(name="next")] = None,
        level: Annotated[int, QueryParameter(name="niveau", ge=0, le=3)] = 0,
    ) -> Template:
        await remember_destination(request, next_path)
        minimum = Level(level)
        session = current_session(request)
        context = {
            "minimum": minimum,
            "keys_with_eid": [key for key in KEYS_WITH_EID if key in qualifying_keys(minimum)],
            "keys_with_code": [key for key in KEYS_WITH_SECURITY_CODE if key in qualifying_keys(minimum)],
            "step_up": minimum > Level.NONE and session is not None and session.signed_in,
        }
        return render(request, "identity/choose_key.html", context)

    # -- first factor: user name and password -----------------------------------------------

    @get("/{key:str}/connexion", name="identification_password")
    async def password_page(self, request: Request, key: FromPath[str]) -> Template:
        second_factor_of(key)
        await ensure_session(request)
        return render(request, "identity/password.html", {"key": DigitalKey(key), "form": PasswordForm()})

    @post("/{key:str}/connexion", status_code=303, name="identification_password_check")
    async def check_password(self, request: Request, key: FromPath[str], data: FormData) -> Response:
        factor = second_factor_of(key)
        form = PasswordForm.parse(data)
        context: dict[str, Any] = {"key": factor.key, "form": form}
        if form.errors:
            return render(request, "identity/password.html", context, status_code=422)
        scope = throttling.password_scope(form.username)
        attempt = await throttling.reserve(scope)  # before the check: concurrent guesses count each
        if attempt > throttling.MAX_PASSWORD_FAILURES:
            await record(AuditAction.THROTTLED, actor=form.username[:64],
                         source=client_address(request), outcome="failure",
                         details={"key": factor.key.value})
            form.errors.append(("username", _(
                "Trop de tentatives ont échoué pour ce compte. Réessayez dans 15 minutes."
            )))
            return render(request, "identity/password.html", context, status_code=429)
        person = await Person.select(Person.id, Person.niss).where(
            Person.username == form.username.lower()
        ).first()
        account = None
        if person is not None:
            account = await Account.select().where(Account.person == person["id"]).first()
        usable = account is not None and not account["blocked"]
        valid = await verify_password(account["password_hash"] if usable else None, form.password)
        if not valid:
            await record(AuditAction.LOGIN_FAILED, actor=person["niss"] if person else form.username[:64],
                         source=client_address(request), outcome="failure",
                         details={"key": factor.key.value, "step": "password"})
            await throttling.slow_down_after_failure(attempt)
            form.errors.append(("username", _("Le nom d'utilisateur ou le mot de passe est incorrect.")))
            form.password = ""
            return render(request, "identity/password.html", context, status_code=422)
        await throttling.clear(scope)
        try:
            pending = await factor.begin(request, person["id"])
        except KeyUnavailable as unavailable:
            form.errors.append(("username", str(unavailable)))
            form.password = ""
            return render(request, "identity/password.html", context, status_code=422)
        # The attempt's id names the throttle of its security code (5 tries, counted before each check).
        pending = {"attempt": secrets.token_urlsafe(16), **pending}
        await update_session_data(
            request, pending={"person_id": person["id"], "key": factor.key.value, **pending}
        )
        return Redirect(path=path_for(request, "identification_code", key=factor.key.value), status_code=303)

    # -- second factor: the security code ---------------------------------------------------

    async def _pending(self, request: Request, factor: SecondFactor) -> dict[str, Any] | None:
        session = current_session(request)
        pending = session.data.get("pending") if session else None
        if not pending or pending.get("key") != factor.key.value:
            return None
        return pending

    async def _code_page(self, request, factor, pending, form, status_code=200, notice=None) -> Template:
        context = {"key": factor.key, "form": form, "notice": notice,
                   "code_error": error_of(form.errors, "code"),
                   **await factor.page_context(pending)}
        return render(request, factor.template, context, status_code=status_code)

    @get("/{key:str}/code", name="identification_code")
    async def code_page(self, request: Request, key: FromPath[str]) -> Response:
        factor = second_factor_of(key)
        pending = await self._pending(request, factor)
        if pending is None:
            return Redirect(path=path_for(request, "identification_password", key=key), status_code=303)
        return await self._code_page(request, factor, pending, CodeForm())

    @post("/{key:str}/code", status_code=303, name="identification_code_check")
    async def check_code(self, request: Request, key: FromPath[str], data: FormData) -> Response:
        factor = second_factor_of(key)
        pending = await self._pending(request, factor)
        if pending is None:
            return Redirect(path=path_for(request, "identification_password", key=key), status_code=303)
        form = CodeForm.parse(data)
        if form.errors:
            return await self._code_page(request, factor, pending, form, status_code=422)
        scope = throttling.code_scope(pending.get("attempt") or pending["person_id"])
        tries = await throttling.reserve(scope)  # before the check: concurrent tries count each
        # The count is not cleared on success: the attempt is over, and its requests still in flight
        # must not get five more tries.
        if tries <= throttling.MAX_CODE_TRIES and await factor.verify(pending, form.code):
            await update_session_data(request, pending=None)
            destination = await complete_login(request, pending["person_id"], factor.key)
            return Redirect(path=destination, status_code=303)
        person = await Person.select(Person.niss).where(Person.id == pending["person_id"]).first()
        await record(AuditAction.LOGIN_FAILED, actor=person["niss"], source=client_address(request),
                     outcome="failure", details={"key": factor.key.value, "step": "code"})
        if tries >= throttling.MAX_CODE_TRIES:
            await update_session_data(request, pending=None)
            await record(AuditAction.THROTTLED, actor=person["niss"], source=client_address(request),
                         outcome="failure", details={"key": factor.key.value, "step": "code"})
            form = PasswordForm()
            form.errors.append(("username", _(
                "Le code de sécurité a été refusé 5 fois. Identifiez-vous à nouveau."
            )))
            return render(request, "identity/password.html", {"key": factor.key, "form": form},
                          status_code=429)
        form.errors.append(("code", _("Le code de sécurité est incorrect ou a expiré.")))
        form.code = ""
        return await self._code_page(request, factor, pending, form, status_code=422)

    @post("/code-email/nouveau-code", status_code=303, name="identification_email_code_resend")
    async def resend_email_code(self, request: Request) -> Response:
        factor = second_factor_of(DigitalKey.EMAIL_CODE.value)
        pending = await self._pending(request, factor)
        if pending is None:
            return Redirect(path=path_for(request, "identification_password", key=factor.key.value), status_code=303)
        try:
            await send_code(pending["person_id"], pending["login_attempt"])
        except KeyUnavailable as unavailable:
            form = CodeForm(errors=[("code", str(unavailable))])
            return await self._code_page(request, factor, pending, form, status_code=429)
        return await self._code_page(request, factor, pending, CodeForm(),
                                     notice=_("Un nouveau code vous a été envoyé."))


class SessionController(Controller):
    @post("/deconnexion", status_code=303, name="logout")
    async def logout(self, request: Request) -> Redirect:
        await log_out(request)
        return Redirect(path=path_for(request, "logged_out"), status_code=303)

    @get("/deconnexion", name="logged_out")
    async def logged_out(self, request: Request) -> Template:
        return render(request, "identity/logged_out.html", {})

    @post("/session/prolonger", status_code=303, name="extend_session")
    async def extend_session(self, request: Request, data: FormData) -> Response:
        state = await extend(request)
        if request.headers.get("hx-request") == "true":
            headers = {"X-Session-Seconds-Left": str(state.seconds_left())} if state else {}
            return Response(content=b"", status_code=204 if state else 401, headers=headers)
        return Redirect(path=safe_local_path(data.get("next")), status_code=303)


class MyKeysController(Controller):
    """The person's own digital keys: what is active, a new mobile app, a new token card. Their notices
    are flashed to the page of the keys (`my_keys`)."""

    path = "/mes-cles"

    @get("/", name="my_keys", guards=[requires(Level.SUBSTANTIAL)])
    async def my_keys(self, request: Request) -> Template:
        session = current_session(request)
        done = (await take_flash(request, path_for(request, "my_keys")) or {}).get("done")
        person = await Person.select().where(Person.id == session.person_id).first()
        account = await Account.select(Account.totp_secret).where(Account.person == person["id"]).first()
        card = await active_card(person["id"])
        notices = {
            "application-mobile": _("Votre application mobile est activée."),
            "carte-token": _("Votre nouvelle carte token est active. L'ancienne ne fonctionne plus."),
            "mot-de-passe": _("Votre mot de passe est changé. Vos autres sessions sont fermées."),
        }
        context = {
            "person": person, "niss": format_niss(person["niss"]),
            "session_key": session.digital_key, "level": session.level,
            "mobile_app_active": bool(account and account["totp_secret"]),
            "token_card_since": card["issued_at"] if card else None,
            "notice": notices.get(done or ""),
        }
        return render(request, "identity/my_keys.html", context)

    @get("/application-mobile", name="enrol_mobile_app", guards=[requires(Level.HIGH)])
    async def mobile_app_page(self, request: Request) -> Template:
        session = current_session(request)
        secret = session.data.get("enrolment_secret") or new_secret()
        await update_session_data(request, enrolment_secret=secret)
        return await self._mobile_app_page(request, secret, CodeForm())

    async def _mobile_app_page(self, request, secret, form, status_code=200) -> Template:
        uri = provisioning_uri(secret, await username_of(current_session(request).person_id))
        context = {"qr_code": qr_code_data_uri(uri), "secret": grouped(secret), "form": form,
                   "code_error": error_of(form.errors, "code")}
        return render(request, "identity/enrol_mobile_app.html", context, status_code=status_code)

    @post("/application-mobile", status_code=303, name="enrol_mobile_app_confirm", guards=[requires(Level.HIGH)])
    async def confirm_mobile_app(self, request: Request, data: FormData) -> Response:
        session = current_session(request)
        secret = session.data.get("enrolment_secret")
        if not secret:
            return Redirect(path=path_for(request, "enrol_mobile_app"), status_code=303)
        form = CodeForm.parse(data)
        if not form.errors and not await activate_mobile_app(session.person_id, secret, form.code,
                                                                source=client_address(request)):
            form.errors.append(("code", _("Le code ne correspond pas. Vérifiez l'heure de votre smartphone et saisissez le code affiché maintenant.")))
        if form.errors:
            form.code = ""
            return await self._mobile_app_page(request, secret, form, status_code=422)
        await update_session_data(request, enrolment_secret=None)
        my_keys = path_for(request, "my_keys")
        await flash(request, my_keys, {"done": "application-mobile"})
        return Redirect(path=my_keys, status_code=303)

    @get("/carte-token", name="new_token_card", guards=[requires(Level.HIGH)])
    async def token_card_page(self, request: Request) -> Template:
        session = current_session(request)
        codes = session.data.get("new_token_codes")
        if codes:
            # Shown once, to be printed: the card's codes are not kept anywhere.
            await update_session_data(request, new_token_codes=None)
        rows = [[str(number), code] for number, code in enumerate(codes, 1)] if codes else None
        return render(request, "identity/token_card.html", {"rows": rows})

    @post("/carte-token", status_code=303, name="new_token_card_issue", guards=[requires(Level.HIGH)])
    async def issue_token_card(self, request: Request) -> Redirect:
        session = current_session(request)
        codes = await issue_card(session.person_id, source=client_address(request))
        await update_session_data(request, new_token_codes=codes)
        return Redirect(path=path_for(request, "new_token_card"), status_code=303)

    @get("/mot-de-passe", name="change_password", guards=[requires(Level.SUBSTANTIAL)])
    async def password_page(self, request: Request) -> Template:
        return render(request, "identity/change_password.html", {"form": NewPasswordForm()})

    @post("/mot-de-passe", status_code=303, name="change_password_save", guards=[requires(Level.SUBSTANTIAL)])
    async def change_password(self, request: Request, data: FormData) -> Response:
        session = current_session(request)
        username = await username_of(session.person_id)
        form = NewPasswordForm.parse(data, username)
        if not form.errors:
            account = await Account.select(Account.password_hash).where(
                Account.person == session.person_id
            ).first()
            if not await verify_password(account["password_hash"] if account else None,
                                         form.current_password):
                form.errors.append(("current_password", _("Le mot de passe actuel est incorrect.")))
        if form.errors:
            return render(request, "identity/change_password.html", {"form": form}, status_code=422)
        await change_password(request, form.new_password)
        my_keys = path_for(request, "my_keys")
        await flash(request, my_keys, {"done": "mot-de-passe"})
        return Redirect(path=my_keys, status_code=303)
