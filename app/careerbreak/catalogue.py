"""The career-break service's entry in the portal's catalogue (guide 000, "Se connecter"): under
Citoyen → "Congés, crédit-temps et interruption de carrière" → "Interruption de carrière", the link
"Introduire une demande ou consulter le dossier" (create_app registers it)."""

from __future__ import annotations

from app.careerbreak.menu import SERVICE_PATH
from app.portal.catalogue import OnlineService
from app.web.i18n import N_

# What the topic's page says of the service: the online procedure of domain.md §2.5.
CAREER_BREAK_SERVICE = OnlineService(
    audience="citoyen",
    theme="conges-credit-temps-et-interruption-de-carriere",
    topic="interruption-de-carriere",
    title=N_("Introduire une demande ou consulter le dossier"),
    path=f"{SERVICE_PATH}/",
    explanation=(
        N_("Depuis le 1er juillet 2024, toute demande d'interruption de carrière, de crédit-temps ou "
           "de congé thématique se fait en ligne."),
        N_("Une demande a toujours deux parties. Votre employeur introduit d'abord sa partie auprès de "
           "l'ONEM. Vous recevez ensuite un message dans votre e-Box et vous complétez votre partie dans "
           "ce service en ligne, avec les pièces jointes demandées, comme une attestation médicale."),
        N_("Quand vous avez envoyé votre partie, vous recevez un numéro de ticket. L'accusé de réception, "
           "puis la décision de l'ONEM, arrivent dans votre e-Box. Dans le service, vous pouvez aussi "
           "consulter votre dossier et annuler une demande."),
        N_("Pour y accéder, identifiez-vous avec votre carte d'identité électronique, itsme ou une autre "
           "clé numérique."),
    ),
)
