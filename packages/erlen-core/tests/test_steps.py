"""The pipeline's steps and their sync driver: calls asked for, results and errors sent back."""

from __future__ import annotations

import sys
import traceback
import typing as t

import pytest

from erlen_core import Erlen
from erlen_core.steps import call_of
from erlen_core.steps import complete
from erlen_core.steps import is_coroutine_function
from erlen_core.steps import Steps


def test_complete_sends_results_and_throws_errors_where_they_were_asked_for(app: Erlen) -> None:
    def twice(n: int) -> int:
        return 2 * n

    def fail() -> None:
        raise LookupError("nope")

    def steps() -> Steps[tuple[int, str]]:
        doubled = yield call_of(twice, (21,))
        try:
            yield call_of(fail)
        except LookupError as e:
            return doubled, str(e)
        raise AssertionError("the error was not thrown in")

    assert complete(app, steps()) == (42, "nope")


def test_complete_runs_coroutine_functions_through_ensure_sync(app: Erlen) -> None:
    async def answer(word: str) -> str:
        return word.upper()

    def steps() -> Steps[str]:
        return (yield call_of(answer, ("hi",)))  # type: ignore[no-any-return]

    assert complete(app, steps()) == "HI"


def test_a_call_asked_for_while_handling_an_error_sees_that_error(app: Erlen) -> None:
    seen: list[t.Any] = []

    def handler() -> str:
        seen.append(sys.exc_info()[1])
        raise RuntimeError("handler failed")

    def steps() -> Steps[None]:
        try:
            raise KeyError("original")
        except KeyError:
            yield call_of(handler)

    with pytest.raises(RuntimeError) as info:
        complete(app, steps())
    assert isinstance(seen[0], KeyError)
    # As when Flask calls a handler inside its except block: the original is the context.
    assert isinstance(info.value.__context__, KeyError)
    assert sys.exc_info() == (None, None, None)


def test_error_handlers_see_the_exception_being_handled(app: Erlen) -> None:
    @app.route("/")
    def index() -> str:
        return str(1 / 0)

    @app.errorhandler(ZeroDivisionError)
    def handle(e: ZeroDivisionError) -> tuple[str, int]:
        assert sys.exc_info()[1] is e
        return traceback.format_exc().splitlines()[-1], 500

    response = app.test_client().get("/")
    assert response.status_code == 500
    assert response.text == "ZeroDivisionError: division by zero"


def test_a_failing_error_handler_keeps_the_original_as_context(app: Erlen) -> None:
    app.testing = True

    @app.route("/")
    def index() -> str:
        raise KeyError("first")

    @app.errorhandler(KeyError)
    def handle(e: KeyError) -> str:
        raise ValueError("second")

    with pytest.raises(ValueError) as info:
        app.test_client().get("/")
    assert isinstance(info.value.__context__, KeyError)


def test_overridden_steps_are_called_in_place_of_the_pipelines_own() -> None:
    calls: list[str] = []

    class Traced(Erlen):
        def dispatch_request(self) -> t.Any:
            calls.append("dispatch")
            return super().dispatch_request()

        def handle_user_exception(self, e: Exception) -> t.Any:
            calls.append(f"handle {type(e).__name__}")
            assert sys.exc_info()[1] is e
            return super().handle_user_exception(e)

    app = Traced(__name__)

    @app.route("/")
    def index() -> str:
        raise LookupError

    @app.errorhandler(LookupError)
    def lookup(e: LookupError) -> tuple[str, int]:
        return "handled", 418

    response = app.test_client().get("/")
    assert (response.status_code, response.text) == (418, "handled")
    assert calls == ["dispatch", "handle LookupError"]


def test_is_coroutine_function() -> None:
    async def native() -> None: ...

    def plain() -> None: ...

    class Method:
        async def __call__(self) -> None: ...

    assert is_coroutine_function(native)
    assert not is_coroutine_function(plain)
    assert not is_coroutine_function(print)
    assert is_coroutine_function(Method().__call__)
