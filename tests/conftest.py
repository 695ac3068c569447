"""The server contract without a browser, on a fresh database built by the migrations.

The database is chosen before anything of the app is imported (Piccolo binds tables to the engine
at import): SQLite by default, PostgreSQL with GUICHET_TEST_DATABASE=postgres.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from tests.support.databases import provision

DATABASE = provision(label="tests")
os.environ["GUICHET_DATABASE_URL"] = DATABASE.url
os.environ["GUICHET_ENV"] = "acceptance"
os.environ["GUICHET_SECRET_KEY"] = "tests-secret-key-that-is-long-enough-0123456789"

import pytest  # noqa: E402
from litestar import Litestar  # noqa: E402
import httpx  # noqa: E402
from piccolo.engine.finder import engine_finder  # noqa: E402
from piccolo.table import sort_table_classes  # noqa: E402

from app.asgi import create_app  # noqa: E402
from app.db.engines import close_engine, open_engine  # noqa: E402
from app.db.migrate import apply_migrations  # noqa: E402
from app.installed import APP_CONFIG, install  # noqa: E402
from app.ebox import pdf  # noqa: E402
from tests.support.html import CheckedClient  # noqa: E402


def pytest_sessionfinish(session, exitstatus):
    DATABASE.drop()


@pytest.fixture(scope="session")
async def database():
    """The schema, from the migrations, once per run; the engine open and the services installed as in
    the web app (their listeners, and the handlers of what they write to the outbox)."""
    install()
    await apply_migrations()
    engine = engine_finder()
    await open_engine(engine)
    yield engine
    await close_engine(engine)


@pytest.fixture(autouse=True)
async def empty_tables(database):
    """Every test starts from empty tables."""
    yield
    tables = list(reversed(sort_table_classes(APP_CONFIG.table_classes)))
    if DATABASE.kind == "postgres":
        names = ", ".join(table._meta.tablename for table in tables)
        await database.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        for table in tables:
            await table.delete(force=True)


@pytest.fixture(scope="session", autouse=True)
def pdfs_drawn_once():
    """Each distinct document is drawn by WeasyPrint once per run.

    Most tests start by loading the demo data, whose decided request sends the same PDF documents
    every time: WeasyPrint's drawing was most of those tests' setup. A PDF depends on its HTML alone
    (and the base URL of its images), so one already drawn in this run is given again; every test
    that reads a PDF still reads WeasyPrint's own output, and a test that replaces the rendering
    (`render_pdf`) still replaces it.
    """
    drawn: dict[tuple[str, str | None], bytes] = {}
    draw = pdf.write_pdf

    def write_pdf(html: str, base_url: str | None = None) -> bytes:
        if (html, base_url) not in drawn:
            drawn[html, base_url] = draw(html, base_url)
        return drawn[html, base_url]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "write_pdf", write_pdf)
        yield


REDIS_LOCK = Path(tempfile.gettempdir()) / "guichet-tests-redis.lock"


@pytest.fixture(autouse=True)
def redis_in_turn(request):
    """The Redis tests take turns with those of any other run on this machine.

    They use the one Redis of the machine (database 15) and empty it after each test, so the
    SQLite and PostgreSQL runs of `make test`, which go at the same time, would empty it under
    each other: a test that uses Redis (the `redis` case of a `store`) holds a lock on a file
    from its setup to the end of its teardown.
    """
    callspec = getattr(request.node, "callspec", None)
    if callspec is None or callspec.params.get("store") != "redis":
        yield
        return
    with REDIS_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


@pytest.fixture(scope="session")
def app() -> Litestar:
    return create_app()


@pytest.fixture
async def client(app, database) -> httpx.AsyncClient:
    """A browser without JavaScript: cookies kept, redirects not followed.

    It runs the app in the tests' own event loop (Litestar's test clients use another thread and
    loop, where a PostgreSQL pool opened here cannot be used); the app's lifespan is not run per
    test: the `database` fixture opened the engine once.
    """
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def visitor(client) -> CheckedClient:
    """The HTML-checking client: every page and fragment it fetches is checked (tests/support/html.py)."""
    return CheckedClient(client)
