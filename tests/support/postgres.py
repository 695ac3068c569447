"""`python tests/support/postgres.py reachable URL`: exit 0 when a PostgreSQL answers there."""

from __future__ import annotations

import asyncio
import sys


async def reachable(url: str) -> bool:
    import asyncpg

    try:
        connection = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncio.TimeoutError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "reachable":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(0 if asyncio.run(reachable(sys.argv[2])) else 1)
