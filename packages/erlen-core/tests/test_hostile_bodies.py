"""Hostile bodies: size limits stop oversized bodies and multipart bombs while reading, before
memory grows; malformed JSON is a 400 with a clear message.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import typing as t

import pytest

from erlen_context.globals import request
from erlen_core import Erlen

from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import make_app

MB = 1024 * 1024


class Flood(io.RawIOBase):
    """A request body of ``size`` bytes made on the fly (``head``, then ``unit`` repeated, then
    ``tail``), counting what the app read; the test itself holds none of it in memory.
    """

    def __init__(self, head: bytes, unit: bytes, size: int, tail: bytes = b"") -> None:
        self.head, self.unit, self.tail, self.size = head, unit, tail, size
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def _byte_slice(self, start: int, stop: int) -> bytes:
        body_end = self.size - len(self.tail)
        out = bytearray()
        pos = start
        while pos < stop:
            if pos < len(self.head):
                chunk = self.head[pos : min(stop, len(self.head))]
            elif pos >= body_end:
                chunk = self.tail[pos - body_end : stop - body_end]
            else:
                offset = (pos - len(self.head)) % len(self.unit)
                size = min(stop, body_end) - pos
                repeats = (offset + size) // len(self.unit) + 1
                chunk = (self.unit * repeats)[offset : offset + size]
            out += chunk
            pos += len(chunk)
        return bytes(out)

    def readinto(self, buffer: t.Any) -> int:
        n = min(len(buffer), self.size - self.consumed)
        buffer[:n] = self._byte_slice(self.consumed, self.consumed + n)
        self.consumed += n
        return n


def _flood_environ(flood: Flood, path: str, content_type: str, chunked: bool = False) -> t.Any:
    env = environ(path, "POST", content_type=content_type)
    env["wsgi.input"] = flood
    if chunked:
        # A chunked body: no length, the server marks the stream as ending on its own.
        del env["CONTENT_LENGTH"]
        env["wsgi.input_terminated"] = True
    else:
        env["CONTENT_LENGTH"] = str(flood.size)
    return env


def _peak(app: Erlen, env: dict[str, t.Any]) -> tuple[int, int]:
    """The status and the peak memory (bytes) of one request."""
    tracemalloc.start()
    try:
        status = call(app, env).status
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return status, peak


BOUNDARY = "bomb"


def _part(name: str, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def test_declared_oversized_body_is_refused_unread() -> None:
    app = make_app(MAX_CONTENT_LENGTH=1_000)
    flood = Flood(b"", b"x", 100 * MB)
    for path, content_type in [("/json", "application/json"), ("/form", MULTIPART)]:
        assert call(app, _flood_environ(flood, path, content_type)).status == 413
    assert flood.consumed == 0


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/form", "application/x-www-form-urlencoded"),
        ("/json", "application/json"),
        ("/form", MULTIPART),
    ],
)
def test_chunked_oversized_body_stops_at_the_limit(path: str, content_type: str) -> None:
    # Werkzeug alone cuts such a body at the limit and hands the app the first part (200).
    app = make_app(MAX_CONTENT_LENGTH=10_000)
    flood = Flood(b"a=", b"x", 100 * MB)
    status, peak = _peak(app, _flood_environ(flood, path, content_type, chunked=True))
    assert status == 413
    assert flood.consumed <= 10_000 + 1
    assert peak < 2 * MB


@pytest.mark.parametrize(("size", "status"), [(9_999, 200), (10_000, 200), (10_001, 413)])
def test_chunked_body_at_the_limit(size: int, status: int) -> None:
    app = make_app(MAX_CONTENT_LENGTH=10_000)
    app.view_functions["form_body"] = lambda: str(len(request.get_data()))
    flood = Flood(b"", b"x", size)
    answer = call(app, _flood_environ(flood, "/form", "text/plain", chunked=True))
    assert answer.status == status
    if status == 200:
        assert answer.body == str(size).encode()


def test_huge_multipart_field_is_stopped_by_max_form_memory_size() -> None:
    app = make_app(MAX_FORM_MEMORY_SIZE=100_000)
    flood = Flood(_part("field"), b"x", 200 * MB, f"\r\n--{BOUNDARY}--\r\n".encode())
    status, peak = _peak(app, _flood_environ(flood, "/form", MULTIPART))
    assert status == 413
    assert flood.consumed < 2 * MB
    assert peak < 4 * MB


def test_multipart_part_bomb_is_stopped_by_max_form_parts() -> None:
    app = make_app(MAX_FORM_PARTS=100)
    unit = _part("p") + b"v\r\n"
    flood = Flood(b"", unit, len(unit) * 1_000_000, f"--{BOUNDARY}--\r\n".encode())
    status, peak = _peak(app, _flood_environ(flood, "/form", MULTIPART))
    assert status == 413
    assert flood.consumed < 2 * MB
    assert peak < 4 * MB


def test_default_limits_stop_a_part_bomb() -> None:
    # MAX_FORM_PARTS defaults to 1000: a million empty parts never reach the app.
    app = make_app()
    unit = _part("p") + b"\r\n"
    flood = Flood(b"", unit, len(unit) * 1_000_000, f"--{BOUNDARY}--\r\n".encode())
    status, _ = _peak(app, _flood_environ(flood, "/form", MULTIPART))
    assert status == 413
    assert flood.consumed < 2 * MB


def test_file_uploads_spool_to_disk_not_memory() -> None:
    # Files are not form memory: a 20 MB upload is accepted and does not sit in memory.
    app = make_app()
    app.view_functions["form_body"] = lambda: {"size": _stream_size()}
    head, tail = _part("up", "big.bin"), f"\r\n--{BOUNDARY}--\r\n".encode()
    flood = Flood(head, b"\x00", 20 * MB, tail)
    env = _flood_environ(flood, "/form", MULTIPART)
    tracemalloc.start()
    try:
        answer = call(app, env)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer.status == 200
    assert json.loads(answer.body) == {"size": 20 * MB - len(head) - len(tail)}
    assert peak < 4 * MB


def _stream_size() -> int:
    stream = request.files["up"].stream
    stream.seek(0, io.SEEK_END)
    return stream.tell()


def test_a_view_may_lower_the_limit_for_one_request() -> None:
    app = make_app()

    @app.post("/upload")
    def upload() -> str:
        request.max_content_length = 10
        return str(len(request.get_data()))

    answer = call(app, environ("/upload", "POST", body=b"x" * 11))
    assert answer.status == 413


MALFORMED = {
    "truncated": b'{"a": 1',
    "trailing garbage": b'{"a": 1} x',
    "single quotes": b"{'a': 1}",
    "bare word": b"undefined",
    "not utf-8": b'{"a": "\xff"}',
    "empty": b"",
    "nul": b"\x00",
    "nested too deeply": b"[" * 100_000,
    "deep objects": b'{"a":' * 100_000,
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_json_is_a_clear_400(body: bytes) -> None:
    answer = call(make_app(), environ("/json", "POST", body=body, content_type="application/json"))
    assert answer.status == 400
    assert b"The browser (or proxy) sent a request" in answer.body
    assert b"JSON" not in answer.body


def test_malformed_json_in_debug_says_why() -> None:
    app = make_app(DEBUG=True, TRAP_BAD_REQUEST_ERRORS=False)
    deep = environ("/json", "POST", body=b"[" * 100_000, content_type="application/json")
    answer = call(app, deep)
    assert answer.status == 400 and b"nested too deeply" in answer.body
    truncated = environ("/json", "POST", body=b"{", content_type="application/json")
    assert b"Expecting property name" in call(app, truncated).body


def test_deeply_nested_json_with_silent_is_none() -> None:
    app = make_app()
    with app.test_request_context(data=b"[" * 100_000, content_type="application/json"):
        assert request.get_json(silent=True) is None
        assert request.get_json(silent=True, cache=False) is None


def test_json_with_the_wrong_content_type_is_415() -> None:
    answer = call(make_app(), environ("/json", "POST", body=b"{}", content_type="text/plain"))
    assert answer.status == 415


def test_huge_json_number_is_parsed_or_refused() -> None:
    # Python limits int() on long digit strings; that is bad input, not a crash.
    body = json.dumps({"n": 1}).replace("1", "9" * 10_000).encode()
    answer = call(make_app(), environ("/json", "POST", body=body, content_type="application/json"))
    assert answer.status == 400


def test_deeply_nested_json_through_the_json_property_is_400() -> None:
    app = make_app()
    app.view_functions["json_body"] = lambda: {"json": request.json}
    deep = environ("/json", "POST", body=b"[" * 100_000, content_type="application/json")
    assert call(app, deep).status == 400
