"""Blueprints registered on blueprints: names, prefixes, subdomains, hooks and renaming."""

from __future__ import annotations

import typing as t

import pytest

from erlen_blueprints import Blueprint
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_core.app import Erlen
from erlen_core.helpers import abort
from erlen_templating import render_template_string


def test_nested_routes_and_error_handlers(app: Erlen, client: t.Any) -> None:
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    grandchild = Blueprint("grandchild", __name__)
    parent.errorhandler(403)(lambda e: ("Parent no", 403))
    grandchild.errorhandler(403)(lambda e: ("Grandchild no", 403))
    for bp in (parent, child, grandchild):
        bp.add_url_rule("/", "index", lambda name=bp.name: f"{name} yes")
        bp.add_url_rule("/no", "no", lambda: abort(403))
    child.register_blueprint(grandchild, url_prefix="/grandchild")
    parent.register_blueprint(child, url_prefix="/child")
    app.register_blueprint(parent, url_prefix="/parent")

    assert client.get("/parent/").data == b"parent yes"
    assert client.get("/parent/child/").data == b"child yes"
    assert client.get("/parent/child/grandchild/").data == b"grandchild yes"
    assert client.get("/parent/no").data == b"Parent no"
    assert client.get("/parent/child/no").data == b"Parent no"
    assert client.get("/parent/child/grandchild/no").data == b"Grandchild no"
    assert set(app.blueprints) == {"parent", "parent.child", "parent.child.grandchild"}


def test_nested_callback_order(app: Erlen, client: t.Any) -> None:
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    for scope, name in ((app, "app"), (parent, "parent"), (child, "child")):
        for n in (1, 2):

            def before(label: str = f"{name}_{n}") -> None:
                g.setdefault("seen", []).append(label)

            def teardown(exc: BaseException | None, label: str = f"{name}_{n}") -> None:
                assert g.seen.pop() == label

            scope.before_request(before)
            scope.teardown_request(teardown)
        scope.context_processor(lambda name=name: {"key": name})

    child.add_url_rule("/a", "a", lambda: ", ".join(g.seen))
    child.add_url_rule("/b", "b", lambda: render_template_string("{{ key }}"))
    parent.add_url_rule("/c", "c", lambda: render_template_string("{{ key }}"))
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert client.get("/a").data == b"app_1, app_2, parent_1, parent_2, child_1, child_2"
    assert client.get("/b").data == b"child"
    assert client.get("/c").data == b"parent"


def test_nested_after_request_order(app: Erlen, client: t.Any) -> None:
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    for scope, name in ((app, "app"), (parent, "parent"), (child, "child")):

        def after(response: t.Any, name: str = name) -> t.Any:
            response.data += f" {name}".encode()
            return response

        scope.after_request(after)
    child.add_url_rule("/", "index", lambda: "view")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert client.get("/").data == b"view child parent app"


@pytest.mark.parametrize(
    ("parent_init", "child_init", "parent_registration", "child_registration"),
    [
        ("/parent", "/child", None, None),
        ("/parent", None, None, "/child"),
        (None, None, "/parent", "/child"),
        ("/other", "/something", "/parent", "/child"),
        (None, "/parent/child", None, None),
        ("/parent/", "/child", None, None),
    ],
)
def test_nesting_url_prefixes(
    app: Erlen,
    client: t.Any,
    parent_init: str | None,
    child_init: str | None,
    parent_registration: str | None,
    child_registration: str | None,
) -> None:
    parent = Blueprint("parent", __name__, url_prefix=parent_init)
    child = Blueprint("child", __name__, url_prefix=child_init)
    child.add_url_rule("/", "index", lambda: "index")
    parent.register_blueprint(child, url_prefix=child_registration)
    app.register_blueprint(parent, url_prefix=parent_registration)
    assert client.get("/parent/child/").status_code == 200


def _subdomain_app(app: Erlen, client: t.Any) -> None:
    app.subdomain_matching = True
    app.config["SERVER_NAME"] = "example.test"
    client.allow_subdomain_redirects = True


def test_nested_blueprint_inherits_subdomain(app: Erlen, client: t.Any) -> None:
    _subdomain_app(app, client)
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)
    child.add_url_rule("/child/", "index", lambda: "child")
    parent.register_blueprint(child)
    app.register_blueprint(parent, subdomain="api")
    assert client.get("/child/", base_url="http://api.example.test").data == b"child"
    assert client.get("/child/", base_url="http://example.test").status_code == 404


@pytest.mark.parametrize(
    ("child_init", "child_registration"), [("api", None), (None, "api"), ("x", "api")]
)
def test_child_subdomain_goes_before_parent(
    app: Erlen, client: t.Any, child_init: str | None, child_registration: str | None
) -> None:
    _subdomain_app(app, client)
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__, subdomain=child_init)
    child.add_url_rule("/", "index", lambda: "child")
    parent.register_blueprint(child, subdomain=child_registration)
    app.register_blueprint(parent, subdomain="parent")
    assert client.get("/", base_url="http://api.parent.example.test").data == b"child"
    assert client.get("/", base_url="http://parent.example.test").status_code == 404


def test_child_subdomain_without_parent_subdomain(app: Erlen, client: t.Any) -> None:
    _subdomain_app(app, client)
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__, subdomain="api")
    child.add_url_rule("/", "index", lambda: "child")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert client.get("/", base_url="http://api.example.test").data == b"child"


def test_renaming_with_nested_blueprints(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__)
    bp2 = Blueprint("bp2", __name__)
    bp.add_url_rule("/", "index", lambda: request.endpoint)
    bp.add_url_rule("/error", "error", lambda: abort(403))
    bp.errorhandler(403)(lambda e: ("Error", 403))
    bp2.add_url_rule("/", "index2", lambda: f"{request.endpoint} {request.blueprint}")
    bp.register_blueprint(bp2, url_prefix="/a", name="sub")
    app.register_blueprint(bp, url_prefix="/a")
    app.register_blueprint(bp, url_prefix="/b", name="alt")

    assert client.get("/a/").data == b"bp.index"
    assert client.get("/b/").data == b"alt.index"
    assert client.get("/a/a/").data == b"bp.sub.index2 bp.sub"
    assert client.get("/b/a/").data == b"alt.sub.index2 alt.sub"
    assert client.get("/a/error").data == b"Error"
    assert client.get("/b/error").data == b"Error"


def test_request_blueprint_attributes(app: Erlen, client: t.Any) -> None:
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__)

    def where() -> str:
        return f"{request.blueprint} {request.blueprints}"

    app.add_url_rule("/", "app", where)
    parent.add_url_rule("/", "parent", where)
    child.add_url_rule("/", "child", where)
    parent.register_blueprint(child, url_prefix="/child")
    app.register_blueprint(parent, url_prefix="/parent")
    assert client.get("/").data == b"None []"
    assert client.get("/parent/").data == b"parent ['parent']"
    assert client.get("/parent/child/").data == b"parent.child ['parent.child', 'parent']"
