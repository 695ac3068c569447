"""The service's menu (guide 000, "Naviguer dans l'application"): each screen adds its entry when it
exists, so nothing links to a screen that is not there."""

from __future__ import annotations

from dataclasses import dataclass

from app.careerbreak.wording import N_

SERVICE_PATH = "/interruption-de-carriere"


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    path: str


MENU = (
    MenuEntry("dossier", N_("Mon dossier"), f"{SERVICE_PATH}/dossier"),
)
