"""The end-to-end harness: Guichet served for real, Debian's Chromium, every journey twice.

A journey is a test that asks for `page` and `journey`:

    def test_something(page: Page, journey: Journey) -> None:
        home = HomePage.open(page)
        journey.step(page, "accueil")      # screenshot + axe + reflow at 320 px + script errors
        ...

- The live server is `guichet migrate`, `demo-data` and `serve` on a fresh database
  (`tests.support.databases.provision`: SQLite, or PostgreSQL with GUICHET_TEST_DATABASE=postgres).
  Its output is in e2e/artifacts/<database>/live-server.log.
- Every test that uses `page` runs twice: ids `js` and `nojs` (JavaScript on and off, budget A2).
  `javascript` tells the test which run it is.
- The browser speaks Belgian French (`fr-BE`), as the portal's default user.
- Artifacts go to e2e/artifacts/<database>/<test id>/ (`sqlite` or `postgres`, so that the two
  runs of `make test`, which go at the same time, keep theirs apart): one screenshot per step
  (`01-accueil.png`, ...), and `trace.zip` when the test failed (open it with
  `playwright show-trace`).
"""

from __future__ import annotations

import concurrent.futures
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from e2e.support.axe import NoScriptAuditor
from e2e.support.journey import Journey
from e2e.support.live_server import LiveServer
from e2e.support.words import stale_catalogs
from tests.support.databases import provision, requested_kind

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts" / requested_kind()  # one folder per database
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

_REPORTS = pytest.StashKey[dict]()


# -- collection ------------------------------------------------------------------------------------


def pytest_itemcollected(item: pytest.Item) -> None:
    """Journeys carry the `e2e` marker: `-m "not e2e"` runs the rest."""
    if _is_journey(item):
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(trylast=True)  # after pytest's own reordering by fixture scope
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Journeys run after `tests/`: Playwright's sync API keeps an asyncio loop marked as running
    in the main thread from the first journey to the end of the run, where the async tests of
    `tests/` could not run."""
    items.sort(key=_is_journey)  # stable: the order inside each group is kept


def _is_journey(item: pytest.Item) -> bool:
    return Path(item.path).resolve().is_relative_to(E2E_DIR)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(item: pytest.Item) -> bool:
    return any(report.failed for report in item.stash.get(_REPORTS, {}).values())


# -- the live server -------------------------------------------------------------------------------


def _off_the_loop(function, *arguments, **keywords):
    """Runs `function` in a thread: it may call asyncio.run (provision, drop), which the main
    thread cannot once Playwright's sync API has started."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function, *arguments, **keywords).result()


@pytest.fixture(scope="session")
def live_server():
    stale = stale_catalogs()
    if stale:
        pytest.fail(
            "compiled catalogs missing or older than their .po: " + ", ".join(stale)
            + "; compile them with `make install` (pybabel compile)", pytrace=False,
        )
    database = _off_the_loop(provision, label="e2e")
    server = LiveServer(database.url, ARTIFACTS / "live-server.log")
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            _off_the_loop(database.drop)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """pytest-playwright's base URL: `page.goto("/")` opens the live server's home page."""
    return live_server.url


# -- the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make install-test)",
                    pytrace=False)
    return {
        "headless": True,
        **browser_type_launch_args,  # --headed still works on a machine with a display
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(params=["js", "nojs"])
def javascript(request: pytest.FixtureRequest) -> bool:
    """True in the `js` run of a journey, False in its `nojs` run."""
    return request.param == "js"


@pytest.fixture
def browser_context_args(browser_context_args: dict, javascript: bool) -> dict:
    return {
        **browser_context_args,
        "java_script_enabled": javascript,
        "locale": "fr-BE",
        "timezone_id": "Europe/Brussels",
        "viewport": {"width": 1280, "height": 800},
    }


# -- the recorder ----------------------------------------------------------------------------------


def _test_id(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{item.path.stem}-{item.name}").strip("-")


@pytest.fixture(scope="session")
def no_script_auditor(browser: Browser):
    """axe for the `nojs` runs, shared by all journeys (e2e.support.axe.NoScriptAuditor)."""
    auditor = NoScriptAuditor(browser)
    yield auditor
    auditor.close()


@pytest.fixture
def journey(
    request: pytest.FixtureRequest,
    page: Page,
    javascript: bool,
    no_script_auditor: NoScriptAuditor,
):
    """Screenshots and checks at each step; the Playwright trace kept when the test fails."""
    folder = ARTIFACTS / _test_id(request.node)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = page.context
    # DOM snapshots, network and console; no screencast (each step has its screenshot).
    context.tracing.start(title=request.node.nodeid, snapshots=True, screenshots=False)
    recorder = Journey(folder, javascript=javascript, no_script_auditor=no_script_auditor)
    recorder.watch(page)
    context.on("page", recorder.watch)
    yield recorder
    if _failed(request.node):
        context.tracing.stop(path=folder / "trace.zip")
    else:
        context.tracing.stop()
