from __future__ import annotations

import importlib.metadata
import io
import json
from typing import Any

import flask
import pytest
import werkzeug
import werkzeug.test
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Request

from erlen_testing import EnvironBuilder
from erlen_testing import ErlenClient
from erlen_testing import FlaskClient
from erlen_testing.client import _user_agent


@pytest.fixture
def echo(app: flask.Flask) -> flask.Flask:
    @app.route("/echo", methods=["GET", "POST", "PUT"])
    def echo_view() -> dict[str, Any]:
        request = flask.request
        return {
            "method": request.method,
            "url": request.url,
            "args": request.args.to_dict(),
            "form": request.form.to_dict(),
            "json": request.get_json(silent=True),
            "files": {k: f.read().decode() for k, f in request.files.items()},
            "header": request.headers.get("X-Test"),
            "remote_addr": request.remote_addr,
            "user_agent": request.user_agent.string,
        }

    return app


def test_alias_and_app_factory(app: flask.Flask, client: ErlenClient) -> None:
    assert FlaskClient is ErlenClient
    assert type(client) is ErlenClient
    assert client.application is app


def test_environ_base_defaults(echo: flask.Flask, client: ErlenClient) -> None:
    data = client.get("/echo").json
    assert data["remote_addr"] == "127.0.0.1"
    assert data["user_agent"] == f"Werkzeug/{importlib.metadata.version('werkzeug')}"
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert client.get("/echo").json["remote_addr"] == "10.1.2.3"
    assert client.get("/echo", environ_base={"REMOTE_ADDR": "::1"}).json["remote_addr"] == "::1"


def test_werkzeug_version_read_once(app: flask.Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []

    def version(name: str) -> str:
        reads.append(name)
        return "9.9"

    monkeypatch.setattr(importlib.metadata, "version", version)
    _user_agent.cache_clear()
    try:
        agents = {ErlenClient(app).environ_base["HTTP_USER_AGENT"] for _ in range(3)}
    finally:
        _user_agent.cache_clear()
    assert agents == {"Werkzeug/9.9"}
    assert reads == ["werkzeug"]


def test_request_arguments(echo: flask.Flask, client: ErlenClient) -> None:
    rv = client.post(
        "/echo",
        query_string={"q": "1"},
        headers={"X-Test": "yes"},
        data={"name": "erlen", "upload": (io.BytesIO(b"file body"), "a.txt")},
    )
    data = rv.json
    assert data["method"] == "POST"
    assert data["args"] == {"q": "1"}
    assert data["form"] == {"name": "erlen"}
    assert data["files"] == {"upload": "file body"}
    assert data["header"] == "yes"
    assert client.put("/echo", json={"a": [1, 2]}).json["json"] == {"a": [1, 2]}


def test_config_drives_urls(echo: flask.Flask, client: ErlenClient) -> None:
    echo.config.update(SERVER_NAME="example.test", PREFERRED_URL_SCHEME="https")
    assert client.get("/echo?x=1").json["url"] == "https://example.test/echo?x=1"
    assert client.get("/echo", subdomain="api", url_scheme="http").json["url"] == (
        "http://api.example.test/echo"
    )


def test_response_json_uses_app_provider(app: flask.Flask, client: ErlenClient) -> None:
    class Provider(flask.json.provider.DefaultJSONProvider):
        def loads(self, s: str | bytes, **kwargs: Any) -> Any:
            return {"decoded_by": "app", "data": json.loads(s, **kwargs)}

    app.json = Provider(app)
    app.add_url_rule("/", "index", lambda: {"x": 1})
    assert client.get("/").json == {"decoded_by": "app", "data": {"x": 1}}


def test_cookies_persist(app: flask.Flask, client: ErlenClient) -> None:
    @app.route("/set")
    def set_cookie() -> flask.Response:
        response = flask.make_response("set")
        response.set_cookie("flavour", "ginger")
        return response

    app.add_url_rule("/get", "get", lambda: flask.request.cookies.get("flavour", "none"))
    client.get("/set")
    assert client.get("/get").data == b"ginger"
    assert client.get_cookie("flavour").value == "ginger"

    no_jar = app.test_client(use_cookies=False)
    no_jar.get("/set")
    assert no_jar.get("/get").data == b"none"


def test_follow_redirects(app: flask.Flask, client: ErlenClient) -> None:
    app.add_url_rule("/start", "start", lambda: flask.redirect("/middle"))
    app.add_url_rule("/middle", "middle", lambda: flask.redirect("/end", 307))
    app.add_url_rule("/end", "end", lambda: "done")
    rv = client.get("/start", follow_redirects=True)
    assert rv.data == b"done"
    assert [r.request.path for r in rv.history] == ["/start", "/middle"]
    assert rv.request.path == "/end"
    assert rv.json_module is app.json
    assert client.get("/start").status_code == 302


def test_open_accepts_prepared_requests(echo: flask.Flask, client: ErlenClient) -> None:
    builder = EnvironBuilder(echo, "/echo", query_string={"via": "builder"})
    assert client.open(builder).json["args"] == {"via": "builder"}
    # The client's environ_base is applied to a copy: the builder is not changed.
    assert builder.environ_base is None

    plain = werkzeug.test.EnvironBuilder("/echo", query_string={"via": "werkzeug"})
    assert client.open(plain).json["args"] == {"via": "werkzeug"}

    environ = EnvironBuilder(echo, "/echo", query_string={"via": "environ"}).get_environ()
    data = client.open(environ).json
    assert data["args"] == {"via": "environ"}
    assert data["user_agent"].startswith("Werkzeug/")

    request = Request(EnvironBuilder(echo, "/echo?via=request").get_environ())
    rv = client.open(request)
    assert rv.json["args"] == {"via": "request"}
    assert rv.json["remote_addr"] == "127.0.0.1"
    assert "REMOTE_ADDR" not in request.environ


def test_with_block_keeps_last_request(app: flask.Flask, client: ErlenClient) -> None:
    @app.route("/<name>")
    def page(name: str) -> str:
        flask.g.name = name
        flask.session["last"] = name
        return name

    with client as same:
        assert same is client
        client.get("/one")
        assert flask.request.path == "/one"
        assert flask.g.name == "one"
        client.get("/two")
        assert flask.request.path == "/two"
        assert flask.session["last"] == "two"

    assert not flask.has_request_context()
    assert not flask.has_app_context()
    client.get("/three")
    assert not flask.has_request_context()


def test_with_block_cannot_nest(client: ErlenClient) -> None:
    with client, pytest.raises(RuntimeError, match="cannot nest"):
        client.__enter__()


def test_redirect_keeps_only_final_contexts(app: flask.Flask, client: ErlenClient) -> None:
    torn_down: list[str] = []
    app.teardown_request(lambda exc: torn_down.append(flask.request.path))
    # Three hops: /a -> /b -> /c, each leaving a mark in g and the session.
    hops = {"/a": "/b", "/b": "/c"}

    @app.route("/<name>")
    def hop(name: str) -> Any:
        flask.g.hop = name
        flask.session.setdefault("visited", []).append(name)
        flask.session.modified = True
        following = hops.get(flask.request.path)
        return flask.redirect(following) if following else "arrived"

    with client:
        response = client.get("/a", follow_redirects=True)
        assert response.data == b"arrived"
        # What stays pushed is the last hop's request, with the session it saved.
        assert flask.request.path == "/c"
        assert flask.g.hop == "c"
        assert flask.session["visited"] == ["a", "b", "c"]
        # Each hop is kept until the next one starts, so /b is torn down a second time then;
        # /a, run inside the first call, is never kept at all (Flask would re-push it too).
        assert torn_down == ["/a", "/b", "/b", "/c"]

    # The end of the block tears down the kept context once more; earlier hops stay gone.
    assert torn_down == ["/a", "/b", "/b", "/c", "/c"]
    assert not flask.has_request_context()


def test_preserved_contexts_pop_on_top_of_existing(
    app: flask.Flask, req_ctx: Any, client: ErlenClient
) -> None:
    app.add_url_rule("/", "index", lambda: flask.stream_with_context("hello"))

    with client:
        rv = client.get("/")
        assert flask.request.path == "/"

    rv.close()
    assert flask.globals._cv_request.get(None) is req_ctx


def test_session_transaction(app: flask.Flask, client: ErlenClient) -> None:
    app.add_url_rule("/", "index", lambda: str(flask.session.get("value")))

    with client.session_transaction() as session:
        assert "value" not in session
        session["value"] = 42

    assert client.get("/").data == b"42"

    with client.session_transaction() as session:
        assert session["value"] == 42


def test_session_transaction_arguments(app: flask.Flask, client: ErlenClient) -> None:
    app.add_url_rule("/", "index", lambda: str(flask.session.get("who")))

    with client.session_transaction(base_url="http://other.test/") as session:
        session["who"] = "other"

    assert client.get("/").data == b"None"
    assert client.get("/", base_url="http://other.test/").data == b"other"


def test_session_transaction_without_secret_key(app: flask.Flask, client: ErlenClient) -> None:
    app.secret_key = None

    with pytest.raises(RuntimeError, match="did not open a session.*SECRET_KEY"):
        with client.session_transaction():
            pass  # pragma: no cover


def test_session_transaction_null_session(app: flask.Flask, client: ErlenClient) -> None:
    class NullInterface(SecureCookieSessionInterface):
        def open_session(self, app: flask.Flask, request: Any) -> Any:
            return self.make_null_session(app)

        def save_session(self, *args: Any) -> None:  # pragma: no cover
            raise AssertionError("a null session is never saved")

    app.session_interface = NullInterface()

    with client.session_transaction() as session:
        assert app.session_interface.is_null_session(session)


def test_session_transaction_needs_cookies(app: flask.Flask) -> None:
    client = app.test_client(use_cookies=False)

    with pytest.raises(TypeError, match="Cookies are disabled.*use_cookies=True"):
        with client.session_transaction():
            pass  # pragma: no cover


def test_is_a_werkzeug_client(app: flask.Flask, client: ErlenClient) -> None:
    app.add_url_rule("/", "index", lambda: "ok")
    assert isinstance(client, werkzeug.test.Client)
    assert isinstance(client.get("/"), werkzeug.test.TestResponse)
