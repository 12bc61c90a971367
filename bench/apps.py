"""The benchmark scenarios, written once against the Flask API and built on either framework.

``build(framework, scenario)`` returns ``(wsgi_app, environ_factory, expected)``: the app, a
function making a fresh WSGI environ for one request, and the status and body every answer must
have. ``framework`` is ``"erlen"``, ``"flask"`` or ``"raw"`` (a bare WSGI callable, hello only).
"""

from __future__ import annotations

import importlib
import io
import json
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


def _flask_api(framework: str) -> Any:
    return importlib.import_module("erlen" if framework == "erlen" else "flask")


def build(framework: str, scenario: str) -> Scenario:
    if framework == "raw":
        if scenario != "hello":
            raise LookupError("the raw WSGI callable only serves 'hello'")
        return raw_hello, environ_for("GET", "/"), (200, b"Hello")
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
    data = {f"key{n}": n for n in range(10)}
    app.add_url_rule("/", "json", lambda: data)
    expected = json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"
    return app, environ_for("GET", "/"), (200, expected.encode())


def _template(api: Any, app: Any) -> Any:
    app.add_url_rule("/", "page", lambda: api.render_template("page.html", items=ITEMS))
    app.jinja_loader = _dict_loader({"page.html": TEMPLATE})
    expected = "<ul>" + "".join(f"<li>item &lt;{n}&gt;</li>" for n in range(20)) + "</ul>"
    return app, environ_for("GET", "/"), (200, expected.encode())


def _dict_loader(templates: dict[str, str]) -> Any:
    import jinja2

    return jinja2.DictLoader(templates)


def _session(api: Any, app: Any) -> Any:
    def count() -> str:
        api.session["n"] = api.session.get("n", 0) + 1
        return str(api.session["n"])

    app.add_url_rule("/", "count", count)
    serializer = app.session_interface.get_signing_serializer(app)
    cookie = "session=" + serializer.dumps({"n": 41})
    return app, environ_for("GET", "/", HTTP_COOKIE=cookie), (200, b"42")


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


SCENARIOS: dict[
    str, Callable[[Any, Any], tuple[WSGIApp, Callable[[], Environ], tuple[int, bytes]]]
] = {
    "hello": _hello,
    "params": _params,
    "json": _json,
    "template": _template,
    "session": _session,
    "notfound": _notfound,
    "post-form": _post_form,
}
