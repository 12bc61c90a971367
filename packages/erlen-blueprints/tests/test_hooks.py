"""Hooks, handlers, URL processors and template helpers: the blueprint's own and app-wide ones."""

from __future__ import annotations

import inspect
import typing as t

import pytest

from erlen_blueprints import Blueprint
from erlen_blueprints.blueprint import merge_registry
from erlen_blueprints.blueprint import REGISTRIES
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_core.app import Erlen
from erlen_core.helpers import abort
from erlen_core.helpers import url_for
from erlen_templating import render_template
from erlen_templating import render_template_string

#: Every decorator that applies to the whole app, and the app registry it fills under ``None``.
APP_WIDE_HOOKS = {
    "before_app_request": "before_request_funcs",
    "after_app_request": "after_request_funcs",
    "teardown_app_request": "teardown_request_funcs",
    "app_context_processor": "template_context_processors",
    "app_url_value_preprocessor": "url_value_preprocessors",
    "app_url_defaults": "url_default_functions",
}


def test_registries_table_covers_the_scaffold() -> None:
    # A registry the scaffold gains but the table lacks would silently stay on the blueprint.
    bp = Blueprint("probe", __name__)
    registries = {
        name
        for name, value in vars(bp).items()
        if isinstance(value, dict) and not name.startswith("_") and name != "url_values_defaults"
    }
    assert registries == set(REGISTRIES)


@pytest.mark.parametrize(("method", "registry"), APP_WIDE_HOOKS.items())
def test_app_wide_hook_lands_once_per_app(method: str, registry: str) -> None:
    def hook(*args: t.Any) -> None: ...

    bp = Blueprint("bp", __name__)
    assert getattr(bp, method)(hook) is hook
    first, second = Erlen("first"), Erlen("second")
    first.register_blueprint(bp)
    first.register_blueprint(bp, name="bp_again")
    second.register_blueprint(bp)
    for app in (first, second):
        assert getattr(app, registry)[None].count(hook) == 1
        assert hook not in getattr(app, registry).get("bp", [])


@pytest.mark.parametrize("method", [*APP_WIDE_HOOKS, "app_errorhandler", "app_template_filter"])
def test_app_wide_methods_are_setup_methods(app: Erlen, method: str) -> None:
    bp = Blueprint("late", __name__)
    app.register_blueprint(bp)
    with pytest.raises(AssertionError, match=f"'{method}' can no longer be called"):
        getattr(bp, method)(404 if method == "app_errorhandler" else lambda: None)


def test_app_wide_methods_look_like_methods() -> None:
    method = Blueprint.add_app_template_filter
    assert method.__name__ == "add_app_template_filter"
    assert method.__qualname__ == "Blueprint.add_app_template_filter"
    assert list(inspect.signature(method).parameters) == ["self", "f", "name"]
    assert list(inspect.signature(Blueprint.app_errorhandler).parameters) == ["self", "code"]
    assert ":meth:`~erlen_core.App.template_filter`" in (
        Blueprint.app_template_filter.__doc__ or ""
    )


def test_own_hooks_run_only_for_own_requests(app: Erlen, client: t.Any) -> None:
    admin = Blueprint("admin", __name__, url_prefix="/admin")
    seen: list[str] = []
    admin.before_request(lambda: seen.append(f"before {request.path}") and None)
    admin.teardown_request(lambda exc: seen.append("teardown") and None)

    @admin.after_request
    def stamp(response: t.Any) -> t.Any:
        response.headers["X-Area"] = "admin"
        return response

    admin.add_url_rule("/users", "users", lambda: "users")
    app.add_url_rule("/", "home", lambda: "home")
    app.register_blueprint(admin)

    home = client.get("/")
    assert "X-Area" not in home.headers and seen == []
    users = client.get("/admin/users")
    assert users.headers["X-Area"] == "admin"
    assert seen == ["before /admin/users", "teardown"]


def test_app_wide_hooks_run_for_every_request(app: Erlen, client: t.Any) -> None:
    audit = Blueprint("audit", __name__)
    log: list[str] = []
    audit.before_app_request(lambda: log.append(request.path) and None)
    audit.teardown_app_request(lambda exc: log.append("done") and None)

    @audit.after_app_request
    def tag(response: t.Any) -> t.Any:
        response.headers["X-Audited"] = "yes"
        return response

    app.add_url_rule("/report", "report", lambda: "report")
    app.register_blueprint(audit)
    assert client.get("/report").headers["X-Audited"] == "yes"
    assert client.get("/missing").headers["X-Audited"] == "yes"
    assert log == ["/report", "done", "/missing", "done"]


def test_before_request_answer_skips_the_view(app: Erlen, client: t.Any) -> None:
    closed = Blueprint("closed", __name__)
    closed.before_request(lambda: ("closed today", 503))
    closed.add_url_rule("/shop", "shop", lambda: "open")
    app.register_blueprint(closed)
    response = client.get("/shop")
    assert (response.status_code, response.text) == (503, "closed today")


def test_error_handler_scopes(app: Erlen, client: t.Any) -> None:
    class OutOfStock(LookupError):
        pass

    def sold_out() -> str:
        raise OutOfStock("socks")

    shop = Blueprint("shop", __name__, url_prefix="/shop")
    shop.errorhandler(LookupError)(lambda e: (f"shop: no {e}", 410))
    shop.register_error_handler(404, lambda e: ("shop: no such page", 404))
    shop.add_url_rule("/socks", "socks", sold_out)
    shop.add_url_rule("/gone", "gone", lambda: abort(404))
    blog = Blueprint("blog", __name__, url_prefix="/blog")
    blog.add_url_rule("/socks", "socks", sold_out)
    blog.add_url_rule("/gone", "gone", lambda: abort(404))
    app.register_blueprint(shop)
    app.register_blueprint(blog)
    app.errorhandler(404)(lambda e: ("app: no such page", 404))

    assert client.get("/shop/socks").text == "shop: no socks"
    assert client.get("/shop/gone").text == "shop: no such page"
    assert client.get("/blog/gone").text == "app: no such page"
    with pytest.raises(OutOfStock):
        client.get("/blog/socks")


def test_app_errorhandler_serves_every_request(app: Erlen, client: t.Any) -> None:
    errors = Blueprint("errors", __name__)

    @errors.app_errorhandler(418)
    def teapot(e: Exception) -> tuple[str, int]:
        return "short and stout", 418

    app.add_url_rule("/tea", "tea", lambda: abort(418))
    app.register_blueprint(errors)
    assert client.get("/tea").text == "short and stout"
    assert app.error_handler_spec[None][418]


def test_each_registration_gets_its_own_handlers(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    bp.errorhandler(404)(lambda e: (f"{request.blueprint} 404", 404))
    bp.add_url_rule("/gone", "gone", lambda: abort(404))
    app.register_blueprint(bp, url_prefix="/one")
    app.register_blueprint(bp, name="two", url_prefix="/two")
    assert client.get("/one/gone").text == "bp 404"
    assert client.get("/two/gone").text == "two 404"
    assert app.error_handler_spec["bp"] == app.error_handler_spec["two"]
    assert app.error_handler_spec["bp"] is not app.error_handler_spec["two"]


def test_url_processors_of_the_blueprint(app: Erlen, client: t.Any) -> None:
    docs = Blueprint("docs", __name__, url_prefix="/<version>")

    @docs.url_value_preprocessor
    def take_version(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        assert values is not None
        g.version = values.pop("version")

    @docs.url_defaults
    def keep_version(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("version", g.version)

    docs.add_url_rule("/intro", "intro", lambda: url_for(".api"))
    docs.add_url_rule("/api", "api", lambda: f"{g.version}: {url_for('.intro')}")
    app.add_url_rule("/raw/<version>", "raw", lambda version: version)
    app.register_blueprint(docs)

    assert client.get("/v2/intro").text == "/v2/api"
    assert client.get("/v3/api").text == "v3: /v3/intro"
    assert client.get("/raw/v4").text == "v4"


def test_app_wide_url_processors(app: Erlen, client: t.Any) -> None:
    i18n = Blueprint("i18n", __name__)

    @i18n.app_url_value_preprocessor
    def take_lang(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        g.lang = (values or {}).pop("lang", "en")

    @i18n.app_url_defaults
    def keep_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        if app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values.setdefault("lang", g.lang)

    app.add_url_rule("/<lang>/menu", "menu", lambda: url_for("menu"))
    app.register_blueprint(i18n)
    assert client.get("/fr/menu").text == "/fr/menu"


def test_context_processors(app: Erlen, client: t.Any) -> None:
    theme = Blueprint("theme", __name__)
    theme.context_processor(lambda: {"colour": "teal"})
    theme.app_context_processor(lambda: {"site": "erlen"})
    page = "{{ site }}/{{ colour|default('none') }}"
    theme.add_url_rule("/themed", "themed", lambda: render_template_string(page))
    app.add_url_rule("/plain", "plain", lambda: render_template_string(page))
    app.register_blueprint(theme)
    assert client.get("/themed").text == "erlen/teal"
    assert client.get("/plain").text == "erlen/none"


@pytest.mark.parametrize("kind", ["filter", "test", "global"])
@pytest.mark.parametrize("name", [None, "custom"])
def test_template_helpers(app: Erlen, kind: str, name: str | None) -> None:
    def helper(value: t.Any = None) -> bool:
        return True

    decorating, adding = Blueprint("decorating", __name__), Blueprint("adding", __name__)
    assert getattr(decorating, f"app_template_{kind}")(name)(helper) is helper
    assert getattr(adding, f"add_app_template_{kind}")(helper, name=f"added_{name}") is None
    store = getattr(
        app.jinja_env, {"filter": "filters", "test": "tests", "global": "globals"}[kind]
    )
    assert (name or "helper") not in store
    app.register_blueprint(decorating)
    app.register_blueprint(adding)
    assert store[name or "helper"] is helper
    assert store[f"added_{name}"] is helper


def test_template_helpers_render(app: Erlen, client: t.Any) -> None:
    text = Blueprint("text", __name__)

    @text.app_template_filter()
    def backwards(s: str) -> str:
        return s[::-1]

    text.add_app_template_filter(str.upper, "shout")
    text.app_template_test("short")(lambda s: len(s) < 5)
    text.app_template_global("greeting")(lambda: "hi")
    app.add_url_rule("/", "index", lambda: render_template("backwards.html", value="erlen"))
    app.register_blueprint(text)
    assert client.get("/").text == "nelre"
    with app.app_context():
        out = render_template_string("{{ greeting() }} {{ 'abc'|shout }} {{ 'abc' is short }}")
    assert out == "hi ABC True"


def test_merge_registry_keeps_what_the_app_has() -> None:
    from collections import defaultdict

    app_side: defaultdict[t.Any, t.Any] = defaultdict(lambda: defaultdict(dict))
    app_side["bp"][404] = {KeyError: "old"}
    merge_registry(app_side, {"bp": {404: {ValueError: "new"}, None: {OSError: "os"}}})
    assert app_side["bp"][404] == {KeyError: "old", ValueError: "new"}
    assert app_side["bp"][None] == {OSError: "os"}

    hooks: dict[t.Any, list[str]] = {"bp": ["app's"]}
    source: dict[t.Any, t.Any] = {"bp": ["bp's"], "bp.inner": ["inner"]}
    merge_registry(hooks, source)
    assert hooks == {"bp": ["app's", "bp's"], "bp.inner": ["inner"]}
    # The app gets its own lists, so later changes to the blueprint's do not leak through.
    assert hooks["bp.inner"] is not source["bp.inner"]


def test_merge_registry_copies_container_kinds() -> None:
    from collections import defaultdict

    target: dict[t.Any, t.Any] = {}
    merge_registry(target, {"scope": defaultdict(dict, {404: {}})})
    assert isinstance(target["scope"], defaultdict)
    assert target["scope"]["missing"] == {}
