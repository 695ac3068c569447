from piccolo.columns import JSON, BigInt, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditRecord(Table):
    sequence = BigInt(unique=True, index=True)
    occurred_at = Timestamptz(default=TimestamptzNow())
    actor = Varchar(length=64)  # who: a NISS, or the user name typed, or "anonyme"
    action = Varchar(length=64)  # what: login, login_failed, step_up, logout, throttled, ...
    # whose file, when it is a person's; indexed: a citizen reads who consulted their file
    subject = Varchar(length=64, null=True, default=None, index=True)
    source = Varchar(length=64)  # from where: the client address
    outcome = Varchar(length=16)  # success or failure
    details = JSON(default="{}")
    previous_hash = Varchar(length=64)
    record_hash = Varchar(length=64, unique=True)
