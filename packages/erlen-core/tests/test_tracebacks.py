"""Tracebacks of failed views start with the application's frames, with few of erlen's."""

from __future__ import annotations

import logging
import traceback
import typing as t

import pytest
from werkzeug.test import Client

from erlen_core import Erlen
from erlen_core.errors import MACHINERY

#: Flask 3.1.3 puts six frames of its own above a failing view (four functions); erlen at most:
MOST_ERLEN_FRAMES = 3


def failing() -> t.NoReturn:
    raise LookupError("the application failed")


def make_app(**config: t.Any) -> Erlen:
    app = Erlen("tracebacks")
    app.config.update(config)

    @app.get("/")
    def index() -> str:
        failing()

    @app.get("/wrong")
    def wrong() -> t.Any:
        return object()  # erlen itself refuses this value: its own frames are the story

    return app


def origins(tb: t.Any) -> list[str]:
    """``erlen`` or ``app`` for each frame of a traceback, outermost first."""
    return [
        "erlen" if frame.f_globals.get("__name__", "").partition(".")[0] in MACHINERY else "app"
        for frame, _ in traceback.walk_tb(tb)
    ]


def test_a_logged_traceback_starts_with_the_view(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app()
    with caplog.at_level(logging.ERROR):
        assert Client(app).get("/").status_code == 500
    (record,) = caplog.records
    assert record.exc_info is not None
    frames = traceback.extract_tb(record.exc_info[2])
    assert [frame.name for frame in frames] == ["index", "failing"]
    assert "erlen" not in origins(record.exc_info[2])


def test_a_propagated_traceback_has_few_erlen_frames() -> None:
    # As the debugger and test runners see it: the exception reaches the server.
    app = make_app(PROPAGATE_EXCEPTIONS=True)
    with pytest.raises(LookupError) as caught:
        Client(app).get("/")
    kinds = origins(caught.value.__traceback__)
    first_app_frame = kinds.index("app", kinds.index("erlen"))
    assert kinds[first_app_frame:] == ["app", "app"]
    assert kinds.count("erlen") <= MOST_ERLEN_FRAMES
    assert traceback.extract_tb(caught.value.__traceback__)[-1].name == "failing"


def test_an_error_inside_erlen_keeps_its_frames(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app()
    with caplog.at_level(logging.ERROR):
        assert Client(app).get("/wrong").status_code == 500
    (record,) = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is TypeError
    kinds = origins(record.exc_info[2])
    assert kinds and set(kinds) == {"erlen"}
