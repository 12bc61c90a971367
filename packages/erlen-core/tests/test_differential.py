"""The same feature app on erlen and on Flask 3.1.3 answers the same requests identically."""

from __future__ import annotations

import re
import types
import typing as t

import flask
import flask.views
import pytest

import erlen_core
from erlen_context import globals as erlen_globals
from erlen_context import stream_with_context as erlen_stream_with_context
from erlen_core import helpers as erlen_helpers
from erlen_core import json as erlen_json
from erlen_core import views as erlen_views

ERLEN = types.SimpleNamespace(
    App=erlen_core.Erlen,
    request=erlen_globals.request,
    session=erlen_globals.session,
    g=erlen_globals.g,
    jsonify=erlen_json.jsonify,
    flash=erlen_helpers.flash,
    get_flashed_messages=erlen_helpers.get_flashed_messages,
    abort=erlen_helpers.abort,
    url_for=erlen_helpers.url_for,
    redirect=erlen_helpers.redirect,
    stream_with_context=erlen_stream_with_context,
    MethodView=erlen_views.MethodView,
)
FLASK = types.SimpleNamespace(
    App=flask.Flask,
    request=flask.request,
    session=flask.session,
    g=flask.g,
    jsonify=flask.jsonify,
    flash=flask.flash,
    get_flashed_messages=flask.get_flashed_messages,
    abort=flask.abort,
    url_for=flask.url_for,
    redirect=flask.redirect,
    stream_with_context=flask.stream_with_context,
    MethodView=flask.views.MethodView,
)


def feature_app(fw: t.Any) -> t.Any:
    app = fw.App("feature_app", root_path="/nonexistent")
    app.secret_key = "differential"

    @app.before_request
    def load_user() -> t.Any:
        fw.g.user = fw.request.headers.get("X-User", "anonymous")
        if fw.request.path == "/blocked":
            return "blocked by hook", 403
        return None

    @app.errorhandler(LookupError)
    def lookup_failed(e: LookupError) -> t.Any:
        return fw.jsonify(error=type(e).__name__, user=fw.g.user), 418

    @app.route("/")
    def index() -> str:
        return f"hello {fw.g.user} {fw.url_for('item', item_id=7, q='x y')}"

    @app.route("/item/<int:item_id>")
    def item(item_id: int) -> t.Any:
        return {"id": item_id, "args": fw.request.args.to_dict()}

    @app.route("/files/<path:name>", methods=["GET", "POST"])
    def files(name: str) -> t.Any:
        return name.upper(), 201, {"X-Name": name}

    @app.route("/price/<float:amount>")
    def price(amount: float) -> t.Any:
        return [amount, amount * 2]

    @app.route("/missing")
    def missing() -> str:
        raise KeyError("nope")

    @app.route("/gone")
    def gone() -> str:
        fw.abort(410)

    @app.route("/stream")
    def stream() -> t.Any:
        def generate() -> t.Iterator[str]:
            yield "streamed "
            yield fw.request.args.get("word", "data")

        return app.response_class(fw.stream_with_context(generate()), mimetype="text/plain")

    _add_session_routes(fw, app)
    return app


def _add_session_routes(fw: t.Any, app: t.Any) -> None:
    @app.route("/flash")
    def do_flash() -> t.Any:
        fw.flash("saved")
        fw.flash("careful", "warning")
        fw.session["visits"] = fw.session.get("visits", 0) + 1
        return fw.redirect(fw.url_for("show"))

    @app.route("/show")
    def show() -> t.Any:
        messages = fw.get_flashed_messages(with_categories=True)
        return {"messages": messages, "visits": fw.session.get("visits")}

    class Counter(fw.MethodView):  # type: ignore[misc, name-defined]
        def get(self, cid: int) -> t.Any:
            return {"counter": cid}

        def put(self, cid: int) -> t.Any:
            return {"counter": cid, "body": fw.request.get_json()}, 202

    app.add_url_rule("/counter/<int:cid>", view_func=Counter.as_view("counter"))


REQUESTS: list[tuple[str, str, dict[str, t.Any]]] = [
    ("GET", "/", {}),
    ("GET", "/", {"headers": {"X-User": "ada"}}),
    ("GET", "/item/42?a=1&b=2", {}),
    ("GET", "/item/nope", {}),
    ("POST", "/item/1", {}),
    ("POST", "/files/a/b.txt", {"data": {"k": "v"}}),
    ("GET", "/price/2.5", {}),
    ("GET", "/missing", {"headers": {"X-User": "bob"}}),
    ("GET", "/gone", {}),
    ("GET", "/blocked", {}),
    ("GET", "/flash", {}),
    ("GET", "/show", {}),
    ("GET", "/show", {}),
    ("GET", "/flash", {}),
    ("GET", "/stream?word=here", {}),
    ("GET", "/counter/3", {}),
    ("PUT", "/counter/3", {"json": {"x": [1, 2]}}),
    ("DELETE", "/counter/3", {}),
    ("OPTIONS", "/counter/3", {}),
    ("HEAD", "/item/5", {}),
    ("GET", "/does/not/exist", {}),
]

#: The timestamp and signature: the last two dot-separated parts of the cookie value.
_SIGNATURE = re.compile(r"(session=[^;]*)\.[^.;]*\.[^.;]*(?=;)")


def _normalise(response: t.Any) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = []
    for key, value in response.headers.items():
        if key == "Date":
            continue
        if key == "Set-Cookie":
            # The signature includes a timestamp; the payload and attributes must agree.
            value = _SIGNATURE.sub(r"\1.<signed>", value)
            assert "<signed>" in value
        headers.append((key, value))
    return response.status_code, headers, response.get_data()


@pytest.fixture
def clients() -> tuple[t.Any, t.Any]:
    return feature_app(ERLEN).test_client(), feature_app(FLASK).test_client()


def test_feature_app_matches_flask(clients: tuple[t.Any, t.Any]) -> None:
    erlen_client, flask_client = clients
    for method, path, kwargs in REQUESTS:
        ours = _normalise(erlen_client.open(path, method=method, **kwargs))
        theirs = _normalise(flask_client.open(path, method=method, **kwargs))
        assert ours == theirs, f"{method} {path}"
