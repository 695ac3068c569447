"""`python -m bench`: the options, the loop over databases and servers, the output."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import traceback
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from bench.databases import (
    DATABASE_KINDS, REPO_ROOT, BenchSetupError, fresh_database, load_demo_data, postgres_reachable,
)
from bench.load import LoadSettings, require_wrk, wrk_version
from bench.pages import PAGES, PAGES_AT_SCALE, Page
from bench.report import (
    all_flags, all_warnings, comparison_table, run_as_json, run_table, scale_as_json, scale_table,
    write_json,
)
from bench.runs import RunResult, bench_server, progress
from bench.scale import LARGE, ScaleResult, bench_scale
from bench.servers import SERVER_NAMES

EXIT_OK, EXIT_FLAGS, EXIT_SETUP_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Load Guichet as in production and compare each page with the hello endpoint "
                    "of the same server in the same run (method: bench/__init__.py).",
    )
    parser.add_argument("--server", choices=[*SERVER_NAMES, "both"], default="uvicorn",
                        help="uvicorn is what `guichet serve` runs (default: uvicorn)")
    parser.add_argument("--database", choices=[*DATABASE_KINDS, "both"], default=None,
                        help="default: both when PostgreSQL is reachable, else sqlite")
    parser.add_argument("--duration", type=int, default=5, metavar="SECONDS",
                        help="measured seconds of load per endpoint (default: 5)")
    parser.add_argument("--warmup", type=int, default=1, metavar="SECONDS",
                        help="seconds of load before each measurement, not counted (default: 1)")
    parser.add_argument("--connections", type=int, default=16,
                        help="open connections kept busy by wrk (default: 16)")
    parser.add_argument("--threads", type=int, choices=(1, 2), default=1,
                        help="wrk threads (default: 1, leaving the other core to the server)")
    parser.add_argument("--page", action="append", choices=[page.name for page in PAGES],
                        dest="pages", metavar="NAME",
                        help="only this page (repeatable); pages: "
                             + ", ".join(page.name for page in PAGES)
                             + "; the P5 phase measures the chosen ones of "
                             + ", ".join(PAGES_AT_SCALE))
    parser.add_argument("--no-scale", action="store_false", dest="scale",
                        help=f"skip the P5 phase (PostgreSQL only: the pages again with "
                             f"{LARGE.requests:,} requests, a few minutes)")
    options = parser.parse_args(argv)
    if options.duration < 1 or options.warmup < 0:
        parser.error("--duration must be at least 1 and --warmup at least 0")
    if options.connections < options.threads:
        parser.error("--connections must be at least --threads")
    return options


def chosen_databases(requested: str | None) -> list[str]:
    if requested == "sqlite":
        return ["sqlite"]
    reachable = postgres_reachable()
    if requested is None:
        return list(DATABASE_KINDS) if reachable else ["sqlite"]
    if not reachable:
        raise BenchSetupError("PostgreSQL is not reachable (tests/support/databases.py, "
                              "GUICHET_TEST_POSTGRES_URL)")
    return list(DATABASE_KINDS) if requested == "both" else [requested]


def chosen_servers(requested: str) -> list[str]:
    return list(SERVER_NAMES) if requested == "both" else [requested]


def chosen_pages(names: list[str] | None) -> list[Page]:
    return [page for page in PAGES if names is None or page.name in names]


def chosen_scale_pages(options: argparse.Namespace, databases: list[str]) -> list[Page]:
    """The pages of the P5 phase: none without PostgreSQL or with --no-scale."""
    if not options.scale or "postgres" not in databases:
        return []
    return [page for page in chosen_pages(options.pages) if page.name in PAGES_AT_SCALE]


def scale_server(requested: str) -> str:
    """P5 measures one server: what `guichet serve` runs, unless granian alone was asked for."""
    return "granian" if requested == "granian" else "uvicorn"


def bench_database(kind: str, servers: list[str], pages: list[Page], settings: LoadSettings,
                   log_dir: Path, runs: list[RunResult]) -> None:
    """A fresh database, loaded once, then each server in turn; each run is printed as it ends."""
    secret_key = secrets.token_urlsafe(48)
    progress(f"provisioning a fresh {kind} database")
    with fresh_database(kind) as database:
        seeded = load_demo_data(database, secret_key)
        pages = [page.with_seeded(seeded) for page in pages]
        for server in servers:
            run = bench_server(server, database, pages, settings, secret_key, log_dir)
            runs.append(run)
            print(run_table(run) + "\n", flush=True)
    progress(f"{kind} database dropped")


def describe_environment() -> dict:
    versions = {name: _version(name) for name in ("litestar", "piccolo", "uvicorn", "granian")}
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "versions": {**versions, "wrk": wrk_version()},
        "git": _git_revision(),
    }


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _git_revision() -> str | None:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=REPO_ROOT, capture_output=True,
                              text=True).stdout.strip()

    revision = git("rev-parse", "--short", "HEAD")
    return f"{revision}{'+changes' if git('status', '--porcelain') else ''}" if revision else None


def _stop_on_interrupt() -> None:
    """Ctrl-C and SIGTERM unwind the bench: servers stopped, databases dropped.

    SIGINT is set explicitly: a shell starting the bench in the background makes it ignore SIGINT.
    """
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    _stop_on_interrupt()
    settings = LoadSettings(options.duration, options.warmup, options.connections, options.threads)
    started = datetime.datetime.now(datetime.timezone.utc)
    runs: list[RunResult] = []
    scale: ScaleResult | None = None
    document = {"started_at": started.isoformat(timespec="seconds"), "options": vars(options),
                "load": asdict(settings)}
    outcome, error = "complete", None
    try:
        require_wrk()
        document["environment"] = describe_environment()
        servers, pages = chosen_servers(options.server), chosen_pages(options.pages)
        databases = chosen_databases(options.database)
        scale_pages = chosen_scale_pages(options, databases)
        with tempfile.TemporaryDirectory(prefix="guichet-bench-") as log_dir:
            for kind in databases:
                bench_database(kind, servers, pages, settings, Path(log_dir), runs)
            if scale_pages:
                scale = ScaleResult(scale_server(options.server))
                bench_scale(scale, scale_pages, settings, Path(log_dir))
    except KeyboardInterrupt:
        outcome = "interrupted"
    except BenchSetupError as failure:
        outcome, error = "failed", str(failure)
    except Exception as failure:  # noqa: BLE001 - the runs already made are still written out
        traceback.print_exc()
        outcome, error = "failed", f"{type(failure).__name__}: {failure}"
    return finish(document, runs, scale, outcome, error, started)


def finish(document: dict, runs: list[RunResult], scale: ScaleResult | None, outcome: str,
           error: str | None, started: datetime.datetime) -> int:
    flags, warnings = all_flags(runs), all_warnings(runs)
    if len(runs) > 1:
        print("== Comparison (ratio = page req/s ÷ hello req/s of the same server, same run)")
        print(comparison_table(runs) + "\n")
    if scale is not None:
        print(scale_table(scale) + "\n")
        where = f"[PostgreSQL · {scale.server} · P5]"
        flags += [f"{where} {text}" for text in scale.all_flags()]
        warnings += [f"{where} {text}" for text in scale.all_warnings()]
        if outcome != "complete" and len(scale.steps) < 2:
            flags.append(f"{where} not completed: {len(scale.steps)} of the 2 sizes measured")
    print("== Flags (budgets missed, failures)\n" + _listed(flags))
    print("== Warnings (figures to take with care)\n" + _listed(warnings))
    if error:
        print(f"\nbench failed: {error}", file=sys.stderr)
    if outcome == "interrupted":
        print("\nbench interrupted: servers stopped, databases dropped", file=sys.stderr)
    finished = datetime.datetime.now(datetime.timezone.utc)
    document.update(finished_at=finished.isoformat(timespec="seconds"), outcome=outcome,
                    error=error, runs=[run_as_json(run) for run in runs],
                    scale=None if scale is None else scale_as_json(scale), flags=flags,
                    warnings=warnings)
    path = write_json(document, started.strftime("%Y-%m-%dT%H-%M-%SZ"))
    print(f"\nResults: {path.relative_to(REPO_ROOT)}")
    if outcome == "interrupted":
        return EXIT_INTERRUPTED
    if outcome == "failed":
        return EXIT_SETUP_ERROR
    return EXIT_FLAGS if flags else EXIT_OK


def _listed(lines: list[str]) -> str:
    return "\n".join(f"  {line}" for line in lines) if lines else "  none"
