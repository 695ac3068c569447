"""Guichet started as in production, with uvicorn (`guichet serve`) or granian, then stopped.

The server runs in its own session (process group), so that Ctrl-C in the terminal reaches the bench
only, and the bench stops the server itself: SIGTERM to the server's main process, up to 10 s to
exit, then SIGKILL to the whole group (only processes this module started are in it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.databases import REPO_ROOT, BenchSetupError, guichet_command

SERVER_NAMES = ("uvicorn", "granian")
HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 30.0
SHUTDOWN_GRACE_SECONDS = 10.0
# What each server writes once its graceful shutdown is over. uvicorn then re-raises the signal it
# caught, so its exit status is -15 (ended by SIGTERM) even when it stopped cleanly.
GRACEFUL_SHUTDOWN_MESSAGES = {
    "uvicorn": "Application shutdown complete.",
    "granian": "Granian shutdown completed",
}


def server_command(server: str, port: int) -> list[str]:
    """The production command line of `server`, one worker, no access log."""
    if server == "uvicorn":
        return guichet_command(
            "serve", "--host", HOST, "--port", str(port), "--workers", "1", "--no-access-log"
        )
    if server == "granian":
        granian = Path(sys.executable).parent / "granian"
        if not granian.exists():
            raise BenchSetupError(f"{granian} is missing: pip install -e '.[test,bench]'")
        return [
            str(granian), "--interface", "asgi", "--factory", "--workers", "1",
            "--host", HOST, "--port", str(port), "--no-access-log", "app.asgi:create_app",
        ]
    raise ValueError(f"unknown server {server!r}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Shutdown:
    """How the server ended after SIGTERM."""

    signal: str
    exited_within_grace: bool
    seconds: float | None  # from SIGTERM to exit; None when it had to be killed
    exit_code: int | None
    killed: bool  # SIGKILL sent to the group after the grace period
    leftover_processes: int  # processes of the group still alive after the main one exited
    logged_graceful_end: bool  # the server wrote its "shutdown complete" message

    @property
    def clean(self) -> bool:
        return (self.exited_within_grace and not self.killed and self.leftover_processes == 0
                and self.logged_graceful_end)

    def describe(self) -> str:
        if self.killed:
            return (f"did NOT exit within {SHUTDOWN_GRACE_SECONDS:.0f} s of {self.signal}: "
                    f"killed with SIGKILL")
        if self.seconds is None:
            text = f"had already exited (exit code {self.exit_code}) before the bench stopped it"
        else:
            graceful = ("graceful shutdown logged" if self.logged_graceful_end
                        else "NO graceful shutdown logged")
            text = (f"exited {self.seconds:.2f} s after {self.signal} "
                    f"(exit code {self.exit_code}, {graceful})")
        if self.leftover_processes:
            text += f", but left {self.leftover_processes} process(es) behind: killed"
        return text


class ServerProcess:
    """One Guichet server on a free port of 127.0.0.1, its output kept in `log_path`."""

    def __init__(self, server: str, environment: dict[str, str], log_path: Path):
        self.server = server
        self.port = free_port()
        self.log_path = log_path
        self.command = server_command(server, self.port)
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=REPO_ROOT, env=environment,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.group = self.process.pid  # start_new_session: the group id is the pid

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def cpu_seconds(self) -> float:
        return group_cpu_seconds(self.group)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_until_healthy(self, timeout: float = STARTUP_TIMEOUT_SECONDS) -> float:
        """Polls /healthz until it answers `ok`; returns the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise BenchSetupError(
                    f"{self.server} exited ({self.process.returncode}) before answering:\n"
                    f"{self.log_tail()}"
                )
            if _answers_ok(f"{self.base_url}/healthz"):
                return time.monotonic() - started
            time.sleep(0.1)
        raise BenchSetupError(f"{self.server} did not answer /healthz within {timeout:.0f} s:\n"
                              f"{self.log_tail()}")

    def stop(self) -> Shutdown:
        """SIGTERM, up to 10 s to exit, else SIGKILL to the group; reports which happened."""
        if self.process.poll() is not None:  # it had already died
            leftovers = self._kill_leftovers()
            return Shutdown("none (had already exited)", False, None, self.process.returncode,
                            False, leftovers, False)
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            exit_code = self.process.wait(timeout=SHUTDOWN_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_group(self.group)
            exit_code = self.process.wait()
            return Shutdown("SIGTERM", False, None, exit_code, True, 0, self._logged_graceful_end())
        seconds = time.monotonic() - sent
        leftovers = self._wait_for_group_to_exit(sent + SHUTDOWN_GRACE_SECONDS)
        return Shutdown("SIGTERM", True, round(seconds, 3), exit_code, False, leftovers,
                        self._logged_graceful_end())

    def _logged_graceful_end(self) -> bool:
        try:
            log = self.log_path.read_text(errors="replace")
        except OSError:
            return False
        return GRACEFUL_SHUTDOWN_MESSAGES[self.server] in log

    def _wait_for_group_to_exit(self, deadline: float) -> int:
        """Workers may end just after the main process; what remains at the deadline is killed."""
        while _living_members(self.group) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._kill_leftovers()

    def _kill_leftovers(self) -> int:
        leftovers = len(_living_members(self.group))
        if leftovers:
            _kill_group(self.group)
        return leftovers


def _answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class _ProcessStat:
    pid: int
    state: str
    group: int
    cpu_seconds: float  # user + system time of all its threads


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _process_stats() -> list[_ProcessStat]:
    """Every process of the machine, read from /proc/<pid>/stat."""
    stats = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after its last ')'.
        fields = stat.rpartition(")")[2].split()
        state, group, user_ticks, system_ticks = fields[0], fields[2], fields[11], fields[12]
        cpu = (int(user_ticks) + int(system_ticks)) / CLOCK_TICKS
        stats.append(_ProcessStat(int(entry.name), state, int(group), cpu))
    return stats


def _living_members(group: int) -> list[int]:
    """The processes of `group` that are still running (zombies excluded)."""
    return [stat.pid for stat in _process_stats() if stat.group == group and stat.state != "Z"]


def group_cpu_seconds(group: int) -> float:
    """CPU time used so far by the living processes of `group` (the server and its workers)."""
    return sum(stat.cpu_seconds for stat in _process_stats() if stat.group == group)
