"""Hostile paths against the static route and ``send_from_directory``: every way out of the
folder is a 404 (or a redirect back inside it), and no byte of a file outside is ever sent.
"""

from __future__ import annotations

import os

import pytest
from werkzeug.exceptions import NotFound

from erlen_core.helpers import send_from_directory

from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import HERE
from .test_hostile_app import make_app
from .test_hostile_app import wsgi_text

#: A file next to the static folder; none of its content may leak.
OUTSIDE = os.path.join(HERE, "conftest.py")
with open(OUTSIDE, "rb") as _f:
    SECRET = _f.read(200)

#: Filenames as they reach the view (``PATH_INFO`` is already percent-decoded by the server).
TRAVERSALS = {
    "dot dot": "../conftest.py",
    "deep dot dot": "../../../../../../../../etc/passwd",
    "inner dot dot": "sub/../../conftest.py",
    "percent-encoded": "%2e%2e/conftest.py",
    "percent-encoded slash": "..%2fconftest.py",
    "double-encoded": "%252e%252e%252fconftest.py",
    "backslash": "..\\conftest.py",
    "backslash absolute": "\\etc\\passwd",
    "windows drive": "C:/Windows/win.ini",
    "windows drive relative": "C:conftest.py",
    "nul byte": "style.css\x00.png",
    "nul then dot dot": "\x00/../conftest.py",
    "utf-8 overlong dot": wsgi_text(b"\xc0\xae\xc0\xae/conftest.py"),
    "unicode dots": wsgi_text("\u2024\u2024/conftest.py"),
    "device name": "con",
    "the folder itself": ".",
    "empty segment": "sub//../../conftest.py",
}


@pytest.mark.parametrize("prefix", ["/static/", "/files/"])
@pytest.mark.parametrize("filename", TRAVERSALS.values(), ids=TRAVERSALS.keys())
def test_traversal_is_not_found(prefix: str, filename: str) -> None:
    answer = call(make_app(), environ(prefix + filename))
    assert answer.status == 404, answer
    assert SECRET not in answer.body


@pytest.mark.parametrize("prefix", ["/static", "/files"])
@pytest.mark.parametrize("target", ["//etc/passwd", "///" + OUTSIDE.lstrip("/")])
def test_absolute_path_redirects_inside_the_folder(prefix: str, target: str) -> None:
    app = make_app()
    answer = call(app, environ(prefix + target))
    # The doubled slash is merged; the redirect stays under the prefix, and that is a 404.
    assert answer.status == 308
    location = answer.header("Location")
    assert location is not None and location.startswith(f"http://localhost{prefix}/")
    assert call(app, environ(location.removeprefix("http://localhost"))).status == 404


@pytest.mark.parametrize(
    "filename",
    [*TRAVERSALS.values(), "/etc/passwd", OUTSIDE, os.path.join(HERE, "static", "style.css")],
)
def test_send_from_directory_refuses(filename: str) -> None:
    app = make_app()
    with app.test_request_context(), pytest.raises(NotFound):
        send_from_directory(os.path.join(HERE, "static"), filename)


def test_test_client_percent_encoding_is_decoded_once() -> None:
    client = make_app().test_client()
    # The client decodes like a server: %2e%2e is "..", %252e%252e is a literal "%2e%2e".
    for url in ("/static/%2e%2e/conftest.py", "/static/%252e%252e/conftest.py"):
        with client.get(url) as rv:
            assert rv.status_code == 404 and SECRET not in rv.data
    with client.get("/static/style.css") as rv:
        assert rv.status_code == 200
