"""The standalone Router: registration, matching, building and WSGI serving."""

from __future__ import annotations

import typing as t
import uuid

import flask
import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import ImATeapot
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter
from werkzeug.routing import BuildError
from werkzeug.routing import RequestRedirect
from werkzeug.test import Client
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from erlen_routing import RouteMatch
from erlen_routing import Router


class ListConverter(BaseConverter):
    """``a,b,c`` <-> ``["a", "b", "c"]``."""

    def to_python(self, value: str) -> list[str]:
        return value.split(",")

    def to_url(self, value: t.Any) -> str:
        to_url = super().to_url
        return ",".join(to_url(item) for item in value)


def echo(request: Request, **args: t.Any) -> str:
    return repr(sorted(args.items()))


@pytest.fixture
def router() -> Router:
    router = Router()
    router.url_map.converters["list"] = ListConverter
    router.add_url_rule("/", "index", echo)
    router.add_url_rule("/s/<name>", "string", echo)
    router.add_url_rule("/i/<int(min=1):n>", "int", echo)
    router.add_url_rule("/f/<float:x>", "float", echo)
    router.add_url_rule("/p/<path:rest>", "path", echo)
    router.add_url_rule("/u/<uuid:id>", "uuid", echo)
    router.add_url_rule("/a/<any(red, blue):color>", "any", echo)
    router.add_url_rule("/l/<list:items>", "list", echo)
    router.add_url_rule("/dir/", "dir", echo)
    router.add_url_rule("/page/", "page", echo, defaults={"n": 1})
    router.add_url_rule("/page/<int:n>", "page", echo)
    return router


@pytest.mark.parametrize(
    ("path", "endpoint", "args"),
    [
        ("/", "index", {}),
        ("/s/bob", "string", {"name": "bob"}),
        ("/i/42", "int", {"n": 42}),
        ("/f/1.5", "float", {"x": 1.5}),
        ("/p/a/b/c.txt", "path", {"rest": "a/b/c.txt"}),
        (
            "/u/12345678-1234-5678-1234-567812345678",
            "uuid",
            {"id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
        ),
        ("/a/blue", "any", {"color": "blue"}),
        ("/l/x,y", "list", {"items": ["x", "y"]}),
        ("/page/", "page", {"n": 1}),
        ("/page/3", "page", {"n": 3}),
    ],
)
def test_match_converters(router: Router, path: str, endpoint: str, args: dict[str, t.Any]) -> None:
    assert router.match(path) == RouteMatch(echo, endpoint, args, router.match(path).rule)
    assert router.match(path).rule.endpoint == endpoint


@pytest.mark.parametrize("path", ["/i/0", "/i/x", "/f/1", "/a/green", "/s/a/b", "/nowhere"])
def test_no_match_is_404(router: Router, path: str) -> None:
    with pytest.raises(NotFound):
        router.match(path)


def test_wrong_method_is_405_with_allow(router: Router) -> None:
    with pytest.raises(MethodNotAllowed) as info:
        router.match("/s/x", "DELETE")
    headers = dict(info.value.get_headers())
    assert sorted(headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS"]


def test_strict_slash_redirect_keeps_query(router: Router) -> None:
    with pytest.raises(RequestRedirect) as info:
        router.match("/dir", query_args="a=1")
    assert info.value.new_url == "http://localhost/dir/?a=1"
    assert info.value.code == 308


def test_default_redirects_to_canonical_url(router: Router) -> None:
    with pytest.raises(RequestRedirect) as info:
        router.match("/page/1")
    assert info.value.new_url == "http://localhost/page/"


def test_strict_slashes_off_and_merge_slashes() -> None:
    router = Router(strict_slashes=False)
    router.add_url_rule("/dir/a/", "dir", echo)
    assert router.match("/dir/a").endpoint == "dir"
    with pytest.raises(RequestRedirect) as info:
        router.match("/dir//a/")
    assert info.value.new_url == "http://localhost/dir/a/"
    no_merge = Router(merge_slashes=False)
    no_merge.add_url_rule("/dir/a/", "dir", echo)
    with pytest.raises(NotFound):
        no_merge.match("/dir//a/")


def test_converters_argument_and_per_rule_strict_slashes() -> None:
    router = Router(converters={"list": ListConverter})
    router.add_url_rule("/l/<list:items>/", "list", echo, strict_slashes=False)
    assert router.match("/l/a,b").args == {"items": ["a", "b"]}
    assert router.url_for("list", items=["c", "d"]) == "/l/c,d/"


def test_decorators_register_methods() -> None:
    router = Router()

    @router.route("/any", methods=["GET", "POST"])
    def any_method(request: Request) -> str:
        return "any"

    for name in ["get", "post", "put", "patch", "delete"]:
        decorator = getattr(router, name)("/item", endpoint=f"item_{name}")
        assert decorator(echo) is echo

    assert router.match("/any", "POST").view is any_method
    assert router.match("/any", "POST").endpoint == "any_method"
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"]:
        assert router.match("/item", method).endpoint == f"item_{method.lower()}"
    shared = router.route("/twice", endpoint="twice")
    shared(echo)
    shared(echo)  # applying one decorator again keeps its endpoint
    assert router.match("/twice").endpoint == "twice"
    with pytest.raises(TypeError, match="Use route"):
        router.post("/x", methods=["PUT"])


def test_endpoint_clash_is_refused() -> None:
    router = Router()
    router.add_url_rule("/a", "same", echo)
    with pytest.raises(AssertionError, match="same"):
        router.add_url_rule("/b", "same", lambda request: "")


def test_rule_without_view_still_builds() -> None:
    router = Router()
    rule = router.add_url_rule("/static/<path:filename>", "static")
    assert rule.endpoint == "static"
    assert router.match("/static/a.css").view is None
    assert router.url_for("static", filename="a.css") == "/static/a.css"


def test_url_for_options(router: Router) -> None:
    assert router.url_for("int", n=3, q="x") == "/i/3?q=x"
    assert router.url_for("int", n=3, _external=True) == "http://localhost/i/3"
    assert router.url_for("int", n=3, _external=True, _scheme="https") == "https://localhost/i/3"
    assert router.url_for("index", _anchor="a b") == "/#a%20b"
    assert router.build("page", {"n": 1}) == "/page/"
    with pytest.raises(ValueError, match="_external"):
        router.url_for("index", _scheme="https")
    with pytest.raises(BuildError, match=r"Did you forget to specify values \['n'\]"):
        router.url_for("int")


def test_url_for_method() -> None:
    router = Router()
    router.add_url_rule("/item", "item", echo, methods=["GET"])
    router.add_url_rule("/item/new", "item", echo, methods=["POST"])
    assert router.url_for("item", _method="POST") == "/item/new"
    with pytest.raises(BuildError, match="Did you mean to use methods"):
        router.url_for("item", _method="PUT")


def test_server_name_script_name_and_scheme() -> None:
    router = Router(server_name="example.com:8080", script_name="/app", url_scheme="https")
    router.add_url_rule("/x/", "x", echo)
    assert router.url_for("x") == "/app/x/"
    assert router.url_for("x", _external=True) == "https://example.com:8080/app/x/"
    with pytest.raises(RequestRedirect) as info:
        router.match("/x")
    assert info.value.new_url == "https://example.com:8080/app/x/"


def test_subdomain_matching() -> None:
    router = Router(server_name="example.com", subdomain_matching=True)
    router.add_url_rule("/", "main", echo)
    router.add_url_rule("/", "api", echo, subdomain="api")
    router.add_url_rule("/", "user", echo, subdomain="<user>")
    assert router.match("/").endpoint == "main"
    assert router.match("/", host="api.example.com").endpoint == "api"
    assert router.match("/", host="bob.example.com").args == {"user": "bob"}
    assert router.url_for("user", user="amy", _external=True) == "http://amy.example.com/"
    fixed = Router(server_name="example.com", subdomain_matching=True)
    fixed.add_url_rule("/", "main", echo)
    with pytest.warns(UserWarning, match="doesn't match configured server name"):
        with pytest.raises(NotFound):
            fixed.match("/", host="10.0.0.1")


def test_subdomains_ignored_without_subdomain_matching() -> None:
    router = Router(server_name="example.com")
    router.add_url_rule("/", "main", echo)
    router.add_url_rule("/", "api", echo, subdomain="api")
    assert router.match("/", host="api.example.com").endpoint == "main"
    assert router.match("/", host="10.0.0.1").endpoint == "main"


def test_host_matching() -> None:
    router = Router(host_matching=True)
    router.add_url_rule("/", "main", echo, host="example.com")
    router.add_url_rule("/", "shop", echo, host="<shop>.shops.test")
    assert router.match("/", host="example.com").endpoint == "main"
    assert router.match("/", host="tea.shops.test").args == {"shop": "tea"}
    assert router.url_for("shop", shop="tea") == "http://tea.shops.test/"
    with pytest.raises(NotFound):
        router.match("/", host="elsewhere.test")


def test_automatic_options_switch() -> None:
    router = Router(provide_automatic_options=False)
    router.add_url_rule("/", "index", echo)
    router.add_url_rule("/opt", "opt", echo, methods=["GET", "OPTIONS"])
    # Forced on, OPTIONS is answered only if the rule lists it, as in Flask.
    router.add_url_rule("/forced", "forced", echo, provide_automatic_options=True)
    with pytest.raises(MethodNotAllowed):
        router.match("/", "OPTIONS")
    with pytest.raises(MethodNotAllowed):
        router.match("/forced", "OPTIONS")
    assert Client(router).options("/opt").text == "[]"
    router.add_url_rule(
        "/auto", "auto", echo, methods=["GET", "OPTIONS"], provide_automatic_options=True
    )
    response = Client(router).options("/auto")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.data == b""


def test_wsgi_dispatch(router: Router) -> None:
    client = Client(router)
    response = client.get("/i/5?q=1")
    assert (response.status_code, response.text) == (200, "[('n', 5)]")
    assert client.head("/i/5").data == b""
    assert client.get("/nowhere").status_code == 404
    response = client.options("/s/x")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    response = client.delete("/s/x")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    response = client.get("/dir?x=1")
    assert (response.status_code, response.headers["Location"]) == (
        308,
        "http://localhost/dir/?x=1",
    )


def test_wsgi_script_name_and_request() -> None:
    router = Router()

    @router.post("/form")
    def form(request: Request) -> tuple[str, int, dict[str, str]]:
        return request.form["name"] + request.script_root, 201, {"X-Seen": "yes"}

    response = Client(router).post("/form", "http://localhost/m", data={"name": "amy"})
    assert (response.status_code, response.text, response.headers["X-Seen"]) == (
        201,
        "amy/m",
        "yes",
    )


@pytest.mark.parametrize(
    ("rv", "status", "body", "header"),
    [
        ("text", 200, b"text", None),
        (b"bytes", 200, b"bytes", None),
        (Response("resp", 202), 202, b"resp", None),
        (("created", 201), 201, b"created", None),
        (("teapot", "418 I'M A TEAPOT"), 418, b"teapot", None),
        (("hdr", {"X-A": "1"}), 200, b"hdr", "1"),
        ((Response("both"), 203, [("X-A", "2")]), 203, b"both", "2"),
    ],
)
def test_make_response(rv: t.Any, status: int, body: bytes, header: str | None) -> None:
    response = Router().make_response(rv)
    assert (response.status_code, response.data, response.headers.get("X-A")) == (
        status,
        body,
        header,
    )


@pytest.mark.parametrize("rv", [None, 42, ("a",), ("a", 1, {}, "extra")])
def test_make_response_refuses_other_values(rv: t.Any) -> None:
    with pytest.raises(TypeError, match="return a str, bytes, Response|wrong size"):
        Router().make_response(rv)


def test_view_http_exception_becomes_response() -> None:
    router = Router()

    @router.get("/tea")
    def tea(request: Request) -> str:
        raise ImATeapot()

    assert Client(router).get("/tea").status_code == 418


def test_view_other_exception_propagates() -> None:
    router = Router()

    @router.get("/boom")
    def boom(request: Request) -> str:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        Client(router).get("/boom")


RULES: list[tuple[str, str, dict[str, t.Any]]] = [
    ("/", "index", {}),
    ("/users/<int:id>", "user", {"methods": ["GET", "PUT"]}),
    ("/users/<int:id>/", "user_slash", {"methods": ["DELETE"]}),
    ("/files/<path:name>", "files", {}),
    ("/opts", "opts", {"methods": ["GET", "OPTIONS"]}),
    ("/noopts", "noopts", {"provide_automatic_options": False}),
    ("/page/", "page", {"defaults": {"n": 1}}),
    ("/page/<int:n>", "page", {}),
]


def outcome(call: t.Callable[[], t.Any]) -> t.Any:
    try:
        return call()
    except RequestRedirect as redirect:
        return ("redirect", redirect.new_url)
    except HTTPException as error:
        return (error.code, sorted(getattr(error, "valid_methods", None) or ()))


@pytest.mark.parametrize(
    "path", ["/", "/users/1", "/users/1/", "/users/x", "/files/a/b", "/opts", "/noopts", "/page/1"]
)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"])
def test_matching_same_as_flask(path: str, method: str) -> None:
    app = flask.Flask(__name__, static_folder=None)
    router = Router()
    for rule, endpoint, options in RULES:
        app.add_url_rule(rule, endpoint, **options)
        router.add_url_rule(rule, endpoint, **options)
    with app.test_request_context(path, method=method):
        error = flask.request.routing_exception
        if error is None:
            rule = t.cast(t.Any, flask.request.url_rule)
            expected = (rule.endpoint, flask.request.view_args)
        else:
            expected = outcome(lambda: (_ for _ in ()).throw(error))
    got = outcome(lambda: router.match(path, method)[1:3])
    assert got == expected
    methods = {r.endpoint: r.methods for r in router.url_map.iter_rules()}
    assert methods == {r.endpoint: r.methods for r in app.url_map.iter_rules()}
