"""Error pages in the user's language, never a stack trace."""

from __future__ import annotations

import logging

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.web.i18n import activate, gettext as _, language_of
from app.web.render import render

logger = logging.getLogger("guichet.errors")


def _explanations(status_code: int) -> tuple[str, str]:
    """The title and the explanation of an error page, in the active language."""
    if status_code == 400:
        return _("Demande incorrecte"), _(
            "Votre navigateur a envoyé une demande que Guichet ne comprend pas. "
            "Revenez à la page précédente et réessayez."
        )
    if status_code == 403:
        return _("Accès refusé"), _(
            "Vous n'avez pas accès à cette page, ou le formulaire envoyé a expiré. "
            "Revenez à la page précédente, rechargez-la et réessayez."
        )
    if status_code == 404:
        return _("Page introuvable"), _(
            "Si vous avez saisi l'adresse, vérifiez-la. "
            "Si vous avez collé l'adresse, vérifiez que vous l'avez copiée entièrement."
        )
    if status_code == 405:
        return _("Action non autorisée"), _(
            "Cette page ne permet pas cette action. Revenez à la page précédente."
        )
    if status_code == 413:
        return _("Envoi trop volumineux"), _(
            "Ce que vous avez envoyé dépasse la taille permise. Revenez à la page précédente."
        )
    if status_code == 422:
        return _("Données non valides"), _(
            "Les données envoyées ne sont pas valides. Revenez à la page précédente et "
            "corrigez-les."
        )
    if status_code == 429:
        return _("Trop de tentatives"), _(
            "Vous avez fait trop de tentatives. Attendez quelques minutes avant de réessayer."
        )
    if status_code < 500:  # another refusal (415 a body of the wrong type, 414, ...): not understood
        return _explanations(400)
    return _("Désolé, un problème technique est survenu"), _(
        "Réessayez plus tard. Si le problème persiste, contactez le service d'assistance."
    )


def error_page(request: Request, status_code: int, headers: dict[str, str] | None = None) -> Response:
    activate(language_of(request))
    title, explanation = _explanations(status_code)
    context = {"status_code": status_code, "title": title, "explanation": explanation}
    return render(
        request, "errors/error.html", context,
        fragment="error", status_code=status_code, headers=headers,
    )


def http_exception_handler(request: Request, exception: HTTPException) -> Response:
    if exception.status_code >= 500:
        logger.error("server error on %s %s", request.method, request.url.path, exc_info=exception)
    headers = dict(exception.headers or {})
    return error_page(request, exception.status_code, headers)


def unexpected_exception_handler(request: Request, exception: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exception)
    try:
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)
    except Exception:  # the error page itself failed: plain text, still no stack trace
        logger.exception("the error page failed")
        return Response(
            "Erreur technique / Technische fout / Technischer Fehler / Technical error",
            status_code=HTTP_500_INTERNAL_SERVER_ERROR,
            media_type=MediaType.TEXT,
        )


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    Exception: unexpected_exception_handler,
}
