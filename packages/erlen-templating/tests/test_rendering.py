"""render_template(_string), stream_template(_string), context processors and signals."""

from __future__ import annotations

import typing as t

import pytest

from erlen_context import g
from erlen_context import request
from erlen_context import session
from erlen_templating import _default_template_ctx_processor
from erlen_templating import before_render_template
from erlen_templating import render_template
from erlen_templating import render_template_string
from erlen_templating import stream_template
from erlen_templating import stream_template_string
from erlen_templating import template_rendered


@pytest.mark.parametrize(
    ("func", "arg"),
    [
        (render_template, "hello.html"),
        (render_template_string, "x"),
        (stream_template, "hello.html"),
        (stream_template_string, "x"),
    ],
)
def test_needs_app_context(func: t.Any, arg: str) -> None:
    with pytest.raises(RuntimeError, match="application context"):
        func(arg)


def test_render_template(app: t.Any) -> None:
    with app.app_context():
        assert render_template("hello.html", name="<World>") == "Hello &lt;World&gt;!"
        assert render_template("hello.txt", name="<World>") == "Hello <World>!"


def test_render_first_existing_of_list(app: t.Any) -> None:
    with app.app_context():
        assert render_template(["missing.html", "hello.html"], name="x") == "Hello x!"


def test_render_template_object(app: t.Any) -> None:
    with app.app_context():
        template = app.jinja_env.from_string("{{ 1 + 1 }}")
        assert render_template(template) == "2"


def test_default_processor_outside_contexts() -> None:
    assert _default_template_ctx_processor() == {}


def test_default_processor_gives_concrete_objects(app: t.Any) -> None:
    with app.app_context():
        assert _default_template_ctx_processor() == {"g": g._get_current_object()}
    with app.test_request_context():
        values = _default_template_ctx_processor()
        assert values["request"] is request._get_current_object()
        assert values["g"] is g._get_current_object()
        assert "session" not in values


def test_context_processors_and_given_values(app: t.Any) -> None:
    app.template_context_processors[None].append(lambda: {"a": "proc", "b": "proc"})
    app.template_context_processors["shop"] = [lambda: {"b": "shop"}]
    with app.test_request_context("/?bp=shop"):
        assert render_template_string("{{ a }} {{ b }}") == "proc shop"
        assert render_template_string("{{ a }} {{ b }}", a="given") == "given shop"
    with app.app_context():
        assert render_template_string("{{ a }} {{ b }}") == "proc proc"


def test_async_context_processor(app: t.Any) -> None:
    async def processor() -> dict[str, str]:
        return {"a": "async"}

    app.template_context_processors[None].append(processor)
    with app.app_context():
        assert render_template_string("{{ a }}") == "async"


def test_session_read_in_template_marks_accessed(app: t.Any) -> None:
    with app.test_request_context() as ctx:
        assert not ctx._session.accessed
        assert render_template_string("{{ 'x' }}") == "x"
        assert not ctx._session.accessed
        assert render_template_string("{{ session.user }}") == "ada"
        assert ctx._session.accessed
        assert session["user"] == "ada"


def recorder() -> tuple[list[tuple[str, t.Any, t.Any, dict[str, t.Any]]], t.Any, t.Any]:
    calls: list[tuple[str, t.Any, t.Any, dict[str, t.Any]]] = []

    def before(sender: t.Any, template: t.Any, context: dict[str, t.Any]) -> None:
        calls.append(("before", sender, template, dict(context)))

    def after(sender: t.Any, template: t.Any, context: dict[str, t.Any]) -> None:
        calls.append(("after", sender, template, dict(context)))

    return calls, before, after


def test_render_signals(app: t.Any) -> None:
    calls, before, after = recorder()
    with before_render_template.connected_to(before), template_rendered.connected_to(after):
        with app.app_context():
            assert render_template("hello.html", name="x") == "Hello x!"
    assert [c[0] for c in calls] == ["before", "after"]
    for _kind, sender, template, context in calls:
        assert sender is app
        assert template.name == "hello.html"
        assert context["name"] == "x"
        assert "g" in context


def test_signals_for_strings(app: t.Any) -> None:
    calls, before, after = recorder()
    with before_render_template.connected_to(before), template_rendered.connected_to(after):
        with app.app_context():
            render_template_string("{{ 1 }}")
    assert [c[0] for c in calls] == ["before", "after"]
    assert calls[0][2].name is None


def test_async_signal_receiver(app: t.Any) -> None:
    seen: list[t.Any] = []

    async def receiver(sender: t.Any, **kwargs: t.Any) -> None:
        seen.append(kwargs["template"])

    with template_rendered.connected_to(receiver), app.app_context():
        render_template("hello.html", name="x")
    assert [tmpl.name for tmpl in seen] == ["hello.html"]


def test_no_receivers_no_send(app: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise AssertionError("sent without receivers")

    monkeypatch.setattr(before_render_template, "send", fail)
    monkeypatch.setattr(template_rendered, "send", fail)
    with app.app_context():
        assert render_template_string("ok") == "ok"
        assert "".join(stream_template_string("ok")) == "ok"


def test_stream_template_without_request(app: t.Any) -> None:
    calls, before, after = recorder()
    with before_render_template.connected_to(before), template_rendered.connected_to(after):
        with app.app_context():
            stream = stream_template("hello.html", name="<x>")
            assert [c[0] for c in calls] == ["before"]
            assert "".join(stream) == "Hello &lt;x&gt;!"
    assert [c[0] for c in calls] == ["before", "after"]


def test_stream_outlives_request(app: t.Any) -> None:
    with app.test_request_context("/streamed"):
        stream = stream_template_string("{{ request.path }} {{ g.x }}", name="x")
        g.x = "late"
    assert not request
    assert "".join(stream) == "/streamed late"
    assert not request


def test_stream_template_string_escapes(app: t.Any) -> None:
    with app.app_context():
        stream = stream_template_string("{% for i in items %}{{ i }}{% endfor %}", items="<>")
        assert list(stream) == ["&lt;", "&gt;"]
