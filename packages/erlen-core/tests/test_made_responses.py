"""The responses erlen makes itself (``jsonify``, ``redirect``, ``send_file``) with less work
than Werkzeug's generic paths: the same objects, and the same raw WSGI answers as Flask's.
"""

from __future__ import annotations

import email.utils
import json
import os
import pathlib
import time
import typing as t

import flask
import pytest
from markupsafe import Markup
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app
from werkzeug.utils import redirect as werkzeug_redirect
from werkzeug.wrappers import Response as WerkzeugResponse

import erlen_core
from erlen_core import helpers
from erlen_core import json as erlen_json
from erlen_core import wrappers
from erlen_core.wrappers import Response

#: Headers whose value is the time of the answer.
_TIMED = ("Date", "Expires")


def _raw(app: t.Any, path: str = "/", **kwargs: t.Any) -> tuple[str, list[tuple[str, str]], bytes]:
    environ = EnvironBuilder(path=path, **kwargs).get_environ()
    body, status, headers = run_wsgi_app(app, environ)
    try:
        data = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return status, list(headers), data


def _untimed(answer: tuple[str, list[tuple[str, str]], bytes]) -> t.Any:
    """An answer without its time-dependent header values (their names and places stay)."""
    status, headers, body = answer
    for name, value in headers:
        if name in _TIMED:
            assert abs(email.utils.parsedate_to_datetime(value).timestamp() - time.time()) < 5000
    return status, [(n, "<time>" if n in _TIMED else v) for n, v in headers], body


def _both(setup: t.Callable[[t.Any, t.Any], None], root: str = "/nonexistent") -> list[t.Any]:
    apps = []
    for fw, app_class in ((erlen_core, erlen_core.Erlen), (flask, flask.Flask)):
        app = app_class("made", root_path=root)
        setup(fw if fw is flask else _ERLEN, app)
        apps.append(app)
    return apps


class _Erlen:
    jsonify = staticmethod(erlen_json.jsonify)
    redirect = staticmethod(helpers.redirect)
    send_file = staticmethod(helpers.send_file)


_ERLEN = _Erlen()


def _same_fields(made: WerkzeugResponse, direct: WerkzeugResponse) -> None:
    assert type(made) is type(direct)
    assert list(vars(made)) == list(vars(direct))
    assert list(made.headers) == list(direct.headers)
    assert made.status == direct.status
    assert made.status_code == direct.status_code
    assert made.response == direct.response
    assert made.direct_passthrough == direct.direct_passthrough


def test_direct_construction_holds_on_this_werkzeug() -> None:
    assert wrappers.DIRECT_CONSTRUCTION
    assert wrappers._redirect_page(302) is not None


@pytest.mark.parametrize("code", [None, 200, 201, 418, 299, 999])
def test_from_text_is_the_constructor(code: int | None) -> None:
    made = Response._from_text('{"a": "\u00e9"}', "application/json", code)
    _same_fields(Response('{"a": "\u00e9"}', code, mimetype="application/json"), made)


def test_from_text_of_a_subclass_uses_its_constructor() -> None:
    class Mine(Response):
        default_status = 203
        default_mimetype = "text/plain"

    made = Mine._from_text("x", "text/html")
    assert type(made) is Mine
    assert made.status_code == 203


@pytest.mark.parametrize("status", [None, 201, 404])
def test_a_text_view_result_is_the_constructors_response(status: int | None) -> None:
    app = erlen_core.Erlen("made")
    with app.test_request_context():
        made = app.make_response(("caf\u00e9", status) if status else "caf\u00e9")
    _same_fields(Response("caf\u00e9", status, mimetype="text/html"), made)


def test_made_response_behaves_like_any_other() -> None:
    app = erlen_core.Erlen("made")
    with app.app_context():
        response = erlen_json.jsonify(a=1)
    assert response.json == {"a": 1}
    assert response.is_json
    response.set_data(b"[1, 2]")
    response.headers["X-Extra"] = "yes"
    response.set_cookie("name", "value")
    assert response.headers["Content-Length"] == "6"
    assert response.get_json() == [1, 2]
    response.status_code = 404
    assert response.status == "404 NOT FOUND"
    assert response.headers.getlist("Set-Cookie") == ["name=value; Path=/"]


@pytest.mark.parametrize(
    "location",
    ["/target", "http://example.com/a b?q=\u00e9#x", "/a?b=<c>&d='e\"f", "", "\u2603"],
)
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirect_is_werkzeugs(location: str, code: int) -> None:
    _same_fields(werkzeug_redirect(location, code, Response), Response._redirect(location, code))


def test_redirect_of_text_that_is_not_a_str_is_werkzeugs() -> None:
    location = Markup("/a&amp;b")
    _same_fields(werkzeug_redirect(location, 302, Response), Response._redirect(location))


def test_redirect_refuses_a_line_break_as_werkzeug_does() -> None:
    with pytest.raises(ValueError, match="newline") as theirs:
        werkzeug_redirect("/a\r\nX: y", 302, Response)
    with pytest.raises(ValueError, match="newline") as ours:
        Response._redirect("/a\r\nX: y")
    assert str(ours.value) == str(theirs.value)


def _views(fw: t.Any, app: t.Any) -> None:
    app.add_url_rule("/json", "json", lambda: fw.jsonify({"b": [1, 2.5, None], "a": "\u00e9"}))
    app.add_url_rule("/list", "list", lambda: fw.jsonify(1, "two"))
    app.add_url_rule("/redirect", "redirect", lambda: fw.redirect("/p\u00e5th?q=<x> y"))
    app.add_url_rule("/absolute", "absolute", lambda: fw.redirect("http://\u2603.net/x", 301))

    def lower_case() -> t.Any:
        response = fw.redirect("/one")
        response.headers.add("location", "/two")
        return response

    def content_location() -> t.Any:
        response = fw.jsonify([])
        response.headers["Content-Location"] = "/\u00e9"
        return response

    def unsized() -> t.Any:
        response = fw.jsonify([])
        del response.headers["Content-Length"]
        return response

    def no_content() -> t.Any:
        response = fw.jsonify([])
        response.status_code = 204
        return response

    app.add_url_rule("/lower", "lower", lower_case)
    app.add_url_rule("/content-location", "content_location", content_location)
    app.add_url_rule("/unsized", "unsized", unsized)
    app.add_url_rule("/no-content", "no_content", no_content)


@pytest.mark.parametrize(
    "path",
    ["/json", "/list", "/redirect", "/absolute", "/lower", "/content-location", "/unsized"]
    + ["/no-content"],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("hooked", [False, True])
def test_made_responses_match_flask(path: str, method: str, hooked: bool) -> None:
    ours, theirs = _both(_views)
    if hooked:
        for app in (ours, theirs):
            app.after_request(lambda response: response)
    assert _raw(ours, path, method=method) == _raw(theirs, path, method=method)


@pytest.mark.parametrize("compact", [None, False, True])
@pytest.mark.parametrize("debug", [False, True])
def test_json_options_match_flask(compact: bool | None, debug: bool) -> None:
    def setup(fw: t.Any, app: t.Any) -> None:
        app.debug = debug
        app.json.compact = compact
        app.json.ensure_ascii = False
        app.json.sort_keys = False
        app.json.default = lambda value: f"<{type(value).__name__}>"
        app.add_url_rule("/", "json", lambda: fw.jsonify({"z": "\u00e9", "a": object()}))
        app.add_url_rule("/dict", "dict", lambda: {"z": 1, "a": [object()]})

    ours, theirs = _both(setup)
    for path in ("/", "/dict"):
        assert _raw(ours, path) == _raw(theirs, path)


def test_json_circular_reference_then_encodes_again() -> None:
    app = erlen_core.Erlen("made")
    loop: list[t.Any] = []
    loop.append(loop)
    with app.app_context():
        with pytest.raises(ValueError, match="Circular reference"):
            erlen_json.jsonify(loop)
        assert erlen_json.jsonify([loop[:0]]).get_data() == b"[[]]\n"


def test_json_with_an_unhashable_default_is_encoded() -> None:
    class Default:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self, value: object) -> str:
            return "default"

    app = erlen_core.Erlen("made")
    app.json.default = Default()  # type: ignore[method-assign]
    with app.app_context():
        assert erlen_json.jsonify(a=object()).get_data() == b'{"a":"default"}\n'


def test_json_of_a_provider_with_its_own_dumps() -> None:
    app = erlen_core.Erlen("made")

    class Provider(type(app.json)):  # type: ignore[misc]
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return json.dumps({"wrapped": obj}, **kwargs)

    app.json = Provider(app)
    with app.app_context():
        assert erlen_json.jsonify(1).get_data() == b'{"wrapped":1}\n'


@pytest.fixture
def static_root(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "style.css").write_bytes(b"body { color: red }\n" * 30)
    (tmp_path / "data.tar.gz").write_bytes(b"\x1f\x8b" + b"0" * 100)
    (tmp_path / "caf\u00e9.txt").write_bytes(b"coffee\n")
    helpers._sent_files.clear()
    return tmp_path


def _file_views(fw: t.Any, app: t.Any) -> None:
    app.add_url_rule("/css", "css", lambda: fw.send_file("style.css"))
    app.add_url_rule("/gz", "gz", lambda: fw.send_file("data.tar.gz"))
    app.add_url_rule(
        "/attachment", "attachment", lambda: fw.send_file("caf\u00e9.txt", as_attachment=True)
    )
    app.add_url_rule(
        "/named",
        "named",
        lambda: fw.send_file("style.css", download_name="other.js", etag="fixed", max_age=60),
    )
    app.add_url_rule(
        "/plain", "plain", lambda: fw.send_file("style.css", conditional=False, etag=False)
    )
    app.add_url_rule(
        "/dated", "dated", lambda: fw.send_file("style.css", last_modified=1_000_000_000)
    )


_FILE_PATHS = ["/css", "/gz", "/attachment", "/named", "/plain", "/dated"]


@pytest.mark.parametrize("path", _FILE_PATHS)
@pytest.mark.parametrize("max_age", [None, 3600, 0])
def test_send_file_matches_flask_again_and_again(
    static_root: pathlib.Path, path: str, max_age: int | None
) -> None:
    ours, theirs = _both(_file_views, str(static_root))
    for app in (ours, theirs):
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = max_age
    for method in ("GET", "HEAD", "GET", "POST"):
        assert _untimed(_raw(ours, path, method=method)) == _untimed(
            _raw(theirs, path, method=method)
        )
    assert helpers._sent_files


@pytest.mark.parametrize("path", _FILE_PATHS)
def test_send_file_conditional_requests_after_caching(static_root: pathlib.Path, path: str) -> None:
    ours, theirs = _both(_file_views, str(static_root))
    status, headers, _ = _raw(theirs, path)
    etag = dict(headers).get("ETag", '"none"')
    modified = dict(headers).get("Last-Modified", "Sat, 01 Jan 2000 00:00:00 GMT")
    _raw(ours, path)
    requests: list[dict[str, str]] = [
        {"If-None-Match": etag},
        {"If-Modified-Since": modified},
        {"If-Match": '"other"'},
        {"Range": "bytes=0-9"},
        {"Range": "bytes=5000-6000"},
        {"Range": "bytes=0-9", "If-Range": etag},
        {"If-Unmodified-Since": modified},
    ]
    for request_headers in requests:
        assert _untimed(_raw(ours, path, headers=request_headers)) == _untimed(
            _raw(theirs, path, headers=request_headers)
        ), request_headers


def test_send_file_sees_a_changed_file(static_root: pathlib.Path) -> None:
    ours, theirs = _both(_file_views, str(static_root))
    assert _untimed(_raw(ours, "/css")) == _untimed(_raw(theirs, "/css"))
    css = static_root / "style.css"
    css.write_bytes(b"p {}\n")
    stat = css.stat()
    os.utime(css, (stat.st_atime, stat.st_mtime + 10))
    answer = _raw(ours, "/css")
    assert answer[2] == b"p {}\n"
    assert _untimed(answer) == _untimed(_raw(theirs, "/css"))


def test_send_file_response_is_werkzeugs(static_root: pathlib.Path) -> None:
    app = erlen_core.Erlen("made", root_path=str(static_root))
    with app.test_request_context():
        first = helpers.send_file("style.css")
        second = helpers.send_file("style.css")
    try:
        assert list(vars(first)) == list(vars(second))
        assert [n for n, _ in first.headers] == [n for n, _ in second.headers]
        assert second.direct_passthrough
        assert second.status == "200 OK"
        second.headers["X-Later"] = "added"
        assert "X-Later" not in first.headers
    finally:
        first.close()
        second.close()


def test_get_wsgi_headers_is_werkzeugs() -> None:
    environ = EnvironBuilder().get_environ()
    cases = [
        Response("x"),
        Response("x", headers={"Location": "/\u00e9 x"}),
        Response("x", headers=[("location", "/a")]),
        Response("x", headers=[("Location", "/a"), ("Location", "/b")]),
        Response("x", 304),
        Response(iter([b"x"])),
    ]
    for response in cases:
        theirs = WerkzeugResponse.get_wsgi_headers(response, environ)
        assert list(response.get_wsgi_headers(environ)) == list(theirs)


def test_a_werkzeug_constructing_otherwise_gets_its_constructor_called() -> None:
    import subprocess
    import sys

    code = (
        "import werkzeug.wrappers.response as r\n"
        "init = r.Response.__init__\n"
        "def patched(self, *args, **kwargs):\n"
        "    init(self, *args, **kwargs)\n"
        "    self.extra = 1\n"
        "r.Response.__init__ = patched\n"
        "import erlen_core\n"
        "from erlen_core import json, wrappers\n"
        "assert not wrappers.DIRECT_CONSTRUCTION\n"
        "assert wrappers._redirect_page(302) is None\n"
        "app = erlen_core.Erlen('x')\n"
        "with app.app_context():\n"
        "    assert json.jsonify(1).extra == 1\n"
        "    assert app.redirect('/a').extra == 1\n"
        "print('constructor called')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "constructor called", result.stderr


@pytest.mark.parametrize("mimetype", [None, "application/vnd.api+json", "text/x-json"])
def test_json_mimetype_matches_flask(mimetype: str | None) -> None:
    def setup(fw: t.Any, app: t.Any) -> None:
        app.json.mimetype = mimetype
        app.add_url_rule("/", "json", lambda: fw.jsonify(a=1))

    ours, theirs = _both(setup)
    assert _raw(ours) == _raw(theirs)
