"""The transactions services use. On SQLite a write transaction begins IMMEDIATE."""

from __future__ import annotations

from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine, TransactionType


def engine() -> Engine:
    found = engine_finder()
    if found is None:  # pragma: no cover - piccolo_conf always defines DB
        raise RuntimeError("no database engine configured")
    return found


def transaction():
    """A write transaction: `async with transaction(): ...` commits, or rolls back on error."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def read_transaction():
    """A consistent snapshot for several reads; takes no write lock."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.deferred)
    return db.transaction()
