"""The enterprise's e-Box: what the portal sent the enterprise (the acknowledgement of each filing,
the worker's completion, decisions), unread first, each as its HTML twin and its PDF.

The same documents and the same rendering as the citizen's e-Box (app/ebox/services.py), read by the
enterprise the personnel officer acts for: another enterprise's document is not found. The list is
paged with a keyset on (read or not, id), so that a page costs the same however many documents the
enterprise has received. A document about a request shows its worker's name and NISS: it is read with
that worker (`NamedWorker`), so that opening it can be audited as a consultation of the worker's file.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

from piccolo.querystring import QueryString

from app.db import transaction
from app.ebox.services import MessageDocument, MessageSummary, utcnow
from app.ebox.tables import EboxMessage

PAGE_SIZE = 20

_COLUMNS = (
    EboxMessage.id, EboxMessage.public_id, EboxMessage.title, EboxMessage.language,
    EboxMessage.document_kind, EboxMessage.created_at, EboxMessage.read_at, EboxMessage.pdf_size,
)
# The list's first key: unread (false) before read (true), in both databases.
_IS_READ = QueryString('("ebox_message"."read_at" IS NOT NULL)')
_CURSOR = re.compile(r"^(?P<read>[nl])(?P<id>\d{1,18})$")


def _summary(row: dict[str, Any]) -> MessageSummary:
    return MessageSummary(
        public_id=row["public_id"], title=row["title"], language=row["language"],
        document_kind=row["document_kind"], created_at=row["created_at"], read_at=row["read_at"],
        pdf_size=row["pdf_size"],
    )


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
        return cls(match["read"] == "l", int(match["id"])) if match else None


@dataclass(frozen=True)
class MessagePage:
    messages: list[MessageSummary]
    previous_before: Cursor | None
    next_after: Cursor | None


def _after(cursor: Cursor) -> Any:
    """Later in the list than `cursor`: read after unread, then the older first."""
    if cursor.read:
        return EboxMessage.read_at.is_not_null() & (EboxMessage.id < cursor.id)
    return EboxMessage.read_at.is_not_null() | (EboxMessage.read_at.is_null() & (EboxMessage.id < cursor.id))


def _before(cursor: Cursor) -> Any:
    if cursor.read:
        return EboxMessage.read_at.is_null() | (EboxMessage.read_at.is_not_null() & (EboxMessage.id > cursor.id))
    return EboxMessage.read_at.is_null() & (EboxMessage.id > cursor.id)


async def messages_of_enterprise(enterprise_id: int, *, after: Cursor | None = None,
                                 before: Cursor | None = None, page_size: int = PAGE_SIZE) -> MessagePage:
    """One page of the enterprise's documents: unread first, then the most recent (one query)."""
    query = EboxMessage.select(*_COLUMNS).where(EboxMessage.enterprise == enterprise_id)
    backwards = before is not None and after is None
    if backwards:
        query = query.where(_before(before)).order_by(_IS_READ, ascending=False).order_by(EboxMessage.id)
    else:
        if after is not None:
            query = query.where(_after(after))
        query = query.order_by(_IS_READ).order_by(EboxMessage.id, ascending=False)
    rows = await query.limit(page_size + 1)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    if not rows:
        return MessagePage([], None, None)
    first = Cursor(rows[0]["read_at"] is not None, rows[0]["id"])
    last = Cursor(rows[-1]["read_at"] is not None, rows[-1]["id"])
    if backwards:
        previous_before, next_after = (first if more else None), last
    else:
        previous_before, next_after = (first if after is not None else None), (last if more else None)
    return MessagePage([_summary(row) for row in rows], previous_before, next_after)


def _owned(enterprise_id: int, public_id: str) -> Any:
    return (EboxMessage.public_id == public_id) & (EboxMessage.enterprise == enterprise_id)


@dataclass(frozen=True)
class NamedWorker:
    """The worker a document names: the worker of the request it is about (the acknowledgement of a
    filing, the notice of the worker's part, the decision show the worker's name and NISS)."""

    niss: str
    request_id: int


# Read with the document, in the same query (a document about no request names no worker).
_NAMED_WORKER_COLUMNS = (EboxMessage.request, EboxMessage.request.worker.niss)


def _named_worker(row: dict[str, Any]) -> NamedWorker | None:
    niss = row["request.worker.niss"]
    return NamedWorker(niss, row["request"]) if niss else None


async def enterprise_document(enterprise_id: int,
                              public_id: str) -> tuple[MessageDocument, NamedWorker | None] | None:
    """The document with what its HTML twin is rendered from, and the worker it names, when it is this
    enterprise's."""
    row = await EboxMessage.select(*_COLUMNS, EboxMessage.template, EboxMessage.context,
                                   *_NAMED_WORKER_COLUMNS).where(_owned(enterprise_id, public_id)).first()
    if row is None:
        return None
    context = row["context"]
    document = MessageDocument(_summary(row), row["template"],
                               json.loads(context) if isinstance(context, str) else context)
    return document, _named_worker(row)


async def enterprise_pdf(enterprise_id: int,
                         public_id: str) -> tuple[MessageSummary, bytes, NamedWorker | None] | None:
    """The document's PDF and the worker it names, when it is this enterprise's."""
    row = await EboxMessage.select(*_COLUMNS, EboxMessage.pdf, *_NAMED_WORKER_COLUMNS).where(
        _owned(enterprise_id, public_id)
    ).first()
    if row is None or row["pdf"] is None:
        return None
    return _summary(row), bytes(row["pdf"]), _named_worker(row)


async def mark_read_by_enterprise(enterprise_id: int, public_id: str,
                                  read: bool = True) -> datetime.datetime | None:
    """Marks the enterprise's document read (the first reading's date is kept) or unread; returns
    when it was read."""
    owned = _owned(enterprise_id, public_id)
    async with transaction():
        if read:
            await EboxMessage.update({EboxMessage.read_at: utcnow()}).where(owned & EboxMessage.read_at.is_null())
        else:
            await EboxMessage.update({EboxMessage.read_at: None}).where(owned)
    row = await EboxMessage.select(EboxMessage.read_at).where(owned).first()
    return row["read_at"] if row else None
