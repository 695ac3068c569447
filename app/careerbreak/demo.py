"""The demo requests of the acceptance environment (README, "Demo data"). Until the employer's part
is filed online (guide 001), the employers' parts of these requests are created here. A decided
request is decided by ONEM's use case (app/careerbreak/decision.py), so that its copy (C62) is in the
worker's e-Box and its notice in the enterprise's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from app.careerbreak.decision import decide_request, send_decision_documents
from app.careerbreak.services import NewRequest, create_request, move_request
from app.careerbreak.tables import CareerBreakRequest
from app.db import transaction
from app.registry.demo import LES_TILLEULS, LOGISTIQUE_DELTA
from app.registry.services import EnterpriseRecord
from app.registry.tables import Enterprise, Person
from app.rules.identifiers import compact_enterprise_number
from app.rules.careerbreak import CareMotive, LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.rules.tickets import new_ticket_number


DEMO_DECIDER = "guichet-demo-data"  # who decides the demo requests, for the audit trail


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class DemoRequest:
    username: str
    enterprise: EnterpriseRecord
    kind: LeaveKind
    form: LeaveForm
    start: datetime.date
    end: datetime.date
    filed_on: datetime.date
    care_motive: CareMotive | None = None
    # What happened after the employer's part: (state, date), in order.
    then: tuple[tuple[RequestState, datetime.date], ...] = ()
    subject_name: str | None = None
    subject_birth_date: datetime.date | None = None


D = datetime.date
DEMO_REQUESTS = (
    # Guide 000's example: waiting for Marie's part, its "Attestation médicale *" not received.
    DemoRequest("marie.dubois", LES_TILLEULS, LeaveKind.MEDICAL_ASSISTANCE, LeaveForm.COMPLETE,
                D(2025, 4, 2), D(2025, 5, 1), filed_on=D(2025, 3, 10)),
    # Parental leave at 1/5 for her daughter born in 2019: completed and decided; Break@work counts it.
    DemoRequest("marie.dubois", LES_TILLEULS, LeaveKind.PARENTAL, LeaveForm.ONE_FIFTH,
                D(2024, 1, 1), D(2024, 10, 31), filed_on=D(2023, 10, 2),
                then=((RequestState.WORKER_PART_SENT, D(2023, 10, 5)), (RequestState.DECIDED, D(2023, 11, 20))),
                subject_name="Emma Dubois", subject_birth_date=D(2019, 3, 12)),
    DemoRequest("marie.dubois", LES_TILLEULS, LeaveKind.AIDANT_PROCHE, LeaveForm.COMPLETE,
                D(2025, 9, 1), D(2025, 9, 30), filed_on=D(2025, 7, 15),
                then=((RequestState.CANCELLED, D(2025, 7, 28)),)),
    DemoRequest("lena.schmitt", LES_TILLEULS, LeaveKind.PARENTAL, LeaveForm.HALF_TIME,
                D(2027, 3, 1), D(2027, 4, 30), filed_on=D(2026, 11, 2)),
    DemoRequest("jan.peeters", LOGISTIQUE_DELTA, LeaveKind.TIME_CREDIT_CARE, LeaveForm.ONE_FIFTH,
                D(2027, 1, 1), D(2027, 6, 30), filed_on=D(2026, 10, 1), care_motive=CareMotive.CHILD_UNDER_8),
)


async def load_demo_requests() -> None:
    """Creates the demo requests of each demo citizen who has none yet (running it again changes nothing,
    but for the documents of a decision an older version of the demo did not send)."""
    for demo in DEMO_REQUESTS:
        person = await Person.select(Person.id, Person.language).where(Person.username == demo.username).first()
        enterprise = await Enterprise.select(Enterprise.id).where(
            Enterprise.enterprise_number == compact_enterprise_number(demo.enterprise.enterprise_number)
        ).first()
        if person is None or enterprise is None:
            continue
        existing = await CareerBreakRequest.select(CareerBreakRequest.id, CareerBreakRequest.state).where(
            (CareerBreakRequest.worker == person["id"]) & (CareerBreakRequest.kind == demo.kind.value)
            & (CareerBreakRequest.start_date == demo.start)
        ).first()
        if existing is not None:
            if existing["state"] == RequestState.DECIDED.value:
                # Decided by an older version of the demo: the e-Boxes get what they lack, once.
                await send_decision_documents(existing["id"])
            continue
        request_id = await create_request(NewRequest(
            worker_id=person["id"], enterprise_id=enterprise["id"], kind=demo.kind, form=demo.form,
            start_date=demo.start, end_date=demo.end, language=person["language"],
            care_motive=demo.care_motive, employer_ticket=new_ticket_number(),
        ), at=_at(demo.filed_on))
        version = 1
        for state, day in demo.then:
            changes: dict[str, object] = {}
            ticket = None
            if state is RequestState.WORKER_PART_SENT:
                ticket = new_ticket_number()
                changes = {"ticket_number": ticket, "subject_name": demo.subject_name,
                           "subject_birth_date": demo.subject_birth_date,
                           "worker_part": {"domicile_country": "BE", "household": "cohabitant"}}
            elif state is RequestState.CANCELLED:
                ticket = new_ticket_number()
                changes = {"cancellation_ticket": ticket}
            elif state is RequestState.DECIDED:
                await decide_request(request_id, decided_by=DEMO_DECIDER, decided_on=day, source="demo-data",
                                     at=_at(day))
                break  # a decided request goes nowhere else
            async with transaction():
                await move_request(request_id, version, state, event_ticket=ticket, at=_at(day), **changes)
            version += 1
