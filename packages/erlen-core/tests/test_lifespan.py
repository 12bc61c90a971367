"""Serving functions: ASGI lifespan startup and shutdown, and ``app.lifespan()`` elsewhere."""

from __future__ import annotations

import asyncio
import typing as t

import pytest

from erlen_context.globals import current_app
from erlen_context.globals import g
from erlen_core import Erlen


def lifespan(app: Erlen, *phases: str) -> list[dict[str, t.Any]]:
    """What the app answers to the given lifespan messages, in order."""
    incoming = [{"type": f"lifespan.{phase}"} for phase in phases]
    sent: list[dict[str, t.Any]] = []

    async def receive() -> dict[str, t.Any]:
        return incoming.pop(0)

    async def send(message: dict[str, t.Any]) -> None:
        sent.append(message)

    asyncio.run(app.asgi({"type": "lifespan"}, receive, send))
    return sent


@pytest.fixture
def served(app: Erlen) -> list[str]:
    calls: list[str] = []

    @app.before_serving
    def sync_start() -> None:
        calls.append(f"sync start {current_app.name}")
        g.started = True

    @app.before_serving
    async def async_start() -> None:
        await asyncio.sleep(0)
        calls.append(f"async start {g.started}")

    @app.after_serving
    async def stop() -> None:
        calls.append("stop")

    return calls


def test_asgi_lifespan_runs_each_phase_once_in_an_app_context(
    app: Erlen, served: list[str]
) -> None:
    sent = lifespan(app, "startup", "shutdown")
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
    assert served == ["sync start erlen_test", "async start True", "stop"]


def test_a_failing_startup_is_reported_to_the_server(app: Erlen) -> None:
    @app.before_serving
    def broken() -> None:
        raise OSError("no database")

    sent = lifespan(app, "startup")
    assert sent == [{"type": "lifespan.startup.failed", "message": "OSError: no database"}]


def test_app_lifespan_is_the_equivalent_outside_asgi(app: Erlen, served: list[str]) -> None:
    pytest.importorskip("asgiref")
    with app.lifespan() as entered:
        assert entered is app
        assert served == ["sync start erlen_test", "async start True"]
        assert app.test_client().get("/missing").status_code == 404
    assert served[-1] == "stop"


def test_after_serving_runs_when_the_block_raises(app: Erlen) -> None:
    stopped: list[bool] = []
    app.after_serving(lambda: stopped.append(True))
    with pytest.raises(KeyError):
        with app.lifespan():
            raise KeyError("x")
    assert stopped == [True]


def test_the_test_client_does_not_run_them(app: Erlen, served: list[str]) -> None:
    with app.test_client() as client:
        client.get("/")
    assert served == []


def test_each_app_has_its_own_lists(app: Erlen) -> None:
    other = Erlen("other")
    app.before_serving(print)
    assert other.before_serving_funcs == []
    assert app.before_serving_funcs == [print]
    assert isinstance(Erlen.__dict__["before_serving_funcs"], object)
