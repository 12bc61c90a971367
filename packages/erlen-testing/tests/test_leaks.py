from __future__ import annotations

import contextvars
from typing import Any

import flask
import pytest

from erlen_testing import ContextLeakDetector
from erlen_testing import ContextLeakError
from erlen_testing.leaks import describe_context


def test_balanced_contexts_are_not_leaks(app: flask.Flask) -> None:
    with ContextLeakDetector() as detector:
        with app.test_request_context("/"):
            assert len(detector.leaks()) == 2  # the request and its implicit app context
        assert detector.leaks() == []


def test_contexts_pushed_before_are_not_leaks(app: flask.Flask, app_ctx: Any) -> None:
    detector = ContextLeakDetector()
    assert detector.leaks() == []
    detector.check()
    assert flask.current_app._get_current_object() is app


def test_check_pops_and_reports(app: flask.Flask) -> None:
    detector = ContextLeakDetector()
    app.app_context().push()
    app.test_request_context("/page?x=1", method="POST").push()

    with pytest.raises(ContextLeakError) as info:
        detector.check()

    message = str(info.value)
    assert message.startswith("2 context(s) left pushed: RequestContext of app")
    assert "for POST http://localhost/page?x=1" in message
    assert "; AppContext of app 'erlen_testing_tests'" in message
    assert not flask.has_app_context()
    assert isinstance(info.value, AssertionError)


def test_block_with_error_cleans_up_quietly(app: flask.Flask) -> None:
    with pytest.raises(KeyError), ContextLeakDetector():
        app.app_context().push()
        raise KeyError("the block's own error")

    assert not flask.has_app_context()


def test_block_without_error_reports(app: flask.Flask) -> None:
    with pytest.raises(ContextLeakError, match="AppContext"), ContextLeakDetector():
        app.app_context().push()

    assert not flask.has_app_context()


def test_other_context_variables_are_ignored() -> None:
    var: contextvars.ContextVar[object] = contextvars.ContextVar("other")
    detector = ContextLeakDetector()
    var.set({"pop": "not a context"})
    assert detector.leaks() == []


class _Stuck:
    """A context-like object whose pop() does not pop it."""

    app = "stuck-app"

    def push(self) -> None:
        _stuck.set(self)

    def pop(self) -> None:
        pass


_stuck: contextvars.ContextVar[object] = contextvars.ContextVar("stuck")


def test_contexts_that_never_pop_stop_the_loop() -> None:
    def body() -> None:
        detector = ContextLeakDetector()
        _Stuck().push()

        with pytest.raises(ContextLeakError, match="More than 100 contexts"):
            detector.pop_leaks()

    contextvars.copy_context().run(body)


def test_failing_pop_is_reported() -> None:
    class Broken(_Stuck):
        def pop(self) -> None:
            raise ValueError("cannot")

    def body() -> None:
        detector = ContextLeakDetector()
        Broken().push()

        with pytest.raises(ContextLeakError, match="popping it failed: cannot") as info:
            detector.check()

        assert isinstance(info.value.__cause__, ValueError)

    contextvars.copy_context().run(body)


def test_describe_context_without_app_name() -> None:
    assert describe_context(_Stuck()) == "_Stuck of app 'stuck-app'"
