"""The catalogue of online services shown on the home page, by audience.

A service package adds its entry when it exists (see `register`); the home page lists only what is
registered, so nothing links to a service that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks a message for translation; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Audience:
    key: str
    title: str
    description: str


@dataclass(frozen=True)
class OnlineService:
    audience: str
    title: str
    description: str
    path: str


AUDIENCES = (
    Audience(
        "citoyen",
        N_("Citoyen"),
        N_("Vos droits et vos démarches de sécurité sociale en tant que citoyen."),
    ),
    Audience(
        "entreprise",
        N_("Entreprise"),
        N_("Les obligations et les services en ligne des employeurs et de leurs mandataires."),
    ),
    Audience(
        "professionnel",
        N_("Fonctionnaires et autres professionnels"),
        N_("Les applications des CPAS, des administrations et des autres professionnels."),
    ),
)

_services: list[OnlineService] = []


def register(service: OnlineService) -> None:
    if service.audience not in {audience.key for audience in AUDIENCES}:
        raise ValueError(f"unknown audience {service.audience!r}")
    if service not in _services:
        _services.append(service)


def services_for(audience_key: str) -> list[OnlineService]:
    return [service for service in _services if service.audience == audience_key]
