"""Reference data of the demo enterprises that the Enterprise table does not hold yet: the ONSS
registration number and the registered office's address, keyed by enterprise number.

Fictitious values for the acceptance environment. Where they belong (columns of Enterprise, or a table
of establishments fed by the BCE/KBO and the ONSS) is for the schema to decide; step 3 of guide 001
shows them, and says "non communiqué" for an enterprise that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnterpriseDetails:
    onss_number: str
    street: str
    postal_code: str
    municipality: str

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.municipality}"


ENTERPRISE_DETAILS: dict[str, EnterpriseDetails] = {
    "0412345614": EnterpriseDetails("1234567-89", "Rue des Tilleuls 12", "5000", "Namur"),  # Les Tilleuls SRL
    "0456789133": EnterpriseDetails("2345678-90", "Zoning industriel de Ghlin, rue de l'Industrie 8", "7011", "Mons"),  # Logistique Delta SA
    "0212345767": EnterpriseDetails("3456789-01", "Place du Marché 3", "5000", "Namur"),  # CPAS de Namur
}


def details_of(enterprise_number: str) -> EnterpriseDetails | None:
    return ENTERPRISE_DETAILS.get(enterprise_number)
