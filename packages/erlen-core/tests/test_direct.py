"""Answers without a response object are byte for byte what a response object sends.

Each case is served three ways: by erlen with direct answers, by erlen with them turned off (a
subclass overriding ``finalize_request``), and by Flask 3.1.3. Status line, header list (order
included) and body must agree.
"""

from __future__ import annotations

import typing as t

import flask
import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.test import create_environ

import erlen_core
import erlen_core.wsgi
from erlen_context import after_this_request
from erlen_context.globals import session
from erlen_core.json.provider import DefaultJSONProvider
from erlen_core.plan import plan_for
from erlen_core.responses import Answer
from erlen_core.responses import encode
from erlen_core.signals import request_finished
from erlen_core.wrappers import Request
from erlen_core.wrappers import Response
from erlen_core.wsgi import send


class SlowErlen(erlen_core.Erlen):
    """Always builds a response object."""

    def finalize_request(self, rv: t.Any, from_error_handler: bool = False) -> t.Any:
        return super().finalize_request(rv, from_error_handler)


class Teapot(HTTPException):
    code = 418
    description = "Short & <stout>."


def views(app: t.Any) -> t.Any:
    app.add_url_rule("/", "text", lambda: "Hello, wörld")
    app.add_url_rule("/bytes", "bytes", lambda: b"\x00raw")
    app.add_url_rule("/empty", "empty", lambda: "")
    app.add_url_rule("/dict", "dict", lambda: {"b": 1, "a": ["é", None]})
    app.add_url_rule("/list", "list", lambda: [1, "two", {"z": 0, "y": 1}])
    app.add_url_rule("/tuple", "tuple", lambda: ("made", 201, {"X-A": "1"}))
    app.add_url_rule("/pair", "pair", lambda: (b"bytes", {"X-B": "2", "X-C": "3"}))
    app.add_url_rule("/json-tuple", "json_tuple", lambda: ({"error": "no"}, 409, {"X-D": "4"}))
    app.add_url_rule("/status-text", "status_text", lambda: ("odd", "299 Odd"))
    app.add_url_rule("/no-content", "no_content", lambda: ("", 204))
    app.add_url_rule("/typed", "typed", lambda: ("plain", 200, {"Content-Type": "text/plain"}))
    app.add_url_rule("/twice", "twice", lambda: ({}, {"X-E": "1", "x-e": "2"}))
    app.add_url_rule("/numbers", "numbers", lambda: ("n", 200, {"X-N": 1}))
    # jsonify and redirect are these methods of the app; each framework its own classes.
    app.add_url_rule("/jsonify", "jsonify", lambda: app.json.response(a=1))
    app.add_url_rule("/redirect", "redirect", lambda: app.redirect("/a b"))
    made = app.response_class
    app.add_url_rule("/made", "made", lambda: made(b"made", 202, {"X-F": "6"}))
    app.add_url_rule("/unsized", "unsized", lambda: _unsized(made(b"body")))
    app.add_url_rule("/streamed", "streamed", lambda: made(iter([b"a", b"b"])))
    app.add_url_rule("/post", "post", lambda: "posted", methods=["POST"])
    app.add_url_rule("/slash/", "slash", lambda: "slash")

    def teapot() -> t.Any:
        raise Teapot()

    def gone() -> t.Any:
        flask_like = NotFound(description="Gone <away>.")
        raise flask_like

    def custom_page() -> t.Any:
        raise NotFound(response=Response("custom", 404))

    app.add_url_rule("/teapot", "teapot", teapot)
    app.add_url_rule("/gone", "gone", gone)
    app.add_url_rule("/custom", "custom", custom_page)
    return app


def _unsized(response: t.Any) -> t.Any:
    del response.headers["Content-Length"]
    response.status_code = 304
    return response


REQUESTS = [
    ("GET", "/"),
    ("HEAD", "/"),
    ("GET", "/bytes"),
    ("GET", "/empty"),
    ("GET", "/dict"),
    ("HEAD", "/dict"),
    ("GET", "/list"),
    ("GET", "/tuple"),
    ("HEAD", "/tuple"),
    ("GET", "/pair"),
    ("GET", "/json-tuple"),
    ("GET", "/status-text"),
    ("GET", "/no-content"),
    ("GET", "/typed"),
    ("GET", "/twice"),
    ("GET", "/numbers"),
    ("GET", "/jsonify"),
    ("HEAD", "/jsonify"),
    ("GET", "/redirect"),
    ("GET", "/made"),
    ("GET", "/unsized"),
    ("GET", "/streamed"),
    ("GET", "/missing"),
    ("HEAD", "/missing"),
    ("GET", "/post"),
    ("OPTIONS", "/"),
    ("GET", "/slash"),
    ("GET", "/teapot"),
    ("GET", "/teapot"),
    ("GET", "/gone"),
    ("GET", "/custom"),
]


def call(app: t.Any, method: str, path: str, **extra: str) -> tuple[str, list[t.Any], bytes]:
    environ = create_environ(path, "http://localhost/", method=method)
    environ.update(extra)
    started: list[t.Any] = []

    def start_response(status: str, headers: list[t.Any], exc_info: t.Any = None) -> t.Any:
        started[:] = [status, list(headers)]
        return lambda data: None

    iterable = app(environ, start_response)
    try:
        body = b"".join(iterable)
    finally:
        if hasattr(iterable, "close"):
            iterable.close()
    return started[0], started[1], body


def serve_all(app: t.Any, **extra: str) -> list[tuple[str, list[t.Any], bytes]]:
    return [call(app, method, path, **extra) for method, path in REQUESTS]


@pytest.mark.parametrize("debug", [False, True])
def test_direct_matches_response_objects_and_flask(debug: bool) -> None:
    fast = views(erlen_core.Erlen(__name__))
    slow = views(SlowErlen(__name__))
    reference = views(flask.Flask(__name__))
    for app in (fast, slow, reference):
        app.debug = debug
    answers = serve_all(fast)
    assert answers == serve_all(slow)
    assert answers == serve_all(reference)
    assert answers[0] == (
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "13")],
        "Hello, wörld".encode(),
    )
    assert answers[1][2] == b""


def test_plain_answers_build_no_response_object(monkeypatch: pytest.MonkeyPatch) -> None:
    app = views(erlen_core.Erlen(__name__))
    made: list[t.Any] = []
    original = Response.__init__

    def spy(self: Response, *args: t.Any, **kwargs: t.Any) -> None:
        made.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Response, "__init__", spy)
    for path in ("/", "/bytes", "/dict", "/missing", "/tuple", "/pair", "/json-tuple"):
        call(app, "GET", path)
    assert made == []
    call(app, "GET", "/status-text")
    assert made == [("odd",)]


def test_subclasses_overriding_a_finalizing_step_get_response_objects() -> None:
    class Plain(erlen_core.Erlen):
        pass

    class Own(Plain):
        def process_response(self, response: t.Any) -> t.Any:
            response.headers["X-Own"] = "1"
            return super().process_response(response)

    assert plan_for(Plain(__name__), None).observed is False
    assert plan_for(Own(__name__), None).observed is True
    assert ("X-Own", "1") in call(views(Own(__name__)), "GET", "/")[1]


def test_hooks_signals_and_sessions_get_a_response_object() -> None:
    app = erlen_core.Erlen(__name__)
    app.secret_key = "secret"
    seen: list[t.Any] = []

    @app.route("/")
    def index() -> str:
        return "plain"

    @app.route("/later")
    def later() -> str:
        after_this_request(lambda r: seen.append(type(r)) or r)
        return "later"

    @app.route("/session")
    def use_session() -> str:
        return str(session.get("n"))

    assert call(app, "GET", "/session")[1][-1] == ("Vary", "Cookie")
    call(app, "GET", "/later")
    assert seen == [Response]

    def finished(sender: t.Any, response: t.Any) -> None:
        seen.append(response.get_data())

    with request_finished.connected_to(finished, app):
        call(app, "GET", "/")
    assert seen[-1] == b"plain"

    hooked = views(erlen_core.Erlen(__name__))
    hooked.after_request(lambda r: seen.append("after") or r)
    call(hooked, "GET", "/")
    assert seen[-1] == "after"


def hooked(app: t.Any) -> t.Any:
    """The views with an ``after_request`` hook and a session in use: every answer is made as a
    response object, then sent.
    """
    app.secret_key = "secret"
    own_session = flask.session if isinstance(app, flask.Flask) else session

    @app.after_request
    def mark(response: t.Any) -> t.Any:
        response.headers["X-After"] = str(own_session.get("n", 0))
        own_session["n"] = 1
        return response

    return views(app)


def test_finished_responses_are_sent_as_calling_them_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = serve_all(hooked(flask.Flask(__name__)))
    app = hooked(erlen_core.Erlen(__name__))
    sent: list[t.Any] = []
    original = erlen_core.wsgi.send

    def spy(answer: t.Any, environ: t.Any, start_response: t.Any) -> t.Any:
        sent.append(answer)
        return original(answer, environ, start_response)

    monkeypatch.setattr(erlen_core.wsgi, "send", spy)
    answers = serve_all(app)
    assert answers == reference
    assert answers[0][1][-1][0] == "Set-Cookie"
    # What is sent by calling the response object: a streamed body, and the pages of HTTP
    # errors, which become responses by being called as WSGI apps (their bodies are iterators).
    called = {
        path for (_, path), answer in zip(REQUESTS, sent, strict=True) if type(answer) is not Answer
    }
    assert called == {"/streamed", "/missing", "/post", "/slash", "/teapot", "/gone", "/custom"}


def test_finished_response_still_runs_what_it_holds_on_close() -> None:
    app = hooked(erlen_core.Erlen(__name__))
    closed: list[bool] = []

    @app.route("/closing")
    def closing() -> t.Any:
        response = Response("body")
        response.call_on_close(lambda: closed.append(True))
        return response

    assert call(app, "GET", "/closing")[2] == b"body"
    assert closed == [True]


def test_instance_override_turns_direct_answers_off() -> None:
    app = views(erlen_core.Erlen(__name__))
    app.make_response = lambda rv: Response("overridden")  # type: ignore[method-assign]
    assert call(app, "GET", "/")[2] == b"overridden"


def test_permanent_session_cookie_is_still_refreshed() -> None:
    app = erlen_core.Erlen(__name__)
    app.secret_key = "secret"
    app.add_url_rule("/", "index", lambda: "plain")
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_permanent": True})
    status, headers, body = call(app, "GET", "/", HTTP_COOKIE=f"session={cookie}")
    assert body == b"plain"
    assert any(name == "Set-Cookie" for name, _ in headers)
    # A cookie that is not permanent needs no refresh: direct answer, no Set-Cookie.
    cookie = app.session_interface.get_signing_serializer(app).dumps({"n": 1})
    status, headers, body = call(app, "GET", "/", HTTP_COOKIE=f"session={cookie}")
    assert [name for name, _ in headers] == ["Content-Type", "Content-Length"]


@pytest.mark.parametrize("view", [lambda: "plain", lambda: Response("object")], ids=["str", "obj"])
def test_unused_session_is_asked_once_whether_to_save(
    monkeypatch: pytest.MonkeyPatch, view: t.Any
) -> None:
    app = erlen_core.Erlen(__name__)
    app.secret_key = "secret"
    app.add_url_rule("/", "index", view)
    interface = app.session_interface
    asked: list[bool] = []

    def should_open_for_save(app: t.Any, request: t.Any) -> bool:
        asked.append(True)
        return True

    monkeypatch.setattr(interface, "should_open_for_save", should_open_for_save)
    cookie = interface.get_signing_serializer(app).dumps({"_permanent": True})
    status, headers, body = call(app, "GET", "/", HTTP_COOKIE=f"session={cookie}")
    assert asked == [True]
    assert any(name == "Set-Cookie" for name, _ in headers)


def answer_of(app: t.Any, rv: t.Any, environ: t.Any) -> Answer | None:
    return encode(app, plan_for(app, None), rv, environ)


def test_encode_declines_what_it_cannot_send() -> None:
    app = erlen_core.Erlen(__name__)
    environ = {"REQUEST_METHOD": "GET"}
    assert answer_of(app, bytearray(b"x"), environ) is None
    assert answer_of(app, ("x", 201, [("X-A", "1")]), environ) is None
    assert answer_of(app, ("x", 201.0), environ) is None
    assert answer_of(app, (None, 201), environ) is None
    assert answer_of(app, Response(iter([b"x"])), environ) is None
    closing = Response("x")
    closing.call_on_close(lambda: None)
    assert answer_of(app, closing, environ) is None
    assert answer_of(app, NotFound(response=Response("x")), environ) is None
    assert answer_of(app, {"a": 1}, environ) is not None

    class Provider(DefaultJSONProvider):
        def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
            return Response("custom")

    app.json = Provider(app)
    assert answer_of(app, {"a": 1}, environ) is None
    assert answer_of(app, "x", environ) is not None


def test_own_response_class_always_gets_response_objects() -> None:
    class OwnResponse(Response):
        pass

    app = views(erlen_core.Erlen(__name__))
    call(app, "GET", "/")
    app.response_class = OwnResponse
    assert plan_for(app, None).observed is True
    made: list[t.Any] = []
    # What an extension does after the first request: append to the registry directly.
    app.after_request_funcs[None].append(lambda r: made.append(type(r)) or r)
    call(app, "GET", "/")
    assert made == [OwnResponse]


def test_answers_send_no_body_to_head() -> None:
    answer = Answer("200 OK", [("Content-Length", "2")], b"hi")
    started: list[t.Any] = []
    assert send(answer, {"REQUEST_METHOD": "HEAD"}, lambda *a: started.append(a)) == []
    assert send(answer, {"REQUEST_METHOD": "GET"}, lambda *a: started.append(a)) == [b"hi"]
    assert started == [("200 OK", [("Content-Length", "2")])] * 2


def test_error_pages_with_own_rendering_are_not_cached() -> None:
    class Own(HTTPException):
        code = 409

        def get_body(self, environ: t.Any = None, scope: t.Any = None) -> str:
            return f"own {environ['PATH_INFO']}"

    app = erlen_core.Erlen(__name__)
    for path in ("/a", "/b"):
        answer = answer_of(app, Own(), {"REQUEST_METHOD": "GET", "PATH_INFO": path})
        assert answer is not None
        assert answer.status == "409 CONFLICT"
        assert answer.body == f"own {path}".encode()


def test_lazy_request_reads_the_environ_like_werkzeug() -> None:
    from werkzeug.wrappers import Request as WerkzeugRequest

    environ = {
        "REQUEST_METHOD": "post",
        "SCRIPT_NAME": "/root/",
        "PATH_INFO": "//caf\xc3\xa9",
        "QUERY_STRING": "a=1",
        "SERVER_NAME": "example.org",
        "SERVER_PORT": "sock",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_COOKIE": "a=b",
        "wsgi.url_scheme": "https",
    }
    ours, theirs = Request(dict(environ)), WerkzeugRequest(dict(environ))
    for name in ("method", "scheme", "server", "root_path", "path", "query_string"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.remote_addr == theirs.remote_addr
    assert dict(ours.headers) == dict(theirs.headers)
    assert ours.cookies.to_dict() == theirs.cookies.to_dict() == {"a": "b"}
    assert Request({}).server is None
    assert not Request({}).cookies
    ours.path = "/changed"
    assert ours.path == "/changed"


def test_request_class_with_own_cookies_is_still_asked() -> None:
    from werkzeug.datastructures import ImmutableMultiDict
    from werkzeug.utils import cached_property

    app = erlen_core.Erlen(__name__)
    app.secret_key = "secret"
    app.add_url_rule("/", "index", lambda: "plain")
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_permanent": True})

    class OwnCookies(Request):
        @cached_property
        def cookies(self) -> ImmutableMultiDict[str, str]:
            return ImmutableMultiDict({"session": cookie})

    app.request_class = OwnCookies
    status, headers, body = call(app, "GET", "/")
    assert any(name == "Set-Cookie" for name, _ in headers)
