"""The service's menu (guide 000, "Naviguer dans l'application"): each screen adds its entry when it
exists, so nothing links to a screen that is not there."""

from __future__ import annotations

from dataclasses import dataclass

from app.web.i18n import N_

SERVICE_PATH = "/interruption-de-carriere"


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    path: str


MENU = (
    MenuEntry("dossier", N_("Mon dossier"), f"{SERVICE_PATH}/dossier"),
    MenuEntry("attestations", N_("Attestations"), f"{SERVICE_PATH}/attestations"),
    MenuEntry("completer", N_("Compléter une demande"), f"{SERVICE_PATH}/completer"),
    MenuEntry("annulation", N_("Annulation"), f"{SERVICE_PATH}/annulation"),
    MenuEntry("pieces-jointes", N_("Pièces jointes"), f"{SERVICE_PATH}/pieces-jointes"),
    MenuEntry("breakatwork", N_("Break@work"), f"{SERVICE_PATH}/breakatwork"),
)
