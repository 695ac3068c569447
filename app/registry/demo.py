"""The demo identities of the acceptance environment (README, "Demo data")."""

from __future__ import annotations

from dataclasses import dataclass

from app.registry.services import (
    EnterpriseRecord,
    PersonRecord,
    ensure_employment,
    ensure_enterprise,
    ensure_person,
)

DEMO_PASSWORD = "Guichet-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
DEMO_CARD_PIN = "1234"

# Fictitious ONSS numbers and addresses (guide 001, step 3 shows them).
LES_TILLEULS = EnterpriseRecord("0412.345.614", "Les Tilleuls SRL", False, 42, "330", onss_number="1234567-89",
                                street="Rue des Tilleuls 12", postcode="5000", city="Namur")
LOGISTIQUE_DELTA = EnterpriseRecord("0456.789.133", "Logistique Delta SA", False, 180, "226",
                                    onss_number="2345678-90",
                                    street="Zoning industriel de Ghlin, rue de l'Industrie 8", postcode="7011",
                                    city="Mons")
CPAS_NAMUR = EnterpriseRecord("0212.345.767", "CPAS de Namur", True, None, None, onss_number="3456789-01",
                              street="Place du Marché 3", postcode="5000", city="Namur")


@dataclass(frozen=True)
class DemoIdentity:
    person: PersonRecord
    enterprise: EnterpriseRecord
    role: str
    part: str  # what the identity is for, as the README says it


DEMO_IDENTITIES = (
    DemoIdentity(
        PersonRecord("88041200259", "Marie", "Dubois", "marie.dubois", "fr", "marie.dubois@example.be"),
        LES_TILLEULS, "worker", "citizen, worker at Les Tilleuls, French",
    ),
    DemoIdentity(
        PersonRecord("79110300589", "Jan", "Peeters", "jan.peeters", "nl", "jan.peeters@example.be"),
        LOGISTIQUE_DELTA, "worker", "citizen, worker at Logistique Delta, Dutch",
    ),
    DemoIdentity(
        PersonRecord("01091702266", "Lena", "Schmitt", "lena.schmitt", "de", "lena.schmitt@example.be"),
        LES_TILLEULS, "worker", "citizen, worker at Les Tilleuls, German",
    ),
    DemoIdentity(
        PersonRecord("83022101446", "Sophie", "Laurent", "sophie.laurent", "fr", "sophie.laurent@example.be"),
        LES_TILLEULS, "personnel_officer", "personnel officer at Les Tilleuls",
    ),
    DemoIdentity(
        PersonRecord("90013012301", "Karim", "Benali", "karim.benali", "fr", "karim.benali@example.be"),
        LOGISTIQUE_DELTA, "personnel_officer", "personnel officer at Logistique Delta",
    ),
    DemoIdentity(
        PersonRecord("75060903749", "Luc", "Martin", "luc.martin", "fr", "luc.martin@example.be"),
        CPAS_NAMUR, "social_worker", "social worker at the CPAS de Namur",
    ),
)


async def load_demo_data() -> tuple[DemoIdentity, ...]:
    """Registers the demo people, organisations and roles; running it again changes nothing."""
    for identity in DEMO_IDENTITIES:
        person_id = await ensure_person(identity.person)
        enterprise_id = await ensure_enterprise(identity.enterprise)
        await ensure_employment(person_id, enterprise_id, identity.role)
    return DEMO_IDENTITIES
