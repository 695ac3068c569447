"""The employer service's entry in the portal's catalogue (guide 001, steps 1 and 2): under
Entreprise → « Plus de services en ligne » → « Dossier interruption de carrière et crédit-temps »,
the link « Introduire une demande », which asks for the identification and then « Continuer »
(create_app registers it)."""

from __future__ import annotations

from app.employer.screens import REQUEST_PATH
from app.portal.catalogue import OnlineService
from app.web.i18n import N_

EMPLOYER_SERVICE = OnlineService(
    audience="entreprise",
    theme="services-en-ligne",
    topic="dossier-interruption-de-carriere-et-credit-temps",
    title=N_("Introduire une demande"),
    path=REQUEST_PATH,
    explanation=(
        N_("Introduisez par voie électronique la demande d'interruption de carrière, de crédit-temps ou de "
           "congé thématique de votre travailleur. Votre démarche précède celle de votre employé : une fois "
           "votre partie complétée, veillez à en informer le travailleur concerné."),
        N_("Un numéro de ticket est attribué à chaque demande. Dans la rubrique « Consultation », vous "
           "trouvez les demandes de vos travailleurs et leur formulaire en PDF ; le formulaire est aussi "
           "envoyé dans l'e-Box du travailleur."),
        N_("Pour y accéder, identifiez-vous avec votre carte d'identité électronique ou une autre clé "
           "numérique, en tant que gestionnaire du personnel de votre entreprise."),
    ),
)
