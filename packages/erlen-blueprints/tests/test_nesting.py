"""Blueprints inside blueprints: dotted names, composed prefixes and subdomains, the order of
hooks along the chain, and handlers found from the innermost blueprint outwards."""

from __future__ import annotations

import typing as t

import pytest

from erlen_blueprints import Blueprint
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_core.app import Erlen
from erlen_core.helpers import abort
from erlen_core.helpers import url_for
from erlen_templating import render_template_string


def tree() -> tuple[Blueprint, Blueprint, Blueprint]:
    """``site`` holds ``api``, which holds ``v1``; each answers ``/where`` with its identity."""
    site, api, v1 = (Blueprint(name, __name__) for name in ("site", "api", "v1"))
    for bp in (site, api, v1):
        bp.add_url_rule("/where", "where", lambda: f"{request.blueprint} {request.blueprints}")
        bp.add_url_rule("/link", "link", lambda: url_for(".where"))
    api.register_blueprint(v1, url_prefix="/v1")
    site.register_blueprint(api, url_prefix="/api")
    return site, api, v1


def test_names_endpoints_and_prefixes(app: Erlen, client: t.Any) -> None:
    site, api, v1 = tree()
    app.register_blueprint(site, url_prefix="/site")
    assert app.blueprints == {"site": site, "site.api": api, "site.api.v1": v1}
    assert "site.api.v1.where" in app.view_functions
    assert (
        client.get("/site/api/v1/where").text == "site.api.v1 ['site.api.v1', 'site.api', 'site']"
    )
    assert client.get("/site/api/link").text == "/site/api/where"
    assert client.get("/site/where").text == "site ['site']"


def test_registering_the_parent_again_renames_the_children(app: Erlen, client: t.Any) -> None:
    site, _, _ = tree()
    app.register_blueprint(site)
    app.register_blueprint(site, name="mirror", url_prefix="/mirror")
    assert set(app.blueprints) == {
        "site",
        "site.api",
        "site.api.v1",
        "mirror",
        "mirror.api",
        "mirror.api.v1",
    }
    assert client.get("/mirror/api/v1/link").text == "/mirror/api/v1/where"
    assert client.get("/api/v1/link").text == "/api/v1/where"


def test_child_registered_twice_in_one_parent(app: Erlen, client: t.Any) -> None:
    parent, child = Blueprint("parent", __name__), Blueprint("child", __name__)
    child.add_url_rule("/", "index", lambda: request.blueprint or "")
    parent.register_blueprint(child, url_prefix="/one")
    parent.register_blueprint(child, name="other", url_prefix="/two")
    app.register_blueprint(parent)
    assert client.get("/one/").text == "parent.child"
    assert client.get("/two/").text == "parent.other"


def test_same_child_name_twice_is_refused_with_the_dotted_name(app: Erlen) -> None:
    parent, child = Blueprint("parent", __name__), Blueprint("child", __name__)
    parent.register_blueprint(child)
    parent.register_blueprint(child, url_prefix="/again")
    with pytest.raises(
        ValueError, match="'child' is already registered for this blueprint 'parent.child'"
    ):
        app.register_blueprint(parent)


@pytest.mark.parametrize(
    ("parent_prefix", "child_prefix", "option", "url"),
    [
        ("/p", "/c", None, "/p/c/x"),
        ("/p/", "c/", None, "/p/c/x"),
        ("/p", "/c", "/o", "/p/o/x"),
        ("/p", None, None, "/p/x"),
        (None, "/c", None, "/c/x"),
        (None, None, "/o", "/o/x"),
        ("/p", "", None, "/p/x"),
    ],
)
def test_url_prefixes_compose(
    app: Erlen, parent_prefix: str | None, child_prefix: str | None, option: str | None, url: str
) -> None:
    parent = Blueprint("parent", __name__, url_prefix=parent_prefix)
    child = Blueprint("child", __name__, url_prefix=child_prefix)
    child.add_url_rule("/x", "x", lambda: "x")
    parent.register_blueprint(child, url_prefix=option)
    app.register_blueprint(parent)
    assert [rule.rule for rule in app.url_map.iter_rules("parent.child.x")] == [url]


@pytest.mark.parametrize(
    ("parent_sub", "child_sub", "option", "host"),
    [
        ("shop", "cart", None, "cart.shop.example.test"),
        ("shop", "cart", "bag", "bag.shop.example.test"),
        ("shop", None, None, "shop.example.test"),
        (None, "cart", None, "cart.example.test"),
    ],
)
def test_subdomains_compose(
    parent_sub: str | None, child_sub: str | None, option: str | None, host: str
) -> None:
    app = Erlen("hosts", subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    parent = Blueprint("parent", __name__, subdomain=parent_sub)
    child = Blueprint("child", __name__, subdomain=child_sub)
    child.add_url_rule("/", "index", lambda: "child")
    parent.register_blueprint(child, subdomain=option)
    app.register_blueprint(parent)
    assert app.test_client().get("/", base_url=f"http://{host}").text == "child"
    with app.app_context():
        assert url_for("parent.child.index") == f"http://{host}/"


def test_parent_url_defaults_stay_with_the_parent(app: Erlen) -> None:
    parent = Blueprint("parent", __name__, url_defaults={"mine": 1})
    child = Blueprint("child", __name__, url_defaults={"own": 2})
    parent.add_url_rule("/p", "p", lambda **kw: "")
    child.add_url_rule("/c", "c", lambda **kw: "")
    parent.register_blueprint(child, url_defaults={"given": 3})
    app.register_blueprint(parent)
    defaults = {rule.endpoint: rule.defaults for rule in app.url_map.iter_rules()}
    assert defaults["parent.p"] == {"mine": 1}
    assert defaults["parent.child.c"] == {"own": 2, "given": 3}


def test_hooks_run_outside_in_and_responses_inside_out(app: Erlen, client: t.Any) -> None:
    site, api, v1 = tree()
    for label, scope in (("app", app), ("site", site), ("api", api), ("v1", v1)):
        scope.before_request(lambda label=label: g.setdefault("trail", []).append(label) and None)

        def after(response: t.Any, label: str = label) -> t.Any:
            response.headers.add("X-After", label)
            return response

        scope.after_request(after)
        scope.context_processor(lambda label=label: {"nearest": label})
    v1.add_url_rule("/trail", "trail", lambda: " ".join(g.trail))
    api.add_url_rule("/nearest", "nearest", lambda: render_template_string("{{ nearest }}"))
    app.register_blueprint(site)

    response = client.get("/api/v1/trail")
    assert response.text == "app site api v1"
    assert response.headers.getlist("X-After") == ["v1", "api", "site", "app"]
    assert client.get("/api/nearest").text == "api"


def test_teardown_runs_for_every_level(app: Erlen, client: t.Any) -> None:
    site, api, v1 = tree()
    ended: list[str] = []
    for label, scope in (("site", site), ("api", api), ("v1", v1)):
        scope.teardown_request(lambda exc, label=label: ended.append(label) and None)
    app.register_blueprint(site)
    client.get("/api/v1/where")
    assert sorted(ended) == ["api", "site", "v1"]
    ended.clear()
    client.get("/where")
    assert ended == ["site"]


def test_error_handlers_found_from_the_inside_out(app: Erlen, client: t.Any) -> None:
    site, api, v1 = tree()
    site.errorhandler(403)(lambda e: ("site says no", 403))
    v1.errorhandler(403)(lambda e: ("v1 says no", 403))
    for bp in (site, api, v1):
        bp.add_url_rule("/forbidden", "forbidden", lambda: abort(403))
    app.register_blueprint(site)
    assert client.get("/api/v1/forbidden").text == "v1 says no"
    # api has no handler of its own: the enclosing site's answers.
    assert client.get("/api/forbidden").text == "site says no"
    assert client.get("/forbidden").text == "site says no"
