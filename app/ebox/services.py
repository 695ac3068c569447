"""The e-Box: documents the portal sends to a citizen or an enterprise, each as a tagged PDF and the
same content as an accessible HTML page.

A document is one Jinja template of templates/pdf/ that extends `pdf/_document.html`: its block `title`
names it, its block `content` is its body. `send_document` renders the whole template in the
document's language and draws the PDF from that HTML; the HTML twin renders the block `content` again,
from the same stored context, in the same language.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from jinja2 import Environment
from jinja2_fragments import render_block
from markupsafe import Markup

from app.config import get_settings
from app.db import transaction
from app.ebox.pdf import render_pdf
from app.ebox.tables import EboxMessage
from app.web import i18n

BELGIAN_TIME = ZoneInfo("Europe/Brussels")  # the dates a reader sees are Belgian dates
# The same document to the same recipient within this delay is a double click, not a new request.
DUPLICATE_WINDOW = datetime.timedelta(seconds=60)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def belgian_date(moment: datetime.datetime) -> datetime.date:
    """The day a moment falls on in Belgium (a document sent at 00:30 there is dated that day)."""
    return moment.astimezone(BELGIAN_TIME).date()


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


def _public_id(recipient: str, document_kind: str, request_id: int | None, template: str, language: str,
               context: dict[str, Any], at: datetime.datetime) -> str:
    """Unguessable, and the same for the same document sent to the same recipient in the same minute:
    of two identical sends racing each other, the database's unique index keeps one."""
    minute = at.replace(second=0, microsecond=0).isoformat()
    message = json.dumps([recipient, document_kind, request_id, template, language, context, minute],
                         sort_keys=True)
    key = get_settings().secret_key.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:32]


def _recipient_filter(person_id: int | None, enterprise_id: int | None):
    if person_id is not None:
        return EboxMessage.person == person_id
    return EboxMessage.enterprise == enterprise_id


async def _recent_identical(person_id: int | None, enterprise_id: int | None, request_id: int | None,
                            document_kind: str, template: str, language: str, context: dict[str, Any],
                            now: datetime.datetime) -> str | None:
    request_filter = (EboxMessage.request.is_null() if request_id is None
                      else EboxMessage.request == request_id)
    rows = await EboxMessage.select(EboxMessage.public_id, EboxMessage.context).where(
        _recipient_filter(person_id, enterprise_id) & request_filter
        & (EboxMessage.document_kind == document_kind) & (EboxMessage.template == template)
        & (EboxMessage.language == language) & (EboxMessage.created_at >= now - DUPLICATE_WINDOW)
    ).order_by(EboxMessage.created_at, ascending=False)
    for row in rows:
        stored = row["context"]
        if (json.loads(stored) if isinstance(stored, str) else stored) == context:
            return row["public_id"]
    return None


async def send_document(*, person_id: int | None = None, enterprise_id: int | None = None,
                        request_id: int | None = None, document_kind: str, language: str, template: str,
                        context: dict[str, Any]) -> str:
    """Puts a document in a citizen's or an enterprise's e-Box and returns its public id.

    The template is rendered in `language` (the document's, not the request's), the PDF is drawn
    from that HTML, and both the context and the PDF are stored. The same document sent again to the
    same recipient within a minute (a double click, a second tab) is not sent twice: the first one's
    id is returned.
    """
    if (person_id is None) == (enterprise_id is None):
        raise ValueError("a document goes to one person or one enterprise")
    language = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    data = storable(context)
    now = utcnow()
    existing = await _recent_identical(person_id, enterprise_id, request_id, document_kind, template,
                                       language, data, now)
    if existing is not None:
        return existing
    document = render_document(template, data, language)
    pdf = await render_pdf(document.html)
    recipient = f"person:{person_id}" if person_id is not None else f"enterprise:{enterprise_id}"
    public_id = _public_id(recipient, document_kind, request_id, template, language, data, now)
    try:
        async with transaction():
            await EboxMessage.insert(EboxMessage(
                public_id=public_id, person=person_id, enterprise=enterprise_id, request=request_id,
                document_kind=document_kind, title=document.title[:255], language=language,
                template=template, context=data, pdf=pdf, pdf_size=len(pdf), created_at=now,
            ))
    except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
        # The same document, sent at the same moment by a concurrent click, is already there.
        if await EboxMessage.exists().where(EboxMessage.public_id == public_id):
            return public_id
        raise
    return public_id


# ---------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class MessageSummary:
    """A document as the e-Box lists it (never its PDF's bytes)."""

    public_id: str
    title: str
    language: str
    document_kind: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    pdf_size: int

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def received_on(self) -> datetime.date:
        return belgian_date(self.created_at)

    @property
    def pdf_kilobytes(self) -> int:
        return max(1, round(self.pdf_size / 1024))


_SUMMARY_COLUMNS = (
    EboxMessage.public_id, EboxMessage.title, EboxMessage.language, EboxMessage.document_kind,
    EboxMessage.created_at, EboxMessage.read_at, EboxMessage.pdf_size,
)


def _summary(row: dict[str, Any]) -> MessageSummary:
    return MessageSummary(
        public_id=row["public_id"], title=row["title"], language=row["language"],
        document_kind=row["document_kind"], created_at=row["created_at"], read_at=row["read_at"],
        pdf_size=row["pdf_size"],
    )


async def messages_of(person_id: int) -> list[MessageSummary]:
    """The citizen's documents: unread first, then the most recent first (one query)."""
    rows = await EboxMessage.select(*_SUMMARY_COLUMNS).where(EboxMessage.person == person_id).order_by(
        EboxMessage.created_at, ascending=False
    ).order_by(EboxMessage.id, ascending=False)
    messages = [_summary(row) for row in rows]
    return sorted(messages, key=lambda message: not message.unread)  # stable: dates keep their order


async def message_of(person_id: int, public_id: str) -> MessageSummary | None:
    """The document, when it is this citizen's; None otherwise (another citizen's id is not found)."""
    row = await EboxMessage.select(*_SUMMARY_COLUMNS).where(
        (EboxMessage.public_id == public_id) & (EboxMessage.person == person_id)
    ).first()
    return _summary(row) if row else None


@dataclass(frozen=True)
class MessageDocument:
    summary: MessageSummary
    template: str
    context: dict[str, Any]

    def content(self) -> Markup:
        return render_document_content(self.template, self.context, self.summary.language)


async def document_of(person_id: int, public_id: str) -> MessageDocument | None:
    """The document with what its HTML twin is rendered from, when it is this citizen's."""
    row = await EboxMessage.select(*_SUMMARY_COLUMNS, EboxMessage.template, EboxMessage.context).where(
        (EboxMessage.public_id == public_id) & (EboxMessage.person == person_id)
    ).first()
    if row is None:
        return None
    context = row["context"]
    return MessageDocument(_summary(row), row["template"],
                           json.loads(context) if isinstance(context, str) else context)


async def pdf_of(person_id: int, public_id: str) -> tuple[MessageSummary, bytes] | None:
    row = await EboxMessage.select(*_SUMMARY_COLUMNS, EboxMessage.pdf).where(
        (EboxMessage.public_id == public_id) & (EboxMessage.person == person_id)
    ).first()
    if row is None or row["pdf"] is None:
        return None
    return _summary(row), bytes(row["pdf"])


async def mark_read(person_id: int, public_id: str, read: bool = True) -> MessageSummary | None:
    """Marks the citizen's document read (the first reading's date is kept) or unread; None when the
    document is not theirs."""
    owned = (EboxMessage.public_id == public_id) & (EboxMessage.person == person_id)
    async with transaction():
        if read:
            await EboxMessage.update({EboxMessage.read_at: utcnow()}).where(
                owned & EboxMessage.read_at.is_null()
            )
        else:
            await EboxMessage.update({EboxMessage.read_at: None}).where(owned)
    return await message_of(person_id, public_id)
