"""The joint committees (commissions paritaires) the personnel officer chooses from (domain.md §7.1).

A few dozen real codes with their French names, marked for translation. The official list belongs
in a dated table seeded from the SPF ETCS list (domain.md §7.1); until then, this is the list.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.web.i18n import N_
from app.web.i18n import gettext as _


@dataclass(frozen=True)
class JointCommittee:
    code: str
    name: str  # French source text; translate with _()


JOINT_COMMITTEES = tuple(JointCommittee(code, name) for code, name in (
    ("100", N_("Commission paritaire auxiliaire pour ouvriers")),
    ("101", N_("Commission nationale mixte des mines")),
    ("102", N_("Commission paritaire de l'industrie des carrières")),
    ("109", N_("Commission paritaire de l'industrie de l'habillement et de la confection")),
    ("111", N_("Commission paritaire des constructions métallique, mécanique et électrique")),
    ("116", N_("Commission paritaire de l'industrie chimique")),
    ("118", N_("Commission paritaire de l'industrie alimentaire")),
    ("121", N_("Commission paritaire pour le nettoyage")),
    ("124", N_("Commission paritaire de la construction")),
    ("140", N_("Commission paritaire du transport et de la logistique")),
    ("140.03", N_("Sous-commission paritaire pour le transport routier et la logistique pour compte de tiers")),
    ("144", N_("Commission paritaire de l'agriculture")),
    ("145", N_("Commission paritaire pour les entreprises horticoles")),
    ("149.01", N_("Sous-commission paritaire des électriciens : installation et distribution")),
    ("200", N_("Commission paritaire auxiliaire pour employés")),
    ("201", N_("Commission paritaire du commerce de détail indépendant")),
    ("202", N_("Commission paritaire pour les employés du commerce de détail alimentaire")),
    ("207", N_("Commission paritaire pour employés de l'industrie chimique")),
    ("209", N_("Commission paritaire pour employés des fabrications métalliques")),
    ("218", N_("Commission paritaire nationale auxiliaire pour employés (historique)")),
    ("220", N_("Commission paritaire pour les employés de l'industrie alimentaire")),
    ("226", N_("Commission paritaire pour les employés du commerce international, du transport et de la logistique")),
    ("302", N_("Commission paritaire de l'industrie hôtelière")),
    ("306", N_("Commission paritaire des entreprises d'assurances")),
    ("310", N_("Commission paritaire pour les banques")),
    ("311", N_("Commission paritaire des grandes entreprises de vente au détail")),
    ("314", N_("Commission paritaire de la coiffure et des soins de beauté")),
    ("317", N_("Commission paritaire pour les services de gardiennage et/ou de surveillance")),
    ("322", N_("Commission paritaire pour le travail intérimaire et les entreprises agréées fournissant des travaux ou services de proximité")),
    ("329", N_("Commission paritaire pour le secteur socio-culturel")),
    ("330", N_("Commission paritaire des établissements et des services de santé")),
    ("337", N_("Commission paritaire auxiliaire pour le secteur non-marchand")),
))

_BY_CODE = {committee.code: committee for committee in JOINT_COMMITTEES}


def joint_committee(code: str) -> JointCommittee | None:
    return _BY_CODE.get(code)


def _folded(text: str) -> str:
    """Lower case, without accents: "hôtelière" is found by "hoteliere"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_joint_committees(query: str) -> list[JointCommittee]:
    """The committees whose code starts with, or whose name (in the user's language) contains, every
    word of `query`; all of them for an empty query."""
    words = _folded(query or "").split()
    if not words:
        return list(JOINT_COMMITTEES)
    return [
        committee for committee in JOINT_COMMITTEES
        if all(committee.code.startswith(word) or word in _folded(_(committee.name)) for word in words)
    ]
