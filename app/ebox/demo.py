"""The e-Box's demo documents (README, "Demo data"): the copy of the decision (C62) on Marie Dubois's
decided parental leave."""

from __future__ import annotations

from app.careerbreak.documents import DocumentKind, send_decision_copy
from app.careerbreak.tables import CareerBreakRequest
from app.ebox.tables import EboxMessage
from app.registry.tables import Person
from app.rules.careerbreak import LeaveKind
from app.rules.request_states import RequestState


async def load_demo_ebox() -> None:
    """Sends the decision's copy once (running it again changes nothing)."""
    person = await Person.select(Person.id).where(Person.username == "marie.dubois").first()
    if person is None:
        return
    decided = await CareerBreakRequest.select(CareerBreakRequest.id).where(
        (CareerBreakRequest.worker == person["id"]) & (CareerBreakRequest.kind == LeaveKind.PARENTAL.value)
        & (CareerBreakRequest.state == RequestState.DECIDED.value)
    )
    for request in decided:
        if not await EboxMessage.exists().where(
            (EboxMessage.request == request["id"])
            & (EboxMessage.document_kind == DocumentKind.DECISION_COPY.value)
        ):
            await send_decision_copy(request["id"])
