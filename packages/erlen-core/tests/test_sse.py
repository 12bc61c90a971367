"""Server-sent events: the wire format, keep-alives and both protocols."""

from __future__ import annotations

import asyncio
import time
import typing as t

import pytest

from erlen_core import Erlen
from erlen_core.sse import Event
from erlen_core.sse import event_stream
from erlen_core.sse import KEEP_ALIVE
from erlen_core.sse import last_event_id
from erlen_testing.asgi import request as asgi_request


@pytest.mark.parametrize(
    ("event", "wire"),
    [
        (Event("hi"), b"data: hi\n\n"),
        (Event(""), b"data: \n\n"),
        (Event("a\nb\r\nc\rd"), b"data: a\ndata: b\ndata: c\ndata: d\n\n"),
        (Event("x\n"), b"data: x\ndata: \n\n"),
        (Event("u\u2028v"), "data: u\u2028v\n\n".encode()),
        (
            Event("d", event="tick", id="7", retry=1500),
            b"event: tick\nid: 7\nretry: 1500\ndata: d\n\n",
        ),
        (Event(comment="one\ntwo"), b": one\n: two\n\n"),
        (Event(id=""), b"id: \n\n"),
    ],
)
def test_the_wire_format(event: Event, wire: bytes) -> None:
    assert event.encode() == wire


def test_non_string_data_is_json() -> None:
    assert Event({"a": [1]}).encode(lambda v: "J") == b"data: J\n\n"


@pytest.mark.parametrize("field", ["event", "id"])
def test_a_line_break_in_a_field_is_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Event("x", **{field: "a\nb"}).encode()


@pytest.fixture
def streaming(app: Erlen) -> Erlen:
    @app.route("/async")
    def async_events() -> t.Any:
        start = int(last_event_id() or 0)

        async def events() -> t.AsyncIterator[t.Any]:
            yield Event("first", id=str(start + 1))
            await asyncio.sleep(0.15)
            yield {"n": 2}

        return event_stream(events(), keep_alive=0.05)

    @app.route("/sync")
    def sync_events() -> t.Any:
        def events() -> t.Iterator[t.Any]:
            yield "first"
            time.sleep(0.15)
            yield Event("second", event="done")

        return event_stream(events(), keep_alive=0.05, headers={"X-Stream": "1"})

    @app.route("/plain")
    def plain() -> t.Any:
        return event_stream(iter(["a", "b"]), keep_alive=None)

    return app


def _check(body: bytes, first: bytes, last: bytes) -> None:
    assert body.startswith(first)
    assert body.endswith(last)
    assert KEEP_ALIVE in body[len(first) : -len(last)]


def test_under_wsgi(streaming: Erlen) -> None:
    client = streaming.test_client()
    response = client.get("/async", headers={"Last-Event-ID": "41"})
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    _check(response.data, b"id: 42\ndata: first\n\n", b'data: {"n": 2}\n\n')
    response = client.get("/sync")
    assert response.headers["X-Stream"] == "1"
    _check(response.data, b"data: first\n\n", b"event: done\ndata: second\n\n")
    assert client.get("/plain").data == b"data: a\n\ndata: b\n\n"


def test_under_asgi(streaming: Erlen) -> None:
    async def main() -> list[t.Any]:
        return [
            await asgi_request(streaming.asgi, url="/async", headers=[("last-event-id", "1")]),
            await asgi_request(streaming.asgi, url="/sync"),
        ]

    first, second = asyncio.run(main())
    assert first.header("content-type") == "text/event-stream; charset=utf-8"
    assert first.chunks[0] == b"id: 2\ndata: first\n\n"
    assert first.chunks[-1] == b'data: {"n": 2}\n\n'
    assert KEEP_ALIVE in first.chunks
    assert second.chunks[0] == b"data: first\n\n" and KEEP_ALIVE in second.chunks


def test_an_error_in_a_sync_generator_reaches_the_server(app: Erlen) -> None:
    @app.route("/")
    def broken() -> t.Any:
        def events() -> t.Iterator[str]:
            yield "ok"
            raise KeyError("gone")

        return event_stream(events(), keep_alive=5)

    response = app.test_client().get("/")
    with pytest.raises(KeyError):
        response.get_data()


def test_a_stream_closed_early_stops_its_generator(app: Erlen) -> None:
    closed: list[bool] = []

    @app.route("/")
    def endless() -> t.Any:
        async def events() -> t.AsyncIterator[str]:
            try:
                while True:
                    yield "tick"
                    await asyncio.sleep(0)
            finally:
                closed.append(True)

        return event_stream(events(), keep_alive=5)

    response = app.test_client().get("/", buffered=False)
    assert next(response.response) == b"data: tick\n\n"  # type: ignore[call-overload]
    response.close()
    assert closed == [True]
