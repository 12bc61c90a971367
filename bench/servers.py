"""Requests per second through real servers, measured with wrk on 127.0.0.1.

Each framework's app (``wsgi.py``) is served by one server process at a time, warmed up, then
loaded by ``wrk`` for a bounded duration. Two servers: gunicorn's sync worker (a new connection
per request, as it closes each one) and granian's WSGI interface (keep-alive, so the framework's
own cost dominates). One worker each, so the figures compare per-core throughput.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable

HERE = pathlib.Path(__file__).parent
BIN = pathlib.Path(sys.executable).parent
RATE = re.compile(r"Requests/sec:\s*([\d.]+)")

#: Server name -> (command builder, whether connections are kept alive).
SERVERS: dict[str, tuple[Callable[[int], list[str]], bool]] = {
    "gunicorn": (
        lambda port: [
            str(BIN / "gunicorn"),
            "--workers=1",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "wsgi:app",
        ],
        False,
    ),
    "granian": (
        lambda port: [
            str(BIN / "granian"),
            "--interface=wsgi",
            "--workers=1",
            "--host=127.0.0.1",
            f"--port={port}",
            "--log-level=warning",
            "wsgi:app",
        ],
        True,
    ),
}


def available() -> list[str]:
    """The servers installed beside this Python, or none when wrk is missing."""
    if shutil.which("wrk") is None:
        return []
    return [name for name in SERVERS if (BIN / name).exists()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                answer.read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not answer within 20 s")


def requests_per_second(
    server: str, framework: str, scenario: str, seconds: int, connections: int = 16
) -> float:
    """Serve one app with ``server`` and return what wrk measured."""
    command, _ = SERVERS[server]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "BENCH_FRAMEWORK": framework, "BENCH_SCENARIO": scenario}
    process = subprocess.Popen(
        command(port), cwd=HERE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_until_serving(url, process)
        wrk = ["wrk", "-t1", f"-c{connections}", "--timeout=5s", url]
        subprocess.run([*wrk, "-d1s"], capture_output=True, check=False)  # warm-up
        result = subprocess.run(
            [*wrk, f"-d{seconds}s"], capture_output=True, text=True, check=False
        )
        match = RATE.search(result.stdout)
        if result.returncode or not match:
            raise SystemExit(f"wrk failed against {server}/{framework}:\n{result.stdout}")
        return float(match[1])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
