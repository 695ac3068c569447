"""One run: one server on one database, each page measured between two hello measurements.

The order is hello, page 1, hello, page 2, ..., hello. A page's ratio divides its req/s by the mean
of the two hello measurements around it, so that a machine that slows down or speeds up during the
run (these machines are shared) shifts both sides of the ratio alike; the change between those two
hello measurements ("drift") says how far the ratio can be trusted.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from bench.budgets import drift_warnings, load_flags, run_flags, weight_flags
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
    hello_reference: float | None = None  # mean req/s of the hello measurements around the page
    hello_drift: float | None = None  # their relative change, last against first
    ratio: float | None = None  # req/s of the page / hello_reference
    # CPU ms per request of the hello measurements around the page / the page's: the same comparison
    # from the server's own CPU time, which other programs on a shared machine disturb less than
    # req/s (a cross-check; the budgets use `ratio`).
    cpu_ratio: float | None = None
    error: str | None = None
    flags: list[str] = field(default_factory=list)  # budgets missed, failures: exit status 1
    warnings: list[str] = field(default_factory=list)  # the figures are less trustworthy


@dataclass
class RunResult:
    database: str
    server: str
    command: list[str]
    startup_seconds: float
    hello: list[LoadResult]  # before the first page, then after each page
    pages: list[PageResult]
    shutdown: Shutdown
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def hello_requests_per_second(self) -> float:
        return sum(load.requests_per_second for load in self.hello) / len(self.hello)


def load_page(page: Page, server: ServerProcess, settings: LoadSettings) -> PageResult:
    """Weighs the page, then loads it if it answers 2xx; an error is recorded, not raised."""
    result = PageResult(page.name, page.path)
    try:
        headers = page.request_headers(server.base_url)
        result.weight = weigh(server.base_url, page.path, headers, fragment=page.fragment)
        result.flags += weight_flags(page, result.weight)
        if 200 <= result.weight.status < 300:
            progress(f"  {page.name}: {settings.seconds} s of load")
            result.load = measure(urljoin(server.base_url, page.path), headers, settings,
                                  server.cpu_seconds)
    except Exception as error:  # noqa: BLE001 - one broken page must not hide the others
        result.error = f"{type(error).__name__}: {error}"
        result.flags.append(f"not measured: {result.error}")
    return result


def measure_hello(server: ServerProcess, settings: LoadSettings) -> LoadResult:
    progress(f"  {HELLO.name}: {settings.seconds} s of load")
    return measure(urljoin(server.base_url, HELLO.path), HELLO.request_headers(server.base_url),
                   settings, server.cpu_seconds)


def measure_in_turn(server: ServerProcess, pages: list[Page],
                    settings: LoadSettings) -> tuple[list[LoadResult], list[PageResult]]:
    """hello, page 1, hello, page 2, ..., hello."""
    hello = [measure_hello(server, settings)]
    results = []
    for page in pages:
        results.append(load_page(page, server, settings))
        hello.append(measure_hello(server, settings))
    return hello, results


def bench_server(server: str, database: TestDatabase, pages: list[Page], settings: LoadSettings,
                 secret_key: str, log_dir: Path) -> RunResult:
    environment = guichet_environment(database, "production", secret_key)
    process = ServerProcess(server, environment, log_dir / f"{database.kind}-{server}.log")
    progress(f"{server} on {database.kind}: {' '.join(process.command)}")
    try:
        startup_seconds = process.wait_until_healthy()
        hello, page_results = measure_in_turn(process, pages, settings)
    finally:
        shutdown = process.stop()
        progress(f"{server} {shutdown.describe()}")
    run = RunResult(database.kind, server, process.command, round(startup_seconds, 2), hello,
                    page_results, shutdown)
    for index, (page, result) in enumerate(zip(pages, page_results)):
        _add_ratio(page, result, before=hello[index], after=hello[index + 1])
    run.flags = run_flags(hello, shutdown)
    return run


def _add_ratio(page: Page, result: PageResult, before: LoadResult, after: LoadResult) -> None:
    first, last = before.requests_per_second, after.requests_per_second
    result.hello_reference = (first + last) / 2
    result.hello_drift = (last - first) / first if first else 0.0
    result.warnings += drift_warnings(result.hello_drift)
    if result.load is not None and result.hello_reference:
        result.ratio = result.load.requests_per_second / result.hello_reference
        result.flags += load_flags(page, result.load, result.ratio)
    hello_cpu = [load.server_cpu_ms_per_request for load in (before, after)]
    page_cpu = result.load.server_cpu_ms_per_request if result.load is not None else None
    if page_cpu and None not in hello_cpu:
        result.cpu_ratio = (sum(hello_cpu) / 2) / page_cpu
