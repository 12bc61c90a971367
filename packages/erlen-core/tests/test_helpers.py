from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import io
import os
import sys
import types
import typing as t
from pathlib import Path

import pytest
import werkzeug
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

import erlen_context
from erlen_core import Erlen
from erlen_core import helpers
from erlen_core.helpers import _split_blueprint_path
from erlen_core.helpers import abort
from erlen_core.helpers import flash
from erlen_core.helpers import get_debug_flag
from erlen_core.helpers import get_flashed_messages
from erlen_core.helpers import get_load_dotenv
from erlen_core.helpers import get_root_path
from erlen_core.helpers import get_template_attribute
from erlen_core.helpers import make_response
from erlen_core.helpers import redirect
from erlen_core.helpers import send_file
from erlen_core.helpers import send_from_directory
from erlen_core.helpers import url_for
from erlen_core.signals import message_flashed
from erlen_core.wrappers import Response


@pytest.fixture
def files_app(tmp_path: Path) -> Erlen:
    """An app rooted in a temporary folder holding ``static/``, ``templates/`` and a file."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "index.html").write_text("<h1>static</h1>", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "macros.html").write_text(
        "{% macro hello(name) %}Hello {{ name }}!{% endmacro %}{% set answer = 42 %}",
        encoding="utf-8",
    )
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    app = Erlen("erlen_files_test", root_path=str(tmp_path))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


# -- environment flags -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("No", False),
        ("FALSE", False),
        ("1", True),
        ("true", True),
        ("yes", True),
        ("anything", True),
    ],
)
def test_get_debug_flag(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool) -> None:
    if value is None:
        monkeypatch.delenv("FLASK_DEBUG", raising=False)
    else:
        monkeypatch.setenv("FLASK_DEBUG", value)
    assert get_debug_flag() is expected


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (None, True, True),
        (None, False, False),
        ("", True, True),
        ("0", False, True),
        ("false", False, True),
        ("No", False, True),
        ("1", True, False),
        ("yes", True, False),
    ],
)
def test_get_load_dotenv(
    monkeypatch: pytest.MonkeyPatch, value: str | None, default: bool, expected: bool
) -> None:
    if value is None:
        monkeypatch.delenv("FLASK_SKIP_DOTENV", raising=False)
    else:
        monkeypatch.setenv("FLASK_SKIP_DOTENV", value)
    assert get_load_dotenv(default) is expected


# -- abort, redirect, make_response, url_for -----------------------------------------------


def test_abort_without_app() -> None:
    with pytest.raises(NotFound) as exc_info:
        abort(404, "gone")
    assert exc_info.value.description == "gone"
    response = WerkzeugResponse("custom", status=418)
    with pytest.raises(HTTPException) as exc_info2:
        abort(response)
    assert exc_info2.value.get_response() is response
    with pytest.raises(LookupError):
        abort(299)


def test_abort_uses_app_aborter(app: Erlen) -> None:
    class Custom(HTTPException):
        code = 599
        description = "custom"

    app.aborter.mapping[599] = Custom
    with app.app_context():
        with pytest.raises(Custom):
            abort(599)
        with pytest.raises(Forbidden):
            abort(403)
    with pytest.raises(LookupError):
        abort(599)


def test_abort_in_view(app: Erlen, client: t.Any) -> None:
    @app.route("/")
    def index() -> str:
        abort(403, description="not you")

    rv = client.get("/")
    assert rv.status_code == 403
    assert b"not you" in rv.data


def test_redirect_without_app() -> None:
    rv = redirect("/target", 301)
    assert type(rv) is WerkzeugResponse
    assert rv.status_code == 301
    assert rv.headers["Location"] == "/target"

    class MyResponse(WerkzeugResponse):
        pass

    assert type(redirect("/x", Response=MyResponse)) is MyResponse


def test_redirect_uses_app(app: Erlen) -> None:
    class MyResponse(Response):
        pass

    app.response_class = MyResponse
    with app.app_context():
        rv = redirect("/target", code=307, Response=WerkzeugResponse)
    assert type(rv) is MyResponse
    assert rv.status_code == 307
    assert rv.location == "/target"


def test_make_response(app: Erlen) -> None:
    with app.test_request_context():
        rv = make_response()
        assert isinstance(rv, Response)
        assert rv.status_code == 200 and rv.data == b""
        rv = make_response("hello")
        assert rv.data == b"hello" and rv.mimetype == "text/html"
        rv = make_response("missing", 404, {"X-Test": "1"})
        assert rv.status_code == 404 and rv.headers["X-Test"] == "1"
        rv = make_response({"a": 1})
        assert rv.mimetype == "application/json" and rv.get_json() == {"a": 1}
        rv = make_response(("tuple", 201))
        assert rv.status_code == 201


def test_url_for(app: Erlen) -> None:
    @app.route("/items/<int:id>", methods=["GET", "POST"])
    def item(id: int) -> str:
        return str(id)

    with app.test_request_context():
        assert url_for("item", id=3) == "/items/3"
        assert url_for("item", id=3, q="x") == "/items/3?q=x"
        assert url_for("item", id=3, _anchor="top part") == "/items/3#top%20part"
        assert url_for("item", id=3, _external=True) == "http://localhost/items/3"
        assert url_for("item", id=3, _external=True, _scheme="https") == "https://localhost/items/3"
        assert url_for("item", id=3, _method="POST") == "/items/3"


def test_url_for_needs_app() -> None:
    with pytest.raises(RuntimeError, match="application context"):
        url_for("index")


# -- flashing ------------------------------------------------------------------------------


def test_flash_and_get_flashed_messages(app: Erlen, client: t.Any) -> None:
    @app.route("/flash")
    def set_flashes() -> str:
        flash("plain")
        flash("careful", "warning")
        flash("broken", category="error")
        return ""

    @app.route("/show")
    def show() -> t.Any:
        first = get_flashed_messages()
        again = get_flashed_messages()
        assert again is not first and again == first
        return {
            "messages": first,
            "with_categories": get_flashed_messages(with_categories=True),
            "filtered": get_flashed_messages(category_filter=["warning", "error"]),
            "filtered_pairs": get_flashed_messages(True, ["error"]),
            # a string filter matches as Flask's does, by substring
            "string_filter": get_flashed_messages(category_filter="error"),
        }

    client.get("/flash")
    data = client.get("/show").get_json()
    assert data == {
        "messages": ["plain", "careful", "broken"],
        "with_categories": [["message", "plain"], ["warning", "careful"], ["error", "broken"]],
        "filtered": ["careful", "broken"],
        "filtered_pairs": [["error", "broken"]],
        "string_filter": ["broken"],
    }
    # the messages were consumed
    assert client.get("/show").get_json()["messages"] == []


def test_get_flashed_messages_caches_per_request(app: Erlen) -> None:
    with app.test_request_context():
        flash("one")
        assert get_flashed_messages() == ["one"]
        assert "_flashes" not in erlen_context.session
        # a message flashed after the first read shows in the next request, not this one
        flash("two")
        assert get_flashed_messages() == ["one"]
        assert erlen_context.session["_flashes"] == [("message", "two")]


def test_get_flashed_messages_empty(app: Erlen) -> None:
    with app.test_request_context():
        assert get_flashed_messages() == []
        assert get_flashed_messages(with_categories=True) == []


def test_flash_sends_signal(app: Erlen) -> None:
    recorded: list[tuple[t.Any, str, str]] = []

    def record(sender: t.Any, message: str, category: str) -> None:
        recorded.append((sender, message, category))

    with message_flashed.connected_to(record, app):
        with app.test_request_context():
            flash("hi", "info")
    assert recorded == [(app, "hi", "info")]


def test_flash_signal_async_receiver(app: Erlen) -> None:
    pytest.importorskip("asgiref")
    recorded: list[str] = []

    async def record(sender: t.Any, message: str, category: str) -> None:
        recorded.append(message)

    with message_flashed.connected_to(record, app):
        with app.test_request_context():
            flash("async")
    assert recorded == ["async"]


def test_flash_needs_request() -> None:
    with pytest.raises(RuntimeError, match="request context"):
        flash("x")


# -- templates -----------------------------------------------------------------------------


def test_get_template_attribute(files_app: Erlen) -> None:
    with files_app.app_context():
        hello = get_template_attribute("macros.html", "hello")
        assert hello("World") == "Hello World!"
        assert get_template_attribute("macros.html", "answer") == 42


# -- sending files -------------------------------------------------------------------------


def test_send_file_path(files_app: Erlen, tmp_path: Path) -> None:
    with files_app.test_request_context():
        rv = send_file(tmp_path / "static" / "index.html")
        assert isinstance(rv, Response)
        assert rv.direct_passthrough
        assert rv.mimetype == "text/html"
        assert rv.headers["Cache-Control"] == "no-cache"
        rv.direct_passthrough = False
        assert rv.data == b"<h1>static</h1>"
        rv.close()


def test_send_file_relative_path_uses_app_root(files_app: Erlen) -> None:
    with files_app.test_request_context():
        rv = send_file("secret.txt")
        rv.direct_passthrough = False
        assert rv.data == b"secret"
        rv.close()


def test_send_file_object(files_app: Erlen) -> None:
    with files_app.test_request_context():
        rv = send_file(io.BytesIO(b"data"), mimetype="text/plain")
        rv.direct_passthrough = False
        assert rv.data == b"data"
        assert rv.mimetype == "text/plain"
        rv = send_file(io.BytesIO(b"x"), as_attachment=True, download_name="report.csv")
        assert rv.headers["Content-Disposition"] == "attachment; filename=report.csv"
        assert rv.mimetype == "text/csv"
        rv.close()


def test_send_file_x_sendfile(files_app: Erlen, tmp_path: Path) -> None:
    files_app.config["USE_X_SENDFILE"] = True
    with files_app.test_request_context():
        rv = send_file(tmp_path / "static" / "index.html")
        assert rv.headers["X-Sendfile"] == str(tmp_path / "static" / "index.html")
        assert rv.data == b""
        rv.close()


def test_send_file_max_age(files_app: Erlen, tmp_path: Path) -> None:
    files_app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    path = tmp_path / "static" / "index.html"
    with files_app.test_request_context():
        rv = send_file(path)
        assert rv.cache_control.max_age == 3600
        assert rv.cache_control.public
        rv.close()
        rv = send_file(path, max_age=10)
        assert rv.cache_control.max_age == 10
        rv.close()

    class PerFile(Erlen):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 60 if filename and filename.endswith(".html") else None

    app = PerFile("erlen_files_test", root_path=files_app.root_path)
    with app.test_request_context():
        rv = send_file(path)
        assert rv.cache_control.max_age == 60
        rv.close()


def test_send_file_response_class(files_app: Erlen, tmp_path: Path) -> None:
    class MyResponse(Response):
        pass

    files_app.response_class = MyResponse
    with files_app.test_request_context():
        rv = send_file(tmp_path / "secret.txt")
        assert type(rv) is MyResponse
        rv.close()


def test_send_file_conditional(files_app: Erlen, client: t.Any, tmp_path: Path) -> None:
    @files_app.route("/file")
    def file() -> Response:
        return send_file(tmp_path / "secret.txt")

    client = files_app.test_client()
    rv = client.get("/file")
    etag = rv.headers["ETag"]
    rv.close()
    rv = client.get("/file", headers={"If-None-Match": etag})
    assert rv.status_code == 304
    rv.close()
    rv = client.get("/file", headers={"Range": "bytes=0-2"})
    assert rv.status_code == 206
    assert rv.data == b"sec"
    rv.close()


def test_send_file_needs_request(files_app: Erlen) -> None:
    with files_app.app_context():
        with pytest.raises(RuntimeError, match="request context"):
            send_file("secret.txt")


def test_send_from_directory(files_app: Erlen, tmp_path: Path) -> None:
    with files_app.test_request_context():
        rv = send_from_directory("static", "index.html")
        rv.direct_passthrough = False
        assert rv.data == b"<h1>static</h1>"
        rv.close()
        rv = send_from_directory(tmp_path / "static", "index.html", as_attachment=True)
        assert rv.headers["Content-Disposition"].startswith("attachment")
        rv.close()


@pytest.mark.parametrize(
    "path", ["../secret.txt", "/etc/passwd", "missing.html", "", ".", "..%2fsecret.txt"]
)
def test_send_from_directory_refuses_outside_and_missing(files_app: Erlen, path: str) -> None:
    with files_app.test_request_context():
        with pytest.raises(NotFound):
            send_from_directory("static", path)


def test_send_from_directory_traversal_is_404(files_app: Erlen) -> None:
    @files_app.route("/files/<path:name>")
    def files(name: str) -> Response:
        return send_from_directory("static", name)

    client = files_app.test_client()
    rv = client.get("/files/index.html")
    assert rv.status_code == 200
    rv.close()
    assert client.get("/files/../secret.txt").status_code == 404
    assert client.get("/files/..%2Fsecret.txt").status_code == 404
    assert client.get("/files/nope.txt").status_code == 404


# -- root path and blueprint paths ---------------------------------------------------------


def test_get_root_path_of_module_and_package() -> None:
    assert get_root_path(__name__) == os.path.dirname(os.path.abspath(__file__))
    assert get_root_path("werkzeug") == os.path.dirname(werkzeug.__file__)
    import erlen_core

    assert get_root_path("erlen_core") == os.path.dirname(erlen_core.__file__)


def test_get_root_path_not_imported_yet() -> None:
    spec = importlib.util.find_spec("json.tool")
    assert spec is not None and spec.origin is not None
    sys.modules.pop("json.tool", None)
    assert get_root_path("json.tool") == os.path.dirname(spec.origin)


def test_get_root_path_unknown_module_is_cwd() -> None:
    assert get_root_path("erlen_no_such_module_xyz") == os.getcwd()
    assert get_root_path("erlen_no_such_pkg_xyz.sub") == os.getcwd()


def test_get_root_path_main_without_file(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("erlen_interactive")
    monkeypatch.setitem(sys.modules, "erlen_interactive", module)
    module.__spec__ = None
    # a module without __file__ and without a spec falls back to the working directory
    with pytest.raises(ValueError):
        importlib.util.find_spec("erlen_interactive")
    assert get_root_path("erlen_interactive") == os.getcwd()


def test_get_root_path_namespace_package_is_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "erlen_ns_pkg").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert get_root_path("erlen_ns_pkg") == os.getcwd()


class _FilelessLoader(importlib.abc.Loader):
    """Makes modules that have no file, like some import hooks do."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        # One of the two modules sets a file name while it runs.
        if module.__name__ == "erlen_late_file":
            module.__file__ = os.path.join(os.sep, "srv", "late", "mod.py")


class _FilelessFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: t.Any, target: t.Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in ("erlen_fileless", "erlen_late_file"):
            return None
        return importlib.machinery.ModuleSpec(fullname, _FilelessLoader())


def test_get_root_path_module_without_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "meta_path", [_FilelessFinder(), *sys.meta_path])
    monkeypatch.delitem(sys.modules, "erlen_fileless", raising=False)
    try:
        with pytest.raises(RuntimeError, match="No root path can be found for the module"):
            get_root_path("erlen_fileless")
    finally:
        sys.modules.pop("erlen_fileless", None)


def test_get_root_path_file_set_on_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "meta_path", [_FilelessFinder(), *sys.meta_path])
    monkeypatch.delitem(sys.modules, "erlen_late_file", raising=False)
    try:
        assert get_root_path("erlen_late_file") == os.path.join(os.sep, "srv", "late")
    finally:
        sys.modules.pop("erlen_late_file", None)


def test_split_blueprint_path() -> None:
    assert _split_blueprint_path("a") == ["a"]
    assert _split_blueprint_path("a.b.c") == ["a.b.c", "a.b", "a"]
    assert _split_blueprint_path("a.b.c") is _split_blueprint_path("a.b.c")


def test_stream_with_context_is_reexported() -> None:
    assert helpers.stream_with_context is erlen_context.stream_with_context
