"""The benchmark scenarios, written once against the Flask API and built on either framework.

``build(framework, scenario)`` returns ``(wsgi_app, environ_factory, expected)``: the app, a
function making a fresh WSGI environ for one request, and the status and body every answer must
have. ``framework`` is ``"erlen"``, ``"flask"`` or ``"raw"`` (a bare WSGI callable, hello only).
Scenarios in :data:`ERLEN_ONLY` use an erlen feature Flask lacks and are built on erlen only.
"""

from __future__ import annotations

import atexit
import importlib
import io
import json
import pathlib
import shutil
import tempfile
import urllib.parse
from collections.abc import Callable
from typing import Any

Environ = dict[str, Any]
WSGIApp = Callable[..., Any]
#: What a scenario builds: the app, a maker of fresh environs, the expected status and body.
Scenario = tuple[WSGIApp, Callable[[], Environ], tuple[int, bytes | None]]

ITEMS = [f"item <{n}>" for n in range(20)]
TEMPLATE = "<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>"
FORM = {f"field{n}": f"value {n}" for n in range(5)}
DATA = {f"key{n}": n for n in range(10)}
#: The JSON body of ``DATA`` as both frameworks send it outside debug mode.
JSON_BODY = (json.dumps(DATA, separators=(",", ":"), sort_keys=True) + "\n").encode()
#: The small static file ``send_file`` serves.
STATIC = b"body { color: #333; }\n" * 40


def environ_for(method: str, path: str, body: bytes = b"", **extra: str) -> Callable[[], Environ]:
    base: Environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **extra,
    }
    if body:
        base["CONTENT_LENGTH"] = str(len(body))

    def make() -> Environ:
        environ = base.copy()
        environ["wsgi.input"] = io.BytesIO(body)
        return environ

    return make


def raw_hello(environ: Environ, start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"Hello"]


def _scratch() -> pathlib.Path:
    """A new temporary folder, removed when the process ends."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="erlen-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _flask_api(framework: str) -> Any:
    return importlib.import_module("erlen" if framework == "erlen" else "flask")


def build(framework: str, scenario: str) -> Scenario:
    if framework == "raw":
        if scenario != "hello":
            raise LookupError("the raw WSGI callable only serves 'hello'")
        return raw_hello, environ_for("GET", "/"), (200, b"Hello")
    if framework != "erlen" and scenario in ERLEN_ONLY:
        raise LookupError(f"{scenario!r} is an erlen feature: it is built on erlen only")
    api = _flask_api(framework)
    app = api.Flask("bench")
    app.secret_key = "bench-secret"
    return SCENARIOS[scenario](api, app)


def _hello(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "hello", lambda: "Hello")
    return app, environ_for("GET", "/"), (200, b"Hello")


def _params(api: Any, app: Any) -> Any:
    for n in range(100):
        app.add_url_rule(f"/r{n}/<int:id>/<name>", f"r{n}", lambda id, name: f"{id}:{name}")
    return app, environ_for("GET", "/r50/42/bob"), (200, b"42:bob")


def _json(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "json", lambda: DATA)
    return app, environ_for("GET", "/"), (200, JSON_BODY)


def _jsonify(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "json", lambda: api.jsonify(DATA))
    return app, environ_for("GET", "/"), (200, JSON_BODY)


def _tuple(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "created", lambda: ("Created", 201, {"X-Bench": "yes"}))
    return app, environ_for("GET", "/"), (201, b"Created")


def _redirect(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "away", lambda: api.redirect("/target"))
    return app, environ_for("GET", "/"), (302, None)


def _blueprint(api: Any, app: Any) -> Any:
    blueprint = api.Blueprint("shop", "bench")

    def load_user() -> None:
        api.g.user = "bench"

    blueprint.before_request(load_user)
    blueprint.add_url_rule("/item", "item", lambda: api.g.user)
    app.register_blueprint(blueprint, url_prefix="/shop")
    return app, environ_for("GET", "/shop/item"), (200, b"bench")


def _send_file(api: Any, app: Any) -> Any:
    path = _scratch() / "style.css"
    path.write_bytes(STATIC)
    app.add_url_rule("/", "static_file", lambda: api.send_file(path))
    return app, environ_for("GET", "/"), (200, STATIC)


def _template(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "page", lambda: api.render_template("page.html", items=ITEMS))
    app.jinja_loader = _dict_loader({"page.html": TEMPLATE})
    expected = "<ul>" + "".join(f"<li>item &lt;{n}&gt;</li>" for n in range(20)) + "</ul>"
    return app, environ_for("GET", "/"), (200, expected.encode())


def _dict_loader(templates: dict[str, str]) -> Any:
    import jinja2

    return jinja2.DictLoader(templates)


def _count(api: Any) -> Callable[[], str]:
    def count() -> str:
        api.session["n"] = api.session.get("n", 0) + 1
        return str(api.session["n"])

    return count


def _session(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "count", _count(api))
    serializer = app.session_interface.get_signing_serializer(app)
    cookie = "session=" + serializer.dumps({"n": 41})
    return app, environ_for("GET", "/", HTTP_COOKIE=cookie), (200, b"42")


def _session_sqlite(api: Any, app: Any) -> Any:
    from erlen_sessions import ServerSessionInterface
    from erlen_sessions import SQLiteStore

    store = SQLiteStore(_scratch() / "sessions.sqlite3")
    app.session_interface = ServerSessionInterface(store)
    app.add_url_rule("/", "count", _count(api))
    # The first request makes the stored session; every measured one reads and rewrites it
    # (the counter grows, so only the status is checked).
    first = app.test_client().get("/")
    cookie = first.headers["Set-Cookie"].split(";")[0]
    return app, environ_for("GET", "/", HTTP_COOKIE=cookie), (200, None)


def _notfound(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "hello", lambda: "Hello")
    return app, environ_for("GET", "/missing"), (404, None)


def _post_form(api: Any, app: Any) -> Any:
    def echo() -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(api.request.form.items()))

    app.add_url_rule("/", "echo", echo, methods=["POST"])
    body = urllib.parse.urlencode(FORM).encode()
    expected = ",".join(f"{k}={v}" for k, v in sorted(FORM.items())).encode()
    make = environ_for("POST", "/", body, CONTENT_TYPE="application/x-www-form-urlencoded")
    return app, make, (200, expected)


SCENARIOS: dict[str, Callable[[Any, Any], Scenario]] = {
    "hello": _hello,
    "params": _params,
    "json": _json,
    "jsonify": _jsonify,
    "tuple": _tuple,
    "notfound": _notfound,
    "redirect": _redirect,
    "blueprint": _blueprint,
    "session": _session,
    "session-sqlite": _session_sqlite,
    "post-form": _post_form,
    "template": _template,
    "send-file": _send_file,
}
#: Scenarios only erlen serves, with the erlen scenario they are compared with.
ERLEN_ONLY = {"session-sqlite": "session"}
