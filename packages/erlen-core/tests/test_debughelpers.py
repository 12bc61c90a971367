"""Debug-mode explanations: missing enctype and redirects that drop form data."""

from __future__ import annotations

import typing as t

import pytest

from erlen_context.globals import request
from erlen_core import Erlen
from erlen_core.debughelpers import DebugFilesKeyError
from erlen_core.debughelpers import explain_template_loading_attempts
from erlen_core.debughelpers import UnexpectedUnicodeError


def _upload_app(app: Erlen) -> Erlen:
    @app.route("/upload", methods=["POST"])
    def upload() -> str:
        return request.files["file"].filename or ""

    return app


def test_files_key_error_explains_enctype(app: Erlen) -> None:
    app.debug = True
    client = _upload_app(app).test_client()
    with pytest.raises(DebugFilesKeyError) as info:
        client.post("/upload", data={"file": "index.txt"})
    message = str(info.value)
    assert "no file contents were transmitted" in message
    assert "This was submitted: 'index.txt'" in message
    assert isinstance(info.value, KeyError)


def test_files_key_error_only_for_form_keys(app: Erlen) -> None:
    app.debug = True
    client = _upload_app(app).test_client()
    with pytest.raises(KeyError) as info:
        client.post("/upload", data={"other": "x"})
    assert not isinstance(info.value, DebugFilesKeyError)


def test_files_key_error_without_form_value(app: Erlen) -> None:
    with app.test_request_context(method="POST", data={"a": "b"}):
        message = str(DebugFilesKeyError(request, "file"))
    assert "'file' is not in request.files" in message
    assert "submitted" not in message


def test_files_lookup_still_works(app: Erlen) -> None:
    import io

    app.debug = True
    client = _upload_app(app).test_client()
    rv = client.post("/upload", data={"file": (io.BytesIO(b"data"), "a.txt")})
    assert rv.data == b"a.txt"


def test_no_explanation_outside_debug(app: Erlen) -> None:
    client = _upload_app(app).test_client()
    assert client.post("/upload", data={"file": "index.txt"}).status_code == 400


def test_exported_names() -> None:
    assert issubclass(UnexpectedUnicodeError, UnicodeError)
    assert issubclass(UnexpectedUnicodeError, AssertionError)
    assert callable(explain_template_loading_attempts)


def test_direct_teardown_calls_default_to_current_exception(app: Erlen) -> None:
    seen: list[t.Any] = []
    app.teardown_appcontext(seen.append)
    app.teardown_request(seen.append)
    with app.test_request_context():
        app.do_teardown_request()
        app.do_teardown_appcontext()
        try:
            raise ValueError("current")
        except ValueError as e:
            app.do_teardown_appcontext()
            assert seen[-1] is e
    assert seen[:2] == [None, None]


def test_explaining_files_class_is_made_once_per_files_class(app: Erlen) -> None:
    from erlen_core.debughelpers import attach_enctype_error_multidict

    classes = []
    for _ in range(2):
        with app.test_request_context(method="POST", data={"file": "a.txt"}):
            plain = type(request.files)
            attach_enctype_error_multidict(request)
            classes.append(type(request.files))
            assert request.files.__class__.__name__ == plain.__name__
            assert isinstance(request.files, plain)
            with pytest.raises(DebugFilesKeyError):
                request.files["file"]
    assert classes[0] is classes[1]
