"""Sustained load: 20,000 in-process requests mixing routes, sessions, templates, errors,
streaming (some abandoned half-way), static files and uploads. Nothing crashes, no context is
left pushed, traced memory does not grow after warm-up, and no file descriptor is left open.
"""

from __future__ import annotations

import gc
import json
import os
import tracemalloc
import typing as t

import pytest

from erlen_context.globals import _cv_app
from erlen_context.globals import _cv_request
from erlen_core import Erlen

from .test_hostile_app import Answer
from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import make_app

REQUESTS = 20_000
#: Requests before tracing starts; tracing makes requests about four times slower.
UNTRACED = 15_000
#: Traced requests before the baseline, so that bounded caches hold traced entries.
SETTLE = 1_000
#: Allowed growth of traced memory over the last 4,000 requests: 16 bytes a request.
MEMORY_BOUND = 64_000

_FD_DIR = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"


def _open_fds() -> int:
    return len(os.listdir(_FD_DIR))


def _upload(size: int) -> tuple[bytes, str]:
    boundary = "soak"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'
    ).encode()
    body += b"\x01" * size + f"\r\n--{boundary}\r\n".encode()
    body += (
        f'Content-Disposition: form-data; name="field"\r\n\r\nvalue\r\n--{boundary}--\r\n'.encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


SMALL_UPLOAD = _upload(100)
# Above the 500 kB in-memory threshold: spooled to a real temporary file.
LARGE_UPLOAD = _upload(600_000)


class Client:
    """One browser: keeps its session cookie between requests."""

    def __init__(self, app: Erlen) -> None:
        self.app = app
        self.cookie = ""

    def __call__(self, env: dict[str, t.Any]) -> Answer:
        if self.cookie:
            env["HTTP_COOKIE"] = self.cookie
        answer = call(self.app, env)
        set_cookie = answer.header("Set-Cookie")
        if set_cookie is not None:
            self.cookie = set_cookie.split(";", 1)[0]
        return answer

    def abandon_stream(self, i: int) -> None:
        """Read the first chunk of a streamed response, then hang up."""
        app_iter = self.app(environ("/stream", query=f"x={i}"), lambda *a: lambda d: None)
        assert next(iter(app_iter)) == b"start "
        app_iter.close()  # type: ignore[attr-defined]


def _step(client: Client, i: int) -> None:
    """One request of the mix; asserts its answer."""
    kind = i % 13
    if kind == 0:
        assert client(environ(f"/item/{i}")).body == f"item {i}".encode()
    elif kind == 1:
        assert client(environ("/session")).status == 200
    elif kind == 2:
        assert client(environ("/stream", query=f"x={i}")).body == f"start {i} end".encode()
    elif kind == 3:
        assert client(environ(f"/missing/{i}")).status == 404
    elif kind == 4:
        body = json.dumps({"i": i, "s": "\u00e9" * (i % 50)}).encode()
        answer = client(environ("/json", "POST", body=body, content_type="application/json"))
        assert json.loads(answer.body)["json"]["i"] == i
    elif kind == 5:
        bad = environ("/json", "POST", body=b"{" * (i % 7 + 1), content_type="application/json")
        assert client(bad).status == 400
    elif kind == 6:
        assert client(environ("/fail")).status == 500
    elif kind == 7:
        assert client(environ("/static/style.css")).status == 200
    elif kind == 8:
        assert client(environ("/flash", query=f"m={i}")).status == 200
        assert str(i) in client(environ("/flashed")).body.decode()
    elif kind == 9:
        body, content_type = LARGE_UPLOAD if i % 1_001 == 9 else SMALL_UPLOAD
        answer = client(environ("/form", "POST", body=body, content_type=content_type))
        assert json.loads(answer.body)["form"] == {"field": ["value"]}
    elif kind == 10:
        assert client(environ("/redirect", query=f"n={i}")).status == 302
    elif kind == 11:
        answer = client(environ("/", "HEAD", headers={"Host": f"h{i % 64}.example.test"}))
        assert answer.status == 200 and answer.body == b""
    else:
        client.abandon_stream(i)
    assert _cv_request.get(None) is None and _cv_app.get(None) is None


def test_sustained_load(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    # The 500s are expected; keep their log records from piling up in pytest's capture.
    monkeypatch.setattr(app.logger, "disabled", True)
    client = Client(app)

    for i in range(UNTRACED):
        _step(client, i)
    gc.collect()
    fds = _open_fds()
    tracemalloc.start()
    try:
        for i in range(UNTRACED, UNTRACED + SETTLE):
            _step(client, i)
        gc.collect()
        baseline = tracemalloc.take_snapshot()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(UNTRACED + SETTLE, REQUESTS):
            _step(client, i)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
        if growth >= MEMORY_BOUND:  # pragma: no cover - the report of a failure
            stats = tracemalloc.take_snapshot().compare_to(baseline, "lineno")
            pytest.fail(f"memory grew by {growth} bytes:\n" + "\n".join(map(str, stats[:5])))
    finally:
        tracemalloc.stop()

    assert _open_fds() <= fds
    # The session survived 20,000 requests of flashing and counting.
    assert int(client(environ("/session")).body) > REQUESTS // 13


def test_abandoned_streams_release_their_context() -> None:
    client = Client(make_app())
    for i in range(50):
        client.abandon_stream(i)
        assert _cv_request.get(None) is None and _cv_app.get(None) is None


def test_uploaded_files_are_closed_with_the_request() -> None:
    app = make_app()
    fds = _open_fds()
    body, content_type = LARGE_UPLOAD
    for _ in range(20):
        env = environ("/form", "POST", body=body, content_type=content_type)
        assert call(app, env).status == 200
    assert _open_fds() <= fds


def test_many_hosts_keep_memory_bounded() -> None:
    # Every request with a new Host header: the per-host URL adapter caches must not grow
    # without bound. Tracing starts first, so the caches' old entries are traced too.
    app = make_app()
    tracemalloc.start()
    try:
        for i in range(600):
            call(app, environ("/", "HEAD", headers={"Host": f"h{i}.example.test"}))
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(600, 2_600):
            call(app, environ("/", "HEAD", headers={"Host": f"h{i}.example.test"}))
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert growth < 20_000
