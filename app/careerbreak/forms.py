"""What every screen of the service parses the same way."""

from __future__ import annotations

from typing import Any

# Ids and versions are positive integers of the databases' 32-bit integer columns: a larger number,
# or anything that is not a number, names no request (not found, never a database error).
MAX_ID = 2**31 - 1


def parse_id(text: Any) -> int | None:
    """A request id or a version from a path, a query or a hidden field; None when it is not one."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
