"""The audit trail (S9): append a record, verify the chain.

Every record carries the hash of the record before it, and its own hash over all its fields:

    record_hash = HMAC-SHA-256(key, canonical JSON of {sequence, occurred_at, actor, action, subject,
                                                      source, outcome, details, previous_hash})

The key is GUICHET_AUDIT_KEY, or else derived from GUICHET_SECRET_KEY; it is never in the database,
so whoever can write to the table alone cannot rewrite the chain. A trail begun before the chain was
keyed keeps its plain SHA-256 links up to a record `chain_keyed`, appended by the first append (or
`guichet migrate`) after the upgrade; from that record on, every hash is keyed. `verify_chain` checks
both parts, and reports a trail whose plain part is not closed by that record (a plain chain
rewritten from scratch would be one).

The canonical JSON has sorted keys, no spaces (`","` and `":"`), UTF-8 text (not \\u-escaped), and
`occurred_at` written in UTC as `2026-04-02T08:15:00.123456Z`. The first record's previous hash is
64 zeros. Sequence numbers start at 1 and have no gaps: appends are serialised (on SQLite by the
IMMEDIATE write transaction, on PostgreSQL by a transaction-level advisory lock), so the chain never
forks.

What the chain proves, and what it does not:

- a record whose content was changed no longer matches its hash;
- a record removed from the middle leaves a gap in the sequence, and the next record's previous hash
  no longer matches the record before it; so does a reordering;
- a record changed *and re-hashed* breaks the link to the record after it.
- The removal of the *last* records leaves a shorter chain that is still intact: nothing after
  them points to them. Neither does a chain rewritten from some record to the end by someone who
  can write to the database and recompute hashes. Both are caught only by anchoring the head
  outside the database: keep the last sequence number and hash (`guichet audit verify` prints
  them) somewhere the database's administrators cannot rewrite (a remote log, a signed and
  timestamped checkpoint), and check that the anchored record is still there with the same hash
  and that the trail has not become shorter. A keyed hash (HMAC with a key held outside the
  database) would also stop a rewrite by someone who has the database alone.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from app.audit.tables import AuditRecord
from app.config import get_settings
from app.db import transaction
from app.db.transactions import engine

GENESIS_HASH = "0" * 64
# The key of the PostgreSQL advisory lock that serialises appends; no other lock of Guichet uses it.
CHAIN_LOCK_KEY = 0x6775_6963_6865_7401  # "guichet" + 1, as bytes
TEXT_LENGTH = 64  # actor, action, subject, source: the columns' length
OUTCOME_LENGTH = 16
VERIFY_BATCH_SIZE = 1000
# Records per INSERT statement of `record_many`: 11 values a row stay under SQLite's oldest limit of
# 999 bound parameters, and a page of the Consultation (20 workers) is one statement.
INSERT_BATCH_SIZE = 80
# Keys that must never reach the trail, at any depth of `details`: the caller records that a code
# was wrong, never the code.
FORBIDDEN_DETAIL_KEYS = frozenset({"password", "pin", "code", "otp", "totp", "secret", "token"})


class AuditAction(enum.StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    STEP_UP = "step_up"
    LOGOUT = "logout"
    THROTTLED = "throttled"
    FILE_ACCESS = "file_access"  # someone consulted a person's file (the subject)
    ACCOUNT_BLOCKED = "account_blocked"  # an administrator blocked an account (the subject)
    ACCOUNT_UNBLOCKED = "account_unblocked"
    PASSWORD_CHANGED = "password_changed"
    TOKEN_CARD_ISSUED = "token_card_issued"  # a new token card (the subject's), the old one revoked
    MOBILE_APP_ACTIVATED = "mobile_app_activated"  # a new mobile-app key (the subject's)
    CHAIN_KEYED = "chain_keyed"  # from this record on, the chain's hashes are keyed (HMAC)


class Outcome(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"


@dataclass(frozen=True)
class AuditEntry:
    """One record of the trail, as stored."""

    sequence: int
    occurred_at: datetime.datetime
    actor: str
    action: str
    subject: str | None
    source: str
    outcome: str
    details: dict[str, Any]
    previous_hash: str
    record_hash: str


# -- the hash ----------------------------------------------------------------------------------


def canonical_time(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("an audit time must be timezone-aware")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def audit_key() -> bytes:
    settings = get_settings()
    if settings.audit_key:
        return settings.audit_key.encode()
    return hmac.new(settings.secret_key.encode(), b"guichet audit chain v1", hashlib.sha256).digest()


def chain_hash(
    *,
    keyed: bool = True,
    sequence: int,
    occurred_at: datetime.datetime,
    actor: str,
    action: str,
    subject: str | None,
    source: str,
    outcome: str,
    details: Mapping[str, Any],
    previous_hash: str,
) -> str:
    """The record hash: HMAC-SHA-256 (plain SHA-256 for a record of the trail's plain part, before
    `chain_keyed`) of the canonical JSON of every field and the previous hash."""
    content = {
        "sequence": sequence,
        "occurred_at": canonical_time(occurred_at),
        "actor": actor,
        "action": action,
        "subject": subject,
        "source": source,
        "outcome": outcome,
        "details": details,
        "previous_hash": previous_hash,
    }
    data = canonical_json(content).encode("utf-8")
    if keyed:
        return hmac.new(audit_key(), data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


# -- appending ---------------------------------------------------------------------------------


def _text(value: str, name: str, *, limit: int = TEXT_LENGTH, cut: bool = False) -> str:
    text = value.value if isinstance(value, enum.Enum) else value
    if not isinstance(text, str) or not text:
        raise ValueError(f"audit {name}: a non-empty text is required")
    if len(text) > limit:
        if not cut:
            raise ValueError(f"audit {name}: at most {limit} characters")
        text = text[:limit]
    return text


def _safe_details(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """The details as they will read back from the database, refusing what looks like a secret."""
    if details is None:
        return {}
    if not isinstance(details, Mapping):
        raise TypeError("audit details: a mapping is required")
    # A round trip through the canonical form: tuples become lists, a value JSON cannot hold
    # (a datetime, NaN) or a non-text key fails here rather than in the database.
    loaded = json.loads(canonical_json(details))

    def check(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key.lower() in FORBIDDEN_DETAIL_KEYS:
                    raise ValueError(f"audit details: {key!r} must not be recorded")
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)

    check(loaded)
    return loaded


async def _lock_chain() -> None:
    """Make this transaction the only one appending until it ends.

    SQLite: the IMMEDIATE write transaction already holds the database's single write lock (and the
    process's writer queue), but a DEFERRED one does not, so it is refused. PostgreSQL: a
    transaction-level advisory lock, released at commit or rollback; the read that follows it sees
    the last committed record because Guichet's transactions are READ COMMITTED (a REPEATABLE READ
    caller that had already read something would not, and its insert would fail on the unique
    sequence rather than fork the chain).
    """
    db = engine()
    if isinstance(db, SQLiteEngine):
        current = db.current_transaction.get()
        if current is not None and current.transaction_type is TransactionType.deferred:
            raise RuntimeError("audit record(): call it in transaction(), not read_transaction()")
    elif isinstance(db, PostgresEngine):
        await AuditRecord.raw("SELECT pg_advisory_xact_lock({})", CHAIN_LOCK_KEY)


_keyed_chain: list[bool] = []  # known in this process: the trail is keyed (it stays so)

_SWITCH_DETAILS = {"hash": "HMAC-SHA-256", "before": "SHA-256"}


def _stored_hash_is_keyed(row: Mapping[str, Any]) -> bool:
    return chain_hash(
        sequence=row["sequence"], occurred_at=row["occurred_at"], actor=row["actor"], action=row["action"],
        subject=row["subject"], source=row["source"], outcome=row["outcome"],
        details=_stored_details(row["details"]), previous_hash=row["previous_hash"],
    ) == row["record_hash"]


async def _chain_head() -> tuple[int, str]:
    """Under the chain's lock: the last sequence and hash, after closing the trail's plain part with
    a `chain_keyed` record if it has one that is not closed yet."""
    last = await (
        AuditRecord.select(AuditRecord.sequence, AuditRecord.record_hash)
        .order_by(AuditRecord.sequence, ascending=False)
        .first()
    )
    if last is None:
        return 0, GENESIS_HASH  # a new trail is keyed from its first record
    if _keyed_chain:
        return last["sequence"], last["record_hash"]
    first = await AuditRecord.select().where(AuditRecord.sequence == 1).first()
    switched = first is not None and _stored_hash_is_keyed(first) or await AuditRecord.exists().where(
        AuditRecord.action == AuditAction.CHAIN_KEYED.value)
    if not switched:
        fields = dict(
            sequence=last["sequence"] + 1, occurred_at=datetime.datetime.now(datetime.UTC),
            actor="guichet", action=AuditAction.CHAIN_KEYED.value, subject=None, source="guichet",
            outcome=Outcome.SUCCESS.value, details=_SWITCH_DETAILS, previous_hash=last["record_hash"],
        )
        record_hash = chain_hash(**fields)
        await AuditRecord.insert(AuditRecord(**{**fields, "details": canonical_json(_SWITCH_DETAILS)},
                                             record_hash=record_hash))
        last = {"sequence": fields["sequence"], "record_hash": record_hash}
    _keyed_chain.append(True)
    return last["sequence"], last["record_hash"]


async def key_the_chain() -> None:
    """Closes the trail's plain part now (`guichet migrate` does it), rather than at the next append."""
    async with transaction():
        await _lock_chain()
        await _chain_head()


async def record(
    action: AuditAction | str,
    *,
    actor: str,
    source: str,
    outcome: Outcome | str,
    subject: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one record to the trail and return it.

    It joins the caller's transaction when there is one (so it is committed or rolled back with the
    caller's work, and the chain stays locked until then: call it late in the transaction), else it
    runs in its own. `actor`, `subject` and `source` are cut to 64 characters (a user name typed
    at a failed login can be anything); `action` must fit in 64, `outcome` is "success" or
    "failure". `details` are stored as given: pass only what is safe to keep, never a password or
    a code.
    """
    action = _text(action, "action")
    outcome = Outcome(_text(outcome, "outcome", limit=OUTCOME_LENGTH)).value
    actor = _text(actor, "actor", cut=True)
    source = _text(source, "source", cut=True)
    subject = None if subject is None else _text(subject, "subject", cut=True)
    safe_details = _safe_details(details)

    async with transaction():
        await _lock_chain()
        last_sequence, previous_hash = await _chain_head()
        sequence = last_sequence + 1
        # Taken under the lock, so times follow the sequence (as far as the servers' clocks agree).
        occurred_at = datetime.datetime.now(datetime.UTC)
        fields = dict(
            sequence=sequence, occurred_at=occurred_at, actor=actor, action=action,
            subject=subject, source=source, outcome=outcome, details=safe_details,
            previous_hash=previous_hash,
        )
        entry = AuditEntry(**fields, record_hash=chain_hash(**fields))
        await AuditRecord.insert(
            AuditRecord(**{**fields, "details": canonical_json(safe_details)},
                        record_hash=entry.record_hash)
        )
    return entry


@dataclass(frozen=True)
class AuditEvent:
    """One record to append with `record_many`: the same fields as `record`'s arguments."""

    action: AuditAction | str
    actor: str
    source: str
    outcome: Outcome | str
    subject: str | None = None
    details: Mapping[str, Any] | None = None


async def record_many(events: Iterable[AuditEvent]) -> list[AuditEntry]:
    """Append several records at once, chained in the order given, and return them.

    The same chain and the same rules as `record` (it joins the caller's transaction, cuts the same
    texts, refuses the same secrets), but the cost does not grow with the count: one lock, one read
    of the last record and one INSERT per `INSERT_BATCH_SIZE` records (a page listing twenty
    people's files writes its twenty records in three statements, not sixty). Every event is
    checked before anything is written: a bad one appends none of them.
    """
    checked = [
        (
            _text(event.action, "action"),
            Outcome(_text(event.outcome, "outcome", limit=OUTCOME_LENGTH)).value,
            _text(event.actor, "actor", cut=True),
            _text(event.source, "source", cut=True),
            None if event.subject is None else _text(event.subject, "subject", cut=True),
            _safe_details(event.details),
        )
        for event in events
    ]
    if not checked:
        return []

    entries: list[AuditEntry] = []
    async with transaction():
        await _lock_chain()
        sequence, previous_hash = await _chain_head()
        occurred_at = datetime.datetime.now(datetime.UTC)  # under the lock, as for `record`
        for action, outcome, actor, source, subject, safe_details in checked:
            sequence += 1
            fields = dict(
                sequence=sequence, occurred_at=occurred_at, actor=actor, action=action,
                subject=subject, source=source, outcome=outcome, details=safe_details,
                previous_hash=previous_hash,
            )
            entry = AuditEntry(**fields, record_hash=chain_hash(**fields))
            entries.append(entry)
            previous_hash = entry.record_hash
        for start in range(0, len(entries), INSERT_BATCH_SIZE):
            await AuditRecord.insert(*(
                AuditRecord(
                    sequence=entry.sequence, occurred_at=entry.occurred_at, actor=entry.actor,
                    action=entry.action, subject=entry.subject, source=entry.source,
                    outcome=entry.outcome, details=canonical_json(entry.details),
                    previous_hash=entry.previous_hash, record_hash=entry.record_hash,
                )
                for entry in entries[start:start + INSERT_BATCH_SIZE]
            ))
    return entries


# -- verifying ---------------------------------------------------------------------------------


class ProblemKind(enum.StrEnum):
    CHANGED = "changed"  # the content no longer matches the record's hash
    MISSING = "missing"  # sequence numbers absent: records removed
    UNLINKED = "unlinked"  # the previous hash is not the hash of the record before it
    UNKEYED = "unkeyed"  # plain SHA-256 records that no `chain_keyed` record closes
    HEAD_MISSING = "head-missing"  # the head anchored elsewhere is not in the trail any more


@dataclass(frozen=True)
class ChainProblem:
    kind: ProblemKind
    first_sequence: int
    last_sequence: int  # the same as first_sequence but for a run of missing records

    def describe(self) -> str:
        if self.kind is ProblemKind.MISSING:
            if self.first_sequence == self.last_sequence:
                return f"record {self.first_sequence} is missing (removed)"
            return (f"records {self.first_sequence} to {self.last_sequence} are missing "
                    f"(removed)")
        if self.kind is ProblemKind.CHANGED:
            return f"record {self.first_sequence} was changed: its content does not match its hash"
        if self.kind is ProblemKind.UNKEYED:
            return (f"records {self.first_sequence} to {self.last_sequence} are chained by plain SHA-256 "
                    "and no chain_keyed record follows them: a trail rewritten without the key, or one "
                    "written before the upgrade (run `guichet migrate`)")
        if self.kind is ProblemKind.HEAD_MISSING:
            return (f"the anchored record {self.first_sequence} is not in the trail with its hash: records "
                    "were removed or rewritten since it was anchored")
        return (f"record {self.first_sequence} does not follow the record before it: a record "
                f"was removed, reordered, or changed and re-hashed")


@dataclass(frozen=True)
class VerificationReport:
    checked: int  # how many records were read
    problems: tuple[ChainProblem, ...] = ()  # in sequence order, the first ones only
    more_problems: bool = False  # True when more were found than `problems` lists
    head_sequence: int | None = None  # the last record: anchor it elsewhere (see the docstring)
    head_hash: str | None = None

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> ChainProblem | None:
        return self.problems[0] if self.problems else None


async def _records_in_order(batch_size: int) -> AsyncIterator[dict[str, Any]]:
    """Every record by sequence, read in batches (keyset pagination) so memory stays flat."""
    after: int | None = None
    while True:
        query = AuditRecord.select().order_by(AuditRecord.sequence).limit(batch_size)
        if after is not None:
            query = query.where(AuditRecord.sequence > after)
        rows = await query
        for row in rows:
            yield row
        if len(rows) < batch_size:
            return
        after = rows[-1]["sequence"]


def _stored_details(value: Any) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _stored_hash_is_keyed_or_unreadable(row: Mapping[str, Any]) -> bool:
    """Whether the trail's first record starts a keyed chain: its hash is keyed, or it is not a
    plain SHA-256 one either (changed: it is then reported as such, against the keyed hash)."""
    try:
        if _stored_hash_is_keyed(row):
            return True
        return chain_hash(
            keyed=False, sequence=row["sequence"], occurred_at=row["occurred_at"], actor=row["actor"],
            action=row["action"], subject=row["subject"], source=row["source"], outcome=row["outcome"],
            details=_stored_details(row["details"]), previous_hash=row["previous_hash"],
        ) != row["record_hash"]
    except ValueError:
        return True


async def verify_chain(*, batch_size: int = VERIFY_BATCH_SIZE, max_problems: int = 20,
                       expect_head: tuple[int, str] | None = None) -> VerificationReport:
    """Walk the whole trail in sequence order and report what does not hold.

    It goes on after a problem, so the report shows how far the damage goes, and keeps the first
    `max_problems`. A removal of the last records is detectable only against a head anchored
    elsewhere: `expect_head` (sequence, hash) must still be in the trail with that hash.
    """
    problems: list[ChainProblem] = []
    more_problems = False
    checked = 0
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    head_sequence: int | None = None
    keyed: bool | None = None  # the part being read: plain until `chain_keyed`, or keyed from the start
    anchored_found = False

    def found(problem: ChainProblem) -> None:
        nonlocal more_problems
        if len(problems) < max_problems:
            problems.append(problem)
        else:
            more_problems = True

    async for row in _records_in_order(batch_size):
        checked += 1
        sequence = row["sequence"]
        if sequence > expected_sequence:
            found(ChainProblem(ProblemKind.MISSING, expected_sequence, sequence - 1))
        if row["previous_hash"] != previous_hash or sequence < expected_sequence:
            found(ChainProblem(ProblemKind.UNLINKED, sequence, sequence))
        if keyed is None:
            keyed = _stored_hash_is_keyed_or_unreadable(row)
        if not keyed and row["action"] == AuditAction.CHAIN_KEYED.value:
            keyed = True
        try:
            recomputed = chain_hash(
                keyed=keyed, sequence=sequence, occurred_at=row["occurred_at"], actor=row["actor"],
                action=row["action"], subject=row["subject"], source=row["source"],
                outcome=row["outcome"], details=_stored_details(row["details"]),
                previous_hash=row["previous_hash"],
            )
        except ValueError:  # unreadable details or time: changed all the same
            recomputed = None
        if recomputed != row["record_hash"]:
            found(ChainProblem(ProblemKind.CHANGED, sequence, sequence))
        if expect_head is not None and sequence == expect_head[0]:
            anchored_found = hmac.compare_digest(row["record_hash"], expect_head[1])
        expected_sequence = sequence + 1
        previous_hash = row["record_hash"]
        head_sequence = sequence

    if checked and not keyed:
        found(ChainProblem(ProblemKind.UNKEYED, 1, head_sequence))
    if expect_head is not None and not anchored_found:
        found(ChainProblem(ProblemKind.HEAD_MISSING, expect_head[0], expect_head[0]))
    return VerificationReport(
        checked=checked, problems=tuple(problems), more_problems=more_problems,
        head_sequence=head_sequence, head_hash=previous_hash if checked else None,
    )
