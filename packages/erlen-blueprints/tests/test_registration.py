"""Names, deferred setup, URL prefixes, URL defaults and registering one blueprint twice."""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from erlen_blueprints import Blueprint
from erlen_blueprints import BlueprintSetupState
from erlen_context.globals import request
from erlen_core.app import Erlen


def endpoint() -> str:
    return t.cast(str, request.endpoint)


@pytest.mark.parametrize("name", ["", "app.ui"])
def test_bad_names_rejected(name: str) -> None:
    with pytest.raises(ValueError, match="'name' may not"):
        Blueprint(name, __name__)


@pytest.mark.parametrize("name", ["", "a.b"])
def test_bad_registration_names_rejected(app: Erlen, name: str) -> None:
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="The 'name' option may not"):
        app.register_blueprint(bp, name=name)
    assert app.blueprints == {}


def test_repr() -> None:
    assert repr(Blueprint("admin", __name__)) == "<Blueprint 'admin'>"


def test_unique_names(app: Erlen) -> None:
    bp = Blueprint("bp", __name__)
    other = Blueprint("bp", __name__)
    app.register_blueprint(bp)
    with pytest.raises(ValueError, match="already registered for this blueprint. Use 'name='"):
        app.register_blueprint(bp)
    app.register_blueprint(bp, name="again")
    with pytest.raises(ValueError, match="for a different blueprint"):
        app.register_blueprint(other)
    app.register_blueprint(other, name="alt")
    assert app.blueprints == {"bp": bp, "again": bp, "alt": other}
    assert list(app.iter_blueprints()) == [bp, bp, other]


def test_duplicate_nested_name_shows_dotted_name(app: Erlen) -> None:
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    parent.register_blueprint(child)
    parent.register_blueprint(Blueprint("child", __name__), url_prefix="/x")
    with pytest.raises(ValueError, match="a different blueprint 'parent.child'"):
        app.register_blueprint(parent)


def test_self_registration(app: Erlen) -> None:
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="on itself"):
        bp.register_blueprint(bp)


def test_setup_after_registration_fails(app: Erlen) -> None:
    bp = Blueprint("late", __name__)
    app.register_blueprint(bp)
    with pytest.raises(AssertionError, match="'route' can no longer be called on the blueprint"):
        bp.route("/")
    with pytest.raises(AssertionError, match="blueprint 'late'"):
        bp.before_app_request(lambda: None)


@pytest.mark.parametrize(
    ("prefix", "rule", "url"),
    [
        ("", "/", "/"),
        ("/", "", "/"),
        ("/", "/", "/"),
        ("/foo", "", "/foo"),
        ("/foo/", "", "/foo/"),
        ("", "/bar", "/bar"),
        ("/foo/", "/bar", "/foo/bar"),
        ("/foo/", "bar", "/foo/bar"),
        ("/foo", "/bar", "/foo/bar"),
        ("/foo/", "//bar", "/foo/bar"),
        ("/foo//", "/bar", "/foo/bar"),
    ],
)
def test_url_prefix_slashes(app: Erlen, client: t.Any, prefix: str, rule: str, url: str) -> None:
    bp = Blueprint("test", __name__, url_prefix=prefix)
    bp.add_url_rule(rule, "index", lambda: ("", 204))
    app.register_blueprint(bp)
    assert client.get(url).status_code == 204


def test_registration_url_prefix_overrides(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/own")
    bp.get("/")(endpoint)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="moved", url_prefix="/moved")
    assert client.get("/own/").data == b"bp.endpoint"
    assert client.get("/moved/").data == b"moved.endpoint"


def test_endpoints_are_prefixed(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    bp.route("/foo")(endpoint)
    bp.route("/bar", endpoint="bar")(endpoint)
    bp.route("/bar/123", endpoint="123")(endpoint)
    app.register_blueprint(bp, url_prefix="/py")
    app.add_url_rule("/", "index", endpoint)
    assert client.get("/").data == b"index"
    assert client.get("/py/foo").data == b"bp.endpoint"
    assert client.get("/py/bar").data == b"bp.bar"
    assert client.get("/py/bar/123").data == b"bp.123"


def test_method_decorators(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    bp.post("/thing")(lambda: "posted")
    app.register_blueprint(bp)
    assert client.post("/thing").data == b"posted"
    assert client.get("/thing").status_code == 405


def test_dotted_endpoints_rejected() -> None:
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        bp.route("/", endpoint="a.b")(lambda: "")
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        bp.add_url_rule("/", endpoint="a.b")

    def view() -> str:
        return ""

    view.__name__ = "a.b"
    with pytest.raises(ValueError, match="'view_func' name may not contain a dot"):
        bp.add_url_rule("/", view_func=view)


def test_rule_without_endpoint_or_view(app: Erlen) -> None:
    bp = Blueprint("bp", __name__)
    bp.add_url_rule("/")
    with pytest.raises(AssertionError):
        app.register_blueprint(bp)


def test_endpoint_decorator(app: Erlen, client: t.Any) -> None:
    from werkzeug.routing import Rule

    app.url_map.add(Rule("/foo", endpoint="bar"))
    bp = Blueprint("bp", __name__)
    bp.endpoint("bar")(endpoint)
    app.register_blueprint(bp, url_prefix="/bp_prefix")
    assert client.get("/foo").data == b"bar"
    assert client.get("/bp_prefix/bar").status_code == 404


def test_cross_references_with_url_for(app: Erlen, client: t.Any) -> None:
    from erlen_core.helpers import url_for

    bp = Blueprint("test", __name__)
    app.add_url_rule("/", "app_index", lambda: url_for("test.index"))
    bp.add_url_rule("/test/", "index", lambda: url_for("app_index") + url_for(".index"))
    app.register_blueprint(bp)
    assert client.get("/").data == b"/test/"
    assert client.get("/test/").data == b"//test/"


def test_url_defaults(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("test", __name__, url_defaults={"bar": 1})

    @bp.route("/foo", defaults={"baz": 42})
    def foo(bar: int, baz: int) -> str:
        return f"{bar}/{baz}"

    @bp.route("/bar")
    def bar(bar: int) -> str:
        return str(bar)

    app.register_blueprint(bp)
    app.register_blueprint(bp, name="one", url_prefix="/1", url_defaults={"bar": 23})
    app.register_blueprint(bp, name="two", url_prefix="/2", url_defaults={"bar": 19})
    assert client.get("/foo").data == b"1/42"
    assert client.get("/1/foo").data == b"23/42"
    assert client.get("/2/foo").data == b"19/42"
    assert client.get("/1/bar").data == b"23"
    assert client.get("/2/bar").data == b"19"


def test_empty_url_defaults(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)

    @bp.route("/", defaults={"page": 1})
    @bp.route("/page/<int:page>")
    def something(page: int) -> str:
        return str(page)

    app.register_blueprint(bp)
    assert client.get("/").data == b"1"
    assert client.get("/page/2").data == b"2"


def test_record_and_record_once(app: Erlen) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/p", subdomain="s", url_defaults={"a": 1})
    states: list[BlueprintSetupState] = []
    once: list[str] = []
    bp.record(states.append)

    def first(state: BlueprintSetupState) -> None:
        once.append(state.name)

    bp.record_once(first)
    assert bp.deferred_functions[-1].__name__ == "first"

    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again", url_prefix="/q", url_defaults={"b": 2})
    assert once == ["bp"]
    assert [s.first_registration for s in states] == [True, False]
    first_state, second = states
    assert first_state.app is app and first_state.blueprint is bp
    assert (first_state.name, first_state.name_prefix) == ("bp", "")
    assert (first_state.url_prefix, first_state.subdomain) == ("/p", "s")
    assert first_state.url_defaults == {"a": 1}
    assert second.options == {"name": "again", "url_prefix": "/q", "url_defaults": {"b": 2}}
    assert (second.name, second.url_prefix) == ("again", "/q")
    assert second.url_defaults == {"a": 1, "b": 2}


def test_extension_adds_rules_through_setup_state(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp", url_defaults={"x": "bp"})

    def view(x: str, y: str = "none") -> str:
        return f"{request.endpoint} {x} {y}"

    @bp.record
    def add_rules(state: BlueprintSetupState) -> None:
        state.add_url_rule("/ext", view_func=view)
        state.add_url_rule("/other", "named", view, defaults={"y": "given"})
        state.add_url_rule("", "root", view)

    app.register_blueprint(bp)
    assert client.get("/bp/ext").data == b"bp.view bp none"
    assert client.get("/bp/other").data == b"bp.named bp given"
    assert client.get("/bp").data == b"bp.root bp none"


def test_make_setup_state_override(app: Erlen) -> None:
    class State(BlueprintSetupState):
        pass

    class CustomBlueprint(Blueprint):
        def make_setup_state(
            self, app: t.Any, options: dict[str, t.Any], first_registration: bool = False
        ) -> BlueprintSetupState:
            return State(self, app, options, first_registration)

    seen: list[BlueprintSetupState] = []
    bp = CustomBlueprint("bp", __name__)
    bp.record(seen.append)
    app.register_blueprint(bp)
    assert type(seen[0]) is State


segment = st.text(alphabet="abcxyz-", min_size=1, max_size=5)
slashes = st.integers(min_value=0, max_value=3)


@settings(max_examples=30, deadline=None)
@given(prefix=segment, rule=segment, between=slashes, after=slashes)
def test_prefix_and_rule_join_with_one_slash(
    prefix: str, rule: str, between: int, after: int
) -> None:
    app = Erlen("prefix_test", root_path=".", static_folder=None)
    bp = Blueprint("bp", __name__, url_prefix=f"/{prefix}" + "/" * between)
    bp.add_url_rule("/" * after + rule, "view", lambda: "ok")
    app.register_blueprint(bp)
    assert [r.rule for r in app.url_map.iter_rules()] == [f"/{prefix}/{rule}"]
