"""Environment and create_jinja_environment."""

from __future__ import annotations

import pathlib
import typing as t

import pytest
from jinja2 import DictLoader

from erlen_context import g
from erlen_context import request
from erlen_context import session
from erlen_templating import DispatchingJinjaLoader
from erlen_templating import Environment
from erlen_templating import render_template
from erlen_templating import render_template_string


def test_environment_uses_global_loader(app: t.Any) -> None:
    env = Environment(app)
    assert env.app is app
    assert isinstance(env.loader, DispatchingJinjaLoader)
    assert env.loader.app is app


def test_environment_keeps_given_loader(app: t.Any) -> None:
    loader = DictLoader({})
    assert Environment(app, loader=loader).loader is loader


def test_globals(app: t.Any) -> None:
    env = app.jinja_env
    assert env.globals["url_for"] == app.url_for
    assert env.globals["get_flashed_messages"] == app.get_flashed_messages
    assert env.globals["config"] is app.config
    assert env.globals["request"] is request
    assert env.globals["session"] is session
    assert env.globals["g"] is g
    # Jinja's own globals stay, and the app's come after them in Flask's order.
    names = list(env.globals)
    assert names[0] == "range"
    assert names[-6:] == ["url_for", "get_flashed_messages", "config", "request", "session", "g"]


def test_given_globals_override_defaults(app: t.Any) -> None:
    from erlen_templating import create_jinja_environment

    env = create_jinja_environment(app, config={"custom": True})
    assert env.globals["config"] == {"custom": True}
    assert "url_for" not in env.globals


def test_globals_usable_in_templates(app: t.Any) -> None:
    app.config["SITE"] = "demo"
    with app.test_request_context("/page"):
        g.user = "ada"
        source = (
            "{{ url_for('index') }} {{ get_flashed_messages()[0] }} {{ config.SITE }}"
            " {{ request.path }} {{ session.user }} {{ g.user }}"
        )
        assert render_template_string(source) == "/index flashed demo /page ada ada"


def test_imported_macros_see_proxies(app: t.Any) -> None:
    with app.test_request_context("/deep"):
        source = '{% import "macros.html" as m %}{{ m.where() }}'
        assert render_template_string(source) == "/deep"


def test_jinja_options(app: t.Any) -> None:
    app.jinja_options = {"trim_blocks": True, "autoescape": False}
    env = app.jinja_env
    assert env.trim_blocks
    assert env.autoescape is False


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("a.html", True),
        ("a.htm", True),
        ("a.xml", True),
        ("a.xhtml", True),
        ("a.svg", True),
        ("a.txt", False),
        ("a.js", False),
    ],
)
def test_autoescape_by_extension(
    app: t.Any, write_template: t.Any, name: str, escaped: bool
) -> None:
    write_template(app.root / "templates", name, "{{ v }}")
    with app.app_context():
        out = render_template(name, v="<b>")
    assert out == ("&lt;b&gt;" if escaped else "<b>")


def test_autoescape_strings(app: t.Any) -> None:
    with app.app_context():
        assert render_template_string("{{ v }}", v="<b>") == "&lt;b&gt;"
        assert render_template_string("{{ v|safe }}", v="<b>") == "<b>"


@pytest.mark.parametrize(
    ("config", "debug", "expected"),
    [(None, False, False), (None, True, True), (False, True, False), (True, False, True)],
)
def test_auto_reload(app: t.Any, config: bool | None, debug: bool, expected: bool) -> None:
    app.config["TEMPLATES_AUTO_RELOAD"] = config
    app.debug = debug
    assert app.jinja_env.auto_reload is expected


def test_auto_reload_option_wins(app: t.Any) -> None:
    app.config["TEMPLATES_AUTO_RELOAD"] = True
    app.jinja_options = {"auto_reload": False}
    assert app.jinja_env.auto_reload is False


def test_auto_reload_picks_up_changes(app: t.Any, write_template: t.Any) -> None:
    import os

    app.config["TEMPLATES_AUTO_RELOAD"] = True
    folder: pathlib.Path = app.root / "templates"
    with app.app_context():
        assert render_template("hello.html", name="a") == "Hello a!"
        write_template(folder, "hello.html", "Bye {{ name }}!")
        later = os.stat(folder / "hello.html").st_mtime + 10
        os.utime(folder / "hello.html", (later, later))
        assert render_template("hello.html", name="a") == "Bye a!"


def test_tojson_uses_app_json(app: t.Any) -> None:
    assert app.jinja_env.policies["json.dumps_function"] == app.json.dumps
    with app.app_context():
        assert render_template_string("{{ data|tojson }}", data=[1]) == "JSON:[1]"


def test_filters_tests_and_globals_registration(app: t.Any) -> None:
    env = app.jinja_env
    env.filters["reverse_str"] = lambda s: s[::-1]
    env.tests["even_len"] = lambda s: len(s) % 2 == 0
    env.globals["answer"] = lambda: 42
    with app.app_context():
        source = "{{ 'abc'|reverse_str }} {{ 'ab' is even_len }} {{ answer() }}"
        assert render_template_string(source) == "cba True 42"


def test_custom_environment_class(app: t.Any) -> None:
    class Custom(Environment):
        pass

    app.jinja_environment = Custom
    assert type(app.jinja_env) is Custom
