"""The e-Box: documents the portal sends to a citizen or an organisation, each as a tagged PDF and the
same content as an accessible HTML page.

A document is one Jinja template of templates/pdf/ that extends `pdf/_document.html`: its block `title`
names it, its block `content` is its body. `send_document` renders the whole template in the
document's language and draws the PDF from that HTML; the HTML twin renders the block `content` again,
from the same stored context, in the same language.

Whose e-Box it is, is an `Owner`: a person (the citizen's e-Box) or an enterprise (an organisation's).
Every read and every change names the owner, so that another owner's document is not found. What a
document is about, if anything, is a `Subject`: the sending service's name for it and its id
(`Subject("careerbreak", request_id)`); the e-Box stores it and gives it back, and knows no service.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

import asyncpg
from jinja2 import Environment
from jinja2_fragments import render_block
from markupsafe import Markup
from piccolo.querystring import QueryString

from app.clock import (  # the senders of documents read them from here too
    belgian_date,
    utcnow,
)
from app.config import get_settings
from app.db import transaction
from app.db.paging import Keyset, keyset_page
from app.ebox.pdf import render_pdf
from app.ebox.tables import EboxMessage
from app.outbox.services import Item, enqueue
from app.web import i18n
from app.web.forms import parse_id

# The same document to the same recipient within this delay is a double click, not a new request.
DUPLICATE_WINDOW = datetime.timedelta(seconds=60)
PAGE_SIZE = 20  # documents on a page of an e-Box


class Subject(NamedTuple):
    """What a document is about, as the service that sent it names it: its name and an id of its own
    (`Subject("careerbreak", 12)`: the career-break request 12)."""

    service: str
    id: int


class Owner(NamedTuple):
    """Whose e-Box: a person's (`Owner.person(id)`) or an enterprise's (`Owner.enterprise(id)`)."""

    kind: str  # "person" or "enterprise": the column of EboxMessage that holds the owner
    id: int

    @classmethod
    def person(cls, person_id: int) -> Owner:
        return cls("person", person_id)

    @classmethod
    def enterprise(cls, enterprise_id: int) -> Owner:
        return cls("enterprise", enterprise_id)


def _owned_by(owner: Owner) -> Any:
    if owner.kind == "person":
        return EboxMessage.person == owner.id
    if owner.kind == "enterprise":
        return EboxMessage.enterprise == owner.id
    raise ValueError(f"an e-Box belongs to a person or an enterprise, not to {owner.kind!r}")


def _about(subject: Subject | None) -> Any:
    if subject is None:
        return EboxMessage.subject_service.is_null()
    return (EboxMessage.subject_service == subject.service) & (EboxMessage.subject_id == subject.id)


def _subject(row: dict[str, Any]) -> Subject | None:
    service, subject_id = row["subject_service"], row["subject_id"]
    return Subject(service, subject_id) if service is not None and subject_id is not None else None


# ---------------------------------------------------------------------------------------------------
# Rendering


def _as_json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"not storable in a document's context: {type(value).__name__}")


def storable(context: dict[str, Any]) -> dict[str, Any]:
    """The context as it is stored and rendered: JSON data, dates as ISO strings, amounts as strings.
    The PDF and the HTML twin are both rendered from this form, so that they cannot differ."""
    return json.loads(json.dumps(context, default=_as_json_value))


def _document_date(value: datetime.date | str, format: str = "short") -> str:
    """The `date` filter of documents: their contexts hold ISO strings. A string that is not one (a
    date already written out) is shown as it is."""
    if isinstance(value, str):
        try:
            value = (datetime.datetime.fromisoformat(value).date() if "T" in value
                     else datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return i18n.format_date(value, format)


def _document_amount(value: Decimal | str, currency: str = "EUR") -> str:
    return i18n.format_amount(Decimal(value) if isinstance(value, str) else value, currency)


@cache
def document_environment() -> Environment:
    """The site's Jinja environment, with `date` and `amount` filters that read stored contexts."""
    from app.web.templates import make_environment

    environment = make_environment()
    environment.filters.update(date=_document_date, amount=_document_amount)
    return environment


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Renders in the document's language, then gives the request back its own."""
    previous = i18n.current_language()
    i18n.activate(language)
    try:
        yield
    finally:
        i18n.activate(previous)


@dataclass(frozen=True)
class RenderedDocument:
    title: str
    html: str


def render_document(template: str, context: dict[str, Any], language: str) -> RenderedDocument:
    """The complete HTML document (what the PDF is drawn from) and its title, in `language`."""
    environment = document_environment()
    with speaking(language):
        html = environment.get_template(template).render(**context)
        title = render_block(environment, template, "title", **context)
    return RenderedDocument(title=" ".join(title.split()), html=html)


def render_document_content(template: str, context: dict[str, Any], language: str) -> Markup:
    """The document's body for its HTML twin: the same block as in the PDF, in the same language."""
    with speaking(language):
        return Markup(render_block(document_environment(), template, "content", **context))


# ---------------------------------------------------------------------------------------------------
# Sending


def _public_id(owner: Owner, document_kind: str, subject: Subject | None, template: str, language: str,
               context: dict[str, Any], at: datetime.datetime) -> str:
    """Unguessable, and the same for the same document sent to the same recipient in the same minute:
    of two identical sends racing each other, the database's unique index keeps one."""
    minute = at.replace(second=0, microsecond=0).isoformat()
    message = json.dumps([f"{owner.kind}:{owner.id}", document_kind, list(subject) if subject else None,
                          template, language, context, minute], sort_keys=True)
    key = get_settings().secret_key.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:32]


async def _recent_identical(owner: Owner, subject: Subject | None, document_kind: str, template: str,
                            language: str, context: dict[str, Any], now: datetime.datetime) -> str | None:
    rows = await EboxMessage.select(EboxMessage.public_id, EboxMessage.context).where(
        _owned_by(owner) & _about(subject)
        & (EboxMessage.document_kind == document_kind) & (EboxMessage.template == template)
        & (EboxMessage.language == language) & (EboxMessage.created_at >= now - DUPLICATE_WINDOW)
    ).order_by(EboxMessage.created_at, ascending=False)
    for row in rows:
        stored = row["context"]
        if (json.loads(stored) if isinstance(stored, str) else stored) == context:
            return row["public_id"]
    return None


def keyed_public_id(key: str) -> str:
    """The public id of the document sent under this idempotency key (an outbox item's): unguessable,
    and always the same, so that the unique index keeps one document however often it is sent."""
    message = f"ebox-document|{key}".encode()
    return hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


async def sent_with_key(key: str) -> str | None:
    """The public id of the document sent under this key, if it is in an e-Box."""
    public_id = keyed_public_id(key)
    return public_id if await EboxMessage.exists().where(EboxMessage.public_id == public_id) else None


async def send_document(*, person_id: int | None = None, enterprise_id: int | None = None,
                        subject: Subject | None = None, document_kind: str, language: str, template: str,
                        context: dict[str, Any], key: str | None = None) -> str:
    """Puts a document in a citizen's or an enterprise's e-Box and returns its public id; `subject` is
    what it is about, as the sending service names it (read back with the document).

    The template is rendered in `language` (the document's, not the request's), the PDF is drawn
    from that HTML, and both the context and the PDF are stored. The same document sent again to the
    same recipient within a minute (a double click, a second tab) is not sent twice: the first one's
    id is returned. With `key` (what the document promises, an outbox item's key), the document is
    sent once whenever it is sent again: its public id comes from the key (`keyed_public_id`), and a
    document already there under it is not drawn again.
    """
    if (person_id is None) == (enterprise_id is None):
        raise ValueError("a document goes to one person or one enterprise")
    owner = Owner.person(person_id) if person_id is not None else Owner.enterprise(enterprise_id)
    language = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    data = storable(context)
    now = utcnow()
    if key is not None:
        existing = await sent_with_key(key)
    else:
        existing = await _recent_identical(owner, subject, document_kind, template, language, data, now)
    if existing is not None:
        return existing
    document = render_document(template, data, language)
    pdf = await render_pdf(document.html)
    public_id = keyed_public_id(key) if key is not None else _public_id(
        owner, document_kind, subject, template, language, data, now)
    try:
        async with transaction():
            await EboxMessage.insert(EboxMessage(
                public_id=public_id, person=person_id, enterprise=enterprise_id,
                subject_service=subject.service if subject else None, subject_id=subject.id if subject else None,
                document_kind=document_kind, title=document.title[:255], language=language,
                template=template, context=data, pdf=pdf, pdf_size=len(pdf), created_at=now,
            ))
    except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
        # The same document, sent at the same moment by a concurrent click, is already there.
        if await EboxMessage.exists().where(EboxMessage.public_id == public_id):
            return public_id
        raise
    return public_id


# -- later, through the outbox (app/outbox): in the transaction of the state change that promises it --

DOCUMENT_ITEM = "ebox.document"  # the outbox kind of a document to send


async def enqueue_document(*, key: str, person_id: int | None = None, enterprise_id: int | None = None,
                           subject: Subject | None = None, document_kind: str, language: str, template: str,
                           context: dict[str, Any]) -> str:
    """`send_document`, written in the caller's transaction and done by the outbox after its commit:
    the document arrives exactly once, even after a crash (its public id comes from `key`). The context
    is stored as it will be rendered, in the document's language already. Returns the key."""
    if (person_id is None) == (enterprise_id is None):
        raise ValueError("a document goes to one person or one enterprise")
    return await enqueue(DOCUMENT_ITEM, {
        "person_id": person_id, "enterprise_id": enterprise_id, "subject": list(subject) if subject else None,
        "document_kind": document_kind, "language": language, "template": template, "context": storable(context),
    }, key=key)


async def deliver_document(item: Item) -> None:
    """The outbox's handler of `DOCUMENT_ITEM` (declared in app/ebox/service.py)."""
    payload = item.payload
    await send_document(
        person_id=payload["person_id"], enterprise_id=payload["enterprise_id"],
        subject=Subject(*payload["subject"]) if payload["subject"] else None,
        document_kind=payload["document_kind"], language=payload["language"], template=payload["template"],
        context=payload["context"], key=item.key,
    )


async def first_sent(owner: Owner, subject: Subject, document_kind: str) -> str | None:
    """The public id of the first document of this kind about `subject` in the owner's e-Box, if any
    (what a sender checks before sending it again)."""
    row = await EboxMessage.select(EboxMessage.public_id).where(
        _owned_by(owner) & _about(subject) & (EboxMessage.document_kind == document_kind)
    ).order_by(EboxMessage.id).first()
    return row["public_id"] if row else None


async def last_pdf_sent(owner: Owner, subject: Subject, document_kind: str) -> bytes | None:
    """The PDF of the last document of this kind about `subject` in the owner's e-Box, if any."""
    row = await EboxMessage.select(EboxMessage.pdf).where(
        _owned_by(owner) & _about(subject) & (EboxMessage.document_kind == document_kind)
    ).order_by(EboxMessage.id, ascending=False).first()
    return bytes(row["pdf"]) if row and row["pdf"] else None


# ---------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class MessageSummary:
    """A document as the e-Box lists it (never its PDF's bytes), with what it is about."""

    public_id: str
    title: str
    language: str
    document_kind: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    pdf_size: int
    subject: Subject | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def received_on(self) -> datetime.date:
        return belgian_date(self.created_at)

    @property
    def pdf_kilobytes(self) -> int:
        return max(1, round(self.pdf_size / 1024))

    @property
    def pdf_filename(self) -> str:
        return f"{self.document_kind}-{self.created_at:%Y-%m-%d}.pdf"


_SUMMARY_COLUMNS = (
    EboxMessage.id, EboxMessage.public_id, EboxMessage.title, EboxMessage.language,
    EboxMessage.document_kind, EboxMessage.created_at, EboxMessage.read_at, EboxMessage.pdf_size,
    EboxMessage.subject_service, EboxMessage.subject_id,
)


def _summary(row: dict[str, Any]) -> MessageSummary:
    return MessageSummary(
        public_id=row["public_id"], title=row["title"], language=row["language"],
        document_kind=row["document_kind"], created_at=row["created_at"], read_at=row["read_at"],
        pdf_size=row["pdf_size"], subject=_subject(row),
    )


def _one(owner: Owner, public_id: str) -> Any:
    return (EboxMessage.public_id == public_id) & _owned_by(owner)


# -- the list: unread first, then the newest, paged by a keyset ----------------------------------------

# The list's first key: unread (false) before read (true), in both databases.
_IS_READ = QueryString('("ebox_message"."read_at" IS NOT NULL)')
_CURSOR = re.compile(r"^(?P<read>[nl])(?P<id>\d{1,18})$")


@dataclass(frozen=True)
class Cursor:
    """A place in the list: a document's (read or not, id), written "n12" (unread) or "l12" (read)."""

    read: bool
    id: int

    def __str__(self) -> str:
        return f"{'l' if self.read else 'n'}{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        match = _CURSOR.match(text or "")
        document_id = parse_id(match["id"]) if match else None  # past the ids' range: no place
        return cls(match["read"] == "l", document_id) if document_id is not None else None


@dataclass(frozen=True)
class MessagePage:
    messages: list[MessageSummary]
    previous_before: Cursor | None  # the previous page ends before this document
    next_after: Cursor | None  # the next page starts after this one


def _after(cursor: Cursor) -> Any:
    """Later in the list than `cursor`: read after unread, then the older first."""
    if cursor.read:
        return EboxMessage.read_at.is_not_null() & (EboxMessage.id < cursor.id)
    return EboxMessage.read_at.is_not_null() | (EboxMessage.read_at.is_null() & (EboxMessage.id < cursor.id))


def _before(cursor: Cursor) -> Any:
    if cursor.read:
        return EboxMessage.read_at.is_null() | (EboxMessage.read_at.is_not_null() & (EboxMessage.id > cursor.id))
    return EboxMessage.read_at.is_null() & (EboxMessage.id > cursor.id)


# Unread first (false before true, in both databases), then the newest first.
_UNREAD_THEN_NEWEST = Keyset(
    forward=[(_IS_READ, True), (EboxMessage.id, False)],
    after=_after, before=_before,
    key_of=lambda row: Cursor(row["read_at"] is not None, row["id"]),
)


async def messages_page(owner: Owner, *, after: Cursor | None = None, before: Cursor | None = None,
                        page_size: int = PAGE_SIZE) -> MessagePage:
    """A page of the owner's documents: unread first, then the newest first (the order they were
    sent in), `page_size` at most, after or before a place in the list (one query, whose cost does not
    grow with the number of documents the owner has received)."""
    query = EboxMessage.select(*_SUMMARY_COLUMNS).where(_owned_by(owner))
    page = await keyset_page(query, _UNREAD_THEN_NEWEST, after=after, before=before, page_size=page_size)
    return MessagePage([_summary(row) for row in page.items], page.previous_before, page.next_after)


# -- one document ----------------------------------------------------------------------------------


async def message_of(owner: Owner, public_id: str) -> MessageSummary | None:
    """The document, when it is the owner's; None otherwise (another owner's id is not found)."""
    row = await EboxMessage.select(*_SUMMARY_COLUMNS).where(_one(owner, public_id)).first()
    return _summary(row) if row else None


@dataclass(frozen=True)
class MessageDocument:
    summary: MessageSummary
    template: str
    context: dict[str, Any]

    def content(self) -> Markup:
        return render_document_content(self.template, self.context, self.summary.language)


async def document_of(owner: Owner, public_id: str) -> MessageDocument | None:
    """The document with what its HTML twin is rendered from, when it is the owner's."""
    row = await EboxMessage.select(*_SUMMARY_COLUMNS, EboxMessage.template, EboxMessage.context).where(
        _one(owner, public_id)
    ).first()
    if row is None:
        return None
    context = row["context"]
    return MessageDocument(_summary(row), row["template"],
                           json.loads(context) if isinstance(context, str) else context)


async def pdf_of(owner: Owner, public_id: str) -> tuple[MessageSummary, bytes] | None:
    """The document and its PDF, when it is the owner's."""
    row = await EboxMessage.select(*_SUMMARY_COLUMNS, EboxMessage.pdf).where(_one(owner, public_id)).first()
    if row is None or row["pdf"] is None:
        return None
    return _summary(row), bytes(row["pdf"])


async def mark_read(owner: Owner, public_id: str, read: bool = True) -> MessageSummary | None:
    """Marks the owner's document read (the first reading's date is kept) or unread; None when the
    document is not the owner's."""
    owned = _one(owner, public_id)
    async with transaction():
        if read:
            await EboxMessage.update({EboxMessage.read_at: utcnow()}).where(owned & EboxMessage.read_at.is_null())
        else:
            await EboxMessage.update({EboxMessage.read_at: None}).where(owned)
    return await message_of(owner, public_id)
