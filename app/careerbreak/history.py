"""A citizen's history of leave, as Break@work and the balance attestation count it (domain.md §2.4):
the periods of the requests that were sent or decided, each with the child, patient or person
helped that the worker named."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from app.careerbreak.tables import CareerBreakRequest
from app.rules.breakatwork import Balance, balances
from app.rules.careerbreak import LeaveForm, LeaveKind, TakenPeriod
from app.rules.request_states import RequestState

# A period counts once the worker has sent their part; a cancelled request or one still waiting
# for the worker does not.
COUNTED_STATES = (RequestState.WORKER_PART_SENT.value, RequestState.DECIDED.value)


def subject_id(name: str | None, birth_date: datetime.date | None) -> str | None:
    """How a child, patient or person helped is told apart: their name and birth date as the worker gave them."""
    if not name:
        return None
    return f"{name} ({birth_date.isoformat()})" if birth_date else name


@dataclass(frozen=True)
class History:
    periods: tuple[TakenPeriod, ...]
    children: dict[str, datetime.date]  # subject id → birth date, for the parental-leave balances

    def balances(self) -> list[Balance]:
        return balances(self.periods, children=self.children)


async def history_of(person_id: int) -> History:
    """The counted periods of a citizen, oldest first (one query)."""
    rows = await CareerBreakRequest.select(
        CareerBreakRequest.kind, CareerBreakRequest.form, CareerBreakRequest.start_date,
        CareerBreakRequest.end_date, CareerBreakRequest.subject_name, CareerBreakRequest.subject_birth_date,
    ).where(
        (CareerBreakRequest.worker == person_id) & CareerBreakRequest.state.is_in(list(COUNTED_STATES))
    ).order_by(CareerBreakRequest.start_date)
    periods = []
    children: dict[str, datetime.date] = {}
    for row in rows:
        kind = LeaveKind(row["kind"])
        subject = subject_id(row["subject_name"], row["subject_birth_date"])
        periods.append(TakenPeriod(kind, LeaveForm(row["form"]), row["start_date"], row["end_date"], subject))
        if kind is LeaveKind.PARENTAL and subject and row["subject_birth_date"]:
            children[subject] = row["subject_birth_date"]
    return History(tuple(periods), children)
