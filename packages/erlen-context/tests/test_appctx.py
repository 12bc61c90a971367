"""AppContext: push, pop, teardown and signals."""

from __future__ import annotations

import typing as t

import pytest

from erlen_context import AppContext
from erlen_context import appcontext_popped
from erlen_context import appcontext_pushed
from erlen_context import current_app
from erlen_context import g


def test_attributes(make_app: t.Any) -> None:
    app = make_app(server_name="example.test")
    ctx = AppContext(app)
    assert ctx.app is app
    assert ctx.url_adapter is not None
    assert ctx.url_adapter.build("user", {"id": 3}) == "/user/3"
    assert ctx._cv_tokens == []
    assert make_app().app_context().url_adapter is None


def test_custom_globals_class(app: t.Any) -> None:
    class Globals:
        spam = "eggs"

    app.app_ctx_globals_class = Globals
    with app.app_context():
        assert g.spam == "eggs"


def test_push_pop_and_teardown(app: t.Any) -> None:
    ctx = app.app_context()
    ctx.push()
    assert current_app._get_current_object() is app
    ctx.pop()
    assert not current_app
    assert app.events == [("app", None)]


def test_nested_push_tears_down_once(app: t.Any) -> None:
    ctx = app.app_context()
    with ctx:
        with ctx:
            assert len(ctx._cv_tokens) == 2
        assert app.events == []
        assert current_app._get_current_object() is app
    assert app.events == [("app", None)]
    assert ctx._cv_tokens == []


def test_teardown_receives_exception_from_with_block(app: t.Any) -> None:
    error = ValueError("boom")
    with pytest.raises(ValueError, match="boom"):
        with app.app_context():
            raise error
    assert app.events == [("app", error)]


def test_pop_defaults_to_exception_being_handled(app: t.Any) -> None:
    ctx = app.app_context()
    ctx.push()
    try:
        raise KeyError("handled")
    except KeyError as e:
        ctx.pop()
        assert app.events == [("app", e)]


def test_explicit_none_exception(app: t.Any) -> None:
    ctx = app.app_context()
    ctx.push()
    try:
        raise KeyError("handled")
    except KeyError:
        ctx.pop(None)
    assert app.events == [("app", None)]


def test_failing_teardown_still_pops(app: t.Any) -> None:
    def failing(exc: BaseException | None) -> None:
        raise ZeroDivisionError

    app.do_teardown_appcontext = failing
    ctx = app.app_context()
    ctx.push()
    with pytest.raises(ZeroDivisionError):
        ctx.pop()
    assert not current_app
    assert ctx._cv_tokens == []


def test_wrong_pop_raises_and_restores_outer(app: t.Any, make_app: t.Any) -> None:
    outer = app.app_context()
    inner = make_app("inner").app_context()
    outer.push()
    inner.push()
    with pytest.raises(AssertionError, match="Popped wrong app context") as info:
        outer.pop()
    assert "reverse order" in str(info.value)
    # outer's token restored the state before outer was pushed.
    assert not current_app
    assert inner._cv_tokens != []
    inner._cv_tokens.clear()


def test_pop_without_push(app: t.Any) -> None:
    ctx = app.app_context()
    with pytest.raises(RuntimeError, match="not pushed"):
        ctx.pop()
    assert app.events == []


def test_signals(app: t.Any) -> None:
    seen: list[tuple[str, t.Any, bool]] = []

    def pushed(sender: t.Any, **kwargs: t.Any) -> None:
        seen.append(("pushed", sender, bool(current_app)))

    def popped(sender: t.Any, **kwargs: t.Any) -> None:
        seen.append(("popped", sender, bool(current_app)))

    with appcontext_pushed.connected_to(pushed), appcontext_popped.connected_to(popped):
        with app.app_context():
            seen.append(("body", app, True))
    assert seen == [("pushed", app, True), ("body", app, True), ("popped", app, False)]


def test_async_signal_receiver_uses_ensure_sync(app: t.Any) -> None:
    seen: list[t.Any] = []

    async def pushed(sender: t.Any, **kwargs: t.Any) -> None:
        seen.append(sender)

    with appcontext_pushed.connected_to(pushed):
        with app.app_context():
            pass
    assert seen == [app]


def test_no_receivers_no_send(app: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise AssertionError("sent without receivers")

    monkeypatch.setattr(appcontext_pushed, "send", fail)
    monkeypatch.setattr(appcontext_popped, "send", fail)
    with app.app_context():
        pass


def test_g_and_url_adapter_are_made_when_first_used(app: t.Any) -> None:
    made: list[t.Any] = []
    create = app.create_url_adapter

    def counting(request: t.Any) -> t.Any:
        made.append(request)
        return create(request)

    app.create_url_adapter = counting
    app.server_name = "example.test"
    ctx = AppContext(app)
    assert "g" not in vars(ctx) and made == []
    assert ctx.url_adapter is ctx.url_adapter is not None
    assert made == [None]
    with ctx:
        g.x = 1
        assert ctx.g.x == 1
    ctx.g = replacement = type(ctx.g)()
    ctx.url_adapter = None
    assert (ctx.g, ctx.url_adapter) == (replacement, None)
