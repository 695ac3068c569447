"""Who may act for an organisation: today a person whom an `Employment` row gives a role at an
enterprise (a personnel officer for the employer's services).

The right is data (the access-management service grants and withdraws it). The guard reads the person
from the session, never from the URL, and keeps the organisation on the request's state: every query
of a service is then scoped to that organisation, so another organisation's data is not found.

    guards = acting_for_organisation(PERSONNEL_OFFICER)
    ...
    acting = acting_for(request)   # the person and the enterprise they act for
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from app.identity.guards import requires
from app.identity.sessions import current_session
from app.registry.tables import Employment
from app.rules.assurance import Level

PERSONNEL_OFFICER = "personnel_officer"
_STATE_KEY = "guichet_acting_for"


@dataclass(frozen=True)
class ActingFor:
    """A person and the enterprise they act for, as the BCE/KBO and the ONSS know it."""

    person_id: int
    niss: str  # the person's: the audit trail's actor
    enterprise_id: int
    enterprise_number: str
    enterprise_name: str
    public_sector: bool
    workers_under_contract: int | None
    commission_paritaire: str | None
    onss_number: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None

    @property
    def address(self) -> str | None:
        """The registered office's address on one line; None when it is not known."""
        if not self.street:
            return None
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return f"{self.street}, {place}" if place else self.street


class NoRightToAct(PermissionDeniedException):
    """Identified, but holding the role for no organisation."""

    detail = "no right to act for an organisation"

    def __init__(self, role: str) -> None:
        super().__init__(detail=self.detail)
        self.role = role


async def organisation_of(person_id: int, role: str) -> ActingFor | None:
    """The enterprise where the person holds `role` (the first one registered, should there be
    several: choosing among them is for the access-management service)."""
    row = await Employment.select(
        Employment.person.niss, Employment.enterprise.id, Employment.enterprise.enterprise_number,
        Employment.enterprise.name, Employment.enterprise.public_sector,
        Employment.enterprise.workers_under_contract, Employment.enterprise.commission_paritaire,
        Employment.enterprise.onss_number, Employment.enterprise.street, Employment.enterprise.postcode,
        Employment.enterprise.city,
    ).where(
        (Employment.person == person_id) & (Employment.role == role)
    ).order_by(Employment.enterprise).first()
    if row is None:
        return None
    return ActingFor(
        person_id=person_id, niss=row["person.niss"], enterprise_id=row["enterprise.id"],
        enterprise_number=row["enterprise.enterprise_number"], enterprise_name=row["enterprise.name"],
        public_sector=row["enterprise.public_sector"],
        workers_under_contract=row["enterprise.workers_under_contract"],
        commission_paritaire=row["enterprise.commission_paritaire"],
        onss_number=row["enterprise.onss_number"], street=row["enterprise.street"],
        postcode=row["enterprise.postcode"], city=row["enterprise.city"],
    )


def acting_for_organisation(role: str, minimum: Level = Level.SUBSTANTIAL) -> list:
    """The guards of a route used for an organisation: identified at `minimum` or higher, then
    holding `role` at an enterprise (else `NoRightToAct`, 403)."""

    async def holds_role(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        session = current_session(connection)
        acting = await organisation_of(session.person_id, role)
        if acting is None:
            raise NoRightToAct(role)
        connection.scope.setdefault("state", {})[_STATE_KEY] = acting

    return [requires(minimum), holds_role]


def acting_for(connection: ASGIConnection) -> ActingFor:
    """The person and the organisation the guard found for this request."""
    return connection.scope["state"][_STATE_KEY]
