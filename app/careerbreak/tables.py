from piccolo.columns import JSON, Boolean, Bytea, Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.registry.tables import Enterprise, Person


class CareerBreakRequest(Table, tablename="career_break_request"):
    """A request for a career break, time credit or thematic leave: the employer's part, then the
    worker's part (`worker_part`), then ONEM's decision. `state` is a `rules.request_states.RequestState`;
    every change of state is compare-and-set on `version` (budget R3)."""

    worker = ForeignKey(references=Person, null=False, index=True)
    enterprise = ForeignKey(references=Enterprise, null=False, index=True)
    kind = Varchar(length=48)  # rules.careerbreak.LeaveKind
    form = Varchar(length=16)  # rules.careerbreak.LeaveForm
    care_motive = Varchar(length=48, null=True, default=None)  # rules.careerbreak.CareMotive
    start_date = Date()
    end_date = Date()
    work_regime = Varchar(length=8, default="1")  # a fraction of a full-time job: "1", "3/4", ...
    language = Varchar(length=2, default="fr")  # the worker's language: the request's documents use it
    state = Varchar(length=32, index=True)
    version = Integer(default=1)
    # The child, patient or person helped, once the worker has said who it is.
    subject_name = Varchar(length=200, null=True, default=None)
    subject_birth_date = Date(null=True, default=None)
    worker_part = JSON(null=True, default=None)  # the worker's answers, as confirmed
    employer_ticket = Varchar(length=16, null=True, default=None, unique=True)
    ticket_number = Varchar(length=16, null=True, default=None, unique=True)  # the worker's part
    cancellation_ticket = Varchar(length=16, null=True, default=None, unique=True)
    decided_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class RequestEvent(Table, tablename="career_break_request_event"):
    """The dated history of a request: one row per state it entered."""

    request = ForeignKey(references=CareerBreakRequest, null=False, index=True)
    state = Varchar(length=32)
    at = Timestamptz(default=TimestamptzNow())
    ticket_number = Varchar(length=16, null=True, default=None)


class Attachment(Table, tablename="career_break_attachment"):
    """A document attached to a request, stored in the database under a random id (budget S7).

    An upload is pending until the citizen applies the changes (`received_at` is then set); a
    received document marked with the trash icon stays until the changes are applied, so that a
    reload or another tab loses nothing."""

    public_id = Varchar(length=32, unique=True, index=True)
    request = ForeignKey(references=CareerBreakRequest, null=False, index=True)
    document_type = Varchar(length=32)  # rules.careerbreak.DocumentType
    filename = Varchar(length=255)
    media_type = Varchar(length=32)
    size = Integer()
    content = Bytea()
    uploaded_at = Timestamptz(default=TimestamptzNow())
    received_at = Timestamptz(null=True, default=None)
    marked_for_removal = Boolean(default=False)
