"""P5: a page's cost grows with the user's own data, not with the table (the bench's scale phase).

Budget P5 of quality.md: with 1,000,000 requests and 100,000 citizens in PostgreSQL, "Mon dossier"
and the employer's list stay within 1.5× of their latency with 1,000 rows.

Method: a fresh PostgreSQL database gets the migrations, the demo data and bench/seed.py, as for
the other runs (Marie's 20 requests; Les Tilleuls' 42 workers and its three pages of requests in
the Consultation), then other citizens, enterprises and requests (bench/growth.py) until
`career_break_request` holds `SMALL.requests` rows. One production server is started; the pages of
`PAGES_AT_SCALE` are loaded by wrk with a few connections (`SCALE_CONNECTIONS`), in `ROUNDS` rounds
of hello, page 1, page 2, ... (a warm-up in the first one), and each page's best round (its lowest
p50, with that round's mean) is kept: on a shared machine other programs only ever slow a round
down, so the best of three is the page's own cost far more than any single round. Then the tables grow
to `LARGE` (1,000,000 requests with their 3 million history rows, 100,000 citizens, 5,000
enterprises) in SQL on the server, with VACUUM (ANALYZE), and the same pages are measured again on
the same server. The measured users' own data are the same in both steps: only other people's rows
are added.

A page's growth is its best p50 latency with LARGE divided by its best p50 with SMALL; beyond 1.5
it is a flag (exit status 1), unless the hello endpoint slowed down as much between the two steps
(the machine, not the page: the ratio divided by hello's slowdown, best req/s against best req/s,
stays within 1.5), which is a warning. The hello endpoint touches no table, so its change between
the steps is the machine's drift.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin

from bench.databases import fresh_database, guichet_environment, load_demo_data
from bench.growth import Counts, Size, grow_to
from bench.load import LoadResult, LoadSettings, measure
from bench.pages import HELLO, Page
from bench.runs import progress
from bench.servers import ServerProcess, Shutdown
from bench.weights import fetch

SMALL = Size(requests=1_000, citizens=200, enterprises=20)
LARGE = Size(requests=1_000_000, citizens=100_000, enterprises=5_000)
MAX_GROWTH = 1.5  # P5
SCALE_CONNECTIONS = 4  # a few users at once: latency, not throughput
MIN_WARMUP_SECONDS = 2  # the first requests after the growth read cold pages of the new indexes
ROUNDS = 3  # each page is measured this many times per size, in turn with the others
SAME_PAGE_TOLERANCE = 0.02  # a response's size may change this much between the steps (its tokens)
MAX_ROUND_SECONDS = 3  # of load per round (--duration when shorter): the phase stays within minutes


@dataclass
class Step:
    """The measurements with one size of the tables: `ROUNDS` rounds of hello, page 1, page 2, ...,
    then hello again. What counts is each endpoint's best round (the lowest p50 of a page, the
    highest req/s of hello): on a shared machine the other programs only ever make a round slower,
    so the best round is the closest to what the page itself costs."""

    counts: Counts
    grow_seconds: float
    hello: list[LoadResult] = field(default_factory=list)
    pages: dict[str, list[LoadResult]] = field(default_factory=dict)  # one per round
    errors: dict[str, str] = field(default_factory=dict)  # pages that could not be measured

    def best(self, page: str) -> LoadResult | None:
        return best_round(self.pages.get(page, []))

    @property
    def hello_requests_per_second(self) -> float | None:
        return max((load.requests_per_second for load in self.hello), default=None)


def best_round(loads: list[LoadResult]) -> LoadResult | None:
    """The round with the lowest p50 (its mean goes with it); a round with failures is the worst,
    so that they are seen."""
    if not loads:
        return None
    return min(loads, key=lambda load: (load.failures == 0, load.p50_ms))


@dataclass(frozen=True)
class Growth:
    """One page with both sizes of the tables."""

    page: str
    path: str
    small: LoadResult | None
    large: LoadResult | None
    p50_ratio: float | None  # p50 with LARGE / p50 with SMALL
    mean_ratio: float | None
    hello_slowdown: float | None  # hello's req/s with SMALL / with LARGE: the machine's drift
    adjusted_ratio: float | None  # p50_ratio / hello_slowdown
    flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass
class ScaleResult:
    server: str
    connections: int = SCALE_CONNECTIONS
    seconds: int = 0  # of load per round
    warmup_seconds: int = 0  # before an endpoint's first round
    steps: list[Step] = field(default_factory=list)
    growths: list[Growth] = field(default_factory=list)
    shutdown: Shutdown | None = None
    flags: list[str] = field(default_factory=list)  # the phase's own: hello errors, unclean shutdown

    def all_flags(self) -> list[str]:
        return self.flags + [f"{growth.page}: {text}" for growth in self.growths
                             for text in growth.flags]

    def all_warnings(self) -> list[str]:
        return [f"{growth.page}: {text}" for growth in self.growths for text in growth.warnings]


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def compare(page: str, path: str, small: LoadResult | None, large: LoadResult | None,
            hello_small: float | None, hello_large: float | None,
            errors: tuple[str | None, str | None] = (None, None),
            limit: float = MAX_GROWTH) -> Growth:
    """A page's growth between the two sizes, and what it says about P5.

    `hello_small` and `hello_large` are the hello endpoint's req/s in each step: when the machine
    slowed down between the steps as much as the page did, the page's ratio is the machine's.
    `errors` say why a page has no measurement in a step.
    """
    flags, warnings = [], []
    steps = ((f"{SMALL.requests:,}", small, errors[0]), (f"{LARGE.requests:,}", large, errors[1]))
    for label, load, error in steps:
        if load is None:
            flags.append(f"not measured with {label} requests" + (f": {error}" if error else ""))
        elif load.failures:
            flags.append(f"{load.non_2xx_3xx} responses outside 2xx/3xx and {load.socket_errors} "
                         f"socket errors under load with {label} requests")
    p50_ratio = _ratio(large and large.p50_ms, small and small.p50_ms)
    mean_ratio = _ratio(large and large.mean_ms, small and small.mean_ms)
    hello_slowdown = _ratio(hello_small, hello_large)
    adjusted = _ratio(p50_ratio, hello_slowdown)
    if p50_ratio is not None:
        figures = f"p50 {small.p50_ms:.2f} → {large.p50_ms:.2f} ms (×{p50_ratio:.2f})"
        if p50_ratio > limit and (adjusted is None or adjusted > limit):
            flags.append(f"P5: {figures} > ×{limit} with {LARGE.requests:,} requests")
        elif p50_ratio > limit:
            warnings.append(f"{figures} > ×{limit}, but the hello endpoint slowed down "
                            f"×{hello_slowdown:.2f} meanwhile (×{adjusted:.2f} once that is taken "
                            f"out): a busy machine; run the bench again")
        elif adjusted is not None and adjusted > limit:
            warnings.append(f"{figures}, but the hello endpoint sped up meanwhile "
                            f"(×{adjusted:.2f} once that is taken out): run the bench again")
        sizes = small.bytes_per_response, large.bytes_per_response
        if sizes[0] and abs(sizes[1] - sizes[0]) > SAME_PAGE_TOLERANCE * sizes[0]:
            warnings.append(f"the response is not the same page with {LARGE.requests:,} requests "
                            f"({sizes[0]:,.0f} → {sizes[1]:,.0f} bytes): the measured user's data "
                            f"should not change between the steps")
    return Growth(page, path, small, large, p50_ratio, mean_ratio, hello_slowdown, adjusted,
                  tuple(flags), tuple(warnings))


def compare_steps(pages: list[Page], small: Step, large: Step) -> list[Growth]:
    return [compare(page.name, page.path, small.best(page.name), large.best(page.name),
                    small.hello_requests_per_second, large.hello_requests_per_second,
                    errors=(small.errors.get(page.name), large.errors.get(page.name)))
            for page in pages]


def scale_settings(settings: LoadSettings) -> LoadSettings:
    """Rounds of at most MAX_ROUND_SECONDS, a warm-up of at least MIN_WARMUP_SECONDS, a few
    connections, one wrk thread."""
    return LoadSettings(min(settings.seconds, MAX_ROUND_SECONDS),
                        max(settings.warmup_seconds, MIN_WARMUP_SECONDS),
                        min(SCALE_CONNECTIONS, settings.connections), 1)


def measure_step(server: ServerProcess, pages: list[Page], settings: LoadSettings,
                 step: Step, rounds: int = ROUNDS) -> None:
    """`rounds` times hello then each page, then hello; a page that does not answer 2xx is recorded
    and left out. Each endpoint is warmed up in the first round only."""
    headers = {}
    for page in pages:
        try:
            headers[page.name] = page.request_headers(server.base_url)
            answer = fetch(urljoin(server.base_url, page.path), headers[page.name])
            if not 200 <= answer.status < 300:
                step.errors[page.name] = f"GET {page.path} answered {answer.status}"
        except Exception as error:  # noqa: BLE001 - one broken page must not hide the others
            step.errors[page.name] = f"{type(error).__name__}: {error}"
    measured = [page for page in pages if page.name not in step.errors]
    warm = replace(settings, warmup_seconds=0)

    def load(page: Page, page_headers: dict[str, str], round_number: int) -> LoadResult:
        when = f"round {round_number + 1}/{rounds}" if round_number < rounds else "after"
        progress(f"  {when}, {page.name}: {settings.seconds} s of load")
        return measure(urljoin(server.base_url, page.path), page_headers,
                       warm if round_number else settings, server.cpu_seconds)

    hello_headers = HELLO.request_headers(server.base_url)
    for round_number in range(rounds):
        step.hello.append(load(HELLO, hello_headers, round_number))
        for page in measured:
            step.pages.setdefault(page.name, []).append(
                load(page, headers[page.name], round_number))
    step.hello.append(load(HELLO, hello_headers, rounds))


def _grow(url: str, size: Size) -> tuple[Counts, float]:
    started = time.monotonic()
    counts = grow_to(url, size, progress)
    return counts, time.monotonic() - started


def bench_scale(result: ScaleResult, pages: list[Page], settings: LoadSettings,
                log_dir: Path) -> None:
    """The whole phase on a fresh PostgreSQL database, dropped at the end whatever happens; what was
    measured is in `result` even when a step fails."""
    settings = scale_settings(settings)
    result.connections = settings.connections
    result.seconds, result.warmup_seconds = settings.seconds, settings.warmup_seconds
    secret_key = secrets.token_urlsafe(48)
    progress("P5: provisioning a fresh postgres database")
    with fresh_database("postgres") as database:
        seeded = load_demo_data(database, secret_key)
        pages = [page.with_seeded(seeded) for page in pages]
        progress(f"P5: growing the tables to {SMALL.requests:,} requests")
        small = Step(*_grow(database.url, SMALL))
        environment = guichet_environment(database, "production", secret_key)
        process = ServerProcess(result.server, environment,
                                log_dir / f"postgres-scale-{result.server}.log")
        progress(f"P5: {result.server} on postgres: {' '.join(process.command)}")
        try:
            process.wait_until_healthy()
            result.steps.append(small)
            progress(f"P5: {small.counts.describe()}")
            measure_step(process, pages, settings, small)
            progress(f"P5: growing the tables to {LARGE.requests:,} requests and "
                     f"{LARGE.citizens:,} citizens")
            large = Step(*_grow(database.url, LARGE))
            result.steps.append(large)
            progress(f"P5: {large.counts.describe()}")
            measure_step(process, pages, settings, large)
        finally:
            result.shutdown = process.stop()
            progress(f"P5: {result.server} {result.shutdown.describe()}")
            if not result.shutdown.clean:
                result.flags.append(f"server {result.shutdown.describe()}")
    progress("P5: postgres database dropped")
    result.growths = compare_steps(pages, small, large)
    for step in result.steps:
        if any(load.failures for load in step.hello):
            result.flags.append(f"errors on the hello endpoint under load with "
                                f"{step.counts.requests:,} requests")
