"""What "Attestations" offers a citizen, and the sending of the chosen document to their e-Box."""

from __future__ import annotations

from dataclasses import dataclass

from app.careerbreak.attestations.forms import AttestationForm
from app.careerbreak.documents import (
    DocumentKind,
    DocumentNotAvailable,
    can_acknowledge,
    has_decision,
    send_acknowledgement,
    send_balance_attestation,
    send_decision_copy,
)
from app.careerbreak.services import RequestSummary, request_of, requests_of


@dataclass(frozen=True)
class AttestationChoices:
    """The requests with an acknowledgement (worker's part sent or decided) and with a decision."""

    acknowledgements: list[RequestSummary]
    decisions: list[RequestSummary]


async def choices_of(person_id: int) -> AttestationChoices:
    requests = await requests_of(person_id)
    return AttestationChoices(
        acknowledgements=[summary for summary in requests if can_acknowledge(summary.state)],
        decisions=[summary for summary in requests if has_decision(summary.state)],
    )


class RequestNotFound(Exception):
    """The chosen request does not exist, or is another citizen's."""


async def send_chosen_document(person_id: int, form: AttestationForm) -> str:
    """Sends the chosen document to the citizen's e-Box and returns its public id. Raises
    RequestNotFound for a request that is not theirs, DocumentNotAvailable for a request that has no
    such document."""
    if form.kind is DocumentKind.BALANCE_ATTESTATION:
        return await send_balance_attestation(person_id)
    summary = await request_of(person_id, form.request_id) if form.request_id is not None else None
    if summary is None:
        raise RequestNotFound(form.request_id)
    if form.kind is DocumentKind.ACKNOWLEDGEMENT and can_acknowledge(summary.state):
        return await send_acknowledgement(summary.id)
    if form.kind is DocumentKind.DECISION_COPY and has_decision(summary.state):
        return await send_decision_copy(summary.id)
    raise DocumentNotAvailable(summary.id)
