from __future__ import annotations

import urllib.request

import flask
import pytest

from erlen_testing import LiveServer


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def test_serves_real_http(app: flask.Flask) -> None:
    app.add_url_rule("/", "index", lambda: flask.url_for("index", _external=True))
    server = LiveServer(app)
    assert not server.running
    server.start()

    try:
        assert server.running
        assert server.port > 0
        assert app.config["SERVER_NAME"] == f"127.0.0.1:{server.port}"
        assert fetch(server.url("/")) == server.url("/").encode()

        with app.app_context():
            assert flask.url_for("index", _external=True) == server.url("/")
    finally:
        server.stop()

    assert not server.running
    assert app.config["SERVER_NAME"] is None


def test_restores_server_name_and_restarts(app: flask.Flask) -> None:
    app.config["SERVER_NAME"] = "example.test"
    app.add_url_rule("/", "index", lambda: "up")

    with LiveServer(app, "localhost") as server:
        assert server.url() == f"http://localhost:{server.port}"
        assert fetch(server.url("/")) == b"up"

    assert app.config["SERVER_NAME"] == "example.test"
    server.stop()  # stopping a stopped server does nothing

    with server:
        assert fetch(server.url("/")) == b"up"


def test_server_name_removed_when_it_was_missing() -> None:
    class App:
        config: dict[str, object] = {}

        def __call__(self, environ: object, start_response: object) -> list[bytes]:
            raise AssertionError("no request expected")  # pragma: no cover

    app = App()

    with LiveServer(app):  # type: ignore[arg-type]
        assert "SERVER_NAME" in app.config

    assert app.config == {}


def test_start_twice_is_an_error(app: flask.Flask) -> None:
    with LiveServer(app) as server, pytest.raises(RuntimeError, match="already running"):
        server.start()


def test_url_needs_a_port(app: flask.Flask) -> None:
    with pytest.raises(RuntimeError, match="call start"):
        LiveServer(app).url("/")

    assert LiveServer(app, port=8123).url("/x") == "http://127.0.0.1:8123/x"
    assert LiveServer(app, "::1", 8123).url("/x") == "http://[::1]:8123/x"


def test_repr(app: flask.Flask) -> None:
    server = LiveServer(app, port=8123)
    assert repr(server) == "<LiveServer 127.0.0.1:8123 (stopped)>"

    with LiveServer(app) as running:
        assert repr(running) == f"<LiveServer 127.0.0.1:{running.port} (running)>"
