"""Load from a second process: wrk, bounded in time, its summary read as JSON from report.lua."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from bench.databases import BenchSetupError

REPORT_SCRIPT = Path(__file__).with_name("report.lua")
JSON_MARKER = "BENCH_JSON "
REQUEST_TIMEOUT_SECONDS = 2  # wrk counts a slower response as a timeout (a socket error)


@dataclass(frozen=True)
class LoadSettings:
    seconds: int
    warmup_seconds: int
    connections: int
    threads: int


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    non_2xx_3xx: int  # responses with a status of 400 or more
    socket_errors: int  # connect + read + write errors + timeouts
    socket_error_detail: dict[str, int]
    bytes_per_response: float  # headers included, as wrk reads them
    # CPU time the server spent per request (all its processes and threads): less sensitive than
    # req/s to the other programs of a shared machine (their time is not counted), not immune.
    server_cpu_ms_per_request: float | None = None

    @property
    def failures(self) -> int:
        return self.non_2xx_3xx + self.socket_errors


def wrk_version() -> str:
    """wrk prints its version then its usage, and exits 1."""
    completed = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (completed.stdout or completed.stderr).splitlines()[0].strip()


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise BenchSetupError("wrk is not installed (`make bench` installs Debian's wrk)")


def wrk_command(url: str, headers: Mapping[str, str], seconds: int,
                settings: LoadSettings) -> list[str]:
    command = [
        "wrk", "--threads", str(settings.threads), "--connections", str(settings.connections),
        "--duration", f"{seconds}s", "--timeout", f"{REQUEST_TIMEOUT_SECONDS}s", "--latency",
        "--script", str(REPORT_SCRIPT),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    return [*command, url]


def run_wrk(url: str, headers: Mapping[str, str], seconds: int,
            settings: LoadSettings) -> LoadResult:
    command = wrk_command(url, headers, seconds, settings)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    summary = _summary_line(completed.stdout)
    if completed.returncode != 0 or summary is None:
        raise BenchSetupError(f"wrk failed ({completed.returncode}) on {url}:\n"
                              f"{completed.stdout}{completed.stderr}")
    return _load_result(json.loads(summary))


def measure(url: str, headers: Mapping[str, str], settings: LoadSettings,
            server_cpu_seconds: Callable[[], float]) -> LoadResult:
    """A warm-up whose figures are thrown away, then the measured run."""
    if settings.warmup_seconds > 0:
        run_wrk(url, headers, settings.warmup_seconds, settings)
    cpu_before = server_cpu_seconds()
    result = run_wrk(url, headers, settings.seconds, settings)
    cpu_used = server_cpu_seconds() - cpu_before
    if not result.requests:
        return result
    return replace(result, server_cpu_ms_per_request=round(cpu_used * 1000 / result.requests, 4))


def _summary_line(output: str) -> str | None:
    for line in output.splitlines():
        if line.startswith(JSON_MARKER):
            return line[len(JSON_MARKER):]
    return None


def _load_result(summary: dict) -> LoadResult:
    requests = summary["requests"]
    seconds = summary["duration_us"] / 1e6
    latency = summary["latency_us"]
    errors = summary["errors"]
    socket_errors = {name: errors[name] for name in ("connect", "read", "write", "timeout")}
    return LoadResult(
        requests=requests,
        seconds=round(seconds, 3),
        requests_per_second=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000,
        mean_ms=latency["mean"] / 1000,
        max_ms=latency["max"] / 1000,
        non_2xx_3xx=errors["status"],
        socket_errors=sum(socket_errors.values()),
        socket_error_detail=socket_errors,
        bytes_per_response=round(summary["bytes"] / requests, 1) if requests else 0.0,
    )
