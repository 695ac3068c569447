"""The sources of domain.md §10 that Break@work cites, by their key ("S23"): the page links to them.
A rule of app/rules names its sources by key (`LegalBasis.source_keys`, `AllowanceRate.source`); this
module gives each key its title, in French source text marked for translation, and its address. Pages
that are not the administration's own say so."""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.allowances import RateKind
from app.rules.careerbreak import LegalBasis
from app.web.i18n import N_
from app.web.i18n import gettext as _

SOURCES = {
    "S5": (N_("ONEM, congé parental"),
           "https://www.onem.be/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/"
           "faq-interruption-de-carriere-credit-temps-et-conges-thematiques/conge-parental"),
    "S6": (N_("Droits quotidiens, durée du congé parental (source non officielle)"),
           "https://espace-jeunes.droitsquotidiens.be/question/quelle-est-la-duree-de-mon-conge-parental"),
    "S7": (N_("ONEM, congé parental à 1/10 et congés thématiques plus flexibles (2019)"),
           "https://www.onem.be/actualites/2019/08/09/le-conge-parental-110-et-la-flexibilisation-de-certains-"
           "conges-thematiques-sont-accessibles-chez-tous-les-employeurs"),
    "S8": (N_("CSC, congé pour soins médicaux (source non officielle)"),
           "https://www.lacsc.be/ma-carriere/travailler-dans-le-secteur-prive/credit-temps-et-conges-thematique/"
           "cong%C3%A9s-th%C3%A9matiques/cong%C3%A9-pour-soins-m%C3%A9dicaux"),
    "S9": (N_("Hospichild, congé pour assistance médicale (source non officielle)"),
           "https://hospichild.be/conge-specifiques/prendre-un-conge-pour-rester-pres-de-votre-enfant/"
           "conge-pour-assistance-medicale"),
    "S10": (N_("Hospichild, congé pour soins palliatifs (source non officielle)"), "https://hospichild.be/?p=19639"),
    "S10b": (N_("Solidaris, congé pour soins palliatifs (source non officielle)"),
             "https://www.solidaris.be/BW/infos-sante/fin-de-vie/soins-palliatifs/Pages/conge-soins-palliatifs.aspx"),
    "S11": (N_("Hospichild, congé pour aidants proches (source non officielle)"), "https://www.hospichild.be/?p=19642"),
    "S13": (N_("SPF Emploi, crédit-temps avec motif"),
            "https://werk.belgie.be/fr/themes/jours-feries-et-conges/credit-temps-cct-ndeg-103/"
            "credit-temps-avec-motif"),
    "S14": (N_("ONEM, conditions du crédit-temps avec motif"),
            "https://www.onem.be/fr/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/faq/"
            "secteur-prive-credit-temps-regime-general/quelles-conditions-dois-je-remplir-pour-beneficier-dun-"
            "credit-temps-avec-motif"),
    "S14b": (N_("ONEM, le crédit-temps avec motif (feuille info T160)"),
             "https://www.onem.be/citoyens/interruption-de-carriere-credit-temps-et-conges-thematiques/"
             "credit-temps-secteur-prive/le-credit-temps-avec-motif"),
    "S15": (N_("Securex, durée du crédit-temps avec motif (source non officielle)"),
            "https://www.securex.be/fr/lex4you/employeur/themes/vacances-et-absences/credit-temps/"
            "pendant-combien-de-temps-un-travailleur-peut-il-prendre-un-credit-temps-avec-motif"),
    "S18": (N_("CSC, durée du crédit-temps (source non officielle)"),
            "https://www.csc-en-ligne.be/csc-en-ligne/Je-cherche-des-infos-sur/Interruption-de-carriere/"
            "Credit-temps/Duree-de-l-interruption/credit-temps-duree-interruption.html"),
    "S19": (N_("ONEM, crédit-temps fin de carrière"),
            "https://www.rva.be/burgers/loopbaanonderbreking-tijdskrediet-en-thematische-verloven/"
            "faq-loopbaanonderbreking-tijdskrediet-en-thematische-verloven/privesector---tijdskrediet---landingsbaan"),
    "S20": (N_("ONEM, crédit-temps fin de carrière : droit au congé et aux allocations (feuille info T193)"),
            "https://www.rva.be/bladzijde/tijdskrediet-landingsbaan---recht-op-verlof-bij-de-werkgever-en-"
            "recht-op-onderbrekingsuitkeringen-toegekend-door-de-rva"),
    "S21": (N_("SPF BOSA, interruption de carrière dans la fonction publique fédérale"),
            "https://bosa.belgium.be/fr/themes/travailler-dans-la-fonction-publique/"
            "temps-de-travail-conges-et-absences/reduction-du-2"),
    "S21b": (N_("Fedweb, interruption de carrière complète"),
             "https://fedweb.belgium.be/fr/conge_absences_et_temps_de_travail/temps_partiel_et_interruption/"
             "interruption_carriere/complete"),
    "S23": (N_("ONEM, montants des allocations pour les congés thématiques"),
            "https://www.rva.be/documentatie/bedragen/loopbaanonderbreking-tijdskrediet/thematische-verloven"),
    "S24": (N_("ONEM, barèmes de l'interruption de carrière et du crédit-temps"),
            "https://www.rva.be/nl/documentatie/baremas/loopbaanonderbreking-tijdskrediet"),
    "S25": (N_("Jobat, montants nets au 01/11/2023 (source non officielle)"),
            "https://jobat.be/fr/art/serai-je-encore-remunere-pendant-mon-conge-parental"),
    "S27": (N_("ONEM, augmentation des allocations pour les familles monoparentales (2021)"),
            "https://www.onem.be/actualites/2021/09/10/conges-thematiques-secteur-prive-credit-temps-"
            "augmentation-du-montant-des-allocations-dinterruption-pour-les-familles-monoparentales"),
}

# The page that publishes each rate table.
RATE_TABLE_SOURCE = {RateKind.THEMATIC_LEAVE: "S23", RateKind.TIME_CREDIT_WITH_MOTIVE: "S24"}


@dataclass(frozen=True)
class Reference:
    """A source as the page cites it: a link, or only its key when no page is known for it."""

    label: str
    url: str | None = None


def source(key: str) -> Reference:
    name, url = SOURCES.get(key, (key, None))
    return Reference(_(name) if url else key, url)


def sources_of(basis: LegalBasis, *first: str) -> tuple[Reference, ...]:
    """The pages a rule comes from: `first` (the table a step reads), then those of its legal basis."""
    return tuple(source(key) for key in dict.fromkeys((*first, *basis.source_keys)))
