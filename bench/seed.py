"""The data the bench's signed-in pages need beyond the demo data: `python -m bench.seed`.

P3 measures "Mon dossier" with 20 requests, so the bench gives the demo citizen of guide 000
(marie.dubois, who has 3 demo requests) enough requests to have exactly `DOSSIER_REQUESTS`, each
with a history of 2 to 4 events like real ones, through the service's own use cases
(`create_request`, `move_request`). One of them is a medical-assistance request whose worker's part
was sent: the htmx fragment of the attachments screen (one attachment row) is measured on it.

The Consultation of the employer's part (sophie.laurent, personnel officer of Les Tilleuls, 42
workers under contract) lists the enterprise's requests of the last two years, 20 a page: the
enterprise gets the rest of its staff (`TILLEULS_STAFF` workers besides Marie and Lena) and
`TILLEULS_RECENT_REQUESTS` requests of theirs filed in the last two years, plus
`TILLEULS_OLDER_REQUESTS` older ones the list leaves out, so that it has three pages (20, 20 and
the rest) and the bench measures a keyset "next page" too.

It runs against GUICHET_DATABASE_URL after `guichet demo-data`, before the server starts, and prints
one JSON line: the values the bench's page paths use (`{careerbreak_attachments_request}`, and
`{consultation_next_after}`, the id the Consultation's "next page" link goes on from, as the app
computes it). That request gets one received medical certificate, so that the fragment's row shows
one file. Running it again adds nothing.
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
OFFICER_USERNAME = "sophie.laurent"
CONSULTATION_FIELD = "consultation_next_after"
TILLEULS_STAFF = 40  # with Marie and Lena: the 42 workers under contract of the demo data
TILLEULS_RECENT_REQUESTS = 48  # with the demo's and Marie's of the last two years: three pages
TILLEULS_OLDER_REQUESTS = 8
TILLEULS_USERNAME = "tilleuls.{}"
TILLEULS_FIRST_NAMES = ("Julie", "Thomas", "Nathalie", "Kevin", "Sarah", "Nicolas", "Laura", "Maxime")
TILLEULS_LAST_NAMES = ("Lambert", "Renard", "Collignon", "Hermans", "Dethier", "Piron", "Gilson",
                       "Marchal", "Bodart", "Henrard")
# A minimal PDF: what the attachments screen lists is its name, type and size, never its content.
CERTIFICATE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
               b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=datetime.timezone.utc)


def staff_niss(number: int) -> str:
    """The NISS of the enterprise's worker `number` (0-based): born on a day of 1965 to 1998, an odd
    or even sequence number from 301 (the demo people use lower ones, the bench's P5 phase 501 and
    up), and the check digits 97 − (the first nine digits mod 97)."""
    born = datetime.date(1965, 1, 1) + datetime.timedelta(days=293 * number)
    first_nine = f"{born:%y%m%d}{301 + number:03d}"
    return f"{first_nine}{97 - int(first_nine) % 97:02d}"


async def seed() -> dict[str, int]:
    from app.careerbreak.services import NewRequest, create_request, move_request
    from app.careerbreak.tables import Attachment, CareerBreakRequest
    from app.db import transaction
    from app.registry.services import PersonRecord, ensure_employment, ensure_person
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
    enterprise_id = employment["enterprise"]
    today = datetime.datetime.now(datetime.timezone.utc).date()

    async def file(worker_id, language, kind, form, start, end, filed_on, then=(),
                   care_motive=None) -> int:
        request_id = await create_request(NewRequest(
            worker_id=worker_id, enterprise_id=enterprise_id, kind=kind, form=form,
            start_date=start, end_date=end, language=language, care_motive=care_motive,
            employer_ticket=new_ticket_number(),
        ), at=_at(filed_on))
        version = 1
        for state, day in then:
            day = min(day, today)
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
            person["id"], person["language"], LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.HALF_TIME,
            start, datetime.date(2026, 8, 31), filed_on=datetime.date(2026, 4, 20),
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

    # Periods going back in time, with the kinds, forms and fates a long career gathers.
    sent, decided = RequestState.WORKER_PART_SENT, RequestState.DECIDED
    shapes = (
        (LeaveKind.PARENTAL, LeaveForm.ONE_FIFTH, None, (sent, decided)),
        (LeaveKind.TIME_CREDIT_CARE, LeaveForm.HALF_TIME, CareMotive.CHILD_UNDER_8, (sent,)),
        (LeaveKind.AIDANT_PROCHE, LeaveForm.COMPLETE, None, (RequestState.CANCELLED,)),
        (LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.ONE_TENTH, None, (sent, decided)),
        (LeaveKind.PALLIATIVE_CARE, LeaveForm.COMPLETE, None, ()),
    )

    def history(fates, filed_on):
        return tuple((state, filed_on + datetime.timedelta(days=10 * (step + 1)))
                     for step, state in enumerate(fates))

    existing = await CareerBreakRequest.count().where(CareerBreakRequest.worker == person["id"])
    marie_shapes = cycle(shapes)
    for number in range(DOSSIER_REQUESTS - existing):
        start = datetime.date(2022 - number // 4, 1 + 3 * (number % 4), 1)
        end = start + datetime.timedelta(days=89)
        kind, form, motive, fates = next(marie_shapes)
        filed_on = start - datetime.timedelta(days=60)
        await file(person["id"], person["language"], kind, form, start, end, filed_on,
                   history(fates, filed_on), care_motive=motive)

    # The rest of Les Tilleuls' staff, and their requests: the Consultation's three pages.
    staff = []
    for number in range(TILLEULS_STAFF):
        first = TILLEULS_FIRST_NAMES[number % len(TILLEULS_FIRST_NAMES)]
        last = TILLEULS_LAST_NAMES[number % len(TILLEULS_LAST_NAMES)]
        language = ("fr", "fr", "fr", "nl", "de")[number % 5]
        worker_id = await ensure_person(PersonRecord(
            staff_niss(number), first, last, TILLEULS_USERNAME.format(number + 1), language,
            f"{first}.{last}@example.be".lower(),
        ))
        await ensure_employment(worker_id, enterprise_id, "worker")
        staff.append((worker_id, language))
    # Filed every 12 days over the last 19 months, and every 3 months before the last two years;
    # created oldest first, as they would have been.
    filing_days = sorted(
        [today - datetime.timedelta(days=5 + 12 * number) for number in range(TILLEULS_RECENT_REQUESTS)]
        + [today - datetime.timedelta(days=800 + 90 * number)
           for number in range(TILLEULS_OLDER_REQUESTS)]
    )
    existing = await CareerBreakRequest.count().where(
        CareerBreakRequest.worker.is_in([worker_id for worker_id, _ in staff])
    )
    for number, filed_on in enumerate(filing_days[existing:], start=existing):
        worker_id, language = staff[number * 7 % len(staff)]
        kind, form, motive, fates = shapes[number % len(shapes)]
        start = filed_on + datetime.timedelta(days=75)
        end = start + datetime.timedelta(days=89 + 30 * (number % 4))
        await file(worker_id, language, kind, form, start, end, filed_on, history(fates, filed_on),
                   care_motive=motive)

    return {ATTACHMENTS_FIELD: attachments_id, CONSULTATION_FIELD: await _consultation_next_after()}


async def _consultation_next_after() -> int:
    """The id the first page of the Consultation of Les Tilleuls goes on from, as the app finds it."""
    from app.access.guards import PERSONNEL_OFFICER, organisation_of
    from app.employer.services import Filters, consultation
    from app.registry.tables import Person

    officer = await Person.select(Person.id).where(Person.username == OFFICER_USERNAME).first()
    acting = await organisation_of(officer["id"], PERSONNEL_OFFICER) if officer else None
    if acting is None:
        raise SystemExit(f"bench.seed: {OFFICER_USERNAME} is missing: run `guichet demo-data` first")
    page = await consultation(acting, Filters())
    if page.next_after is None:
        raise SystemExit(f"bench.seed: the Consultation of {acting.enterprise_name} has one page")
    return page.next_after


def main() -> int:
    from app.cli import _run_with_database

    values = _run_with_database(seed())
    print(json.dumps(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
