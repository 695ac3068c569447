"""The catalogue of the portal: audiences, their themes, the topics of each theme, and the online
services that the service packages register under a topic.

The way in to a service follows guide 000 ("Se connecter"): the home page → an audience ("Citoyen")
→ a theme ("Congés, crédit-temps et interruption de carrière") → a topic ("Interruption de
carrière", at the bottom of the theme's page) → the online service ("Introduire une demande ou
consulter le dossier").

The themes and topics are the portal's own information pages. What links where is decided by what
the service packages registered (`register`): a topic has a page only when an online service is
registered under it, a theme is listed only when one of its topics has a page, an audience links to
its themes only when it has one. So nothing ever links to an empty page or a service that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.web.i18n import N_


@dataclass(frozen=True)
class Audience:
    key: str  # also the first segment of the audience's address: /citoyen
    title: str
    description: str

    @property
    def path(self) -> str:
        return f"/{self.key}"


@dataclass(frozen=True)
class Topic:
    """A short section of a theme's page; with a page of its own when a service is registered under it."""

    key: str
    title: str
    summary: str


@dataclass(frozen=True)
class Theme:
    audience: str
    key: str
    title: str
    description: str  # one line on the audience's page
    topics: tuple[Topic, ...]

    @property
    def path(self) -> str:
        return f"/{self.audience}/{self.key}"

    def topic_path(self, topic: Topic) -> str:
        return f"{self.path}/{topic.key}"


@dataclass(frozen=True)
class OnlineService:
    """An online service, registered by its package under a theme's topic. `explanation` is what
    the topic's page says of it (paragraphs); `title` is the text of the link that opens it."""

    audience: str
    theme: str
    topic: str
    title: str
    path: str
    explanation: tuple[str, ...] = ()


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

THEMES = (
    Theme(
        "citoyen",
        "conges-credit-temps-et-interruption-de-carriere",
        N_("Congés, crédit-temps et interruption de carrière"),
        N_("Suspendre ou réduire votre travail pour vous occuper d'un proche, vous former ou "
           "ralentir en fin de carrière, avec une allocation de l'ONEM."),
        (
            Topic(
                "conges-thematiques",
                N_("Congés thématiques"),
                N_("Le congé parental, le congé pour assistance médicale, le congé pour soins "
                   "palliatifs et le congé pour aidants proches vous permettent d'interrompre "
                   "complètement ou partiellement votre travail pour vous occuper d'un enfant ou "
                   "d'un proche. Ils existent dans tous les secteurs. La demande se fait en ligne, "
                   "comme celle d'une interruption de carrière."),
            ),
            Topic(
                "credit-temps",
                N_("Crédit-temps"),
                N_("Dans le secteur privé, le crédit-temps avec motif vous permet d'interrompre ou "
                   "de réduire vos prestations pour prendre soin d'un enfant ou d'un proche, ou pour "
                   "suivre une formation. Le crédit-temps fin de carrière vous permet de travailler "
                   "moins en fin de carrière. La demande se fait en ligne, comme celle d'une "
                   "interruption de carrière."),
            ),
            Topic(
                "interruption-de-carriere",
                N_("Interruption de carrière"),
                N_("Introduisez en ligne votre partie d'une demande d'interruption de carrière, de "
                   "crédit-temps ou de congé thématique, et consultez votre dossier auprès de l'ONEM."),
            ),
        ),
    ),
    # Guide 002: « Vous quittez la Belgique ? » (app/leaving_belgium/catalogue.py registers it).
    Theme(
        "citoyen",
        "vivre-travailler-ou-etudier-a-l-etranger",
        N_("Vivre, travailler ou étudier à l'étranger"),
        N_("Les droits de sécurité sociale belge que vous gardez quand vous quittez la Belgique."),
        (
            Topic(
                "vous-quittez-la-belgique",
                N_("Vous quittez la Belgique ?"),
                N_("Vous partez vivre, travailler, étudier ou prendre votre pension à l'étranger ? Vérifiez "
                   "quels droits de sécurité sociale belge vous gardez : allocations familiales, pension, soins "
                   "de santé, chômage, incapacité de travail, cotisations sociales, interruption de carrière. "
                   "Ce service n'est pas destiné aux vacances, ni aux personnes qui viennent vivre en Belgique."),
            ),
        ),
    ),
    # Guide 001: « entreprise » → « plus de services en ligne » → the application « Dossier
    # interruption de carrière et crédit-temps » (app/employer/catalogue.py registers it).
    Theme(
        "entreprise",
        "services-en-ligne",
        N_("Plus de services en ligne"),
        N_("Les applications de la sécurité sociale pour les employeurs, de A à Z."),
        (
            Topic(
                "dossier-interruption-de-carriere-et-credit-temps",
                N_("Dossier interruption de carrière et crédit-temps"),
                N_("Introduisez la partie employeur d'une demande d'interruption de carrière, de "
                   "crédit-temps ou de congé thématique de vos travailleurs, et consultez leurs demandes."),
            ),
        ),
    ),
)

_services: list[OnlineService] = []


def theme_of(audience_key: str, theme_key: str) -> Theme | None:
    return next((theme for theme in THEMES if theme.audience == audience_key and theme.key == theme_key), None)


def register(service: OnlineService) -> None:
    """Adds a service under its topic (again is harmless); an unknown audience, theme or topic is a
    programming error, found at start-up."""
    if service.audience not in {audience.key for audience in AUDIENCES}:
        raise ValueError(f"unknown audience {service.audience!r}")
    theme = theme_of(service.audience, service.theme)
    if theme is None or service.topic not in {topic.key for topic in theme.topics}:
        raise ValueError(f"unknown theme or topic {service.theme!r}/{service.topic!r}")
    if service not in _services:
        _services.append(service)


def services_for(theme: Theme, topic: Topic) -> list[OnlineService]:
    return [service for service in _services
            if (service.audience, service.theme, service.topic) == (theme.audience, theme.key, topic.key)]


def has_page(theme: Theme, topic: Topic) -> bool:
    return bool(services_for(theme, topic))


def themes_for(audience_key: str) -> list[Theme]:
    """The audience's themes that lead to at least one online service."""
    return [theme for theme in THEMES
            if theme.audience == audience_key and any(has_page(theme, topic) for topic in theme.topics)]


def audience_of(key: str) -> Audience | None:
    return next((audience for audience in AUDIENCES if audience.key == key), None)
