"""Passwords (budget S3): argon2id, m=19456 KiB, t=2, p=1; an unknown user costs the same time."""

from __future__ import annotations

from functools import cache

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)


@cache
def _dummy_hash() -> str:
    return HASHER.hash("a password nobody has")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored_hash: str | None, password: str) -> bool:
    """Checks in a worker thread (argon2 takes tens of milliseconds); with no stored hash (an
    unknown user) the same work is done against a dummy hash, so timing reveals nothing."""
    return await anyio.to_thread.run_sync(_verify, stored_hash, password)
