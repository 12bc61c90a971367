"""The request pipeline: hooks, make_response, after_this_request, teardown and signals."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response as WerkzeugResponse

from erlen_context import after_this_request
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_core import Erlen
from erlen_core import signals


def test_hook_order_with_blueprint_scopes(app: Erlen) -> None:
    calls: list[str] = []

    def record(name: str, rv: t.Any = None) -> t.Callable[..., t.Any]:
        def func(*args: t.Any) -> t.Any:
            calls.append(name)
            if args and not isinstance(args[0], (str, BaseException, type(None))):
                return args[0]
            return rv

        return func

    app.url_value_preprocessors[None].append(record("uvp-app"))
    app.url_value_preprocessors["bp"].append(record("uvp-bp"))
    app.before_request_funcs[None].append(record("before-app"))
    app.before_request_funcs["bp"].append(record("before-bp"))
    app.after_request_funcs[None].extend([record("after-app-1"), record("after-app-2")])
    app.after_request_funcs["bp"].append(record("after-bp"))
    app.teardown_request_funcs[None].append(record("teardown-app"))
    app.teardown_request_funcs["bp"].append(record("teardown-bp"))
    app.teardown_appcontext_funcs.append(record("teardown-appctx"))

    @app.route("/", endpoint="bp.index")
    def index() -> str:
        calls.append("view")

        @after_this_request
        def once(response: t.Any) -> t.Any:
            calls.append("after-this")
            return response

        return "ok"

    assert app.test_client().get("/").data == b"ok"
    assert calls == [
        "uvp-app",
        "uvp-bp",
        "before-app",
        "before-bp",
        "view",
        "after-this",
        "after-bp",
        "after-app-2",
        "after-app-1",
        "teardown-bp",
        "teardown-app",
        "teardown-appctx",
    ]


def test_before_request_return_value_short_circuits(app: Erlen) -> None:
    called: list[str] = []
    app.before_request(lambda: "from hook")
    app.before_request(lambda: called.append("second"))

    @app.route("/")
    def index() -> str:
        called.append("view")
        return "view"

    rv = app.test_client().get("/")
    assert rv.data == b"from hook"
    assert called == []


def test_url_value_preprocessor_changes_view_args(app: Erlen) -> None:
    @app.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert endpoint == "page" and values is not None
        g.lang = values.pop("lang")

    @app.route("/<lang>/page")
    def page() -> str:
        return g.lang  # type: ignore[no-any-return]

    assert app.test_client().get("/de/page").data == b"de"


def test_after_request_can_replace_response(app: Erlen) -> None:
    @app.after_request
    def swap(response: t.Any) -> t.Any:
        return app.response_class("swapped", 202)

    app.add_url_rule("/", "index", lambda: "original")
    rv = app.test_client().get("/")
    assert rv.status_code == 202 and rv.data == b"swapped"


def test_teardown_sees_unhandled_exception(app: Erlen) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: list[t.Any] = []
    app.teardown_request(seen.append)

    @app.route("/")
    def fail() -> str:
        raise ZeroDivisionError

    assert app.test_client().get("/").status_code == 500
    assert len(seen) == 1 and isinstance(seen[0], ZeroDivisionError)


def test_should_ignore_error_hides_error_from_teardown(app: Erlen) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: list[t.Any] = []
    app.teardown_request(seen.append)
    app.should_ignore_error = lambda error: True  # type: ignore[method-assign]
    app.add_url_rule("/", "x", lambda: 1 / 0)
    app.test_client().get("/")
    assert seen == [None]


def _app_returning(app: Erlen, value: t.Any) -> t.Any:
    app.add_url_rule("/", "value", lambda: value)
    return app.test_client().get("/")


@pytest.mark.parametrize(
    ("value", "status", "body", "headers"),
    [
        ("text", 200, b"text", {}),
        (b"bytes", 200, b"bytes", {}),
        (bytearray(b"ba"), 200, b"ba", {}),
        (("created", 201), 201, b"created", {}),
        (("tea", "418 I'm a teapot"), 418, b"tea", {}),
        (("hdr", {"X-A": "1"}), 200, b"hdr", {"X-A": "1"}),
        (("hdr", [("X-B", "2")]), 200, b"hdr", {"X-B": "2"}),
        (("hdr", Headers({"X-C": "3"})), 200, b"hdr", {"X-C": "3"}),
        (("all", 404, {"X-D": "4"}), 404, b"all", {"X-D": "4"}),
        ((iter([b"a", b"b"]), 203), 203, b"ab", {}),
    ],
)
def test_make_response_forms(
    app: Erlen, value: t.Any, status: int, body: bytes, headers: dict[str, str]
) -> None:
    rv = _app_returning(app, value)
    assert rv.status_code == status
    assert rv.data == body
    for key, expected in headers.items():
        assert rv.headers[key] == expected


def test_make_response_json(app: Erlen) -> None:
    rv = _app_returning(app, ({"a": [1, 2]}, 201, {"X-J": "y"}))
    assert rv.status_code == 201 and rv.json == {"a": [1, 2]} and rv.headers["X-J"] == "y"
    assert rv.mimetype == "application/json"


def test_make_response_list_json(app: Erlen) -> None:
    assert _app_returning(app, [1, "two"]).json == [1, "two"]


def test_make_response_generator_streams(app: Erlen) -> None:
    def stream() -> t.Iterator[str]:
        yield "a"
        yield "b"

    app.add_url_rule("/", "s", lambda: stream())
    assert app.test_client().get("/").data == b"ab"
    with app.test_request_context():
        assert app.make_response(stream()).is_streamed


def test_make_response_response_objects(app: Erlen) -> None:
    own = app.response_class("own", 202)
    app.add_url_rule("/own", "own", lambda: (own, 203, {"X-O": "1"}))
    app.add_url_rule("/wz", "wz", lambda: WerkzeugResponse("wz", 206))

    def wsgi(environ: t.Any, start_response: t.Any) -> list[bytes]:
        start_response("207 Multi", [("X-W", "w")])
        return [b"wsgi"]

    app.add_url_rule("/wsgi", "wsgi", lambda: wsgi)
    client = app.test_client()
    rv = client.get("/own")
    assert (rv.status_code, rv.data, rv.headers["X-O"]) == (203, b"own", "1")
    rv = client.get("/wz")
    assert (rv.status_code, rv.data) == (206, b"wz")
    assert isinstance(rv, app.response_class)
    rv = client.get("/wsgi")
    assert (rv.status_code, rv.data, rv.headers["X-W"]) == (207, b"wsgi", "w")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "did not return a valid response"),
        (("one",), "tuple must have the form"),
        (("a", 200, {}, "extra"), "tuple must have the form"),
        (True, "it was a bool"),
        (lambda: None, "it was a function"),
    ],
)
def test_make_response_type_errors(app: Erlen, value: t.Any, message: str) -> None:
    def bad_view() -> t.Any:
        return value

    app.add_url_rule("/", view_func=bad_view)
    with pytest.raises(TypeError) as info:
        app.test_client().get("/")
    assert message in str(info.value)
    if value is None:
        assert "bad_view" in str(info.value) and "returned None" in str(info.value)


def test_make_response_direct(app: Erlen) -> None:
    with app.test_request_context():
        rv = app.make_response(("x", 500, [("X-L", "l")]))
        assert rv.status_code == 500 and rv.headers["X-L"] == "l"
        rv = app.make_response((app.response_class("x"), "201 MADE"))
        assert rv.status == "201 MADE"


def test_signals_sent_when_connected(app: Erlen) -> None:
    events: list[tuple[str, t.Any]] = []

    def on(name: str) -> t.Callable[..., None]:
        def receiver(sender: t.Any, **kwargs: t.Any) -> None:
            events.append((name, sender))

        return receiver

    receivers = {
        signals.request_started: on("started"),
        signals.request_finished: on("finished"),
        signals.request_tearing_down: on("tearing"),
        signals.appcontext_tearing_down: on("appctx"),
        signals.got_request_exception: on("exception"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, app)
    try:
        app.config["PROPAGATE_EXCEPTIONS"] = False
        app.add_url_rule("/", "index", lambda: "ok")
        app.add_url_rule("/fail", "fail", lambda: 1 / 0)
        client = app.test_client()
        client.get("/")
        assert [name for name, _ in events] == ["started", "finished", "tearing", "appctx"]
        assert all(sender is app for _, sender in events)
        events.clear()
        client.get("/fail")
        assert [name for name, _ in events] == [
            "started",
            "exception",
            "finished",
            "tearing",
            "appctx",
        ]
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver, app)


def test_signal_namespace_reexports() -> None:
    assert isinstance(signals._signals, signals.Namespace)
    assert signals.message_flashed.name == "message-flashed"
    for name in ("template_rendered", "before_render_template", "appcontext_pushed"):
        assert hasattr(signals, name)


def test_preserve_context_hook(app: Erlen) -> None:
    kept: list[t.Any] = []

    @app.route("/")
    def index() -> str:
        return request.path

    environ_overrides = {"werkzeug.debug.preserve_context": kept.append}
    app.test_client().get("/", environ_overrides=environ_overrides)
    assert len(kept) == 2
    assert kept[1].request.path == "/"


def test_wsgi_app_can_be_wrapped(app: Erlen) -> None:
    app.add_url_rule("/", "index", lambda: "inner")
    inner = app.wsgi_app

    def middleware(environ: t.Any, start_response: t.Any) -> t.Any:
        environ["PATH_INFO"] = "/"
        return inner(environ, start_response)

    app.wsgi_app = middleware  # type: ignore[method-assign]
    assert app.test_client().get("/elsewhere").data == b"inner"


def test_base_exception_propagates_and_tears_down(app: Erlen) -> None:
    seen: list[t.Any] = []
    app.teardown_request(seen.append)

    @app.route("/")
    def index() -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        app.test_client().get("/")
    assert len(seen) == 1 and isinstance(seen[0], KeyboardInterrupt)


def test_blueprint_request_with_only_app_hooks(app: Erlen) -> None:
    calls: list[str] = []
    app.after_request(lambda response: calls.append("after") or response)
    app.teardown_request(lambda exc: calls.append("teardown"))
    app.context_processor(lambda: {"from_app": "yes"})

    @app.route("/", endpoint="bp.index")
    def index() -> str:
        context: dict[str, t.Any] = {}
        app.update_template_context(context)
        return str(context["from_app"])

    assert app.test_client().get("/").data == b"yes"
    assert calls == ["after", "teardown"]
