"""Citizens for the career-break tests: the demo people signed in, and requests made for them."""

from __future__ import annotations

import datetime

import pyotp

from app.careerbreak.services import NewRequest, create_request
from app.registry.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from app.registry.tables import Enterprise, Person
from app.rules.careerbreak import LeaveForm, LeaveKind

MARIE = "marie.dubois"
JAN = "jan.peeters"
LENA = "lena.schmitt"


async def sign_in(visitor, username: str = MARIE) -> None:
    """Signs in with the mobile-app key (level substantial), as a citizen does."""
    await visitor.page("/identification/application-mobile/connexion")
    response = await visitor.submit("/identification/application-mobile/connexion",
                                    {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 303, response.text[:300]
    await visitor.page("/identification/application-mobile/code")
    response = await visitor.submit("/identification/application-mobile/code",
                                    {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert response.status_code == 303, response.text[:300]


async def person_id(username: str) -> int:
    return (await Person.select(Person.id).where(Person.username == username).first())["id"]


async def request_for(username: str = MARIE, *, kind: LeaveKind = LeaveKind.MEDICAL_ASSISTANCE,
                      form: LeaveForm = LeaveForm.COMPLETE, start: datetime.date = datetime.date(2025, 4, 2),
                      end: datetime.date = datetime.date(2025, 5, 1), **details) -> int:
    """A request whose employer's part is filed: it waits for the worker's part."""
    worker = await Person.select(Person.id, Person.language).where(Person.username == username).first()
    enterprise = await Enterprise.select(Enterprise.id).first()
    return await create_request(NewRequest(
        worker_id=worker["id"], enterprise_id=enterprise["id"], kind=kind, form=form,
        start_date=start, end_date=end, language=worker["language"], **details,
    ))
