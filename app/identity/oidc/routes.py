"""The eID and itsme keys: the start of the login, and the redirect URI where the provider answers."""

from __future__ import annotations

import logging
from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from app.audit.services import AuditAction, Outcome, record
from app.identity.oidc.relying_party import LoginFailed, Reason, begin, finish
from app.identity.services import client_address, complete_login, remember_destination
from app.registry.tables import Person
from app.rules.assurance import DigitalKey
from app.web.i18n import gettext as _
from app.web.render import render

logger = logging.getLogger("guichet.identity.oidc")

NextPath = Annotated[str | None, QueryParameter(name="next")]


def _explanation(reason: Reason) -> tuple[int, str, str]:
    """The status, title and explanation of the page of a failed login, in the active language."""
    if reason is Reason.NOT_CONFIGURED:
        return 503, _("Connexion avec l'eID ou itsme indisponible"), _(
            "La connexion avec l'eID ou itsme n'est pas configurée sur ce Guichet. "
            "Choisissez une autre clé numérique, ou réessayez plus tard."
        )
    if reason is Reason.UNAVAILABLE:
        return 502, _("Le service d'identification ne répond pas"), _(
            "Le service d'identification avec l'eID ou itsme ne répond pas pour le moment. "
            "Réessayez dans quelques minutes, ou choisissez une autre clé numérique."
        )
    if reason is Reason.CANCELLED:
        return 400, _("Identification annulée"), _(
            "L'identification a été annulée ou refusée : vous n'êtes pas connecté. "
            "Vous pouvez la recommencer."
        )
    if reason is Reason.STATE:
        return 400, _("Identification expirée ou inconnue"), _(
            "Cette réponse ne correspond à aucune identification commencée dans ce navigateur, "
            "ou l'identification a pris trop de temps. Vous n'êtes pas connecté. "
            "Recommencez l'identification."
        )
    if reason is Reason.LEVEL:
        return 403, _("Niveau de sécurité non confirmé"), _(
            "Le service d'identification n'a pas confirmé une identification avec l'eID ou itsme. "
            "Vous n'êtes pas connecté. Recommencez l'identification."
        )
    if reason is Reason.UNKNOWN_PERSON:
        return 403, _("Personne inconnue"), _(
            "Vous avez bien été identifié, mais le Guichet ne connaît aucune personne avec ce "
            "numéro de registre national. Si vous pensez que c'est une erreur, contactez le "
            "service d'assistance."
        )
    # PROVIDER_ERROR, INVALID_RESPONSE, NONCE: the same words; the reason goes to the logs.
    return 400, _("L'identification n'a pas abouti"), _(
        "La réponse du service d'identification n'a pas pu être vérifiée. Pour votre sécurité, "
        "vous n'êtes pas connecté. Recommencez l'identification."
    )


def failure_page(request: Request, failure: LoginFailed) -> Template:
    status_code, title, explanation = _explanation(failure.reason)
    return render(request, "identity/oidc/problem.html",
                  {"title": title, "explanation": explanation, "reason": failure.reason.value},
                  status_code=status_code)


async def _start(request: Request, key: DigitalKey, next_path: str | None) -> Response:
    if next_path:
        await remember_destination(request, next_path)
    try:
        authorization_url = await begin(request, key)
    except LoginFailed as failure:
        if failure.reason is not Reason.NOT_CONFIGURED:
            logger.warning("%s login could not start: %s", key.value, failure)
        return failure_page(request, failure)
    return Redirect(path=authorization_url, status_code=303)


class DigitalIdentityController(Controller):
    """`/identification/eid` and `/identification/itsme` send the browser to the provider;
    `/identification/oidc/retour` is the redirect URI where it comes back."""

    path = "/identification"

    @get("/eid", name="identification_eid")
    async def start_eid(self, request: Request, next_path: NextPath = None) -> Response:
        return await _start(request, DigitalKey.EID, next_path)

    @get("/itsme", name="identification_itsme")
    async def start_itsme(self, request: Request, next_path: NextPath = None) -> Response:
        return await _start(request, DigitalKey.ITSME, next_path)

    @get("/oidc/retour", name="identification_oidc_return")
    async def provider_answer(self, request: Request) -> Response:
        try:
            key, niss = await finish(request, dict(request.query_params))
            person = await Person.select(Person.id).where(Person.niss == niss).first()
            if person is None:
                raise LoginFailed(Reason.UNKNOWN_PERSON, "no person with this NISS", key=key, niss=niss)
        except LoginFailed as failure:
            logger.warning("login with %s refused: %s",
                           failure.key.value if failure.key else "eid/itsme", failure)
            if failure.key is not None:  # else no login was in progress in this session
                await record(
                    AuditAction.LOGIN_FAILED, actor=failure.niss or "inconnu",
                    source=client_address(request), outcome=Outcome.FAILURE,
                    details={"key": failure.key.value, "reason": failure.reason.value},
                )
            return failure_page(request, failure)
        return Redirect(path=await complete_login(request, person["id"], key), status_code=303)
