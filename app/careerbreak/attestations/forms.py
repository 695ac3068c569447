"""The choice of the document, as the form of "Attestations" (and Break@work's "Attestation" button)
posts it in the field `document`:

- `solde`: the Break@work attestation of the periods taken and the balance;
- `accuse-de-reception-<request id>`: the acknowledgement of receipt of that request;
- `decision-<request id>`: the copy of ONEM's decision (C62) on that request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.careerbreak.documents import DocumentKind
from app.web.forms import parse_id
from app.web.i18n import gettext as _

FIELD = "document"
BALANCE = "solde"
ACKNOWLEDGEMENT_PREFIX = "accuse-de-reception-"
DECISION_PREFIX = "decision-"
_REQUEST_CHOICE = re.compile(
    rf"^(?P<prefix>{ACKNOWLEDGEMENT_PREFIX}|{DECISION_PREFIX})(?P<id>[1-9][0-9]{{0,17}})$"
)
_KIND_OF_PREFIX = {ACKNOWLEDGEMENT_PREFIX: DocumentKind.ACKNOWLEDGEMENT, DECISION_PREFIX: DocumentKind.DECISION_COPY}


def acknowledgement_value(request_id: int) -> str:
    return f"{ACKNOWLEDGEMENT_PREFIX}{request_id}"


def decision_value(request_id: int) -> str:
    return f"{DECISION_PREFIX}{request_id}"


@dataclass
class AttestationForm:
    value: str = ""
    kind: DocumentKind | None = None
    request_id: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict) -> AttestationForm:
        raw = data.get(FIELD)
        value = raw.strip() if isinstance(raw, str) else ""
        form = cls(value=value)
        if not value:
            form.errors.append((FIELD, _("Choisissez le document dont vous souhaitez recevoir une copie.")))
        elif value == BALANCE:
            form.kind = DocumentKind.BALANCE_ATTESTATION
        elif (match := _REQUEST_CHOICE.match(value)) is not None and parse_id(match["id"]) is not None:
            form.kind = _KIND_OF_PREFIX[match["prefix"]]
            form.request_id = parse_id(match["id"])
        else:  # (an id past the ids' range names no request either)
            form.not_offered()
        return form

    def not_offered(self) -> None:
        """The value names no document this page offers (a stale page, a hand-made post)."""
        self.kind = None
        self.errors.append((FIELD, _("Choisissez un des documents proposés.")))
