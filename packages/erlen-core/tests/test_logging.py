from __future__ import annotations

import io
import logging
import sys
import types
import typing as t

import pytest

from erlen_context.globals import _cv_request
from erlen_core.logging import create_logger
from erlen_core.logging import default_handler
from erlen_core.logging import has_level_handler
from erlen_core.logging import wsgi_errors_stream


class StubApp:
    def __init__(self, name: str, debug: bool = False) -> None:
        self.name = name
        self.debug = debug


@pytest.fixture
def logger_name(request: pytest.FixtureRequest) -> t.Iterator[str]:
    """A fresh logger name; the logger is reset afterwards."""
    name = f"erlen_test_logging.{request.node.name}"
    yield name
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)
    logger.propagate = True


@pytest.fixture
def isolated_root() -> t.Iterator[t.Callable[[], logging.Logger]]:
    """Make the parent of the test loggers stand in for the root logger: it stops propagation,
    so the handlers pytest puts on the real root logger do not count. Call it in the test body,
    after pytest has attached its capture handlers to non-propagating loggers.
    """
    parent = logging.getLogger("erlen_test_logging")

    def isolate() -> logging.Logger:
        parent.propagate = False
        parent.handlers.clear()
        parent.setLevel(logging.WARNING)
        return parent

    yield isolate
    parent.handlers.clear()
    parent.setLevel(logging.NOTSET)
    parent.propagate = True


def test_wsgi_errors_stream_outside_request() -> None:
    assert wsgi_errors_stream._get_current_object() is sys.stderr  # type: ignore[attr-defined]


def test_wsgi_errors_stream_in_request() -> None:
    stream = io.StringIO()
    fake_request = types.SimpleNamespace(environ={"wsgi.errors": stream})
    token = _cv_request.set(types.SimpleNamespace(request=fake_request))  # type: ignore[arg-type]
    try:
        assert wsgi_errors_stream._get_current_object() is stream  # type: ignore[attr-defined]
        wsgi_errors_stream.write("to the server")
    finally:
        _cv_request.reset(token)
    assert stream.getvalue() == "to the server"


def test_default_handler_writes_to_request_stream(logger_name: str) -> None:
    logger = logging.getLogger(logger_name)
    logger.propagate = False
    logger.addHandler(default_handler)
    stream = io.StringIO()
    fake_request = types.SimpleNamespace(environ={"wsgi.errors": stream})
    token = _cv_request.set(types.SimpleNamespace(request=fake_request))  # type: ignore[arg-type]
    try:
        logger.error("broken %s", "thing")
    finally:
        _cv_request.reset(token)
    assert " ERROR in test_logging: broken thing\n" in stream.getvalue()
    assert stream.getvalue().startswith("[")


def test_has_level_handler(logger_name: str, isolated_root: t.Callable[[], logging.Logger]) -> None:
    root = isolated_root()
    logger = logging.getLogger(logger_name)
    assert not has_level_handler(logger)

    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    assert has_level_handler(logger)

    # a handler above the effective level does not count
    handler.setLevel(logging.ERROR)
    assert not has_level_handler(logger)
    logger.setLevel(logging.ERROR)
    assert has_level_handler(logger)

    # records stop at a logger that does not propagate
    logger.setLevel(logging.NOTSET)
    handler.setLevel(logging.NOTSET)
    logger.propagate = False
    assert not has_level_handler(logger)
    logger.addHandler(logging.NullHandler())
    assert has_level_handler(logger)


def test_has_level_handler_without_root() -> None:
    orphan = logging.Logger("erlen_orphan", logging.INFO)
    assert orphan.parent is None
    assert not has_level_handler(orphan)
    orphan.addHandler(logging.NullHandler())
    assert has_level_handler(orphan)


def test_create_logger(logger_name: str, isolated_root: t.Callable[[], logging.Logger]) -> None:
    isolated_root()
    logger = create_logger(StubApp(logger_name))  # type: ignore[arg-type]
    assert logger is logging.getLogger(logger_name)
    assert logger.level == logging.NOTSET
    assert logger.handlers == [default_handler]
    # calling again does not add a second handler
    create_logger(StubApp(logger_name))  # type: ignore[arg-type]
    assert logger.handlers == [default_handler]


def test_create_logger_debug(
    logger_name: str, isolated_root: t.Callable[[], logging.Logger]
) -> None:
    isolated_root()
    logger = create_logger(StubApp(logger_name, debug=True))  # type: ignore[arg-type]
    assert logger.level == logging.DEBUG
    assert logger.handlers == [default_handler]


def test_create_logger_keeps_set_level(
    logger_name: str, isolated_root: t.Callable[[], logging.Logger]
) -> None:
    isolated_root()
    logging.getLogger(logger_name).setLevel(logging.ERROR)
    logger = create_logger(StubApp(logger_name, debug=True))  # type: ignore[arg-type]
    assert logger.level == logging.ERROR


def test_create_logger_respects_configured_logging(
    logger_name: str, isolated_root: t.Callable[[], logging.Logger]
) -> None:
    isolated_root().addHandler(logging.StreamHandler(io.StringIO()))
    logger = create_logger(StubApp(logger_name))  # type: ignore[arg-type]
    assert logger.handlers == []
