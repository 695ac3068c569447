"""The service's entry in the portal's catalogue: Citoyen → "Vivre, travailler ou étudier à l'étranger" →
"Vous quittez la Belgique ?", whose page says who the service is for and who it is not for (guide 002,
domain.md §4.1), and links to the wizard."""

from __future__ import annotations

from app.leaving_belgium.forms import SERVICE_PATH
from app.portal.catalogue import OnlineService
from app.web.i18n import N_

LEAVING_BELGIUM_SERVICE = OnlineService(
    audience="citoyen",
    theme="vivre-travailler-ou-etudier-a-l-etranger",
    topic="vous-quittez-la-belgique",
    title=N_("Vérifier les droits que vous gardez"),
    path=SERVICE_PATH,
    explanation=(
        N_("Ce service s'adresse aux personnes qui cotisent ou ont cotisé à la sécurité sociale belge, qui vivent "
           "ou ont vécu en Belgique, et qui partent vivre, travailler, étudier ou prendre leur pension à "
           "l'étranger."),
        N_("Il n'est pas destiné aux personnes qui partent en vacances, ni à celles qui viennent vivre, "
           "travailler ou étudier en Belgique."),
        N_("Choisissez votre nationalité, votre pays de destination, votre statut et le sujet : vous voyez "
           "aussitôt les droits que vous gardez, l'institution à qui vous adresser, les documents à demander et "
           "la source de chaque règle. Aucune identification n'est nécessaire."),
    ),
)

# The topic's page (app/portal/routes.py serves it): the way back from the first question.
TOPIC_PAGE = "/".join(("", LEAVING_BELGIUM_SERVICE.audience, LEAVING_BELGIUM_SERVICE.theme,
                       LEAVING_BELGIUM_SERVICE.topic))
