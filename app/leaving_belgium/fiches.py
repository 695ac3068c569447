"""The words of the fiches of « Vous quittez la Belgique ? », by the `text` key the rule table gives each
fiche (app/leaving_belgium/rules.toml): a title and its paragraphs, in French source text marked for
translation, written from domain.md §4.4 and its sources. Where the sources leave a point open, the text
says so plainly and sends the person to the institution; the fiche is then `verified = false` in the
table, and the page adds its warning.

Placeholders, filled by the page: {posting} (« 2 ans + 3 ans ») and {posting_form} (« BE/ARG 101 ») from the
country's agreement, {topic} (« les allocations familiales »).
"""

from __future__ import annotations

from app.web.i18n import N_

FICHE_TEXTS: dict[str, tuple[str, tuple[str, ...]]] = {
    # --- EEA and Switzerland -----------------------------------------------------------------------
    "eee-cotisations": (
        N_("Une seule législation : celle du pays où vous travaillez"),
        (N_("Les règlements européens ne soumettent chaque personne qu'à la législation d'un seul pays, en "
            "principe celle du pays où elle travaille. Vous y êtes alors assuré et vous y payez vos cotisations "
            "sociales, et plus en Belgique."),
         N_("Si votre employeur belge vous envoie travailler temporairement dans ce pays, choisissez le statut "
            "« Travailleur détaché » : d'autres règles s'appliquent.")),
    ),
    "eee-detache-cotisations": (
        N_("Détachement : vous restez assuré en Belgique jusqu'à 24 mois"),
        (N_("Un travailleur détaché reste soumis à la sécurité sociale belge pendant 24 mois au plus, à condition "
            "de ne pas remplacer un autre travailleur détaché. Vos cotisations restent payées en Belgique."),
         N_("Le document portable A1 prouve que vous restez assuré en Belgique : votre employeur le demande avant "
            "votre départ.")),
    ),
    "eee-frontalier-cotisations": (
        N_("Travailleur frontalier : la législation du pays où vous travaillez"),
        (N_("Un travailleur frontalier est soumis à la législation du pays où il travaille, même s'il habite dans "
            "un autre pays. C'est là que vous êtes assuré et que vous payez vos cotisations sociales."),),
    ),
    "eee-fonctionnaire-cotisations": (
        N_("Fonctionnaire : la législation applicable n'est pas vérifiée"),
        (N_("Les sources consultées ne disent pas quelle législation s'applique à un fonctionnaire qui part "
            "travailler dans un autre pays de l'EEE ou en Suisse. Ce point n'est pas vérifié : demandez-le à "
            "votre service du personnel ou à l'ONSS avant votre départ."),),
    ),
    "eee-transport-cotisations": (
        N_("Transport international : la législation applicable n'est pas vérifiée"),
        (N_("Le personnel roulant ou navigant travaille dans plusieurs pays. Les sources consultées ne disent pas "
            "quelle législation s'applique alors. Ce point n'est pas vérifié : demandez à l'ONSS quelle "
            "législation s'appliquera et s'il faut un document portable A1."),),
    ),
    "eee-pensions": (
        N_("Pension : vos périodes comptent dans chaque pays"),
        (N_("Les périodes d'assurance de chaque pays sont additionnées pour ouvrir le droit à la pension. Chaque "
            "pays paie ensuite sa part : le montant le plus élevé entre sa pension nationale et sa part calculée "
            "au prorata. La pension est payée dans le pays où vous habitez."),
         N_("Introduisez votre demande de pension auprès de l'organisme de pension du pays où vous habitez.")),
    ),
    "eee-soins-de-sante": (
        N_("Soins de santé : la carte européenne et le document S2"),
        (N_("Vous êtes assuré pour les soins de santé dans le pays dont la législation s'applique à vous (voir le "
            "sujet « Paiement des cotisations sociales »)."),
         N_("Pour un séjour temporaire, la carte européenne d'assurance maladie couvre les soins nécessaires. Pour "
            "des soins programmés dans un autre pays, demandez d'abord le document S2 à votre mutualité.")),
    ),
    "eee-pensionne-soins-de-sante": (
        N_("Pensionné : le document S1 garde votre couverture belge"),
        (N_("Si vous ne touchez qu'une pension belge, vous restez couvert par l'assurance soins de santé belge. "
            "Inscrivez-vous dans votre nouveau pays avec le document S1 que votre mutualité vous délivre."),
         N_("Si vous touchez aussi une pension du pays où vous habitez, vous êtes assuré dans ce pays, et votre "
            "assurance belge est suspendue.")),
    ),
    "eee-chomage": (
        N_("Chômage : gardez vos allocations avec le document U2"),
        (N_("Vous pouvez garder vos allocations de chômage belges pendant que vous cherchez du travail dans un "
            "autre pays, si vous étiez inscrit comme demandeur d'emploi depuis au moins 4 semaines avant de partir. "
            "Inscrivez-vous auprès du service de l'emploi du nouveau pays dans les 7 jours."),
         N_("Les allocations sont payées pendant 3 mois, une durée qui peut être prolongée jusqu'à 6 mois. "
            "Demandez le document U2 à l'ONEM avant de partir.")),
    ),
    "eee-frontalier-chomage": (
        N_("Travailleur frontalier : le pays où vous habitez paie le chômage"),
        (N_("Si vous perdez votre emploi de travailleur frontalier, les allocations de chômage sont payées par le "
            "pays où vous habitez."),),
    ),
    "eee-allocations-familiales": (
        N_("Allocations familiales : gardées si un parent reste lié à la Belgique"),
        (N_("Les allocations familiales belges restent dues si un parent travaille encore en Belgique ou y reçoit "
            "une prestation. Quand plusieurs pays sont concernés, des règles de priorité désignent celui qui paie, "
            "et le montant le plus élevé vous est garanti."),
         N_("Depuis 2019, les allocations familiales relèvent des régions : adressez-vous à la caisse qui vous "
            "paie.")),
    ),
    "eee-etudiant-allocations-familiales": (
        N_("Études dans l'EEE : un programme reconnu ou 17 heures de cours par semaine"),
        (N_("Un enfant qui part étudier dans un autre pays de l'EEE garde le droit aux allocations familiales "
            "belges s'il suit un programme reconnu ou au moins 17 heures de cours par semaine."),),
    ),
    "eee-incapacite-de-travail": (
        N_("Incapacité de travail : des indemnités payables à l'étranger"),
        (N_("Les règlements européens permettent de payer les indemnités d'incapacité de travail belges dans un "
            "autre pays de l'EEE ou en Suisse. Prévenez votre mutualité de votre départ."),),
    ),
    "eee-interruption-de-carriere": (
        N_("Interruption de carrière : un domicile dans l'EEE ou en Suisse est admis"),
        (N_("L'allocation d'interruption de carrière, de crédit-temps ou de congé thématique reste payée avec un "
            "domicile en Belgique, dans un autre pays de l'EEE ou en Suisse."),),
    ),
    # --- United Kingdom ------------------------------------------------------------------------------
    "royaume-uni-cotisations": (
        N_("Une seule législation, comme dans l'Union européenne"),
        (N_("Le protocole garde le principe d'une seule législation, en général celle du pays où vous "
            "travaillez, et des règles de détachement proches de celles de l'Union européenne."),
         N_("Les détails diffèrent des règles européennes, par exemple la durée d'un détachement, et ils ne sont "
            "pas vérifiés : demandez à l'institution compétente avant votre départ.")),
    ),
    "royaume-uni-pensions": (
        N_("Pension : une demande dans le pays où vous habitez"),
        (N_("Comme dans l'Espace économique européen, introduisez votre demande de pension auprès de l'organisme "
            "de pension du pays où vous habitez."),),
    ),
    "royaume-uni-soins-de-sante": (
        N_("Soins de santé : des règles proches des règles européennes"),
        (N_("Les personnes assurées bénéficient de règles proches des règles européennes, grâce à l'accord de "
            "retrait et au protocole de l'accord de commerce et de coopération."),
         N_("Le nom de la carte à présenter pour un séjour temporaire (la carte européenne d'assurance maladie ou "
            "la carte britannique GHIC) n'est pas vérifié : demandez à votre mutualité.")),
    ),
    "royaume-uni-chomage": (
        N_("Chômage : l'exportation des allocations n'est pas vérifiée"),
        (N_("L'accord de commerce et de coopération limiterait l'exportation des allocations de chômage, mais ce "
            "point n'est pas vérifié. Demandez à l'ONEM avant de partir si vous pouvez garder vos allocations."),),
    ),
    "royaume-uni-allocations-familiales": (
        N_("Allocations familiales : des sources antérieures au Brexit"),
        (N_("Les sources consultées traitent le Royaume-Uni comme un pays de l'EEE, mais elles datent d'avant le "
            "Brexit. Les règles actuelles ne sont pas vérifiées : demandez à la caisse d'allocations familiales "
            "qui vous paie."),),
    ),
    "royaume-uni-incapacite-de-travail": (
        N_("Incapacité de travail : les règles ne sont pas vérifiées"),
        (N_("Les sources consultées ne disent pas si vos indemnités d'incapacité de travail belges peuvent être "
            "payées au Royaume-Uni. Demandez à votre mutualité avant de partir."),),
    ),
    "royaume-uni-interruption-de-carriere": (
        N_("Interruption de carrière : un domicile au Royaume-Uni n'est pas vérifié"),
        (N_("L'allocation d'interruption est payée avec un domicile en Belgique, dans l'EEE ou en Suisse. Le "
            "Royaume-Uni n'est plus dans l'Union européenne, et les sources consultées ne disent pas si une "
            "exception existe : demandez à l'ONEM."),),
    ),
    # --- Bilateral agreements ------------------------------------------------------------------------
    "bilaterale-cotisations": (
        N_("La législation du pays où vous travaillez"),
        (N_("La convention soumet en principe le travailleur à la législation du pays où il travaille : vous y "
            "êtes assuré et vous y payez vos cotisations sociales."),
         N_("Si votre employeur belge vous envoie travailler temporairement dans ce pays, choisissez le statut "
            "« Travailleur détaché » : la convention prévoit le détachement.")),
    ),
    "bilaterale-detache-cotisations": (
        N_("Détachement : selon la convention"),
        (N_("Pendant un détachement prévu par la convention, vous restez soumis à la sécurité sociale belge."),
         N_("La durée maximale du détachement et son formulaire ne sont pas vérifiés pour cette convention : votre "
            "employeur les demande à l'ONSS avant votre départ.")),
    ),
    "bilaterale-detachement-connu": (
        N_("Détachement : jusqu'à {posting}"),
        (N_("Pendant le détachement, vous restez soumis à la sécurité sociale belge. La convention permet un "
            "détachement de {posting} au plus : une première période, puis les prolongations."),
         N_("Le formulaire de détachement de cette convention est le {posting_form} : votre employeur le demande "
            "à l'ONSS avant votre départ.")),
    ),
    "bilaterale-pensions": (
        N_("Pension : la convention couvre les pensions"),
        (N_("Toutes les conventions bilatérales de la Belgique couvrent les pensions, et votre pension belge peut "
            "être payée dans ce pays."),
         N_("La manière dont vos périodes de travail dans les deux pays sont prises en compte dépend de la "
            "convention : demandez-le à l'institution compétente.")),
    ),
    "bilaterale-soins-de-sante-accord": (
        N_("Soins de santé : un accord existe avec ce pays"),
        (N_("La Belgique a conclu un accord sur les soins de santé avec ce pays. Les documents à demander "
            "dépendent de l'accord et de votre situation : demandez-les à votre mutualité avant de partir."),),
    ),
    "bilaterale-soins-de-sante-sans-accord": (
        N_("Soins de santé : pas d'accord, pas de couverture belge"),
        (N_("La convention avec ce pays ne couvre pas les soins de santé : l'assurance belge ne rembourse pas vos "
            "soins sur place."),
         N_("Prévoyez une assurance privée, ou l'assurance soins de santé facultative de la sécurité sociale "
            "d'outre-mer de l'ONSS.")),
    ),
    "bilaterale-chomage-couvert": (
        N_("Chômage : la convention couvre le chômage"),
        (N_("La convention avec ce pays comprend le chômage. Ce qu'elle permet exactement (prise en compte de vos "
            "périodes de travail, paiement à l'étranger) n'est pas vérifié : demandez à l'ONEM avant de partir."),),
    ),
    "bilaterale-chomage-non-couvert": (
        N_("Chômage : la convention ne couvre pas le chômage"),
        (N_("La convention avec ce pays ne couvre pas le chômage. En principe, les allocations de chômage belges "
            "demandent une résidence en Belgique : elles ne sont pas payées dans ce pays. Ce principe n'est pas "
            "vérifié : demandez à l'ONEM."),),
    ),
    "bilaterale-branche-non-verifiee": (
        N_("Non vérifié : la convention couvre-t-elle ce sujet ?"),
        (N_("Les sources consultées ne disent pas si la convention avec ce pays couvre {topic}. Ce point n'est pas "
            "vérifié : demandez à l'institution compétente avant de partir."),),
    ),
    "bilaterale-allocations-familiales-couvert": (
        N_("Allocations familiales : possibles selon la convention"),
        (N_("La convention avec ce pays prévoit des allocations familiales. Elle pose souvent des conditions de "
            "nationalité, les limite à 4 enfants au plus et fixe elle-même les montants."),),
    ),
    "bilaterale-detache-allocations-familiales-couvert": (
        N_("Détachement : les allocations familiales sont à vérifier"),
        (N_("Pendant le détachement, vous restez soumis à la sécurité sociale belge. La convention avec ce pays "
            "prévoit aussi des allocations familiales, souvent sous conditions de nationalité, pour 4 enfants au "
            "plus et à des montants fixés par la convention."),
         N_("Les sources consultées ne disent pas lesquelles de ces règles s'appliquent aux enfants d'un "
            "travailleur détaché : demandez à la caisse d'allocations familiales qui vous paie.")),
    ),
    "bilaterale-allocations-familiales-non-couvert": (
        N_("Allocations familiales : pas de droit, sauf exceptions"),
        (N_("La convention avec ce pays ne couvre pas les allocations familiales. Un enfant qui vit dans ce pays "
            "n'y a pas droit, sauf si un parent est détaché (pendant 1 an au plus, sans limite pour le personnel "
            "de l'État fédéral) ou pour certains séjours d'études."),),
    ),
    "bilaterale-incapacite-de-travail-couvert": (
        N_("Incapacité de travail : la convention couvre la maladie et l'invalidité"),
        (N_("La convention avec ce pays couvre la maladie et l'invalidité. Prévenez votre mutualité de votre "
            "départ : elle vous dit comment vos indemnités sont payées."),),
    ),
    "bilaterale-incapacite-de-travail-partiel": (
        N_("Incapacité de travail : seule l'invalidité est couverte"),
        (N_("La convention avec ce pays couvre l'invalidité, mais pas la maladie. Demandez à votre mutualité ce "
            "que deviennent vos indemnités si vous partez."),),
    ),
    "hors-eee-interruption-de-carriere": (
        N_("Interruption de carrière : pas d'allocation, sauf exception"),
        (N_("L'allocation d'interruption de carrière, de crédit-temps ou de congé thématique n'est pas payée avec "
            "un domicile dans ce pays."),
         N_("Exception : vous suivez votre conjoint ou partenaire que son employeur envoie en mission hors de "
            "l'EEE. Une attestation de cet employeur est alors demandée.")),
    ),
    # --- Rest of the world --------------------------------------------------------------------------
    "reste-du-monde-cotisations": (
        N_("La sécurité sociale du pays où vous travaillez"),
        (N_("Sans convention, c'est en principe la sécurité sociale du pays où vous travaillez qui s'applique."),
         N_("Vous pouvez en plus vous assurer volontairement auprès de la sécurité sociale d'outre-mer de l'ONSS, "
            "pour les soins de santé, l'invalidité et la pension.")),
    ),
    "reste-du-monde-detache-cotisations": (
        N_("Détachement sans convention : à vérifier"),
        (N_("Les sources consultées ne disent pas si, ni combien de temps, un travailleur détaché dans un pays "
            "sans convention reste soumis à la sécurité sociale belge. Ce point n'est pas vérifié : demandez à "
            "l'ONSS avant votre départ."),
         N_("L'assurance facultative de la sécurité sociale d'outre-mer reste possible.")),
    ),
    "reste-du-monde-pensions": (
        N_("Pension : payée partout dans le monde"),
        (N_("Une pension belge peut être payée partout dans le monde."),
         N_("Sans convention avec le pays où vous habitez, introduisez votre demande en personne dans le dernier "
            "pays de l'EEE où vous avez travaillé, ou en Belgique.")),
    ),
    "reste-du-monde-soins-de-sante": (
        N_("Soins de santé : pas de couverture belge"),
        (N_("L'assurance soins de santé belge ne couvre pas vos soins dans ce pays."),
         N_("Prévoyez une assurance privée, ou l'assurance soins de santé facultative de la sécurité sociale "
            "d'outre-mer de l'ONSS.")),
    ),
    "reste-du-monde-chomage": (
        N_("Chômage : des allocations perdues en principe"),
        (N_("En principe, vous perdez vos allocations de chômage belges en vous installant dans ce pays, car elles "
            "demandent une résidence en Belgique. Ce principe n'est pas vérifié : demandez à l'ONEM."),),
    ),
    "reste-du-monde-allocations-familiales": (
        N_("Allocations familiales : pas de droit, sauf exceptions"),
        (N_("Un enfant qui vit dans un pays sans convention n'a pas droit aux allocations familiales belges, sauf "
            "si un parent est détaché (pendant 1 an au plus, sans limite pour le personnel de l'État fédéral) ou "
            "pour certains séjours d'études."),),
    ),
    "reste-du-monde-detache-allocations-familiales": (
        N_("Détachement : allocations familiales gardées 1 an au plus"),
        (N_("Pour un travailleur détaché, les allocations familiales belges sont maintenues pendant 1 an au plus."),),
    ),
    "reste-du-monde-fonctionnaire-allocations-familiales": (
        N_("Personnel de l'État fédéral : allocations familiales gardées"),
        (N_("Si l'État fédéral vous envoie travailler dans ce pays, les allocations familiales belges sont "
            "maintenues, sans limite de durée. Pour un autre employeur public, la règle du travailleur détaché "
            "s'applique : 1 an au plus."),),
    ),
    "reste-du-monde-etudiant-allocations-familiales": (
        N_("Études hors de l'EEE : certains séjours seulement"),
        (N_("Certains séjours d'études dans un pays sans convention gardent le droit aux allocations familiales "
            "belges. Les conditions ne sont pas vérifiées : demandez à la caisse d'allocations familiales avant le "
            "départ."),),
    ),
    "reste-du-monde-incapacite-de-travail": (
        N_("Incapacité de travail : en principe pas d'indemnités"),
        (N_("En principe, les indemnités d'incapacité de travail belges ne sont pas payées dans un pays sans "
            "convention. Ce point n'est pas vérifié : demandez à votre mutualité avant de partir."),),
    ),
}
