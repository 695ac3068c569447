"""Guichet as its users get it: `guichet migrate`, `demo-data` and `serve`, each a subprocess.

The server runs the production command (uvicorn, one worker) on a free port of 127.0.0.1, against
a fresh database of its own. Its output goes to a log file, quoted when it does not start.

A free port is only free until someone binds it: when another process (the other run of
`make test`, which goes at the same time) took it before the server, the server starts again
on another one.
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
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "e2e-secret-key-not-for-production-0123456789"
START_TIMEOUT = 30.0  # seconds for /healthz to answer
PORT_TRIES = 3  # ports tried when the one chosen was taken before the server could bind it
STOP_TIMEOUT = 10.0  # seconds after SIGTERM before SIGKILL


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServerError(RuntimeError):
    """The server could not be prepared, started or stopped."""


class _PortTaken(LiveServerError):
    """Another process bound the port between its choice and the server's start."""


class LiveServer:
    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None
        self._log = None

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.update(
            GUICHET_DATABASE_URL=self.database_url,
            GUICHET_ENV="acceptance",
            GUICHET_SECRET_KEY=SECRET_KEY,
            PYTHONUNBUFFERED="1",
        )
        return environment

    def _command(self, *arguments: str) -> list[str]:
        return [sys.executable, "-m", "app.cli", *arguments]

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def _run(self, *arguments: str) -> None:
        self._log.write(f"$ guichet {' '.join(arguments)}\n")
        self._log.flush()
        completed = subprocess.run(
            self._command(*arguments), cwd=PROJECT_ROOT, env=self._environment(),
            stdout=self._log, stderr=subprocess.STDOUT, timeout=120,
        )
        if completed.returncode != 0:
            raise LiveServerError(
                f"`guichet {' '.join(arguments)}` exited with {completed.returncode}:\n"
                f"{self.log_tail()}"
            )

    def seed_request(self, username: str, kind: str, form: str, start: str, end: str) -> int:
        """Files a request's employer part for `username` in this server's database (e2e/support/seed.py)."""
        completed = subprocess.run(
            [sys.executable, "-m", "e2e.support.seed", username, kind, form, start, end],
            cwd=PROJECT_ROOT, env=self._environment(), capture_output=True, text=True, timeout=60,
        )
        if completed.returncode != 0:
            raise LiveServerError(f"seeding a request failed:\n{completed.stderr[-2000:]}")
        return int(completed.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self._run("migrate")
        self._run("demo-data")
        for attempt in range(1, PORT_TRIES + 1):
            if attempt > 1:
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"
            self._log.write(f"$ guichet serve --port {self.port}\n")
            self._log.flush()
            serve_output_starts = self._log.tell()
            self._process = subprocess.Popen(
                self._command("serve", "--host", "127.0.0.1", "--port", str(self.port),
                              "--workers", "1", "--no-access-log"),
                cwd=PROJECT_ROOT, env=self._environment(),
                stdout=self._log, stderr=subprocess.STDOUT,
            )
            try:
                self._wait_until_healthy(serve_output_starts)
                return
            except _PortTaken:
                if attempt == PORT_TRIES:
                    raise

    def _wait_until_healthy(self, serve_output_starts: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                if "address already in use" in self._serve_output(serve_output_starts):
                    self._process = None
                    raise _PortTaken(f"port {self.port} was taken:\n{self.log_tail()}")
                raise LiveServerError(
                    f"the server exited with {self._process.returncode} before answering:\n"
                    f"{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        self.stop()
        raise LiveServerError(
            f"/healthz did not answer within {START_TIMEOUT:.0f} s:\n{self.log_tail()}"
        )

    def _serve_output(self, start: int) -> str:
        """What `guichet serve` wrote to the log since `start` (an offset in the log)."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(start)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM, as a service manager would; SIGKILL only if it is still there after 10 s."""
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    raise LiveServerError(
                        f"the server did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM "
                        f"(killed):\n{self.log_tail()}"
                    ) from None
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
