"""The whole-app fixture of the hostile-input tests, and a strict WSGI caller.

:func:`make_app` builds an app using most of erlen at once (routing with converters, sessions,
flashing, JSON and form bodies, templates, streaming, static files, ``send_from_directory``).
:func:`call` runs one raw WSGI environ through it and checks the answer is well-formed HTTP.
``test_hostile_*``, ``test_properties`` and ``test_soak`` share both; the tests here check that
the fixture itself behaves, so a failure elsewhere means erlen, not the fixture.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import typing as t

from jinja2 import ChoiceLoader
from jinja2 import DictLoader
from werkzeug.test import create_environ

from erlen_context import stream_with_context
from erlen_context.globals import request
from erlen_context.globals import session
from erlen_core import Erlen
from erlen_core.helpers import flash
from erlen_core.helpers import redirect
from erlen_core.helpers import send_from_directory
from erlen_core.helpers import url_for
from erlen_templating import render_template

HERE = os.path.dirname(__file__)

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_STATUS = re.compile(r"[1-5][0-9][0-9] [^\r\n\x00]*")
_NO_BODY = {204, 304}


def make_app(**config: t.Any) -> Erlen:
    """A production-configured app (not testing, not debug) whose own code never fails.

    ``PROPAGATE_EXCEPTIONS`` is on, so any exception from erlen escapes the WSGI callable and
    :func:`call` reports it with its traceback instead of hiding it in a 500 page.
    """
    app = Erlen("erlen_hostile", root_path=HERE)
    app.config.update({"SECRET_KEY": "hostile key", "PROPAGATE_EXCEPTIONS": True, **config})

    @app.route("/", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def index() -> dict[str, t.Any]:
        # Touch the lazily parsed parts of the request, so fuzzing reaches their parsers.
        return {
            "args": request.args.to_dict(flat=False),
            "cookies": request.cookies.to_dict(flat=False),
            "path": request.path,
            "full_path": request.full_path,
            "url": request.url,
            "host": request.host,
            "method": request.method,
            "route": request.access_route,
            "accept": request.accept_mimetypes.best,
            "languages": list(request.accept_languages.values()),
            "agent": request.user_agent.string,
            "auth": request.authorization is not None,
            "since": str(request.if_modified_since),
            "range": str(request.range),
            "etags": str(request.if_none_match),
            "length": request.content_length,
            "mimetype": request.mimetype,
        }

    @app.route("/item/<int:item_id>")
    def item(item_id: int) -> str:
        return f"item {item_id}"

    @app.route("/num/<float:value>/<uuid:key>")
    def num(value: float, key: t.Any) -> str:
        return f"{value} {key}"

    @app.route("/p/<path:rest>")
    def path(rest: str) -> dict[str, str]:
        return {"rest": rest}

    @app.post("/json")
    def json_body() -> dict[str, t.Any]:
        return {"json": request.get_json()}

    @app.post("/form")
    def form_body() -> dict[str, t.Any]:
        return {
            "form": request.form.to_dict(flat=False),
            "files": {name: len(f.read()) for name, f in request.files.items()},
        }

    _add_stateful_views(app)
    return app


#: Templates of :func:`make_app`, looked up before the app's template folder.
TEMPLATES = {
    "flash.html": "{{ request.path }} {{ request.args }} {{ session|length }}",
    "flashed.html": "{% for m in get_flashed_messages() %}<p>{{ m }}</p>{% endfor %}",
}


def _add_stateful_views(app: Erlen) -> None:
    """Views using sessions, flashing, templates, redirects, streaming and files."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])

    @app.route("/session", methods=["GET", "POST"])
    def counter() -> str:
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    @app.post("/session/store")
    def session_store() -> str:
        session["data"] = request.get_json()
        return "stored"

    @app.route("/session/read")
    def session_read() -> dict[str, t.Any]:
        return dict(session)

    @app.route("/flash")
    def flashing() -> str:
        flash(request.args.get("m", "hi"))
        return render_template("flash.html")

    @app.route("/flashed")
    def flashed() -> str:
        return render_template("flashed.html")

    @app.route("/redirect")
    def to_index() -> t.Any:
        return redirect(url_for("index", **request.args))

    @app.route("/stream")
    def stream() -> t.Any:
        @stream_with_context
        def generate() -> t.Iterator[str]:
            yield "start "
            yield request.args.get("x", "none")
            yield " end"

        return generate()

    @app.route("/files/<path:name>")
    def files(name: str) -> t.Any:
        return send_from_directory(t.cast(str, app.static_folder), name)

    @app.route("/fail")
    def fail() -> str:
        raise KeyError("from the view")


@dataclasses.dataclass
class Answer:
    """What :func:`call` got back."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def call(app: t.Any, environ: dict[str, t.Any]) -> Answer:
    """Run ``environ`` through the WSGI callable ``app`` and check the answer is well-formed:
    ``start_response`` called once with a valid status line and headers a server can write
    (latin-1, no CR/LF/NUL, token names), a body of bytes, ``close`` honoured, and a
    ``Content-Length`` that matches the body.
    """
    # Typed Any: what the app passes is what is being checked.
    started: list[tuple[t.Any, t.Any]] = []

    def start_response(
        status: t.Any, headers: t.Any, exc_info: t.Any = None
    ) -> t.Callable[[bytes], None]:
        assert not started or exc_info is not None, "start_response called twice"
        started.append((status, headers))
        return lambda data: None

    app_iter = app(environ, start_response)
    try:
        chunks = list(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()

    assert len(started) == 1
    status, headers = started[0]
    assert isinstance(status, str) and _STATUS.fullmatch(status), status
    status.encode("latin-1")
    for name, value in headers:
        assert isinstance(name, str) and _TOKEN.fullmatch(name), name
        assert isinstance(value, str), (name, value)
        value.encode("latin-1")
        assert not set(value) & {"\r", "\n", "\x00"}, (name, value)
    assert all(isinstance(chunk, bytes) for chunk in chunks)
    code = int(status[:3])
    answer = Answer(code, status[4:], list(headers), b"".join(chunks))
    length = answer.header("Content-Length")
    if length is not None and code not in _NO_BODY and environ["REQUEST_METHOD"] != "HEAD":
        assert int(length) == len(answer.body), (length, len(answer.body))
    return answer


def wsgi_text(data: str | bytes) -> str:
    """Text as a WSGI server puts it in the environ: the raw bytes decoded as latin-1."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return data.decode("latin-1")


def environ(
    path: str = "/",
    method: str = "GET",
    *,
    query: str = "",
    headers: t.Mapping[str, str] | None = None,
    body: bytes = b"",
    content_type: str | None = None,
) -> dict[str, t.Any]:
    """A raw environ, as a server would build it: ``path``, ``query`` and header values are
    used as given (already WSGI strings), header names become ``HTTP_*`` keys.
    """
    env = create_environ("/", method=method)
    env["PATH_INFO"] = path
    env["QUERY_STRING"] = query
    env["wsgi.input"] = io.BytesIO(body)
    env["CONTENT_LENGTH"] = str(len(body))
    if content_type is not None:
        env["CONTENT_TYPE"] = content_type
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key not in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
            key = f"HTTP_{key}"
        env[key] = value
    return env


def test_fixture_routes_answer() -> None:
    app = make_app()
    assert call(app, environ("/item/3")).body == b"item 3"
    assert call(app, environ("/p/a/b")).body == b'{"rest":"a/b"}\n'
    index = call(app, environ("/", query="a=1&a=2"))
    assert index.status == 200 and b'"args":{"a":["1","2"]}' in index.body
    stream = call(app, environ("/stream", query="x=mid"))
    assert stream.body == b"start mid end"
    static = call(app, environ("/files/style.css"))
    assert static.status == 200 and static.body.startswith(b"body")
    assert call(app, environ("/flash")).status == 200
    assert call(app, environ("/redirect", query="a=b")).header("Location") == "/?a=b"


def test_call_reports_view_errors() -> None:
    app = make_app()
    try:
        call(app, environ("/fail"))
    except KeyError as e:
        assert "from the view" in str(e)
    else:  # pragma: no cover - the check itself failing
        raise AssertionError("the view's error did not propagate")
