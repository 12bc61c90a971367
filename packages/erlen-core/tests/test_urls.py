"""URL adapters, url_for, trusted hosts, automatic OPTIONS, routing redirects, static files."""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta

import pytest
from werkzeug.routing import BuildError
from werkzeug.routing import RequestRedirect

from erlen_core import Erlen
from erlen_core.debughelpers import FormDataRoutingRedirect

HERE = os.path.dirname(__file__)


def test_url_for_in_request(app: Erlen) -> None:
    @app.route("/user/<int:uid>", methods=["GET", "POST"])
    def user(uid: int) -> str:
        return str(uid)

    app.add_url_rule("/bp/page", "bp.page", lambda: "")
    with app.test_request_context("/bp/page"):
        assert app.url_for("user", uid=3) == "/user/3"
        assert app.url_for("user", uid=3, q="a b") == "/user/3?q=a+b"
        assert app.url_for("user", uid=3, _external=True) == "http://localhost/user/3"
        assert app.url_for("user", uid=3, _scheme="https") == "https://localhost/user/3"
        assert app.url_for("user", uid=3, _anchor="x y") == "/user/3#x%20y"
        assert app.url_for("user", uid=3, _method="POST") == "/user/3"
        assert app.url_for(".page") == "/bp/page"
        with pytest.raises(ValueError, match="'_external' must be True"):
            app.url_for("user", uid=3, _scheme="https", _external=False)
    with app.test_request_context("/user/1"):
        assert app.url_for(".user", uid=2) == "/user/2"


def test_url_for_outside_request(app: Erlen) -> None:
    app.add_url_rule("/x", "x", lambda: "")
    with pytest.raises(RuntimeError, match="SERVER_NAME"):
        app.url_for("x")
    with app.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
        app.url_for("x")
    app.config.update(
        SERVER_NAME="example.org", APPLICATION_ROOT="/root", PREFERRED_URL_SCHEME="https"
    )
    assert app.url_for("x") == "https://example.org/root/x"
    assert app.url_for("x", _external=False) == "/root/x"
    with app.app_context():
        assert app.url_for("x") == "https://example.org/root/x"


def test_create_url_adapter_outside_request_is_cached(app: Erlen) -> None:
    assert app.create_url_adapter(None) is None
    app.config["SERVER_NAME"] = "example.org"
    first = app.create_url_adapter(None)
    second = app.create_url_adapter(None)
    assert first is not None and second is not None
    assert first.server_name == "example.org"
    assert first.__dict__ == second.__dict__


def test_url_map_replaced_gets_new_adapters(app: Erlen) -> None:
    app.add_url_rule("/a", "a", lambda: "a")
    assert app.test_client().get("/a").status_code == 200
    app.url_map = app.url_map_class()
    assert app.test_client().get("/a").status_code == 404


def test_url_defaults_and_build_error_handler(app: Erlen) -> None:
    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, t.Any]) -> None:
        values.setdefault("lang", "en")

    app.add_url_rule("/<lang>/", "home", lambda lang: lang)

    def fallback(error: Exception, endpoint: str, values: dict[str, t.Any]) -> str:
        assert values["_anchor"] == "top"
        return f"/fallback/{endpoint}"

    with app.test_request_context():
        assert app.url_for("home") == "/en/"
        with pytest.raises(BuildError):
            app.url_for("missing")
        app.url_build_error_handlers.append(fallback)
        assert app.url_for("missing", _anchor="top") == "/fallback/missing"


def test_trusted_hosts(app: Erlen) -> None:
    app.add_url_rule("/", "x", lambda: "ok")
    app.config["TRUSTED_HOSTS"] = ["good.test", ".sub.test"]
    client = app.test_client()
    assert client.get("/", base_url="http://good.test").status_code == 200
    assert client.get("/", base_url="http://a.sub.test").status_code == 200
    assert client.get("/", base_url="http://evil.test").status_code == 400


def test_server_name_mismatch_is_404_with_warning(app: Erlen) -> None:
    app.config["SERVER_NAME"] = "example.org"
    app.subdomain_matching = True
    app.add_url_rule("/", "x", lambda: "ok")
    with pytest.warns(UserWarning, match="doesn't match configured server name"):
        rv = app.test_client().get("/", base_url="http://other.test")
    assert rv.status_code == 404


def test_automatic_options(app: Erlen) -> None:
    app.add_url_rule("/", "x", lambda: "ok", methods=["GET", "POST"])
    rv = app.test_client().open("/", method="OPTIONS")
    assert rv.status_code == 200
    assert sorted(rv.allow) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert rv.data == b""


def test_explicit_options_view(app: Erlen) -> None:
    app.add_url_rule("/", "x", lambda: "mine", methods=["OPTIONS"])
    assert app.test_client().open("/", method="OPTIONS").data == b"mine"


def test_routing_redirect_in_debug_with_form_data(app: Erlen) -> None:
    app.add_url_rule("/user/", "user", lambda: "user", methods=["GET", "POST"])
    client = app.test_client()
    assert client.post("/user").status_code == 308
    app.debug = True
    assert client.post("/user").status_code == 308

    with app.test_request_context("/user", method="POST") as ctx:
        ctx.request.routing_exception = RequestRedirect("http://localhost/user/")
        ctx.request.routing_exception.code = 301
        with pytest.raises(FormDataRoutingRedirect) as info:
            app.raise_routing_exception(ctx.request)
        message = str(info.value)
        assert "canonical URL 'http://localhost/user/'" in message
        assert "slash" in message
        ctx.request.routing_exception = RequestRedirect("http://localhost/other")
        ctx.request.routing_exception.code = 302
        with pytest.raises(FormDataRoutingRedirect) as info:
            app.raise_routing_exception(ctx.request)
        assert "slash" not in str(info.value)
    with app.test_request_context("/user", method="GET") as ctx:
        ctx.request.routing_exception = RequestRedirect("http://localhost/user/")
        with pytest.raises(RequestRedirect):
            app.raise_routing_exception(ctx.request)


def test_static_files(app: Erlen) -> None:
    client = app.test_client()
    rv = client.get("/static/style.css")
    assert rv.status_code == 200 and rv.data.strip() == b"body { color: red }"
    assert rv.cache_control.max_age is None
    rv.close()
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = timedelta(hours=1)
    rv = client.get("/static/style.css")
    assert rv.cache_control.max_age == 3600
    rv.close()
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
    rv = client.get("/static/style.css")
    assert rv.cache_control.max_age == 60
    rv.close()
    assert client.get("/static/missing.css").status_code == 404
    with app.test_request_context():
        assert app.url_for("static", filename="style.css") == "/static/style.css"


def test_send_static_file_without_folder() -> None:
    app = Erlen(__name__, static_folder=None)
    with pytest.raises(RuntimeError, match="'static_folder' must be set"):
        app.send_static_file("x")


def test_static_host_requires_host_matching() -> None:
    with pytest.raises(AssertionError, match="static_host/host_matching"):
        Erlen(__name__, static_host="cdn.test")
    app = Erlen(__name__, static_host="cdn.test", host_matching=True, root_path=HERE)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "static")
    assert rule.host == "cdn.test"


def test_static_view_does_not_keep_app_alive() -> None:
    import gc
    import weakref

    app = Erlen(__name__, root_path=HERE)
    ref = weakref.ref(app)
    del app
    gc.collect()
    assert ref() is None


def test_open_resource(app: Erlen) -> None:
    with app.open_resource("resource.txt") as f:
        assert f.read().strip() == b"resource text"
    with app.open_resource("resource.txt", "r", encoding="utf-8") as f:
        assert f.read().strip() == "resource text"
    with pytest.raises(ValueError, match="only be opened for reading"):
        app.open_resource("resource.txt", "w")


def test_open_instance_resource(tmp_path: t.Any) -> None:
    app = Erlen(__name__, instance_path=str(tmp_path))
    with app.open_instance_resource("data.txt", "w") as f:
        f.write("stored")
    with app.open_instance_resource("data.txt", "r") as f:
        assert f.read() == "stored"
    with app.open_instance_resource("data.txt") as f:
        assert f.read() == b"stored"


def test_requests_match_through_the_route_and_make_the_adapter_when_asked(app: Erlen) -> None:
    app.add_url_rule("/item/<int:n>", "item", lambda n: str(n))
    with app.test_request_context("/item/4") as ctx:
        assert ctx._url_route is not None
        assert ctx.request.view_args == {"n": 4}
        assert ctx._url_route is not None
        adapter = ctx.url_adapter
        assert adapter is not None and adapter.path_info == "/item/4"
        assert app.url_for("item", n=5) == "/item/5"


class OwnAdapter(Erlen):
    def create_url_adapter(self, request: t.Any) -> t.Any:
        adapter = super().create_url_adapter(request)
        if adapter is not None:
            adapter.default_method = "POST"
        return adapter


def test_an_overridden_create_url_adapter_is_used(app: Erlen) -> None:
    own = OwnAdapter(__name__)
    own.add_url_rule("/p", "p", lambda: "posted", methods=["POST"])
    assert own.url_route(own.request_class({})) is None
    assert own.test_client().get("/p").data == b"posted"

    calls: list[t.Any] = []

    def recording(request: t.Any) -> t.Any:
        calls.append(request)
        return Erlen.create_url_adapter(app, request)

    app.create_url_adapter = recording  # type: ignore[method-assign]
    app.add_url_rule("/", "index", lambda: "index")
    assert app.test_client().get("/").data == b"index"
    assert len(calls) == 1


def test_a_binding_that_warns_warns_through_create_url_adapter(app: Erlen) -> None:
    app.config["SERVER_NAME"] = "example.test"
    app.subdomain_matching = True
    app.add_url_rule("/", "index", lambda: "index")
    with pytest.warns(UserWarning, match="doesn't match configured server name"):
        with app.test_request_context("/", base_url="http://other.test/") as ctx:
            assert ctx._url_route is None and ctx.url_adapter is not None


def test_create_url_adapter_assigned_on_the_app_matches_requests() -> None:
    app = Erlen(__name__)
    app.add_url_rule("/", "index", lambda: "index")
    app.add_url_rule("/other", "other", lambda: "other")
    client = app.test_client()
    assert client.get("/").data == b"index"
    made = []

    def create_url_adapter(request: t.Any) -> t.Any:
        made.append(request)
        return app.url_map.bind_to_environ(request.environ) if request else None

    app.create_url_adapter = create_url_adapter  # type: ignore[method-assign]
    assert client.get("/other").data == b"other"
    assert len(made) == 1
