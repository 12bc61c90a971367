"""Blueprint-scoped and app-wide hooks, error handlers, URL processors and template helpers."""

from __future__ import annotations

import typing as t

import pytest

from erlen_blueprints import Blueprint
from erlen_context.globals import g
from erlen_core.app import Erlen
from erlen_core.helpers import abort
from erlen_core.helpers import url_for
from erlen_templating import render_template
from erlen_templating import render_template_string


def test_blueprint_error_handlers(app: Erlen, client: t.Any) -> None:
    frontend = Blueprint("frontend", __name__)
    backend = Blueprint("backend", __name__)
    sideend = Blueprint("sideend", __name__)
    frontend.errorhandler(403)(lambda e: ("frontend says no", 403))
    backend.register_error_handler(403, lambda e: ("backend says no", 403))
    for bp in (frontend, backend, sideend):
        bp.add_url_rule(f"/{bp.name}-no", "no", lambda: abort(403))
        app.register_blueprint(bp)
    app.errorhandler(403)(lambda e: ("application itself says no", 403))

    assert client.get("/frontend-no").data == b"frontend says no"
    assert client.get("/backend-no").data == b"backend says no"
    assert client.get("/sideend-no").data == b"application itself says no"


def test_blueprint_user_exception_handlers(app: Erlen, client: t.Any) -> None:
    class Base(Exception):
        pass

    class Derived(Base):
        pass

    bp = Blueprint("blue", __name__)
    bp.errorhandler(Base)(lambda e: f"base handled {type(e).__name__}")

    def raise_derived() -> str:
        raise Derived()

    bp.add_url_rule("/derived", "derived", raise_derived)
    app.add_url_rule("/app", "app", raise_derived)
    app.register_blueprint(bp)
    assert client.get("/derived").data == b"base handled Derived"
    with pytest.raises(Derived):
        client.get("/app")


def test_error_handlers_are_copied_per_registration(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    bp.errorhandler(404)(lambda e: ("bp 404", 404))
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again")
    assert app.error_handler_spec["bp"] == app.error_handler_spec["again"]
    assert app.error_handler_spec["bp"] is not app.error_handler_spec["again"]
    assert app.error_handler_spec["bp"][404] is not bp.error_handler_spec[None][404]


def test_app_errorhandler(app: Erlen, client: t.Any) -> None:
    errors = Blueprint("errors", __name__)
    errors.app_errorhandler(403)(lambda e: ("you shall not pass", 403))
    app.add_url_rule("/forbidden", "forbidden", lambda: abort(403))
    other = Blueprint("other", __name__)
    other.add_url_rule("/nope", "nope", lambda: abort(403))
    app.register_blueprint(errors)
    app.register_blueprint(other)
    assert client.get("/forbidden").data == b"you shall not pass"
    assert client.get("/nope").data == b"you shall not pass"


def test_blueprint_request_hooks_only_for_its_requests(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    events: list[str] = []
    bp.before_request(lambda: events.append("before") and None)

    @bp.after_request
    def after(response: t.Any) -> t.Any:
        response.data += b"|after"
        events.append("after")
        return response

    bp.teardown_request(lambda exc: events.append("teardown") and None)
    bp.add_url_rule("/bp", "bp", lambda: "request")
    app.add_url_rule("/", "app", lambda: "app")
    app.register_blueprint(bp)

    assert client.get("/").data == b"app"
    assert events == []
    assert client.get("/bp").data == b"request|after"
    assert events == ["before", "after", "teardown"]


def test_app_request_hooks(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    events: list[str] = []
    bp.before_app_request(lambda: events.append("before") and None)

    @bp.after_app_request
    def after(response: t.Any) -> t.Any:
        response.data += b"|after"
        events.append("after")
        return response

    bp.teardown_app_request(lambda exc: events.append("teardown") and None)
    app.register_blueprint(bp)
    # A second registration does not add the app-wide hooks again.
    app.register_blueprint(bp, name="again")
    app.add_url_rule("/", "index", lambda: "request")

    assert events == []
    assert client.get("/").data == b"request|after"
    assert client.get("/").data == b"request|after"
    assert events == ["before", "after", "teardown"] * 2


def test_before_request_short_circuits(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    bp.before_request(lambda: "stopped")
    bp.add_url_rule("/", "index", lambda: "view")
    app.register_blueprint(bp)
    assert client.get("/").data == b"stopped"


def test_url_processors(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("frontend", __name__, url_prefix="/<lang_code>")

    @bp.url_defaults
    def add_language_code(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang_code", g.lang_code)

    @bp.url_value_preprocessor
    def pull_lang_code(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        g.lang_code = values.pop("lang_code")

    bp.add_url_rule("/", "index", lambda: url_for(".about"))
    bp.add_url_rule("/about", "about", lambda: url_for(".index"))
    app.add_url_rule("/plain/<lang_code>", "plain", lambda lang_code: lang_code)
    app.register_blueprint(bp)

    assert client.get("/de/").data == b"/de/about"
    assert client.get("/de/about").data == b"/de/"
    # The blueprint's processors do not touch the app's own routes.
    assert client.get("/plain/fr").data == b"fr"


def test_app_url_processors(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)

    @bp.app_url_defaults
    def add_language_code(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang_code", g.lang_code)

    @bp.app_url_value_preprocessor
    def pull_lang_code(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        g.lang_code = values.pop("lang_code")

    app.add_url_rule("/<lang_code>/", "index", lambda: url_for("about"))
    app.add_url_rule("/<lang_code>/about", "about", lambda: url_for("index"))
    app.register_blueprint(bp)

    assert client.get("/de/").data == b"/de/about"
    assert client.get("/de/about").data == b"/de/"


def test_context_processors(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("answer", __name__)
    source = "{{ notanswer|default('-') }} {{ answer|default('-') }} {{ request.path }}"
    bp.app_context_processor(lambda: {"notanswer": 43})
    bp.context_processor(lambda: {"answer": 42})
    bp.add_url_rule("/bp", "bp", lambda: render_template_string(source))
    app.add_url_rule("/", "app", lambda: render_template_string(source))
    app.register_blueprint(bp)

    assert client.get("/").data == b"43 - /"
    assert client.get("/bp").data == b"43 42 /bp"


def _reverse(s: str) -> str:
    return s[::-1]


def _is_boolean(value: object) -> bool:
    return isinstance(value, bool)


def _answer() -> int:
    return 42


@pytest.mark.parametrize("name", [None, "renamed"])
def test_app_template_filter(app: Erlen, name: str | None) -> None:
    bp = Blueprint("bp", __name__)
    assert bp.app_template_filter(name)(_reverse) is _reverse
    other = Blueprint("other", __name__)
    other.add_app_template_filter(_reverse, f"added_{name}")
    app.register_blueprint(bp)
    app.register_blueprint(other)
    assert app.jinja_env.filters[name or "_reverse"] is _reverse
    assert app.jinja_env.filters[f"added_{name}"] is _reverse


@pytest.mark.parametrize("name", [None, "renamed"])
def test_app_template_test(app: Erlen, name: str | None) -> None:
    bp = Blueprint("bp", __name__)
    assert bp.app_template_test(name)(_is_boolean) is _is_boolean
    other = Blueprint("other", __name__)
    other.add_app_template_test(_is_boolean, f"added_{name}")
    app.register_blueprint(bp)
    app.register_blueprint(other)
    assert app.jinja_env.tests[name or "_is_boolean"] is _is_boolean
    assert app.jinja_env.tests[f"added_{name}"] is _is_boolean


@pytest.mark.parametrize("name", [None, "renamed"])
def test_app_template_global(app: Erlen, name: str | None) -> None:
    bp = Blueprint("bp", __name__)
    assert bp.app_template_global(name)(_answer) is _answer
    other = Blueprint("other", __name__)
    other.add_app_template_global(_answer, f"added_{name}")
    assert "_answer" not in app.jinja_env.globals
    app.register_blueprint(bp)
    app.register_blueprint(other)
    assert app.jinja_env.globals[name or "_answer"] is _answer
    assert app.jinja_env.globals[f"added_{name}"] is _answer


def test_template_helpers_in_rendering(app: Erlen, client: t.Any) -> None:
    @app.route("/")
    def index() -> str:
        return render_template("filter.html", value="abcd")

    bp = Blueprint("bp", __name__)

    @bp.app_template_filter()
    def super_reverse(s: str) -> str:
        return s[::-1]

    @bp.app_template_test("boolean")
    def is_boolean(value: object) -> bool:
        return isinstance(value, bool)

    @bp.app_template_global()
    def get_answer() -> int:
        return 42

    app.register_blueprint(bp, url_prefix="/py")
    assert client.get("/").data == b"dcba"
    with app.app_context():
        rendered = render_template_string("{{ get_answer() }} {{ true is boolean }}")
    assert rendered == "42 True"
