"""What needs an ASGI server, over real sockets: lifespan, async views that overlap,
server-sent events and WebSockets under uvicorn, hypercorn and granian; and what a WSGI server
(gunicorn) answers for the same routes of the same app object.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import sys
import time
import typing as t
from collections.abc import Iterator

import pytest

from harness import APPS
from harness import free_port
from harness import require_module
from harness import serving
from test_browser import chromium  # noqa: F401 (the fixture)
from test_servers import ASGI_APP
from test_servers import Server
from test_servers import SERVERS

ASGI_SERVERS = ["uvicorn", "hypercorn", "granian"]


def _start(name: str) -> Iterator[Server]:
    module, arguments = SERVERS[name]
    require_module(module)
    port = free_port()
    command = [sys.executable, *arguments(port)]
    with serving(command, f"http://127.0.0.1:{port}/", cwd=APPS, PYTHONPATH=str(APPS)):
        yield Server(name, port)


@pytest.fixture(
    scope="module", params=[pytest.param(n, marks=pytest.mark.server(n)) for n in ASGI_SERVERS]
)
def asgi_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    yield from _start(request.param)


@pytest.fixture(scope="module")
def gunicorn() -> Iterator[Server]:
    yield from _start("gunicorn-gthread")


def test_the_import_string_names_the_apps_asgi_attribute() -> None:
    assert ASGI_APP == "feature_app:app.asgi"


def test_lifespan_ran_before_serving(asgi_server: Server) -> None:
    response, body = asgi_server.request("GET", "/serving")
    assert (response.status, body) == (200, b"started")


def test_a_wsgi_server_runs_no_lifespan_by_itself(gunicorn: Server) -> None:
    assert gunicorn.request("GET", "/serving")[1] == b"no lifespan"


def test_async_views_overlap_on_one_worker(asgi_server: Server) -> None:
    def slow(_: int) -> bytes:
        return asgi_server.request("GET", "/slow?seconds=0.5")[1]

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(40) as pool:
        bodies = list(pool.map(slow, range(40)))
    elapsed = time.monotonic() - started
    assert bodies == [b"slept"] * 40
    # One after the other they would take 20 s.
    assert elapsed < 4, elapsed


def _events(server: Server) -> tuple[http.client.HTTPResponse, bytes]:
    return server.request("GET", "/events", {"Last-Event-ID": "10"})


def _check_events(response: http.client.HTTPResponse, body: bytes) -> None:
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-cache"
    events = [e for e in body.decode().split("\n\n") if e and not e.startswith(":")]
    assert events == [
        f"event: tick\nid: {n}\ndata: tick {n}\ndata: of /events" for n in (11, 12, 13)
    ]
    assert b": keep-alive\n\n" in body


def test_server_sent_events(asgi_server: Server) -> None:
    _check_events(*_events(asgi_server))


def test_server_sent_events_under_a_wsgi_server(gunicorn: Server) -> None:
    _check_events(*_events(gunicorn))


def test_websocket_messages_flow_both_ways(asgi_server: Server) -> None:
    require_module("websockets")
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    url = f"ws://127.0.0.1:{asgi_server.port}/ws/ann"
    with connect(url, additional_headers={"Cookie": "k=v"}, open_timeout=10) as ws:
        ws.send("hi")
        assert json.loads(ws.recv(timeout=10)) == {"to": "ann", "echo": "hi", "cookie": "v"}
        ws.send("bye")
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(timeout=10)
    assert info.value.rcvd is not None and info.value.rcvd.code == 4000


def test_a_websocket_route_under_a_wsgi_server_asks_for_asgi(gunicorn: Server) -> None:
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    response, body = gunicorn.request("GET", "/ws/ann", headers)
    assert response.status == 426
    assert b"ASGI server" in body


@pytest.fixture(scope="module")
def uvicorn() -> Iterator[Server]:
    yield from _start("uvicorn")


BROWSER_SCRIPT = """
const done = arguments[arguments.length - 1];
const seen = {events: [], ws: []};
const source = new EventSource("/events");
source.addEventListener("tick", (e) => {
  seen.events.push([e.lastEventId, e.data]);
  if (seen.events.length === 3) { source.close(); talk(); }
});
function talk() {
  const ws = new WebSocket(`ws://${location.host}/ws/browser`);
  ws.onopen = () => ws.send("from chromium");
  ws.onmessage = (e) => { seen.ws.push(JSON.parse(e.data)); ws.send("bye"); };
  ws.onclose = (e) => { seen.close = e.code; done(seen); };
}
setTimeout(() => done(seen), 15000);
"""


@pytest.mark.server("chromium+uvicorn")
def test_chromium_sees_events_and_websocket_messages(
    uvicorn: Server,
    chromium: t.Any,  # noqa: F811 (the fixture imported above)
) -> None:
    chromium.set_script_timeout(20)
    chromium.get(f"{uvicorn.url}/")
    seen = chromium.execute_async_script(BROWSER_SCRIPT)
    assert seen["events"] == [[str(n), f"tick {n}\nof /events"] for n in (1, 2, 3)]
    assert seen["ws"] == [{"to": "browser", "echo": "from chromium", "cookie": None}]
    assert seen["close"] == 4000
