"""Requests made for a journey, in the live server's database, as the employer's part would make them.

    python -m e2e.support.seed marie.dubois assistance-medicale complete 2027-01-04 2027-02-03

Each journey run files its own requests (the JavaScript-on and -off runs share one server), so that
what one run completes or cancels is not what the other expects to find. Prints the request's id.
"""

from __future__ import annotations

import argparse
import datetime

from app.careerbreak.services import NewRequest, create_request
from app.cli import _run_with_database
from app.registry.tables import Employment, Person
from app.rules.careerbreak import LeaveForm, LeaveKind


async def seed(username: str, kind: LeaveKind, form: LeaveForm, start: datetime.date, end: datetime.date) -> int:
    person = await Person.select(Person.id, Person.language).where(Person.username == username).first()
    employment = await Employment.select(Employment.enterprise).where(
        (Employment.person == person["id"]) & (Employment.role == "worker")
    ).first()
    return await create_request(NewRequest(
        worker_id=person["id"], enterprise_id=employment["enterprise"], kind=kind, form=form,
        start_date=start, end_date=end, language=person["language"],
    ))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("kind", type=LeaveKind)
    parser.add_argument("form", type=LeaveForm)
    parser.add_argument("start", type=datetime.date.fromisoformat)
    parser.add_argument("end", type=datetime.date.fromisoformat)
    arguments = parser.parse_args()
    print(_run_with_database(seed(arguments.username, arguments.kind, arguments.form,
                                  arguments.start, arguments.end)))


if __name__ == "__main__":
    main()
