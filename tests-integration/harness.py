"""Helpers of the integration suite: free ports, and servers started and stopped on 127.0.0.1."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import NoReturn

import pytest

HERE = pathlib.Path(__file__).parent
#: The small apps the tests serve or drive; the conftest makes them importable.
APPS = HERE / "apps"


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before serving {url}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within {timeout}s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own session, with every process it forked."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    # Workers left behind by a master that died first go too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def serving(
    command: list[str], url: str, cwd: pathlib.Path | None = None, **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process until the block ends; it must answer ``url`` first."""
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=cwd, start_new_session=True)
    try:
        wait_until_serving(url, process)
        yield process
    finally:
        stop(process)


#: Set by ``.ci/run``, which installs every tool these tests use: there a missing tool fails the
#: test instead of skipping it, so CI never passes by leaving a test out.
TOOLS_REQUIRED = os.environ.get("ERLEN_REQUIRE_TOOLS") == "1"


def _missing(what: str) -> NoReturn:
    if TOOLS_REQUIRED:
        pytest.fail(f"{what}, but ERLEN_REQUIRE_TOOLS=1 says this machine has every tool")
    pytest.skip(what)


def require_module(name: str) -> None:
    """Skip the test when the server ``name`` is not installed (fail it under CI)."""
    if importlib.util.find_spec(name) is None:
        _missing(f"the {name} server is not installed in this environment")


def require_binary(name: str, *fallbacks: str) -> str:
    """Return the path of the program ``name``; skip the test when it is absent (fail it under
    CI)."""
    found = shutil.which(name) or next((p for p in fallbacks if os.access(p, os.X_OK)), None)
    if found is None:
        _missing(f"{name} is not installed (looked on PATH and in {', '.join(fallbacks)})")
    return found
