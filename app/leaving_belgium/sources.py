"""What the fiches of « Vous quittez la Belgique ? » cite: the sources of domain.md §10 by their key
(« S44 »), the institutions by the rule table's names (« onem »), and the forms (« A1 »). Titles in French
source text marked for translation; pages that are not the administration's own say so."""

from __future__ import annotations

from dataclasses import dataclass

from app.web.i18n import N_
from app.web.i18n import gettext as _

SOURCES = {
    "S28": (N_("ONEM, feuille info E67 : l'allocation d'interruption et le domicile"),
            "http://www.onem.be/fr/documentation/feuille-info/e67"),
    "S28d": (N_("Solidaris, domicile et crédit-temps (source non officielle)"),
             "https://www.solidaris.be/Namur/que-faire-en-cas-de/vie-professionnelle-et-etudes/"
             "interruption-de-carriere/Credit-temps/Pages/conditions-domicilation-credit-temps.aspx"),
    "S39": (N_("Portail de la sécurité sociale, « Vous quittez la Belgique ? »"),
            "https://www.socialsecurity.be/CMS/nl/leaving_belgium/index.html"),
    "S40": (N_("SPF Sécurité sociale, Coming2Belgium et Leaving Belgium"),
            "https://socialsecurity.belgium.be/fr/activites-internationales/coming2belgium-et-leaving-belgium"),
    "S42": (N_("Portail international de la sécurité sociale, les conventions de la Belgique"),
            "https://www.international.socialsecurity.be/portal/CMS/de/coming_to_belgium/FODSZ_Convention"),
    "S43": (N_("ONSS, instructions aux employeurs : pays avec une convention bilatérale"),
            "https://www.socialsecurity.be/employer/instructions/dmfa/nl/prepub/nextquarter/instructions/"
            "crossborderemployment/bilateral_and_multilateral_agreements/countries_bilateralagreement/"
            "countries_bilateralagreement.html"),
    "S44": (N_("Tableau des conventions bilatérales pour les travailleurs salariés (source non officielle)"),
            "https://123dok.net/document/qvlm3km0-conventions-bilat%C3%A9rales-s%C3%A9curit%C3%A9-belgique-"
            "dispositions-concernant-travailleurs-salari%C3%A9s.html"),
    "S44b": (N_("Groupe S, nouvelles conventions en vigueur le 1er janvier 2016 (source non officielle)"),
             "https://www.groups.be/1_76152.htm?rdeLocaleAttr=fr"),
    "S44c": (N_("Loi du 10 mai 2006 portant assentiment à la convention avec le Japon"),
             "https://etaamb.openjustice.be/fr/loi-du-10-mai-2006_n2006015086"),
    "S45": (N_("Portail de la sécurité sociale, la coordination dans l'EEE et en Suisse"),
            "http://www.socialsecurity.be/CMS/en/coming_to_belgium/convention/FODSZ_Convention_EEE_Suisse"),
    "S45b": (N_("Belgium.be, la sécurité sociale quand vous partez à l'étranger"),
             "https://www.belgium.be/fr/logement/demenagement/a_l_etranger/securite_sociale"),
    "S46": (N_("HR Square, détachements et conventions de sécurité sociale (source non officielle)"),
            "https://hrsquare.be/fr/detachements-trois-nouvelles-conventions-de-securite-sociale/"),
    "S47": (N_("L'Europe est à vous, chercher du travail à l'étranger avec des allocations de chômage"),
            "http://europa.eu/youreurope/citizens/work/finding-job-abroad/cannot-find-work-abroad/faq/index_fr.htm"),
    "S47b": (N_("Philip Cordery, les allocations de chômage à l'étranger (source non officielle)"),
             "http://philipcordery.fr/2017/02/allocations-chomage-a-letranger/"),
    "S48": (N_("INAMI, pensionné ou invalide qui réside dans l'EEE ou en Suisse"),
            "https://www.inami.fgov.be/fr/themes/cout-remboursement/international/vivre/Pages/"
            "pensionne-invalide-resider-eee-suisse.aspx"),
    "S49": (N_("Medimmigrant, l'assurance maladie du pays d'origine (source non officielle)"),
            "https://medimmigrant.be/fr/infos/intervenants-pour-le-paiement-des-soins/assurance-maladie-du-pays-"
            "d-origine/europe-ue-norvege-islande-liechtenstein-suisse-royaume-uni"),
    "S50": (N_("SPF Affaires étrangères, votre pension belge à l'étranger"),
            "https://diplomatie.belgium.be/en/belgians-abroad/your-belgian-pension-abroad"),
    "S50b": (N_("VIW, la pension à l'étranger (source non officielle)"), "https://viw.be/retirement-abroad"),
    "S50c": (N_("My Global Dreams, la pension belge (source non officielle)"),
             "https://www.myglobaldreams.com/origin/belgium/pension"),
    "S51": (N_("Parentia, mon enfant vit à l'étranger : avons-nous droit aux allocations familiales ?"),
            "https://www.parentia.be/fr-WA/administration-familiale/"
            "mon-enfant-vit-letranger-avons-nous-droit-aux-allocations-familiales"),
    "S51b": (N_("AVIQ, les allocations familiales et l'étranger"), "https://www.aviq.be/en/node/196"),
    "S51c": (N_("Portail de la sécurité sociale, mon enfant part à l'étranger"),
             "https://www.socialsecurity.be/citizen/fr/archive/actualite/"
             "mon-enfant-part-a-l-etranger-et-ses-allocations-familiales"),
    "S51d": (N_("Bruxelles-J, les allocations familiales à l'étranger (source non officielle)"),
             "https://www.bruxelles-j.be/droits-sociaux/les-allocations-familiales/"
             "tu-vis-ou-tu-voyages-a-letranger-mais-as-tu-encore-droit-aux-allocations-familiales/"),
    "S51e": (N_("Kidslife, mon enfant part à l'étranger (source non officielle)"),
             "https://vlaanderen.kidslife.be/fr/moments-cles/mon-enfant-part-a-letranger"),
    "S52": (N_("Grant Thornton, le Brexit et son impact sur la sécurité sociale (source non officielle)"),
            "https://www.grantthornton.be/fr/insights/articles/Le-Brexit-et-son-impact-sur-la-securite-sociale/"),
    "S53": (N_("SPF Sécurité sociale, le Brexit"),
            "https://socialsecurity.belgium.be/fr/activites-internationales/brexit"),
}

# Who to ask, by the rule table's names: the institutions of the issue (SFP, INAMI and the mutualités,
# ONEM, the regional family-allowance funds, ONSS, INASTI), with their site where it is theirs.
INSTITUTIONS = {
    "sfp": (N_("Service fédéral des Pensions (SFP)"), "https://www.sfpd.fgov.be"),
    "inasti": (N_("Institut national d'assurances sociales pour travailleurs indépendants (INASTI)"),
               "https://www.inasti.be"),
    "inami": (N_("Institut national d'assurance maladie-invalidité (INAMI)"), "https://www.inami.fgov.be"),
    "mutualites": (N_("Votre mutualité"), None),
    "onem": (N_("Office national de l'emploi (ONEM)"), "https://www.onem.be"),
    "onss": (N_("Office national de sécurité sociale (ONSS)"), "https://www.onss.be"),
    "onss-outre-mer": (N_("Sécurité sociale d'outre-mer de l'ONSS"), None),
    "caisses-allocations-familiales": (
        N_("La caisse d'allocations familiales de votre région (Wallonie, Bruxelles, Flandre, Communauté "
           "germanophone)"), None),
}

FORM_NAMES = {
    "A1": N_("Document portable A1 : la législation qui s'applique à vous"),
    "S1": N_("Document S1 : votre inscription aux soins de santé dans le pays où vous habitez"),
    "S2": N_("Document S2 : des soins programmés dans un autre pays"),
    "U2": N_("Document U2 : vos allocations de chômage pendant que vous cherchez du travail"),
    "CEAM": N_("Carte européenne d'assurance maladie (CEAM) : les soins nécessaires pendant un séjour temporaire"),
}


@dataclass(frozen=True)
class Reference:
    """A source, an institution or a form as the page cites it: its name, and a link when there is one."""

    label: str
    url: str | None = None


def source(key: str) -> Reference:
    name, url = SOURCES[key]
    return Reference(_(name), url)


def institution(key: str) -> Reference:
    name, url = INSTITUTIONS[key]
    return Reference(_(name), url)


def form_name(key: str) -> str:
    return _(FORM_NAMES[key])
