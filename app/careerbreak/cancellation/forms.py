"""What the citizen sent on the "Annulation" screens, checked, with messages in their language."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from app.careerbreak.forms import parse_id
from app.web.i18n import gettext as _

CHECKED = "oui"


def _values(data: dict[str, Any], name: str) -> list[str]:
    """A field's values: a form may send a name once, several times, or not at all."""
    value = data.get(name)
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _checked(data: dict[str, Any], name: str) -> bool:
    return CHECKED in _values(data, name)


@dataclass
class ChoiceForm:
    """Screen 1: the request to cancel, among those offered."""

    request_id: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict[str, Any], offered: Collection[int]) -> ChoiceForm:
        values = _values(data, "demande")
        chosen = parse_id(values[0]) if len(values) == 1 else None
        form = cls(request_id=chosen if chosen in offered else None)
        if form.request_id is None:
            form.errors.append(("demande", _("Sélectionnez la demande que vous souhaitez annuler.")))
        return form


@dataclass
class ConfirmationForm:
    """Screen 3: the confirmation box (required), the e-mail box, and the version the citizen saw."""

    confirmed: bool = False
    wants_email: bool = False
    version: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict[str, Any], *, email_known: bool) -> ConfirmationForm:
        versions = _values(data, "version")
        form = cls(
            confirmed=_checked(data, "confirmation"),
            wants_email=email_known and _checked(data, "email"),
            version=parse_id(versions[0]) if len(versions) == 1 else None,
        )
        if not form.confirmed:
            form.errors.append(("confirmation", _(
                "Cochez la case pour confirmer l'annulation de la demande."
            )))
        return form
