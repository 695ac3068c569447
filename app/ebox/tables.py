from piccolo.columns import JSON, Bytea, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.registry.tables import Enterprise, Person


class EboxMessage(Table, tablename="ebox_message"):
    """A document the portal sent to a citizen's or an enterprise's e-Box.

    Its owner is a person or an enterprise (one of the two). What it is about, if anything, is a
    reference that the sending service gives and reads back (`subject_service`, `subject_id`: a
    career-break request is ("careerbreak", its id)): the e-Box knows no service's tables. The index
    on (subject_service, subject_id) lives in the migration that made these columns
    (migrations/guichet_2026_11_22t16_20_31_118204.py), as a composite index cannot be declared here.

    The PDF is made once, when the document is sent; the accessible HTML twin is rendered again from
    the same template and context (`template`, `context`) in the document's language."""

    public_id = Varchar(length=32, unique=True, index=True)
    person = ForeignKey(references=Person, null=True, default=None, index=True)
    enterprise = ForeignKey(references=Enterprise, null=True, default=None, index=True)
    subject_service = Varchar(length=32, null=True, default=None)
    subject_id = Integer(null=True, default=None)
    document_kind = Varchar(length=32)
    title = Varchar(length=255)  # in the document's language
    language = Varchar(length=2)
    template = Varchar(length=100)
    context = JSON(default="{}")
    pdf = Bytea(null=True, default=None)
    pdf_size = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
