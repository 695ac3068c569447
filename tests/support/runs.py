"""`make test`: the tests and journeys on SQLite and on PostgreSQL, the two runs at the same time.

    python -m tests.support.runs POSTGRES_URL [PYTEST_ARGUMENTS ...]   (default: tests e2e)

Each run is its own `python -m pytest` with GUICHET_TEST_DATABASE=sqlite or postgres, on databases
of its own (tests/support/databases.py), writing to e2e/artifacts/<database>/pytest.log. A line
says how far each run got every PROGRESS_EVERY seconds; a run's whole log is printed when it ends.
The PostgreSQL run is skipped when no PostgreSQL answers at POSTGRES_URL.

Exit status: 0 when every run passed; else the first failing run's pytest status (SQLite's, then
PostgreSQL's), as `make test` failed when its first failing run stopped it.

What the two runs could share is kept apart: databases (a temporary SQLite file, a new PostgreSQL
database each), the journeys' artifacts and server log (e2e/artifacts/<database>/), ports (each
server asks the system for a free one), Redis (its tests take turns, tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.postgres import reachable

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "e2e" / "artifacts"
PROGRESS_EVERY = 30.0  # seconds
_PERCENT = re.compile(r"\[\s*(\d+)%\]")
_FILE = re.compile(r"^(\S+\.py) ", re.MULTILINE)  # pytest's line for a test file


@dataclass
class Run:
    kind: str  # "sqlite" or "postgres"
    title: str
    environment: dict[str, str]
    log_path: Path = field(init=False)
    process: subprocess.Popen | None = None
    started: float = 0.0
    duration: float = 0.0

    def __post_init__(self) -> None:
        self.log_path = ARTIFACTS / self.kind / "pytest.log"

    def start(self, arguments: list[str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, **self.environment, "PYTHONUNBUFFERED": "1"}
        with self.log_path.open("wb") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pytest", *arguments], cwd=PROJECT_ROOT, env=environment,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        self.started = time.monotonic()

    def progress(self) -> str:
        """How far pytest got and the file it is in, from the end of its log."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - 4096))
                tail = log.read().decode(errors="replace")
        except OSError:
            tail = ""
        percents, files = _PERCENT.findall(tail), _FILE.findall(tail)
        if not percents:
            return "starting"
        return f"{percents[-1]} %" + (f" ({files[-1]})" if files else "")

    def report(self) -> None:
        """The run's whole log, under a heading with its outcome."""
        status = self.process.returncode
        if status == 0:
            outcome = "passed"
        elif status < 0:
            outcome = f"KILLED (signal {-status})"
        else:
            outcome = f"FAILED (pytest exit status {status})"
        _say(f"== tests and journeys on {self.title}: {outcome} in {_minutes(self.duration)}"
             f" (log: {self.log_path.relative_to(PROJECT_ROOT)})")
        sys.stdout.flush()
        chunk = b""
        with self.log_path.open("rb") as log:
            while block := log.read(1 << 16):
                chunk = block
                sys.stdout.buffer.write(block)
        if not chunk.endswith(b"\n"):  # a run stopped in the middle of a line
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()

    @property
    def exit_status(self) -> int:
        """pytest's, or 128 + the signal that ended it, as a shell gives it."""
        status = self.process.returncode
        return 128 - status if status < 0 else status


def _say(line: str) -> None:
    print(line, flush=True)


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def _runs(postgres_url: str) -> list[Run]:
    runs = [Run("sqlite", "SQLite", {"GUICHET_TEST_DATABASE": "sqlite"})]
    if asyncio.run(reachable(postgres_url)):
        runs.append(Run("postgres", f"PostgreSQL ({postgres_url})", {
            "GUICHET_TEST_DATABASE": "postgres", "GUICHET_TEST_POSTGRES_URL": postgres_url,
        }))
    else:
        _say(f"== PostgreSQL not reachable at {postgres_url}: its run is skipped")
    return runs


def _wait(runs: list[Run]) -> None:
    """Until every run ended; a progress line now and then, a run's log as soon as it ends."""
    waiting = list(runs)
    last_progress = time.monotonic()
    while waiting:
        for run in list(waiting):
            if run.process.poll() is not None:
                run.duration = time.monotonic() - run.started
                waiting.remove(run)
                run.report()
        if waiting and time.monotonic() - last_progress >= PROGRESS_EVERY:
            last_progress = time.monotonic()
            elapsed = _minutes(last_progress - runs[0].started)
            _say(f"-- {elapsed}: " + ", ".join(f"{run.title.split(' ')[0]} {run.progress()}"
                                               for run in waiting))
        time.sleep(0.5)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    postgres_url, arguments = argv[0], argv[1:] or ["tests", "e2e"]
    runs = _runs(postgres_url)

    def stop(signum, frame):  # CI cancelling the job: the runs stop too, and say where they were
        for run in runs:
            if run.process is not None and run.process.poll() is None:
                run.process.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    for run in runs:
        _say(f"== tests and journeys on {run.title}: running, log in "
             f"{run.log_path.relative_to(PROJECT_ROOT)}")
        run.start(arguments)
    try:
        _wait(runs)
    except KeyboardInterrupt:  # Ctrl-C reached the runs too (same process group): let them end
        _say("== interrupted: waiting for the runs to stop")
        for run in runs:
            if run.process.returncode is None:
                try:
                    run.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    run.process.kill()
                    run.process.wait()
                run.duration = time.monotonic() - run.started
                run.report()
        return 130
    summary = ", ".join(
        f"{run.title.split(' ')[0]} {'passed' if run.process.returncode == 0 else 'FAILED'}"
        f" in {_minutes(run.duration)}" for run in runs
    )
    _say(f"== {summary}")
    return next((run.exit_status for run in runs if run.exit_status != 0), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
