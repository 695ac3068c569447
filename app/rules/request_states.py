"""The life of a career-break request (domain.md §2.5 and §3): the employer's part comes first, then
the worker's part, then ONEM's decision (C62); a request can be cancelled until it is decided.

Pure: what each state allows, not how it is stored.
"""

from __future__ import annotations

import enum


class RequestState(str, enum.Enum):
    EMPLOYER_PART_SUBMITTED = "partie-employeur-introduite"
    WAITING_FOR_WORKER = "en-attente-du-travailleur"
    WORKER_PART_SENT = "partie-travailleur-envoyee"
    DECIDED = "decidee"
    CANCELLED = "annulee"


# Where each state can go next; the employer's part is made available to the worker at once.
TRANSITIONS: dict[RequestState, frozenset[RequestState]] = {
    RequestState.EMPLOYER_PART_SUBMITTED: frozenset({RequestState.WAITING_FOR_WORKER, RequestState.CANCELLED}),
    RequestState.WAITING_FOR_WORKER: frozenset({RequestState.WORKER_PART_SENT, RequestState.CANCELLED}),
    RequestState.WORKER_PART_SENT: frozenset({RequestState.DECIDED, RequestState.CANCELLED}),
    RequestState.DECIDED: frozenset(),
    RequestState.CANCELLED: frozenset(),
}


def can_move(current: RequestState, target: RequestState) -> bool:
    return target in TRANSITIONS[current]


def worker_can_complete(state: RequestState) -> bool:
    """"Compléter une demande" offers the requests waiting for the worker's part."""
    return state is RequestState.WAITING_FOR_WORKER


def worker_can_cancel(state: RequestState) -> bool:
    """"Annulation" offers every request that is neither decided nor already cancelled."""
    return can_move(state, RequestState.CANCELLED)


def worker_can_attach(state: RequestState) -> bool:
    """"Pièces jointes" is for requests whose worker's part was sent and that are not closed yet."""
    return state is RequestState.WORKER_PART_SENT
