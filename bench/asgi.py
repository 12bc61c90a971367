"""erlen's ASGI side beside its ASGI peers, in one run: ``nox -s bench`` (or ``python asgi.py``).

1. In process: one GET per call to each framework's ASGI app on one event loop, for ``hello``
   (a string) and ``params`` (an int URL parameter, a dict answer). erlen's views are
   ``async def``, as are the peers'. Medians of interleaved rounds, in µs of the process's CPU
   time per request (what other load on the machine takes is not counted), and erlen's ratio to
   each peer; then, with valgrind present, CPU instructions per request of the
   same loop under callgrind (stable on a busy machine), with the targets of the ASGI issue:
   erlen at most twice Starlette's cost and a fifth of Quart's.
2. Concurrency: 500 simultaneous requests to a view that waits 100 ms, erlen's ``app.asgi``
   under uvicorn (one worker) beside Flask under gunicorn gthread (one worker, 8 threads) with
   a view that sleeps 100 ms. Wall time for all 500.

Peers that are not installed (Starlette, FastAPI, Quart, Flask, uvicorn, gunicorn) are left out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.request

Message = dict[str, t.Any]
ASGIApp = t.Callable[[Message, t.Any, t.Any], t.Awaitable[None]]


async def _hello() -> str:
    return "Hello, World!"


async def _user(user_id: int) -> dict[str, int]:
    return {"id": user_id}


def _flask_style(app: t.Any) -> t.Any:
    """Register the two views on an app with Flask's API (erlen, Quart)."""
    app.add_url_rule("/hello", "hello", _hello)
    app.add_url_rule("/users/<int:user_id>", "user", _user)
    return app


def _peer(name: str) -> t.Any:
    """A peer framework's module (not a dependency of the checkout, so untyped here)."""
    return importlib.import_module(name)


def erlen_app() -> ASGIApp:
    from erlen import Erlen

    return t.cast(ASGIApp, _flask_style(Erlen("bench")).asgi)


def starlette_app() -> ASGIApp:
    responses = _peer("starlette.responses")
    route = _peer("starlette.routing").Route

    async def hello(request: t.Any) -> t.Any:
        return responses.PlainTextResponse("Hello, World!")

    async def user(request: t.Any) -> t.Any:
        return responses.JSONResponse({"id": request.path_params["user_id"]})

    routes = [route("/hello", hello), route("/users/{user_id:int}", user)]
    return t.cast(ASGIApp, _peer("starlette.applications").Starlette(routes=routes))


def fastapi_app() -> ASGIApp:
    fastapi = _peer("fastapi")
    plain = _peer("fastapi.responses").PlainTextResponse
    app = fastapi.FastAPI()
    app.add_api_route("/hello", _hello, methods=["GET"], response_class=plain)
    app.add_api_route("/users/{user_id}", _user, methods=["GET"])
    return t.cast(ASGIApp, app)


def quart_app() -> ASGIApp:
    return t.cast(ASGIApp, _flask_style(_peer("quart").Quart("bench")))


FRAMEWORKS: dict[str, tuple[str, t.Callable[[], ASGIApp]]] = {
    "erlen": ("erlen", erlen_app),
    "starlette": ("starlette", starlette_app),
    "fastapi": ("fastapi", fastapi_app),
    "quart": ("quart", quart_app),
}
PATHS = {"hello": "/hello", "params": "/users/42"}


def scope_for(path: str) -> Message:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
        "state": {},
    }


async def _lifespan_startup(app: ASGIApp) -> None:
    """Quart and FastAPI want a lifespan startup before requests."""
    messages = [{"type": "lifespan.startup"}]
    done = asyncio.Event()

    async def receive() -> Message:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()
        return {}

    async def send(message: Message) -> None:
        done.set()

    task = asyncio.ensure_future(app({"type": "lifespan", "state": {}}, receive, send))
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(done.wait(), 5)
    task.cancel()


async def per_request(app: ASGIApp, path: str, requests: int, warm_up: int = 50) -> float:
    """CPU seconds per request for ``requests`` GETs of ``path``, after ``warm_up`` more."""
    request = {"type": "http.request", "body": b"", "more_body": False}
    statuses: list[int] = []
    never = asyncio.get_running_loop().create_future()

    async def receive() -> Message:
        # As a server does: the body once, then nothing until the client goes away.
        if received:
            await never
        received.append(True)
        return request

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    received: list[bool] = []
    for _ in range(warm_up):
        received.clear()
        await app(scope_for(path), receive, send)
    started = time.process_time()
    for _ in range(requests):
        received.clear()
        await app(scope_for(path), receive, send)
    elapsed = time.process_time() - started
    if set(statuses) != {200}:
        raise SystemExit(f"{path} answered {sorted(set(statuses))}")
    return elapsed / requests


def _installed() -> dict[str, t.Callable[[], ASGIApp]]:
    return {
        name: make
        for name, (module, make) in FRAMEWORKS.items()
        if importlib.util.find_spec(module) is not None
    }


def in_process(requests: int, rounds: int) -> None:
    installed = _installed()
    loop = asyncio.new_event_loop()
    apps = {name: make() for name, make in installed.items()}
    for app in apps.values():
        loop.run_until_complete(_lifespan_startup(app))
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for scenario, path in PATHS.items():
            for name, app in apps.items():
                seconds = loop.run_until_complete(per_request(app, path, requests))
                times.setdefault((name, scenario), []).append(seconds)
    loop.close()
    print(f"in process, CPU µs per request (median of {rounds} rounds of {requests})")
    print(f"{'scenario':10}" + "".join(f"{name:>12}" for name in apps))
    for scenario in PATHS:
        medians = {name: statistics.median(times[name, scenario]) * 1e6 for name in apps}
        print(f"{scenario:10}" + "".join(f"{medians[name]:12.1f}" for name in apps))
        for peer in apps:
            if peer != "erlen":
                ratio = medians["erlen"] / medians[peer]
                print(f"  erlen / {peer}: {ratio:.2f}x")


#: The cost targets: peer -> the highest erlen/peer instruction ratio.
TARGETS = {"starlette": 2.0, "quart": 0.2}


def count(name: str, scenario: str, requests: int) -> None:
    """The measured loop alone, marked by ``os.getppid()`` for callgrind (``--count``)."""
    app = FRAMEWORKS[name][1]()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(_lifespan_startup(app))
    loop.run_until_complete(per_request(app, PATHS[scenario], 50))
    os.getppid()
    loop.run_until_complete(per_request(app, PATHS[scenario], requests, warm_up=0))
    os.getppid()
    loop.close()


def instruction_table(requests: int) -> None:
    from bench import callgrind

    names = list(_installed())
    print(f"\nCPU instructions per request (callgrind, {requests} requests)")
    print(f"{'scenario':10}" + "".join(f"{name:>12}" for name in names))
    for scenario in PATHS:
        counts = {
            name: callgrind([__file__, "--count", name, scenario, str(requests)], requests)
            for name in names
        }
        print(f"{scenario:10}" + "".join(f"{counts[name]:12,}" for name in names))
        for peer in names:
            if peer != "erlen":
                ratio = counts["erlen"] / counts[peer]
                verdict = ""
                if peer in TARGETS:
                    met = "met" if ratio <= TARGETS[peer] else "MISSED"
                    verdict = f" (target ≤ {TARGETS[peer]}: {met})"
                print(f"  erlen / {peer}: {ratio:.2f}x{verdict}")


# -- concurrency ---------------------------------------------------------------------------------

#: The slow app, for erlen (async view) and Flask (sync view).
SLOW_APP = """\
import {waits}
from {package} import {name}
app = {name}(__name__)
@app.get("/")
def index():
    return "up"
@app.get("/slow")
{kind}def slow():
    {wait}
    return "slept"
"""


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /slow HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def _storm(port: int, count: int) -> tuple[float, int]:
    started = time.perf_counter()
    answers = await asyncio.gather(*(_get(port) for _ in range(count)))
    ok = sum(a.startswith(b"HTTP/1.1 200") and a.endswith(b"slept") for a in answers)
    return time.perf_counter() - started, ok


def _serve_and_storm(command: list[str], cwd: str, port: int, count: int) -> tuple[float, int]:
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, "PYTHONPATH": cwd}, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{command[2]} did not start") from None
                time.sleep(0.1)
        return asyncio.run(_storm(port, count))
    finally:
        os.killpg(process.pid, 15)
        process.wait(10)


def concurrency(count: int) -> None:
    print(f"\n{count} concurrent requests to a view that waits 100 ms")
    with tempfile.TemporaryDirectory() as folder:
        erlen_slow = SLOW_APP.format(
            waits="asyncio",
            package="erlen",
            name="Erlen",
            kind="async ",
            wait="await asyncio.sleep(0.1)",
        )
        flask_slow = SLOW_APP.format(
            waits="time", package="flask", name="Flask", kind="", wait="time.sleep(0.1)"
        )
        pathlib.Path(folder, "erlen_slow.py").write_text(erlen_slow)
        pathlib.Path(folder, "flask_slow.py").write_text(flask_slow)
        runs = []
        if importlib.util.find_spec("uvicorn"):
            port = _free_port()
            command = [sys.executable, "-m", "uvicorn", "--port", str(port), "--workers", "1"]
            command += ["--log-level", "warning", "--backlog", "4096", "erlen_slow:app.asgi"]
            runs.append(("erlen, uvicorn 1 worker, async view", command, port))
        if importlib.util.find_spec("gunicorn") and importlib.util.find_spec("flask"):
            port = _free_port()
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "--no-control-socket",
                "-k",
                "gthread",
                "-w",
                "1",
            ]
            command += ["--threads", "8", "-b", f"127.0.0.1:{port}", "--backlog", "4096"]
            command += ["flask_slow:app"]
            runs.append(("Flask, gunicorn gthread 1x8, sync view", command, port))
        for label, command, port in runs:
            elapsed, ok = _serve_and_storm(command, folder, port, count)
            print(f"  {label:42} {elapsed:6.2f} s  ({ok}/{count} answered 200)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrent", type=int, default=500)
    parser.add_argument("--skip-servers", action="store_true")
    parser.add_argument("--callgrind-requests", type=int, default=300)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--count", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.count:
        name, scenario, requests = options.count
        count(name, scenario, int(requests))
        return
    in_process(options.requests, options.rounds)
    if not options.no_callgrind and shutil.which("valgrind"):
        instruction_table(options.callgrind_requests)
    if not options.skip_servers:
        concurrency(options.concurrent)


if __name__ == "__main__":
    main()
