"""Use cases of the registry."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import transaction
from app.registry.tables import Employment, Enterprise, Person
from app.rules.identifiers import compact_enterprise_number, compact_niss


@dataclass(frozen=True)
class PersonRecord:
    niss: str
    first_name: str
    last_name: str
    username: str
    language: str
    email: str | None = None


@dataclass(frozen=True)
class EnterpriseRecord:
    enterprise_number: str
    name: str
    public_sector: bool
    workers_under_contract: int | None
    commission_paritaire: str | None
    onss_number: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None

    def reference_data(self) -> dict[str, str]:
        """The ONSS number and the address, where known (what an older row may lack)."""
        values = {"onss_number": self.onss_number, "street": self.street, "postcode": self.postcode,
                  "city": self.city}
        return {name: value for name, value in values.items() if value is not None}


async def ensure_person(record: PersonRecord) -> int:
    """The id of the person with this NISS, registering them when new (idempotent)."""
    niss = compact_niss(record.niss)
    async with transaction():
        existing = await Person.select(Person.id).where(Person.niss == niss).first()
        if existing:
            return existing["id"]
        rows = await Person.insert(
            Person(
                niss=niss,
                first_name=record.first_name,
                last_name=record.last_name,
                username=record.username,
                language=record.language,
                email=record.email,
            )
        )
        return rows[0]["id"]


async def ensure_enterprise(record: EnterpriseRecord) -> int:
    """The id of the enterprise with this number, registering it when new (idempotent). A row
    registered before it had an ONSS number or an address gets those it lacks, never loses any."""
    number = compact_enterprise_number(record.enterprise_number)
    reference = record.reference_data()
    async with transaction():
        existing = await Enterprise.select(
            Enterprise.id, Enterprise.onss_number, Enterprise.street, Enterprise.postcode, Enterprise.city
        ).where(Enterprise.enterprise_number == number).first()
        if existing:
            missing = {name: value for name, value in reference.items() if existing[name] is None}
            if missing:
                await Enterprise.update(
                    {getattr(Enterprise, name): value for name, value in missing.items()}
                ).where(Enterprise.id == existing["id"])
            return existing["id"]
        rows = await Enterprise.insert(
            Enterprise(
                enterprise_number=number,
                name=record.name,
                public_sector=record.public_sector,
                workers_under_contract=record.workers_under_contract,
                commission_paritaire=record.commission_paritaire,
                **reference,
            )
        )
        return rows[0]["id"]


async def ensure_employment(person_id: int, enterprise_id: int, role: str) -> None:
    async with transaction():
        exists = await Employment.exists().where(
            (Employment.person == person_id)
            & (Employment.enterprise == enterprise_id)
            & (Employment.role == role)
        )
        if not exists:
            await Employment.insert(
                Employment(person=person_id, enterprise=enterprise_id, role=role)
            )
