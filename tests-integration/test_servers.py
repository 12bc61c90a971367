"""The feature app behind real WSGI servers, spoken to over real HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.client
import http.cookiejar
import json
import pathlib
import select
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from harness import APPS
from harness import free_port
from harness import require_module
from harness import serving

APP = "feature_app:app"
#: The ASGI application of the same app object.
ASGI_APP = "feature_app:app.asgi"
MB = 1024 * 1024


def _erlen_run(port: int) -> list[str]:
    return [
        *("-m", "erlen", "--app", APP, "run", "--port", str(port)),
        *("--no-reload", "--no-debugger", "--with-threads"),
    ]


def _gunicorn(*worker: str) -> Callable[[int], list[str]]:
    return lambda port: [
        "-m",
        "gunicorn",
        "--no-control-socket",
        "-b",
        f"127.0.0.1:{port}",
        *worker,
        APP,
    ]


#: Server name -> (module that must be installed, arguments to ``python`` for a port).
SERVERS: dict[str, tuple[str, Callable[[int], list[str]]]] = {
    "werkzeug-dev": ("werkzeug", _erlen_run),
    "gunicorn-sync": ("gunicorn", _gunicorn("-w", "2")),
    "gunicorn-gthread": ("gunicorn", _gunicorn("-k", "gthread", "--threads", "4")),
    "waitress": ("waitress", lambda port: ["-m", "waitress", f"--listen=127.0.0.1:{port}", APP]),
    # The same app object under ASGI servers: every test below must answer the same.
    "uvicorn": ("uvicorn", lambda port: ["-m", "uvicorn", "--port", str(port), ASGI_APP]),
    "hypercorn": (
        "hypercorn",
        lambda port: ["-m", "hypercorn", "-b", f"127.0.0.1:{port}", ASGI_APP],
    ),
    "granian": (
        "granian",
        lambda port: [
            *("-m", "granian", "--interface", "asgi", "--host", "127.0.0.1"),
            *("--port", str(port), ASGI_APP),
        ],
    ),
}


@dataclass
class Server:
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        conn = self.connection()
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()


@pytest.fixture(
    scope="module",
    params=[pytest.param(name, marks=pytest.mark.server(name)) for name in SERVERS],
)
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    module, arguments = SERVERS[request.param]
    require_module(module)
    port = free_port()
    command = [sys.executable, *arguments(port)]
    with serving(command, f"http://127.0.0.1:{port}/", cwd=APPS, PYTHONPATH=str(APPS)):
        yield Server(request.param, port)


def test_route_with_converter_builds_external_url(server: Server) -> None:
    response, body = server.request("GET", "/users/42")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(body) == {"id": 42, "url": f"{server.url}/users/42"}


def test_redirect_is_followed_by_the_client(server: Server) -> None:
    response, _ = server.request("GET", "/old")
    assert response.status == 302
    assert response.getheader("Location") == "/users/7"
    with urllib.request.urlopen(f"{server.url}/old") as followed:
        assert followed.url == f"{server.url}/users/7"
        assert json.loads(followed.read())["id"] == 7


def test_cookie_set_by_one_response_is_sent_back(server: Server) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    assert opener.open(f"{server.url}/cookie/set?value=mint").read() == b"set"
    assert opener.open(f"{server.url}/cookie/get").read() == b"mint"
    (cookie,) = jar
    assert (cookie.name, cookie.value) == ("flavour", "mint")
    assert cookie.has_nonstandard_attr("HttpOnly")


def test_session_keeps_state_across_requests(server: Server) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(urllib.request.Request(f"{server.url}/cart/apple", method="POST"))
    opener.open(urllib.request.Request(f"{server.url}/cart/pear", method="POST"))
    assert json.loads(opener.open(f"{server.url}/cart").read()) == {"cart": ["apple", "pear"]}
    # A client without the cookie has an empty cart.
    with urllib.request.urlopen(f"{server.url}/cart") as fresh:
        assert json.loads(fresh.read()) == {"cart": []}


def test_stream_with_context_reads_the_request_while_streaming(server: Server) -> None:
    response, body = server.request("GET", "/stream?count=4")
    assert response.status == 200
    assert response.getheader("Content-Length") is None
    assert body.decode().splitlines() == [f"chunk {i} of /stream" for i in range(4)]


def _post_stream(server: Server, size: int) -> tuple[int, bytes, str]:
    """POST ``size`` bytes in 1 MB blocks; stop sending when the server answers early.

    Returns the status, the body and the SHA-256 of what the client meant to send.
    """
    block = bytes(range(256)) * (MB // 256)
    digest = hashlib.sha256()
    for _ in range(size // MB):
        digest.update(block)
    conn = server.connection()
    try:
        conn.putrequest("POST", "/upload")
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        sock = conn.sock
        assert sock is not None
        sent = 0
        while sent < size:
            readable, writable, _ = select.select([sock], [sock], [], 30)
            if readable:
                break  # The server answered before taking the whole body.
            if writable:
                offset = sent % MB
                sent += sock.send(block[offset : offset + size - sent])
        response = conn.getresponse()
        return response.status, response.read(), digest.hexdigest()
    finally:
        conn.close()


def test_a_50_mb_upload_is_read_whole(server: Server) -> None:
    status, body, sha256 = _post_stream(server, 50 * MB)
    assert status == 200
    assert json.loads(body) == {"size": 50 * MB, "sha256": sha256}


def test_an_upload_above_max_content_length_is_refused_with_413(server: Server) -> None:
    status, body, _ = _post_stream(server, 61 * MB)
    assert status == 413
    assert b"Request Entity Too Large" in body


def test_static_file_with_etag_and_conditional_get(server: Server) -> None:
    response, body = server.request("GET", "/static/lines.txt")
    assert response.status == 200
    assert body == (APPS / "static" / "lines.txt").read_bytes()
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
    etag = response.getheader("ETag")
    assert etag
    again, again_body = server.request("GET", "/static/lines.txt", {"If-None-Match": etag})
    assert again.status == 304
    assert again_body == b""
    assert again.getheader("ETag") == etag


def test_static_file_range_request_is_a_206(server: Server) -> None:
    response, body = server.request("GET", "/static/lines.txt", {"Range": "bytes=55-109"})
    assert response.status == 206
    assert body == b"line 0001: the quick brown fox jumps over the lazy dog\n"
    assert response.getheader("Content-Range") == "bytes 55-109/11000"
    assert response.getheader("Accept-Ranges") == "bytes"


def test_head_has_the_headers_of_get_and_no_body(server: Server) -> None:
    get, get_body = server.request("GET", "/users/5")
    head, head_body = server.request("HEAD", "/users/5")
    assert head.status == 200
    assert head_body == b""
    assert head.getheader("Content-Length") == get.getheader("Content-Length") == str(len(get_body))


def test_options_lists_the_allowed_methods(server: Server) -> None:
    response, body = server.request("OPTIONS", "/items")
    assert response.status == 200
    assert body == b""
    assert set(response.getheader("Allow", "").split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT"}


def test_unknown_path_is_a_404_page(server: Server) -> None:
    response, body = server.request("GET", "/nowhere")
    assert response.status == 404
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b"<h1>Not Found</h1>" in body


def test_wrong_method_is_a_405_page_with_allow(server: Server) -> None:
    response, body = server.request("DELETE", "/items")
    assert response.status == 405
    assert b"<h1>Method Not Allowed</h1>" in body
    assert set(response.getheader("Allow", "").split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT"}


def test_abort_gives_the_error_page(server: Server) -> None:
    response, body = server.request("GET", "/teapot")
    assert response.status == 418
    assert b"<h1>I&#39;m a teapot</h1>" in body


PLAIN_FLASK_APP = """\
import sys

from flask import Flask, session

app = Flask(__name__)
app.secret_key = "plain"


@app.get("/")
def index():
    session["visits"] = session.get("visits", 0) + 1
    return {"app": type(app).__module__, "flask": sys.modules["flask"].__name__}
"""


@pytest.mark.server("gunicorn+ERLEN_AS_FLASK")
def test_an_unchanged_flask_app_runs_on_erlen_under_gunicorn(tmp_path: pathlib.Path) -> None:
    require_module("gunicorn")
    (tmp_path / "plain_flask.py").write_text(PLAIN_FLASK_APP)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "2"]
    with serving(
        [*command, "-b", f"127.0.0.1:{port}", "plain_flask:app"],
        url,
        cwd=tmp_path,
        ERLEN_AS_FLASK="1",
    ):
        with urllib.request.urlopen(url, timeout=30) as response:
            assert json.loads(response.read()) == {"app": "erlen_core.app", "flask": "erlen"}
            assert "session=" in response.headers["Set-Cookie"]
