"""The data the bench's signed-in pages need beyond the demo data: `python -m bench.seed`.

P3 measures "Mon dossier" with 20 requests, so the bench gives the demo citizen of guide 000
(marie.dubois, who has 3 demo requests) enough requests to have exactly `DOSSIER_REQUESTS`, each
with a history of 2 to 4 events like real ones, through the service's own use cases
(`create_request`, `move_request`). One of them is a medical-assistance request whose worker's part
was sent: the htmx fragment of the attachments screen (one attachment row) is measured on it.

It runs against GUICHET_DATABASE_URL after `guichet demo-data`, before the server starts, and prints
one JSON line: the values the bench's page paths use (`{careerbreak_attachments_request}`).
That request gets one received medical certificate, so that the fragment's row shows one file.
Running it again adds nothing.
"""

from __future__ import annotations

import datetime
import json
import secrets
import sys
from itertools import cycle

DOSSIER_USERNAME = "marie.dubois"
DOSSIER_REQUESTS = 20
ATTACHMENTS_FIELD = "careerbreak_attachments_request"
# A minimal PDF: what the attachments screen lists is its name, type and size, never its content.
CERTIFICATE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
               b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=datetime.timezone.utc)


async def seed() -> dict[str, int]:
    from app.careerbreak.services import NewRequest, create_request, move_request
    from app.careerbreak.tables import Attachment, CareerBreakRequest
    from app.db import transaction
    from app.registry.tables import Employment, Person
    from app.rules.careerbreak import CareMotive, DocumentType, LeaveForm, LeaveKind
    from app.rules.request_states import RequestState
    from app.rules.tickets import new_ticket_number

    person = await Person.select(Person.id, Person.language).where(
        Person.username == DOSSIER_USERNAME
    ).first()
    if person is None:
        raise SystemExit(f"bench.seed: {DOSSIER_USERNAME} is missing: run `guichet demo-data` first")
    employment = await Employment.select(Employment.enterprise).where(
        Employment.person == person["id"]
    ).first()

    async def file(kind, form, start, end, filed_on, then=(), care_motive=None) -> int:
        request_id = await create_request(NewRequest(
            worker_id=person["id"], enterprise_id=employment["enterprise"], kind=kind, form=form,
            start_date=start, end_date=end, language=person["language"], care_motive=care_motive,
            employer_ticket=new_ticket_number(),
        ), at=_at(filed_on))
        version = 1
        for state, day in then:
            changes: dict[str, object] = {}
            ticket = None
            if state is RequestState.WORKER_PART_SENT:
                ticket = new_ticket_number()
                changes = {"ticket_number": ticket, "worker_part": {"domicile_country": "BE"}}
            elif state is RequestState.CANCELLED:
                ticket = new_ticket_number()
                changes = {"cancellation_ticket": ticket}
            elif state is RequestState.DECIDED:
                changes = {"decided_on": day}
            async with transaction():
                await move_request(request_id, version, state, event_ticket=ticket, at=_at(day),
                                   **changes)
            version += 1
        return request_id

    # The request of the attachments fragment: medical assistance (its medical certificate is
    # mandatory), worker's part sent.
    attachments_request = await CareerBreakRequest.select(CareerBreakRequest.id).where(
        (CareerBreakRequest.worker == person["id"])
        & (CareerBreakRequest.kind == LeaveKind.MEDICAL_ASSISTANCE.value)
        & (CareerBreakRequest.state == RequestState.WORKER_PART_SENT.value)
    ).first()
    if attachments_request is None:
        start = datetime.date(2026, 6, 1)
        attachments_id = await file(
            LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.HALF_TIME, start, datetime.date(2026, 8, 31),
            filed_on=datetime.date(2026, 4, 20),
            then=((RequestState.WORKER_PART_SENT, datetime.date(2026, 4, 24)),),
        )
    else:
        attachments_id = attachments_request["id"]
    if not await Attachment.exists().where(Attachment.request == attachments_id):
        received = _at(datetime.date(2026, 4, 24))
        await Attachment.insert(Attachment(
            public_id=secrets.token_urlsafe(16), request=attachments_id,
            document_type=DocumentType.MEDICAL_CERTIFICATE.value, filename="attestation-medicale.pdf",
            media_type="application/pdf", size=len(CERTIFICATE), content=CERTIFICATE,
            uploaded_at=received, received_at=received,
        ))

    existing = await CareerBreakRequest.count().where(CareerBreakRequest.worker == person["id"])
    # Periods going back in time, with the kinds, forms and fates a long career gathers.
    sent, decided = RequestState.WORKER_PART_SENT, RequestState.DECIDED
    shapes = cycle((
        (LeaveKind.PARENTAL, LeaveForm.ONE_FIFTH, None, (sent, decided)),
        (LeaveKind.TIME_CREDIT_CARE, LeaveForm.HALF_TIME, CareMotive.CHILD_UNDER_8, (sent,)),
        (LeaveKind.AIDANT_PROCHE, LeaveForm.COMPLETE, None, (RequestState.CANCELLED,)),
        (LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.ONE_TENTH, None, (sent, decided)),
        (LeaveKind.PALLIATIVE_CARE, LeaveForm.COMPLETE, None, ()),
    ))
    for number in range(DOSSIER_REQUESTS - existing):
        start = datetime.date(2022 - number // 4, 1 + 3 * (number % 4), 1)
        end = start + datetime.timedelta(days=89)
        kind, form, motive, fates = next(shapes)
        filed_on = start - datetime.timedelta(days=60)
        then = tuple((state, filed_on + datetime.timedelta(days=10 * (step + 1)))
                     for step, state in enumerate(fates))
        await file(kind, form, start, end, filed_on, then, care_motive=motive)
    return {ATTACHMENTS_FIELD: attachments_id}


def main() -> int:
    from app.cli import _run_with_database

    values = _run_with_database(seed())
    print(json.dumps(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
