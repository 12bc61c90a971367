"""Server-side sessions, through the WSGI middleware and inside a Flask application."""

from __future__ import annotations

import logging
import typing as t
from datetime import timedelta
from pathlib import Path

import flask
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.test import Client
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from erlen_sessions import SessionMiddleware
from erlen_sessions import SessionMixin
from erlen_sessions.server import ServerSession
from erlen_sessions.server import ServerSessionInterface
from erlen_sessions.server import SessionUnavailable
from erlen_sessions.server import UnavailableSession
from erlen_sessions.stores import MemoryStore
from erlen_sessions.stores import SQLiteStore
from erlen_sessions.stores import StoreUnavailable

from .conftest import FakeApp
from .conftest import FakeRequest
from .test_middleware import login as plain_login
from .test_middleware import make_app
from .test_middleware import nothing
from .test_middleware import routes
from .test_middleware import whoami


class SwitchableStore(MemoryStore):
    """A memory store that can be made to fail, as a store whose server went away."""

    down = False

    def _check(self) -> None:
        if self.down:
            raise StoreUnavailable("connection refused")

    def load(self, sid: str) -> str | None:
        self._check()
        return super().load(sid)

    def save(self, sid: str, data: str, lifetime: int, user: str | None) -> None:
        self._check()
        super().save(sid, data, lifetime, user)


def login(session: SessionMixin, request: Request) -> str:
    t.cast(ServerSession, session).regenerate()
    return plain_login(session, request)


def logout(session: SessionMixin, request: Request) -> str:
    session.clear()
    return "out"


def site(store: MemoryStore, **config: t.Any) -> tuple[SessionMiddleware, Client]:
    views = routes(login=login, whoami=whoami, logout=logout, nothing=nothing)
    interface = ServerSessionInterface(store, user_key="user")
    app = make_app(views, config=config, session_interface=interface)
    return app, Client(app)


def logged_in(store: MemoryStore, user: str) -> Client:
    _, client = site(store)
    client.get(f"/login?user={user}")
    return client


def cookie_of(client: Client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def sid_of(client: Client) -> str:
    return cookie_of(client).split(".")[0]


def test_the_cookie_holds_only_a_signed_id() -> None:
    store = MemoryStore()
    _, client = site(store)
    rv = client.get("/login?user=carol")
    assert rv.headers["Vary"] == "Cookie"
    assert "Expires" not in rv.headers["Set-Cookie"]
    sid = sid_of(client)
    assert len(sid) == 43 and "carol" not in rv.headers["Set-Cookie"]
    assert store.load(sid) == '{"_permanent":false,"user":"carol"}'
    assert client.get("/whoami").text == "carol"
    assert "Set-Cookie" not in client.get("/whoami").headers


def test_regenerate_issues_a_new_id_and_drops_the_old_record() -> None:
    store = MemoryStore()
    _, client = site(store)
    client.get("/login")
    first = sid_of(client)
    client.get("/login?user=bob")
    second = sid_of(client)
    assert first != second
    assert store.load(first) is None
    assert len(store) == 1
    assert client.get("/whoami").text == "bob"


def test_a_planted_id_is_worthless_after_login() -> None:
    store = MemoryStore()
    attacker = logged_in(store, "mallory")
    planted = attacker.get_cookie("session")
    assert planted is not None
    _, victim = site(store)
    victim.set_cookie("session", planted.value)
    victim.get("/login?user=victim")
    assert [attacker.get("/whoami").text, victim.get("/whoami").text] == ["None", "victim"]


def test_clear_removes_the_record_and_the_cookie() -> None:
    store = MemoryStore()
    _, client = site(store)
    client.get("/login")
    sid = sid_of(client)
    rv = client.get("/logout")
    assert rv.headers["Set-Cookie"].startswith("session=;")
    assert store.load(sid) is None and len(store) == 0
    assert client.get_cookie("session") is None


def test_revoking_a_user_logs_out_every_device() -> None:
    store = MemoryStore()
    app, _ = site(store)
    devices = [logged_in(store, user) for user in ("alice", "alice", "bob")]
    assert app.session_interface.revoke(app, "alice") == 2  # type: ignore[attr-defined]
    assert [device.get("/whoami").text for device in devices] == ["None", "None", "bob"]


def test_unknown_forged_and_expired_ids_read_as_new_sessions() -> None:
    store = MemoryStore()
    client = logged_in(store, "alice")
    good = cookie_of(client)
    sid, timestamp, signature = good.split(".")
    interface = ServerSessionInterface(store)
    other_key = make_app(login, secret_key="other key", session_interface=interface)
    foreign = Client(other_key)
    foreign.get("/login")
    bad = [
        f"{'A' * 43}.{timestamp}.{signature}",
        sid,
        f"{sid}.{timestamp}",
        "garbage",
        foreign.get_cookie("session").value,  # type: ignore[union-attr]
    ]
    for value in bad:
        client.set_cookie("session", value)
        assert client.get("/whoami").text == "None", value
    client.set_cookie("session", good)
    assert client.get("/whoami").text == "alice"
    store.delete(sid)
    assert client.get("/whoami").text == "None"


def test_an_old_id_cookie_is_refused() -> None:
    store = MemoryStore()
    app, client = site(store)
    client.get("/login")
    app.config["PERMANENT_SESSION_LIFETIME"] = -1
    assert client.get("/whoami").text == "None"


def test_permanent_sessions_are_refreshed_on_each_request() -> None:
    store = MemoryStore()
    app, client = site(store)
    assert "Expires=" in client.get("/login?permanent").headers["Set-Cookie"]
    first = sid_of(client)
    rv = client.get("/nothing")
    assert "Expires=" in rv.headers["Set-Cookie"]
    assert rv.headers["Vary"] == "Cookie"
    assert sid_of(client) == first
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/nothing").headers
    assert client.get("/whoami").text == "alice"


def test_a_request_without_session_use_touches_no_store() -> None:
    store = SwitchableStore()
    _, client = site(store, SESSION_REFRESH_EACH_REQUEST=False)
    client.get("/login")
    store.down = True
    rv = client.get("/nothing")
    assert rv.status_code == 200 and "Vary" not in rv.headers


def test_a_store_that_is_down_answers_503(caplog: pytest.LogCaptureFixture) -> None:
    store = SwitchableStore()
    _, client = site(store)
    client.get("/login")
    store.down = True

    with caplog.at_level(logging.ERROR, "erlen_sessions"):
        rv = client.get("/whoami")

    assert rv.status_code == 503
    assert "session store is unavailable" in rv.text
    assert "Set-Cookie" not in rv.headers
    [record] = caplog.records
    assert record.getMessage() == ("Session store unavailable, answering 503: connection refused")
    assert record.exc_info is None
    store.down = False
    assert client.get("/whoami").text == "alice"


def test_a_store_that_fails_on_save_answers_503(caplog: pytest.LogCaptureFixture) -> None:
    store = SwitchableStore()
    app, client = site(store)
    interface = app.session_interface
    assert isinstance(interface, ServerSessionInterface)
    session = ServerSession({"a": 1})
    store.down = True

    with pytest.raises(SessionUnavailable), caplog.at_level(logging.ERROR, "erlen_sessions"):
        interface.save_session(FakeApp(), session, Response())

    assert "connection refused" in caplog.text
    with caplog.at_level(logging.ERROR, "erlen_sessions"):
        assert client.get("/login").status_code == 503


def test_unavailable_session_refuses_everything() -> None:
    session = UnavailableSession("down")
    session.accessed = True

    for use in (
        lambda: session["a"],
        lambda: session.get("a"),
        lambda: "a" in session,
        lambda: list(session),
        lambda: len(session),
        lambda: session.items(),
        lambda: session.copy(),
        lambda: session.__setitem__("a", 1),
        lambda: session.clear(),
        lambda: session.permanent,
    ):
        with pytest.raises(SessionUnavailable):
            use()


def test_without_secret_key_there_is_no_session() -> None:
    interface = ServerSessionInterface(MemoryStore())
    assert interface.open_session(FakeApp(secret_key=None), FakeRequest()) is None
    assert not interface.should_open_for_save(FakeApp(secret_key=None), FakeRequest())

    with pytest.raises(RuntimeError, match="no secret key"):
        interface.save_session(FakeApp(secret_key=None), ServerSession({"a": 1}), Response())


def test_unreadable_record_reads_as_new() -> None:
    store = MemoryStore()
    interface = ServerSessionInterface(store)
    app = FakeApp()
    response = Response()
    interface.save_session(app, ServerSession({"a": 1}), response)
    cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    sid = cookie.split(".")[0]

    for garbage in ("not json", "[1, 2]"):
        store.save(sid, garbage, 60, None)
        session = interface.open_session(app, FakeRequest({"session": cookie}))
        assert isinstance(session, ServerSession) and session.new and session == {}


def test_session_attributes() -> None:
    store = MemoryStore()
    interface = ServerSessionInterface(store)
    app = FakeApp()
    new = interface.open_session(app, FakeRequest())
    assert isinstance(new, ServerSession)
    assert new.new and new.sid is None and not new.modified
    response = Response()
    interface.save_session(app, new, response)
    assert response.headers.get("Set-Cookie") is None and len(store) == 0
    new["a"] = 1
    interface.save_session(app, new, response)
    assert new.sid is not None and not new.regenerated
    cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    loaded = interface.open_session(app, FakeRequest({"session": cookie}))
    assert isinstance(loaded, ServerSession)
    assert loaded == {"a": 1} and loaded.sid == new.sid and not loaded.new


def test_default_store_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = FakeApp()
    app.instance_path = str(tmp_path / "instance")  # type: ignore[attr-defined]
    interface = ServerSessionInterface()
    store = interface.get_store(app)
    assert isinstance(store, SQLiteStore)
    assert store.path == str(tmp_path / "instance" / "sessions.sqlite3")
    assert interface.get_store(app) is store

    with pytest.raises(TypeError, match="needs a store"):
        ServerSessionInterface().get_store(FakeApp())


def test_inside_a_flask_application(tmp_path: Path) -> None:
    app = flask.Flask(__name__, instance_path=str(tmp_path))
    app.secret_key = "secret"
    app.permanent_session_lifetime = timedelta(hours=1)
    app.session_interface = ServerSessionInterface()

    @app.route("/login/<name>")
    def login(name: str) -> str:
        flask.session.regenerate()  # type: ignore[attr-defined]
        flask.session["_user_id"] = name
        return ""

    @app.route("/")
    def index() -> str:
        return str(flask.session.get("_user_id"))

    client = app.test_client()
    client.get("/login/dora")
    assert client.get("/").text == "dora"
    assert client.get("/").headers["Vary"] == "Cookie"

    with client.session_transaction() as session:
        assert session["_user_id"] == "dora"
        session["_user_id"] = "eve"

    assert client.get("/").text == "eve"
    assert (tmp_path / "sessions.sqlite3").exists()
    assert app.session_interface.revoke(app, "eve") == 1
    assert client.get("/").text == "None"


def test_inside_a_flask_application_store_down() -> None:
    store = SwitchableStore()
    app = flask.Flask(__name__)
    app.secret_key = "secret"
    app.session_interface = ServerSessionInterface(store)

    @app.route("/")
    def index() -> str:
        flask.session["n"] = flask.session.get("n", 0) + 1
        return str(flask.session["n"])

    @app.route("/static-page")
    def page() -> str:
        return "no session needed"

    client = app.test_client()
    assert client.get("/").text == "1"
    store.down = True
    assert client.get("/").status_code == 503
    assert client.get("/static-page").status_code == 200


@settings(max_examples=50)
@given(st.text())
def test_any_cookie_reads_as_a_new_session(cookie: str) -> None:
    interface = ServerSessionInterface(MemoryStore())
    session = interface.open_session(FakeApp(), FakeRequest({"session": cookie}))
    assert isinstance(session, ServerSession) and session.new and session == {}


@settings(max_examples=20)
@given(st.dictionaries(st.text(), st.integers() | st.text() | st.binary(), min_size=1))
def test_ids_are_fresh_random_and_url_safe(data: dict[str, t.Any]) -> None:
    store = MemoryStore()
    interface = ServerSessionInterface(store)
    seen = set()
    for _ in range(3):
        response = Response()
        interface.save_session(FakeApp(), ServerSession(data), response)
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
        sid = cookie.split(".")[0]
        assert len(sid) == 43 and sid.replace("-", "").replace("_", "").isalnum()
        seen.add(sid)
        loaded = interface.open_session(FakeApp(), FakeRequest({"session": cookie}))
        assert loaded == data
    assert len(seen) == 3


def test_503_replaces_a_response_already_started() -> None:
    store = SwitchableStore()
    cookie = cookie_of(logged_in(store, "alice"))
    store.down = True
    calls: list[tuple[str, t.Any]] = []

    def late(environ: t.Any, start_response: t.Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(environ["erlen.session"].get("n")).encode()]

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        calls.append((status, exc_info and exc_info[0]))
        return lambda data: None

    app = SessionMiddleware(late, "secret", session_interface=ServerSessionInterface(store))
    environ = {"REQUEST_METHOD": "GET", "HTTP_COOKIE": f"session={cookie}"}
    body = b"".join(app(environ, start_response))
    assert calls == [("200 OK", None), ("503 SERVICE UNAVAILABLE", SessionUnavailable)]
    assert b"session store is unavailable" in body


def test_any_mapping_session_can_be_stored() -> None:
    class PlainSession(dict[str, t.Any], SessionMixin):  # type: ignore[misc]
        pass

    store = MemoryStore()
    response = Response()
    ServerSessionInterface(store).save_session(FakeApp(), PlainSession(a=1), response)
    assert len(store) == 1 and "Set-Cookie" in response.headers


def test_sqlite_store_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    SQLiteStore("here.db").save("a", "1", 60, None)
    assert (tmp_path / "here.db").exists()
