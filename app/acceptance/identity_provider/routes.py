"""The routes and pages of the acceptance identity provider (the protocol is in provider.py).

    GET       /fournisseur-test/.well-known/openid-configuration   discovery
    GET       /fournisseur-test/cles                               the JWKS (public keys)
    GET       /fournisseur-test/autorisation                       authorization endpoint
    GET|POST  /fournisseur-test/identite                           choice of a demo identity
    GET|POST  /fournisseur-test/code-pin                           eID (Level500): the card's PIN
    GET|POST  /fournisseur-test/confirmation                       itsme (Level450): confirm
    POST      /fournisseur-test/annuler                            the user stops: access_denied
    POST      /fournisseur-test/jeton                              token endpoint

The token endpoint is called by the relying party's server, not by a browser: it is exempt from the
session-bound CSRF token because it authenticates the client (HTTP Basic, client_secret_basic). A
request without an `Authorization` header is not a client's call; it is treated as a browser's form
post and needs the CSRF token like every other unsafe route (budget S2).
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.response import Redirect, Response, Template

from app.acceptance.identity_provider.provider import (
    DEMO_PEOPLE,
    LEVEL_EID,
    LEVEL_ITSME,
    PROVIDER_PATH,
    SESSION_KEY,
    SUPPORTED_ACR,
    back_to_client,
    back_url,
    discovery_document,
    issue_code,
    issuer_of,
    key_set,
    progress_of,
    redirect_uri_of,
    token_answer,
)
from app.identity.oidc.relying_party import BUILTIN_CLIENT_ID
from app.identity.sessions import update_session_data
from app.registry.demo import DEMO_CARD_PIN
from app.rules.identifiers import format_niss
from app.web.csrf import CSRF_FIELD, EXCLUDE_OPT, CsrfTokenInvalid, token_is_valid
from app.web.forms import FormData
from app.web.i18n import gettext as _
from app.web.i18n import ngettext
from app.web.render import render
from app.web.security import STATELESS
from app.web.urls import path_for

TEMPLATES = "acceptance/identity_provider"
MAX_PIN_TRIES = 3



# -- the pages ------------------------------------------------------------------------------------


def _person_context(progress: dict[str, Any]) -> dict[str, Any]:
    person = DEMO_PEOPLE[progress["niss"]]
    return {"person_name": f"{person.first_name} {person.last_name}", "niss": format_niss(person.niss)}


def _problem(request: Request, explanation: str, status_code: int = 400) -> Template:
    return render(request, f"{TEMPLATES}/problem.html", {"explanation": explanation},
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
    progress = progress_of(request) or {}
    context = {
        "options": options,
        "chosen": chosen,
        "errors": [("identite", error)] if error else [],
        "eid": progress.get("request", {}).get("acr") == LEVEL_EID,
    }
    return render(request, f"{TEMPLATES}/identities.html", context,
                  status_code=422 if error else 200)


# -- the routes -----------------------------------------------------------------------------------


class AcceptanceIdentityProviderController(Controller):
    """Guichet's own OpenID Connect provider for the eID and itsme keys, acceptance only."""

    path = PROVIDER_PATH

    @get("/.well-known/openid-configuration", name="acceptance_provider_discovery", opt=STATELESS,
         sync_to_thread=False)
    def discovery(self, request: Request) -> Response:
        return Response(content=discovery_document(request), media_type=MediaType.JSON,
                        headers={"Cache-Control": "public, max-age=300"})

    @get("/cles", name="acceptance_provider_jwks", opt=STATELESS, sync_to_thread=False)
    def jwks(self) -> Response:
        return Response(content=key_set(), media_type=MediaType.JSON,
                        headers={"Cache-Control": "public, max-age=300"})

    @get("/autorisation", name="acceptance_provider_authorization")
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
            return back_to_client(pending, {"error": error[0], "error_description": error[1]})
        pending.update(
            code_challenge=params["code_challenge"],
            nonce=params.get("nonce"),
            scope=" ".join(scope),
            # The first supported level asked for; the eID's when none is.
            acr=next((acr for acr in requested_acr if acr in SUPPORTED_ACR), LEVEL_EID),
        )
        await update_session_data(request, **{SESSION_KEY: {"request": pending, "pin_failures": 0}})
        return Redirect(path=path_for(request, "acceptance_provider_identities"), status_code=303)

    @get("/identite", name="acceptance_provider_identities")
    async def identities(self, request: Request) -> Template:
        progress = progress_of(request)
        if progress is None:
            return _no_request_in_progress(request)
        return _identities_page(request, chosen=progress.get("niss"))

    @post("/identite", status_code=303, name="acceptance_provider_identity_choose")
    async def choose_identity(self, request: Request, data: FormData) -> Response:
        progress = progress_of(request)
        if progress is None:
            return _no_request_in_progress(request)
        niss = data.get("identite")
        if niss not in DEMO_PEOPLE:
            return _identities_page(request, error=_("Choisissez une identité de test."))
        await update_session_data(request, **{SESSION_KEY: {**progress, "niss": niss}})
        step = ("acceptance_provider_pin" if progress["request"]["acr"] == LEVEL_EID
                else "acceptance_provider_confirmation")
        return Redirect(path=path_for(request, step), status_code=303)

    def _step(self, request: Request, acr: str) -> dict[str, Any] | None:
        progress = progress_of(request)
        if progress is None or not progress.get("niss") or progress["request"]["acr"] != acr:
            return None
        return progress

    @get("/code-pin", name="acceptance_provider_pin")
    async def pin_page(self, request: Request) -> Template:
        progress = self._step(request, LEVEL_EID)
        if progress is None:
            return _no_request_in_progress(request)
        return render(request, f"{TEMPLATES}/pin.html",
                      {**_person_context(progress), "errors": []})

    @post("/code-pin", status_code=303, name="acceptance_provider_pin_check")
    async def check_pin(self, request: Request, data: FormData) -> Response:
        progress = self._step(request, LEVEL_EID)
        if progress is None:
            return _no_request_in_progress(request)
        pin = (data.get("pin") or "").strip()
        context = _person_context(progress)
        if not pin:
            return render(request, f"{TEMPLATES}/pin.html",
                          {**context, "errors": [("pin", _("Saisissez le code PIN de la carte."))]},
                          status_code=422)
        if hmac.compare_digest(pin.encode(), DEMO_CARD_PIN.encode()):
            return await issue_code(request, progress)
        failures = progress["pin_failures"] + 1
        if failures >= MAX_PIN_TRIES:
            # A real card blocks its PIN here; the authorization request ends.
            await update_session_data(request, **{SESSION_KEY: None})
            back = back_url(progress["request"], {
                "error": "access_denied", "error_description": "PIN blocked",
            })
            return render(request, f"{TEMPLATES}/pin_blocked.html",
                          {**context, "back_url": back}, status_code=403)
        await update_session_data(request, **{SESSION_KEY: {**progress, "pin_failures": failures}})
        left = MAX_PIN_TRIES - failures
        message = ngettext(
            "Code PIN incorrect. Il vous reste %(count)d essai.",
            "Code PIN incorrect. Il vous reste %(count)d essais.",
            left,
        ) % {"count": left}
        return render(request, f"{TEMPLATES}/pin.html",
                      {**context, "errors": [("pin", message)]}, status_code=422)

    @get("/confirmation", name="acceptance_provider_confirmation")
    async def confirmation_page(self, request: Request) -> Template:
        progress = self._step(request, LEVEL_ITSME)
        if progress is None:
            return _no_request_in_progress(request)
        return render(request, f"{TEMPLATES}/confirm.html", _person_context(progress))

    @post("/confirmation", status_code=303, name="acceptance_provider_confirm")
    async def confirm(self, request: Request) -> Response:
        progress = self._step(request, LEVEL_ITSME)
        if progress is None:
            return _no_request_in_progress(request)
        return await issue_code(request, progress)

    @post("/annuler", status_code=303, name="acceptance_provider_cancel")
    async def cancel(self, request: Request) -> Response:
        progress = progress_of(request)
        if progress is None:
            return _no_request_in_progress(request)
        await update_session_data(request, **{SESSION_KEY: None})
        return back_to_client(progress["request"], {
            "error": "access_denied", "error_description": "the user cancelled",
        })

    @post("/jeton", name="acceptance_provider_token", opt={EXCLUDE_OPT: True}, status_code=200)
    async def token(self, request: Request) -> Response:
        form = await request.form()
        if "authorization" not in request.headers and not token_is_valid(request, form.get(CSRF_FIELD)):
            raise CsrfTokenInvalid()
        return await token_answer(request, form)
