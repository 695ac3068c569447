from piccolo.columns import Boolean, ForeignKey, Integer, Varchar
from piccolo.table import Table


class Person(Table):
    """A person known to the National Register (or the BIS register)."""

    niss = Varchar(length=11, unique=True, index=True)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    username = Varchar(length=64, unique=True, index=True)
    language = Varchar(length=2, default="fr")
    email = Varchar(length=254, null=True, default=None)


class Enterprise(Table):
    """An enterprise or a public body registered at the BCE/KBO."""

    enterprise_number = Varchar(length=10, unique=True, index=True)
    name = Varchar(length=200)
    public_sector = Boolean(default=False)
    workers_under_contract = Integer(null=True, default=None)
    commission_paritaire = Varchar(length=6, null=True, default=None)
    # The ONSS registration number ("1234567-89") and the registered office's address, as the
    # BCE/KBO and the ONSS know them: guide 001, step 3 shows them. Unknown for some bodies.
    onss_number = Varchar(length=16, null=True, default=None)
    street = Varchar(length=200, null=True, default=None)
    postcode = Varchar(length=10, null=True, default=None)
    city = Varchar(length=100, null=True, default=None)


class Employment(Table):
    """A person's role at an enterprise: worker, personnel officer, social worker."""

    person = ForeignKey(references=Person, null=False, index=True)
    enterprise = ForeignKey(references=Enterprise, null=False, index=True)
    role = Varchar(length=32)
