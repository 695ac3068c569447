"""The service's menu (guide 000, "Naviguer dans l'application"): each screen adds its entry when it
exists, so nothing links to a screen that is not there. An entry names its route; the layout asks
`url_for` for its address."""

from __future__ import annotations

from app.web.i18n import N_
from app.web.urls import MenuEntry

SERVICE_PATH = "/interruption-de-carriere"  # the prefix of the service's controllers

MENU = (
    MenuEntry("dossier", N_("Mon dossier"), "careerbreak_dossier"),
    MenuEntry("attestations", N_("Attestations"), "careerbreak_attestations"),
    MenuEntry("completer", N_("Compléter une demande"), "careerbreak_completion"),
    MenuEntry("annulation", N_("Annulation"), "careerbreak_cancellation"),
    MenuEntry("pieces-jointes", N_("Pièces jointes"), "careerbreak_attachments"),
    MenuEntry("breakatwork", N_("Break@work"), "careerbreak_breakatwork"),
)
