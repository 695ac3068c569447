"""The `guichet` command as an operator uses it."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import DATABASE

GUICHET = [sys.executable, "-m", "app.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(**overrides) -> dict:
    return {**os.environ, "GUICHET_DATABASE_URL": DATABASE.url, **overrides}


def test_demo_data_is_refused_in_production():
    result = subprocess.run(
        [*GUICHET, "demo-data"], env=environment(GUICHET_ENV="production"),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "acceptance" in result.stderr


def test_production_without_secret_key_says_what_is_missing():
    env = environment(GUICHET_ENV="production")
    env.pop("GUICHET_SECRET_KEY")
    result = subprocess.run([*GUICHET, "migrate"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "GUICHET_SECRET_KEY is required in production" in result.stderr


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_then_stops_cleanly_on_a_signal(stop_signal):
    port = free_port()
    server = subprocess.Popen(
        [*GUICHET, "serve", "--port", str(port), "--no-access-log"],
        env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                    assert reply.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        server.send_signal(stop_signal)
        # uvicorn shuts down gracefully, then re-raises the signal it caught, as a process
        # manager expects: the exit status is "ended by that signal", or 0.
        assert server.wait(timeout=10) in (0, -stop_signal)
        output = server.stdout.read()
        assert "Application shutdown complete." in output
        assert "Traceback" not in output
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_account_block_says_what_it_did():
    result = subprocess.run([*GUICHET, "account", "block", "nobody"], env=environment(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no account with the user name 'nobody'" in result.stderr
