"""Who may act for an enterprise: a person whom an Employment row names its personnel officer.

The right is data (the access-management issue to come grants and withdraws it). The guard reads the
person from the session, never from the URL, and keeps the enterprise on the request's state: every
query of the service is then scoped to that enterprise, so another enterprise's request is not found.
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
_STATE_KEY = "guichet_acting_employer"


@dataclass(frozen=True)
class ActingEmployer:
    """The personnel officer and the enterprise they act for."""

    person_id: int
    niss: str  # the officer's: the audit trail's actor
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


class NotPersonnelOfficer(PermissionDeniedException):
    """Identified, but not a personnel officer of any enterprise."""

    detail = "not a personnel officer"


async def acting_employer_of(person_id: int) -> ActingEmployer | None:
    """The enterprise the person is personnel officer of (the first one registered, should there be
    several: choosing among them is for the access-management issue)."""
    row = await Employment.select(
        Employment.person.niss, Employment.enterprise.id, Employment.enterprise.enterprise_number,
        Employment.enterprise.name, Employment.enterprise.public_sector,
        Employment.enterprise.workers_under_contract, Employment.enterprise.commission_paritaire,
        Employment.enterprise.onss_number, Employment.enterprise.street, Employment.enterprise.postcode,
        Employment.enterprise.city,
    ).where(
        (Employment.person == person_id) & (Employment.role == PERSONNEL_OFFICER)
    ).order_by(Employment.enterprise).first()
    if row is None:
        return None
    return ActingEmployer(
        person_id=person_id, niss=row["person.niss"], enterprise_id=row["enterprise.id"],
        enterprise_number=row["enterprise.enterprise_number"], enterprise_name=row["enterprise.name"],
        public_sector=row["enterprise.public_sector"],
        workers_under_contract=row["enterprise.workers_under_contract"],
        commission_paritaire=row["enterprise.commission_paritaire"],
        onss_number=row["enterprise.onss_number"], street=row["enterprise.street"],
        postcode=row["enterprise.postcode"], city=row["enterprise.city"],
    )


async def personnel_officer(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """After `requires(Level.SUBSTANTIAL)`: refuses a person who is no personnel officer (403)."""
    session = current_session(connection)
    acting = await acting_employer_of(session.person_id)
    if acting is None:
        raise NotPersonnelOfficer()
    connection.scope.setdefault("state", {})[_STATE_KEY] = acting


# Guide 001: identification with the eID (high); a key of level substantial also opens the service,
# as for the citizen's part (guide 000).
EMPLOYER_GUARDS = [requires(Level.SUBSTANTIAL), personnel_officer]


def acting_employer(connection: ASGIConnection) -> ActingEmployer:
    """The enterprise the guard found for this request."""
    return connection.scope["state"][_STATE_KEY]
