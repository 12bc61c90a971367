"""App: config, name, debug, blueprints, templates registration, URL defaults and build errors."""

from __future__ import annotations

import logging
import sys
import types
import typing as t
from datetime import timedelta

import pytest
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import NotFound
from werkzeug.routing import BuildError

from erlen_core import Config
from erlen_core import Erlen

from .conftest import FakeBlueprint


def test_config_defaults_and_attributes(app: Erlen, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(app.config, Config)
    assert app.config["APPLICATION_ROOT"] == "/"
    assert app.testing is True
    assert app.secret_key == "test key"
    app.permanent_session_lifetime = 42  # type: ignore[assignment]
    assert app.permanent_session_lifetime == timedelta(seconds=42)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert Erlen(__name__).debug is True


def test_make_config_instance_relative(tmp_path: t.Any) -> None:
    app = Erlen(__name__, instance_path=str(tmp_path), instance_relative_config=True)
    assert app.config.root_path == str(tmp_path)


def test_name_from_main(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = "/somewhere/serve_it.py"
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    assert Erlen("__main__", root_path="/").name == "serve_it"
    del fake_main.__file__
    assert Erlen("__main__", root_path="/").name == "__main__"


def test_logger_named_after_app(app: Erlen) -> None:
    assert isinstance(app.logger, logging.Logger)
    assert app.logger.name == "erlen_test"


def test_debug_setter_updates_existing_jinja_env(app: Erlen) -> None:
    app.debug = False
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert app.jinja_env.auto_reload is True
    app.config["TEMPLATES_AUTO_RELOAD"] = False
    app.debug = False
    assert app.jinja_env.auto_reload is True


def test_debug_setter_before_jinja_env(app: Erlen) -> None:
    app.debug = True
    assert "jinja_env" not in app.__dict__
    assert app.jinja_env.auto_reload is True


def test_register_blueprint_and_iter(app: Erlen) -> None:
    bp = FakeBlueprint("shop")
    app.register_blueprint(bp, url_prefix="/shop")  # type: ignore[arg-type]
    assert bp.options == {"url_prefix": "/shop"}
    assert list(app.iter_blueprints()) == [bp]


def test_setup_after_first_request_fails(app: Erlen) -> None:
    app.add_url_rule("/", "index", lambda: "ok")
    app.test_client().get("/")
    with pytest.raises(AssertionError, match="setup method 'add_url_rule'"):
        app.add_url_rule("/x", "x", lambda: "x")
    with pytest.raises(AssertionError, match="setup method 'before_request'"):
        app.before_request(lambda: None)


def test_template_registration(app: Erlen) -> None:
    @app.template_filter()
    def shout(s: str) -> str:
        return s.upper()

    @app.template_filter("rev")
    def reverse(s: str) -> str:
        return s[::-1]

    @app.template_test()
    def odd(n: int) -> bool:
        return n % 2 == 1

    @app.template_test("big")
    def is_big(n: int) -> bool:
        return n > 100

    @app.template_global()
    def answer() -> int:
        return 42

    @app.template_global("twice")
    def double(n: int) -> int:
        return 2 * n

    env = app.jinja_env
    assert env.filters["shout"] is shout and env.filters["rev"] is reverse
    assert env.tests["odd"] is odd and env.tests["big"] is is_big
    assert env.globals["answer"] is answer and env.globals["twice"] is double
    rendered = env.from_string(
        "{{ 'a'|shout }}{{ 'ab'|rev }}{{ 3 is odd }}{{ 3 is big }}{{ answer() }}{{ twice(2) }}"
    ).render()
    assert rendered == "AbaTrueFalse424"


def test_teardown_appcontext_and_shell_processor(app: Erlen) -> None:
    seen: list[t.Any] = []
    assert app.teardown_appcontext(seen.append) == seen.append
    with app.app_context():
        pass
    assert seen == [None]

    @app.shell_context_processor
    def extra() -> dict[str, t.Any]:
        return {"answer": 42}

    with app.app_context():
        names = app.make_shell_context()
    assert names["app"] is app and names["answer"] == 42 and "g" in names


def test_select_jinja_autoescape(app: Erlen) -> None:
    assert app.select_jinja_autoescape(None)
    assert app.select_jinja_autoescape("x.svg")
    assert not app.select_jinja_autoescape("x.txt")


class Base(Exception):
    pass


class Child(Base):
    pass


def test_find_error_handler_order(app: Erlen) -> None:
    def h(name: str) -> t.Callable[[Exception], str]:
        return lambda e: name

    app.register_error_handler(Base, h("app-base"))
    app.error_handler_spec["bp"][None][Child] = h("bp-child")
    app.error_handler_spec["bp.inner"][None][Base] = h("inner-base")

    def found(e: Exception, bps: list[str]) -> str | None:
        handler = app._find_error_handler(e, bps)
        return None if handler is None else handler(e)  # type: ignore[return-value]

    assert found(Child(), []) == "app-base"
    assert found(Child(), ["bp"]) == "bp-child"
    assert found(Child(), ["bp.inner", "bp"]) == "inner-base"
    assert found(ValueError(), ["bp"]) is None

    app.register_error_handler(404, h("by-code"))
    app.error_handler_spec["bp"][None][NotFound] = h("bp-by-class")
    # A handler for the code beats one for the class, even from an outer scope.
    assert found(NotFound(), ["bp"]) == "by-code"


def test_trap_http_exception(app: Erlen) -> None:
    assert not app.trap_http_exception(NotFound())
    app.debug = True
    assert app.trap_http_exception(BadRequestKeyError("k"))
    assert not app.trap_http_exception(BadRequest())
    app.config["TRAP_BAD_REQUEST_ERRORS"] = True
    assert app.trap_http_exception(BadRequest())
    assert not app.trap_http_exception(NotFound())
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False
    assert not app.trap_http_exception(BadRequestKeyError("k"))
    app.config["TRAP_HTTP_EXCEPTIONS"] = True
    assert app.trap_http_exception(NotFound())


def test_should_ignore_error_and_redirect(app: Erlen) -> None:
    assert app.should_ignore_error(ValueError()) is False
    rv = app.redirect("/there", 301)
    assert isinstance(rv, app.response_class)
    assert rv.status_code == 301 and rv.location == "/there"


def test_inject_url_defaults_order(app: Erlen) -> None:
    calls: list[str] = []

    def record(name: str) -> t.Callable[[str, dict[str, t.Any]], None]:
        def func(endpoint: str, values: dict[str, t.Any]) -> None:
            calls.append(name)
            values.setdefault("lang", name)

        return func

    app.url_default_functions[None].append(record("app"))
    app.url_default_functions["outer"].append(record("outer"))
    app.url_default_functions["outer.inner"].append(record("inner"))
    values: dict[str, t.Any] = {}
    app.inject_url_defaults("outer.inner.view", values)
    assert calls == ["app", "outer", "inner"]
    assert values == {"lang": "app"}
    calls.clear()
    app.inject_url_defaults("plain", {})
    assert calls == ["app"]


def test_handle_url_build_error(app: Erlen) -> None:
    error = BuildError("missing", {}, None)
    with pytest.raises(BuildError) as info:
        app.handle_url_build_error(error, "missing", {})
    assert info.value is error

    replacement = BuildError("other", {}, None)

    def replace(e: Exception, endpoint: str, values: dict[str, t.Any]) -> str:
        raise replacement

    def decline(e: Exception, endpoint: str, values: dict[str, t.Any]) -> t.Any:
        return None

    app.url_build_error_handlers.extend([replace, decline])
    with pytest.raises(BuildError) as info:
        app.handle_url_build_error(error, "missing", {})
    assert info.value is replacement

    app.url_build_error_handlers.append(lambda e, endpoint, values: f"/fallback/{endpoint}")
    assert app.handle_url_build_error(error, "missing", {}) == "/fallback/missing"


def test_handle_url_build_error_reraises_current(app: Erlen) -> None:
    try:
        raise BuildError("gone", {}, None)
    except BuildError as error:
        with pytest.raises(BuildError) as info:
            app.handle_url_build_error(error, "gone", {})
        assert info.value is error


def test_arbitrary_attributes_and_extensions(app: Erlen) -> None:
    app.my_extension_state = {"x": 1}  # type: ignore[attr-defined]
    app.extensions["thing"] = object()
    assert app.my_extension_state == {"x": 1}  # type: ignore[attr-defined]
