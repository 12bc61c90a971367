"""after_this_request, copy_current_request_context and stream_with_context."""

from __future__ import annotations

import threading
import typing as t

import pytest

from erlen_context import after_this_request
from erlen_context import copy_current_request_context
from erlen_context import current_app
from erlen_context import g
from erlen_context import request
from erlen_context import session
from erlen_context import stream_with_context


def test_after_this_request(app: t.Any) -> None:
    def add_header(response: t.Any) -> t.Any:
        return response

    with app.request_context() as ctx:
        assert after_this_request(add_header) is add_header
        assert ctx._after_request_functions == [add_header]


def test_after_this_request_outside_context() -> None:
    with pytest.raises(RuntimeError, match="'after_this_request' needs an active request"):
        after_this_request(lambda r: r)


def test_copy_current_request_context_in_thread(app: t.Any) -> None:
    results: list[t.Any] = []

    with app.request_context("/?s=v") as ctx:

        @copy_current_request_context
        def work(suffix: str) -> str:
            """Doc kept."""
            results.append((request._get_current_object(), session["s"]))
            return "done" + suffix

        thread = threading.Thread(target=lambda: results.append(work("!")))
        thread.start()
        thread.join()
        assert work.__name__ == "work"
        assert work.__doc__ == "Doc kept."
        assert results == [(ctx.request, "v"), "done!"]
    # The copy reused the session instead of opening another.
    assert app.session_interface.opened == 1


def test_copy_current_request_context_async(app: t.Any) -> None:
    with app.request_context("/user/5"):

        @copy_current_request_context
        async def work() -> t.Any:
            return request.view_args

    # Called after the original context ended: the copy pushes its own.
    assert work() == {"id": 5}
    assert not request


def test_copy_current_request_context_outside_context() -> None:
    with pytest.raises(RuntimeError, match="copy_current_request_context"):
        copy_current_request_context(lambda: None)


def test_stream_with_context_outside_context() -> None:
    with pytest.raises(RuntimeError, match="'stream_with_context' needs an active request"):
        stream_with_context(iter(["a"]))


def test_stream_outlives_request(app: t.Any) -> None:
    def generate() -> t.Iterator[str]:
        yield "Hello "
        yield request.args["name"]
        yield g.mark

    with app.request_context("/?name=World"):
        g.mark = "!"
        stream = stream_with_context(generate())
    assert app.events == [("request", None), ("app", None)]
    assert not request
    assert "".join(stream) == "Hello World!"
    assert app.events == [("request", None), ("app", None)] * 2
    assert not current_app


def test_stream_decorator_keeps_session(app: t.Any) -> None:
    @stream_with_context
    def generate(prefix: str) -> t.Iterator[str]:
        yield prefix
        yield session["s"]

    assert generate.__name__ == "generate"
    with app.request_context("/?s=v"):
        session["s"] = "changed"
        stream = generate(">")
    assert list(stream) == [">", "changed"]
    assert app.session_interface.opened == 1


def test_stream_closes_wrapped_iterator(app: t.Any) -> None:
    closed: list[bool] = []

    class Body:
        def __init__(self) -> None:
            self.items = iter(["a", "b"])

        def __iter__(self) -> Body:
            return self

        def __next__(self) -> str:
            return next(self.items)

        def close(self) -> None:
            closed.append(True)

    with app.request_context():
        stream = stream_with_context(Body())
    assert list(stream) == ["a", "b"]
    assert closed == [True]


def test_stream_closed_early_tears_down(app: t.Any) -> None:
    with app.request_context():
        stream = stream_with_context(iter(["a", "b"]))
    app.events.clear()
    assert next(stream) == "a"
    assert request
    stream.close()  # type: ignore[attr-defined]
    assert not request
    assert [kind for kind, _ in app.events] == ["request", "app"]
