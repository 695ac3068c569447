"""The tables printed at the end of a run, and the JSON written to bench/results/."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from bench.budgets import KB
from bench.databases import DATABASE_LABELS
from bench.load import LoadResult
from bench.runs import PageResult, RunResult
from bench.scale import MAX_GROWTH, ROUNDS, ScaleResult

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned; the first column to the left, the figures to the right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells: Sequence[str]) -> str:
        first, *others = [str(cell) for cell in cells]
        figures = [cell.rjust(width) for cell, width in zip(others, widths[1:])]
        return "  ".join([first.ljust(widths[0]), *figures])

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _number(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def _kilobytes(size: int | None) -> str:
    return "–" if size is None else f"{size / KB:.1f}"


def _load_cells(load: LoadResult | None) -> list[str]:
    if load is None:
        return ["–"] * 6
    return [_number(load.requests_per_second), _number(load.p50_ms, 2), _number(load.p99_ms, 2),
            str(load.non_2xx_3xx), str(load.socket_errors),
            _number(load.server_cpu_ms_per_request, 3)]


RUN_HEADER = ("endpoint", "req/s", "p50 ms", "p99 ms", "non-2xx/3xx", "socket err",
              "CPU ms/req", "ratio", "CPU ratio", "hello drift", "page KB", "1st visit KB", "repeat KB")


def _hello_row(load: LoadResult) -> list[str]:
    return ["hello", *_load_cells(load), "", "", "", "", "", ""]


def _page_row(result: PageResult) -> list[str]:
    weight = result.weight
    ok = weight is not None and 200 <= weight.status < 300
    drift = "–" if result.hello_drift is None else f"{result.hello_drift:+.1%}"
    return [f"  {result.name}", *_load_cells(result.load), _number(result.ratio, 3),
            _number(result.cpu_ratio, 3), drift,
            _kilobytes(weight.page_bytes if ok else None),
            _kilobytes(weight.first_visit_bytes if ok else None),
            _kilobytes(weight.repeat_visit_bytes if ok else None)]


def run_table(run: RunResult) -> str:
    """The measurements in the order they were made: hello, page, hello, page, ..., hello."""
    rows = [_hello_row(run.hello[0])]
    for result, hello_after in zip(run.pages, run.hello[1:]):
        rows += [_page_row(result), _hello_row(hello_after)]
    title = (f"== {DATABASE_LABELS[run.database]} · {run.server}: hello "
             f"{run.hello_requests_per_second:,.0f} req/s on average, "
             f"server ready in {run.startup_seconds:.1f} s")
    footer = f"   SIGTERM after load: {run.shutdown.describe()}"
    return "\n".join([title, format_table(RUN_HEADER, rows), footer])


def comparison_table(runs: list[RunResult]) -> str:
    """One line per database and endpoint, one group of columns per server."""
    servers = list(dict.fromkeys(run.server for run in runs))
    header = ["database", "endpoint"]
    for server in servers:
        header += [f"{server} req/s", "ratio", "CPU ratio", "p50 ms", "p99 ms", "CPU ms/req",
                   "KB"]
    rows = []
    for database in dict.fromkeys(run.database for run in runs):
        by_server = {run.server: run for run in runs if run.database == database}
        names = ["hello"] + [page.name for page in next(iter(by_server.values())).pages]
        for index, name in enumerate(names):
            row = [DATABASE_LABELS[database], name]
            for server in servers:
                row += _comparison_cells(by_server.get(server), index)
            rows.append(row)
    return format_table(header, rows)


def _comparison_cells(run: RunResult | None, index: int) -> list[str]:
    if run is None:
        return ["–"] * 7
    if index == 0:
        p50 = max(load.p50_ms for load in run.hello)
        p99 = max(load.p99_ms for load in run.hello)
        return [_number(run.hello_requests_per_second), "1", "1", _number(p50, 2), _number(p99, 2),
                _number(_mean_cpu(run.hello), 3), ""]
    page = run.pages[index - 1]
    weight = page.weight
    size = _kilobytes(weight.page_bytes) if weight is not None and 200 <= weight.status < 300 else "–"
    if page.load is None:
        return ["–"] * 6 + [size]
    return [_number(page.load.requests_per_second), _number(page.ratio, 3),
            _number(page.cpu_ratio, 3), _number(page.load.p50_ms, 2), _number(page.load.p99_ms, 2),
            _number(page.load.server_cpu_ms_per_request, 3), size]


def _mean_cpu(loads: list[LoadResult]) -> float | None:
    values = [load.server_cpu_ms_per_request for load in loads
              if load.server_cpu_ms_per_request is not None]
    return sum(values) / len(values) if values else None


def _labelled(runs: list[RunResult], kind: str) -> list[str]:
    """Every flag (kind="flags") or warning (kind="warnings"), with the run and page it is about."""
    found = []
    for run in runs:
        where = f"{DATABASE_LABELS[run.database]} · {run.server}"
        found += [f"[{where}] {text}" for text in getattr(run, kind)]
        for page in run.pages:
            found += [f"[{where} · {page.name}] {text}" for text in getattr(page, kind)]
    return found


def all_flags(runs: list[RunResult]) -> list[str]:
    return _labelled(runs, "flags")


def all_warnings(runs: list[RunResult]) -> list[str]:
    return _labelled(runs, "warnings")


SCALE_HEADER = ("page", "1,000: p50 ms", "mean ms", "1,000,000: p50 ms", "mean ms", "p50 ratio",
                "mean ratio", "÷ hello drift")


def scale_table(result: ScaleResult) -> str:
    """P5: each page's latency with 1,000 and with 1,000,000 requests, and the ratios (what was
    measured so far when the phase did not end)."""
    growths = {growth.page: growth for growth in result.growths}
    names = list(growths) or list(dict.fromkeys(name for step in result.steps for name in step.pages))
    rows = []
    for name in names:
        growth = growths.get(name)
        cells = []
        for index in range(2):
            load = result.steps[index].best(name) if index < len(result.steps) else None
            cells += ["–", "–"] if load is None else [_number(load.p50_ms, 2),
                                                        _number(load.mean_ms, 2)]
        if growth is None:
            cells += ["–", "–", "–"]
        else:
            mark = " !" if growth.flags else ""
            cells += [_number(growth.p50_ratio, 2) + mark, _number(growth.mean_ratio, 2),
                      _number(growth.adjusted_ratio, 2)]
        rows.append([f"  {name}", *cells])
    hello = [step.hello_requests_per_second for step in result.steps]
    hello += [None] * (2 - len(hello))
    slowdown = result.growths[0].hello_slowdown if result.growths else None
    if slowdown is None:
        drift = ""
    elif slowdown >= 1:
        drift = f"slowed ×{slowdown:.2f}"
    else:
        drift = f"sped up ×{1 / slowdown:.2f}"
    rows.append(["hello req/s (best)", _number(hello[0]), "", _number(hello[1]), "", "", "", drift])
    title = (f"== P5 · PostgreSQL · {result.server}: latency with 1,000 then 1,000,000 requests, "
             f"the same server ({result.connections} connections; best of {ROUNDS} rounds of "
             f"{result.seconds} s, after {result.warmup_seconds} s of warm-up; "
             f"P5: p50 ratio ≤ {MAX_GROWTH})")
    footer = [f"   {step.counts.describe()} (grown in {step.grow_seconds:.0f} s)"
              for step in result.steps]
    if result.shutdown is not None:
        footer.append(f"   SIGTERM after load: {result.shutdown.describe()}")
    return "\n".join([title, format_table(SCALE_HEADER, rows), *footer])


def scale_as_json(result: ScaleResult) -> dict:
    data = asdict(result)
    data["limit"] = MAX_GROWTH
    for step, raw in zip(result.steps, data["steps"]):
        hello = step.hello_requests_per_second
        raw["hello_requests_per_second"] = None if hello is None else round(hello, 1)
        raw["grow_seconds"] = round(step.grow_seconds, 1)
    for growth in data["growths"]:
        for key in ("p50_ratio", "mean_ratio", "hello_slowdown", "adjusted_ratio"):
            if growth[key] is not None:
                growth[key] = round(growth[key], 4)
    if result.shutdown is not None:
        data["shutdown"]["clean"] = result.shutdown.clean
    return data


def run_as_json(run: RunResult) -> dict:
    data = asdict(run)
    data["hello_requests_per_second"] = round(run.hello_requests_per_second, 1)
    data["shutdown"]["clean"] = run.shutdown.clean
    for page in data["pages"]:
        for key in ("ratio", "cpu_ratio", "hello_drift", "hello_reference"):
            if page[key] is not None:
                page[key] = round(page[key], 4)
    return data


def write_json(document: dict, stamp: str) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path
