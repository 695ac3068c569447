"""One run: one server on one database, the hello endpoint then every page then hello again."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from bench.budgets import load_flags, run_flags, weight_flags
from bench.databases import guichet_environment
from bench.load import LoadResult, LoadSettings, measure
from bench.pages import HELLO, Page
from bench.servers import ServerProcess, Shutdown
from bench.weights import PageWeight, weigh
from tests.support.databases import TestDatabase


def progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


@dataclass
class PageResult:
    name: str
    path: str
    weight: PageWeight | None = None
    load: LoadResult | None = None
    ratio: float | None = None  # req/s of the page / req/s of the hello endpoint, same run
    error: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    database: str
    server: str
    command: list[str]
    startup_seconds: float
    hello_first: LoadResult
    hello_last: LoadResult
    pages: list[PageResult]
    shutdown: Shutdown
    flags: list[str] = field(default_factory=list)

    @property
    def hello_requests_per_second(self) -> float:
        """The reference of the ratios: the mean of the first and last hello measurements."""
        return (self.hello_first.requests_per_second + self.hello_last.requests_per_second) / 2

    @property
    def hello_drift(self) -> float:
        first = self.hello_first.requests_per_second
        return (self.hello_last.requests_per_second - first) / first if first else 0.0


def load_page(page: Page, base_url: str, settings: LoadSettings) -> PageResult:
    """Weighs the page, then loads it if it answers 2xx; an error is recorded, not raised."""
    result = PageResult(page.name, page.path)
    try:
        headers = page.request_headers(base_url)
        result.weight = weigh(base_url, page.path, headers, fragment=page.fragment)
        result.flags += weight_flags(page, result.weight)
        if 200 <= result.weight.status < 300:
            progress(f"  {page.name}: {settings.seconds} s of load")
            result.load = measure(urljoin(base_url, page.path), headers, settings)
    except Exception as error:  # noqa: BLE001 - one broken page must not hide the others
        result.error = f"{type(error).__name__}: {error}"
        result.flags.append(f"not measured: {result.error}")
    return result


def measure_hello(base_url: str, settings: LoadSettings) -> LoadResult:
    progress(f"  {HELLO.name}: {settings.seconds} s of load")
    return measure(urljoin(base_url, HELLO.path), HELLO.request_headers(base_url), settings)


def bench_server(server: str, database: TestDatabase, pages: list[Page], settings: LoadSettings,
                 secret_key: str, log_dir: Path) -> RunResult:
    environment = guichet_environment(database, "production", secret_key)
    process = ServerProcess(server, environment, log_dir / f"{database.kind}-{server}.log")
    progress(f"{server} on {database.kind}: {' '.join(process.command)}")
    try:
        startup_seconds = process.wait_until_healthy()
        hello_first = measure_hello(process.base_url, settings)
        page_results = [load_page(page, process.base_url, settings) for page in pages]
        hello_last = measure_hello(process.base_url, settings)
    finally:
        shutdown = process.stop()
        progress(f"{server} {shutdown.describe()}")
    run = RunResult(database.kind, server, process.command, round(startup_seconds, 2),
                    hello_first, hello_last, page_results, shutdown)
    _add_ratios(run, pages)
    run.flags = run_flags(run.hello_drift, [hello_first, hello_last], shutdown)
    return run


def _add_ratios(run: RunResult, pages: list[Page]) -> None:
    reference = run.hello_requests_per_second
    for page, result in zip(pages, run.pages):
        if result.load is not None and reference:
            result.ratio = result.load.requests_per_second / reference
            result.flags += load_flags(page, result.load, result.ratio)
