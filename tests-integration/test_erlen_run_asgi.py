"""``erlen run --asgi`` for real: the command starts uvicorn on the feature app's ``app.asgi``,
and ``python -m flask run --asgi`` does the same on erlen through ``ERLEN_AS_FLASK=1``; with
``--reload`` uvicorn's reloader loads the app again in its own process, found the way the
command found it.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import pathlib
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from harness import APPS
from harness import free_port
from harness import require_module
from harness import stop
from harness import wait_until_serving
from test_servers import Server

#: The two ways to name the command: erlen's own, and Flask's run on erlen.
COMMANDS = {
    "erlen": (["-m", "erlen"], {}),
    "flask": (["-m", "flask"], {"ERLEN_AS_FLASK": "1"}),
}


@contextlib.contextmanager
def erlen_run(
    command: str, *args: str, cwd: pathlib.Path, log: pathlib.Path, **env: str
) -> Iterator[Server]:
    """Run ``<command> <args> run --asgi --port N`` until the block ends; its output goes to
    ``log``.
    """
    require_module("uvicorn")
    prefix, command_env = COMMANDS[command]
    port = free_port()
    # No .env or FLASK_* of the calling environment may change what the command finds.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "ERLEN_"))}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, *prefix, *args, "run", "--asgi", "--port", str(port)],
            cwd=cwd,
            env={**base, "PYTHONPATH": str(APPS), **command_env, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/", process, timeout=60)
            yield Server(f"erlen run --asgi ({command})", port)
        finally:
            stop(process)


@pytest.fixture(
    scope="module",
    params=[pytest.param(c, marks=pytest.mark.server(f"{c} run --asgi")) for c in COMMANDS],
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, pathlib.Path]]:
    log = tmp_path_factory.mktemp("erlen-run") / "output.txt"
    with erlen_run(request.param, "--app", "feature_app", cwd=APPS, log=log) as server:
        yield server, log


def test_the_banner_names_uvicorn(served: tuple[Server, pathlib.Path]) -> None:
    output = served[1].read_text()
    assert " * Serving erlen app 'feature_app'" in output
    uvicorn = importlib.metadata.version("uvicorn")
    assert f" * Server: uvicorn {uvicorn}, ASGI (app.asgi)" in output


def test_lifespan_ran(served: tuple[Server, pathlib.Path]) -> None:
    assert served[0].request("GET", "/serving")[1] == b"started"


def test_an_async_view(served: tuple[Server, pathlib.Path]) -> None:
    response, body = served[0].request("GET", "/slow?seconds=0.2")
    assert (response.status, body) == (200, b"slept")


def test_server_sent_events(served: tuple[Server, pathlib.Path]) -> None:
    response, body = served[0].request("GET", "/events", {"Last-Event-ID": "4"})
    assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
    ids = [line for line in body.decode().splitlines() if line.startswith("id: ")]
    assert ids == ["id: 5", "id: 6", "id: 7"]


def test_a_websocket(served: tuple[Server, pathlib.Path]) -> None:
    require_module("websockets")
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{served[0].port}/ws/run", open_timeout=10) as ws:
        ws.send("hello")
        assert json.loads(ws.recv(timeout=10)) == {"to": "run", "echo": "hello", "cookie": None}


RELOADED_APP = """
import asyncio

from erlen import Erlen

app = Erlen(__name__)


@app.get("/")
async def index():
    await asyncio.sleep(0)
    return "{version}"
"""


def _answer(server: Server) -> bytes:
    try:
        return server.request("GET", "/")[1]
    except OSError:  # between two server processes
        return b""


@pytest.mark.parametrize(
    "command",
    [pytest.param(c, marks=pytest.mark.server(f"{c} run --asgi --reload")) for c in COMMANDS],
)
def test_reload_loads_the_changed_app(command: str, tmp_path: pathlib.Path) -> None:
    # Found by discovery (app.py in the current folder) and a .flaskenv, in uvicorn's process.
    (tmp_path / "app.py").write_text(RELOADED_APP.format(version="first"))
    (tmp_path / ".flaskenv").write_text("FLASK_DEBUG=1\n")
    log = tmp_path / "output.txt"
    with erlen_run(command, cwd=tmp_path, log=log) as server:
        assert _answer(server) == b"first"
        # A later modification time than the one the reloader saw, whatever the clock's step.
        later = time.time() + 2
        (tmp_path / "app.py").write_text(RELOADED_APP.format(version="second"))
        os.utime(tmp_path / "app.py", (later, later))
        deadline = time.monotonic() + 30
        while _answer(server) != b"second" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _answer(server) == b"second"
    output = log.read_text()
    assert " * Debug mode: on" in output
    assert "Reloading" in output
