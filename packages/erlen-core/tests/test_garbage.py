"""Requests leave no reference cycles behind: everything they made is freed by reference
counting, not by a later garbage collection (which would cost every request that triggers it).
"""

from __future__ import annotations

import gc
import typing as t

import pytest
from werkzeug.exceptions import abort
from werkzeug.test import create_environ

from erlen_core import Erlen


def _app() -> Erlen:
    app = Erlen(__name__)
    app.add_url_rule("/", "index", lambda: "hello")
    app.add_url_rule("/item/<int:n>", "item", lambda n: {"n": n})
    app.add_url_rule("/gone", "gone", lambda: abort(410))
    app.add_url_rule("/form", "form", lambda: "posted", methods=["POST"])
    return app


def _serve(app: Erlen, path: str, method: str = "GET") -> str:
    statuses: list[str] = []
    body = app(create_environ(path, method=method), lambda s, h, e=None: statuses.append(s))
    b"".join(body)
    return statuses[0]


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/", "GET", "200 OK"),
        ("/item/3", "GET", "200 OK"),
        ("/missing", "GET", "404 NOT FOUND"),
        ("/gone", "GET", "410 GONE"),
        ("/form", "GET", "405 METHOD NOT ALLOWED"),
    ],
)
def test_a_request_leaves_no_cycles(path: str, method: str, status: str) -> None:
    app = _app()
    for _ in range(3):
        assert _serve(app, path, method) == status
    gc.collect()
    flags = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert _serve(app, path, method) == status
        gc.collect()
        left: list[t.Any] = list(gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()
    assert [type(o).__name__ for o in left] == []
