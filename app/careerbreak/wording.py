"""How the service names the kinds, forms, states and documents of a request, in French source text
marked for translation (`N_`); `_()` translates them where they are shown."""

from __future__ import annotations

from app.rules.careerbreak import CareMotive, DocumentType, LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.web.i18n import N_
from app.web.i18n import gettext as _


KIND_NAMES = {
    LeaveKind.PARENTAL: N_("Congé parental"),
    LeaveKind.MEDICAL_ASSISTANCE: N_("Congé pour assistance médicale"),
    LeaveKind.PALLIATIVE_CARE: N_("Congé pour soins palliatifs"),
    LeaveKind.AIDANT_PROCHE: N_("Congé pour aidants proches"),
    LeaveKind.TIME_CREDIT_CARE: N_("Crédit-temps avec motif de soins"),
    LeaveKind.TIME_CREDIT_TRAINING: N_("Crédit-temps avec motif de formation"),
    LeaveKind.END_OF_CAREER: N_("Crédit-temps fin de carrière"),
    LeaveKind.PUBLIC_SECTOR_CAREER_BREAK: N_("Interruption de carrière dans le secteur public"),
    LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE: N_("Crédit-temps sans motif"),
}

# "La demande concerne un congé pour assistance médicale, ..." (guide 000)
KIND_PHRASES = {
    LeaveKind.PARENTAL: N_("un congé parental"),
    LeaveKind.MEDICAL_ASSISTANCE: N_("un congé pour assistance médicale"),
    LeaveKind.PALLIATIVE_CARE: N_("un congé pour soins palliatifs"),
    LeaveKind.AIDANT_PROCHE: N_("un congé pour aidants proches"),
    LeaveKind.TIME_CREDIT_CARE: N_("un crédit-temps avec motif de soins"),
    LeaveKind.TIME_CREDIT_TRAINING: N_("un crédit-temps avec motif de formation"),
    LeaveKind.END_OF_CAREER: N_("un crédit-temps fin de carrière"),
    LeaveKind.PUBLIC_SECTOR_CAREER_BREAK: N_("une interruption de carrière dans le secteur public"),
    LeaveKind.TIME_CREDIT_WITHOUT_MOTIVE: N_("un crédit-temps sans motif"),
}

FORM_NAMES = {
    LeaveForm.COMPLETE: N_("Interruption complète"),
    LeaveForm.HALF_TIME: N_("Réduction à mi-temps"),
    LeaveForm.ONE_FIFTH: N_("Réduction d'1/5"),
    LeaveForm.ONE_TENTH: N_("Réduction d'1/10"),
}

FORM_PHRASES = {
    LeaveForm.COMPLETE: N_("interruption complète des prestations"),
    LeaveForm.HALF_TIME: N_("réduction des prestations à mi-temps"),
    LeaveForm.ONE_FIFTH: N_("réduction des prestations d'1/5"),
    LeaveForm.ONE_TENTH: N_("réduction des prestations d'1/10"),
}

CARE_MOTIVE_NAMES = {
    CareMotive.CHILD_UNDER_8: N_("Prendre soin de son enfant de moins de 8 ans"),
    CareMotive.PALLIATIVE_CARE: N_("Soins palliatifs"),
    CareMotive.SERIOUSLY_ILL_RELATIVE: N_("Assistance à un membre du ménage ou de la famille gravement malade"),
    CareMotive.DISABLED_CHILD_UNDER_21: N_("Soins à son enfant handicapé de moins de 21 ans"),
    CareMotive.SERIOUSLY_ILL_MINOR_CHILD: N_("Soins à son enfant mineur gravement malade"),
}

STATE_NAMES = {
    RequestState.EMPLOYER_PART_SUBMITTED: N_("Partie employeur introduite"),
    RequestState.WAITING_FOR_WORKER: N_("En attente de la partie du travailleur"),
    RequestState.WORKER_PART_SENT: N_("Partie du travailleur envoyée"),
    RequestState.DECIDED: N_("Décision de l'ONEM envoyée"),
    RequestState.CANCELLED: N_("Annulée"),
}

DOCUMENT_NAMES = {
    DocumentType.MEDICAL_CERTIFICATE: N_("Attestation médicale"),
    DocumentType.BIRTH_CERTIFICATE: N_("Acte de naissance"),
    DocumentType.COURT_JUDGMENT: N_("Jugement"),
    DocumentType.HOUSEHOLD_COMPOSITION: N_("Attestation de composition de ménage"),
    DocumentType.PROOF_OF_TRAINING: N_("Preuve de la formation"),
    DocumentType.PROOF_OF_MOTIVE: N_("Preuve du motif"),
    DocumentType.COMPANY_CCT: N_("CCT d'entreprise"),
    DocumentType.OTHER: N_("Autre"),
}


def request_description(kind: LeaveKind, form: LeaveForm, start: str, end: str) -> str:
    """The guide's sentence, in the current language, with dates already formatted:
    "La demande concerne un congé pour assistance médicale, interruption complète des prestations,
    du 02/04/2025 au 01/05/2025." """
    return _("La demande concerne {kind}, {form}, du {start} au {end}.").format(
        kind=_(KIND_PHRASES[kind]), form=_(FORM_PHRASES[form]), start=start, end=end
    )

