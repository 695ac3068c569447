"""Qui a consulté mon dossier ? (budget S9): a page of the citizen's career-break service, linked
from "Mon dossier"."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from app.careerbreak.consultations.services import Consultation, consultations_of
from app.careerbreak.menu import SERVICE_PATH
from app.clock import BELGIAN_TIME
from app.identity.guards import CITIZEN_GUARD, signed_in_person_id
from app.rules.identifiers import format_enterprise_number
from app.web.forms import MAX_BIG_ID, parse_id
from app.web.i18n import N_, format_date
from app.web.i18n import gettext as _
from app.web.render import render
from app.web.urls import path_for


# What the enterprise saw (the audit record's details "what"), as the citizen reads it.
WHAT_NAMES = {
    "consultation": N_("La liste de vos demandes (Consultation)"),
    "demande": N_("Le détail d'une demande et son historique"),
    "formulaire": N_("Le formulaire PDF d'une demande"),
    "historique": N_("Vos congés déjà pris, pour vérifier les maximums d'une nouvelle demande"),
    "dimona": N_("Votre nom et votre numéro de registre national, dans le fichier du personnel (Dimona)"),
    "travailleur": N_("Vos données de travailleur, pour introduire une demande"),
    "envoyee": N_("Le récapitulatif d'une demande, à son envoi"),
    "document": N_("Un document de l'e-Box de l'entreprise sur une de vos demandes"),
    "document-pdf": N_("Le PDF d'un document de l'e-Box de l'entreprise sur une de vos demandes"),
}


def consultation_row(consultation: Consultation) -> dict[str, str]:
    """The row as the page shows it, in the active language and in Belgian time."""
    moment = consultation.at.astimezone(BELGIAN_TIME)
    who = consultation.enterprise_name or _("Entreprise inconnue")
    if consultation.enterprise_number:
        who = f"{who} ({format_enterprise_number(consultation.enterprise_number)})"
    name = WHAT_NAMES.get(consultation.what)
    return {
        "date": format_date(moment.date()), "time": moment.strftime("%H:%M"),
        "iso": moment.isoformat(timespec="minutes"), "who": who,
        "what": _(name) if name else _("Votre dossier"),
    }


class ConsultationsController(Controller):
    path = f"{SERVICE_PATH}/consultations"
    guards = [CITIZEN_GUARD]

    @get("/", name="careerbreak_consultations")
    async def consultations(self, request: Request) -> Template:
        # The keys are sequences of the audit trail (a 64-bit column).
        after = parse_id(request.query_params.get("apres"), maximum=MAX_BIG_ID)
        before = parse_id(request.query_params.get("avant"), maximum=MAX_BIG_ID)
        page = await consultations_of(signed_in_person_id(request), after=after, before=before)
        return render(request, "careerbreak/consultations.html", {
            "active": None,
            "rows": [consultation_row(consultation) for consultation in page.items],
            "previous_url": path_for(request, "careerbreak_consultations", query={"avant": page.previous_before})
            if page.previous_before else None,
            "next_url": path_for(request, "careerbreak_consultations", query={"apres": page.next_after})
            if page.next_after else None,
            "first_page": after is None and before is None,
        })
