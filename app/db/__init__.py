"""Database layer: the engine (SQLite embedded by default, PostgreSQL for scale) and transactions."""

from app.db.transactions import read_transaction, transaction

__all__ = ["read_transaction", "transaction"]
