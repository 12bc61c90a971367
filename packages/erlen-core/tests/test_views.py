from __future__ import annotations

import functools
import typing as t

import pytest
from werkzeug.http import parse_set_header

from erlen_core import Erlen
from erlen_core.views import http_method_funcs
from erlen_core.views import MethodView
from erlen_core.views import View


def allowed(client: t.Any, path: str = "/") -> set[str]:
    return set(parse_set_header(client.open(path, method="OPTIONS").headers["Allow"]))


def test_http_method_funcs() -> None:
    assert http_method_funcs == {
        "get",
        "post",
        "head",
        "options",
        "delete",
        "put",
        "trace",
        "patch",
    }


def test_view_dispatches_with_url_variables(app: Erlen, client: t.Any) -> None:
    class Hello(View):
        """Greets someone."""

        methods = ["GET", "POST"]

        def dispatch_request(self, name: str) -> str:  # type: ignore[override]
            return f"Hello, {name}!"

    view = Hello.as_view("hello")
    app.add_url_rule("/hello/<name>", view_func=view)
    assert client.get("/hello/ann").data == b"Hello, ann!"
    assert client.post("/hello/bob").data == b"Hello, bob!"
    assert client.put("/hello/bob").status_code == 405
    assert view.__name__ == "hello"
    assert view.__doc__ == "Greets someone."
    assert view.__module__ == __name__
    assert view.view_class is Hello  # type: ignore[union-attr]
    assert view.methods == ["GET", "POST"]  # type: ignore[union-attr]
    assert view.provide_automatic_options is None  # type: ignore[union-attr]


def test_view_must_implement_dispatch(app: Erlen) -> None:
    app.add_url_rule("/", view_func=View.as_view("index"))
    app.config["TESTING"] = True
    with pytest.raises(NotImplementedError):
        app.test_client().get("/")


def test_view_instance_per_request(app: Erlen, client: t.Any) -> None:
    created: list[object] = []

    class Counter(View):
        def __init__(self, start: int, step: int = 1) -> None:
            created.append(self)
            self.count = start
            self.step = step

        def dispatch_request(self) -> str:
            self.count += self.step
            return str(self.count)

    app.add_url_rule("/", view_func=Counter.as_view("index", 10, step=5))
    assert client.get("/").data == b"15"
    assert client.get("/").data == b"15"
    assert len(created) == 2


def test_view_class_replaced_on_the_view_function_is_instantiated(
    app: Erlen, client: t.Any
) -> None:
    class Original(View):
        def dispatch_request(self) -> str:
            return "original"

    class Replacement(View):
        def dispatch_request(self) -> str:
            return "replacement"

    view = Original.as_view("index")
    view.view_class = Replacement  # type: ignore[attr-defined]
    app.add_url_rule("/", view_func=view)
    assert client.get("/").data == b"replacement"


def test_view_shared_instance(app: Erlen, client: t.Any) -> None:
    created: list[object] = []

    class Counter(View):
        init_every_request = False

        def __init__(self, start: int) -> None:
            created.append(self)
            self.count = start

        def dispatch_request(self) -> str:
            self.count += 1
            return str(self.count)

    app.add_url_rule("/", view_func=Counter.as_view("index", 0))
    assert len(created) == 1
    assert client.get("/").data == b"1"
    assert client.get("/").data == b"2"
    assert len(created) == 1


def test_view_decorators(app: Erlen, client: t.Any) -> None:
    seen_names: list[str] = []

    def add_header(f: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(f)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            seen_names.append(wrapper.__name__)
            rv = app.make_response(f(*args, **kwargs))
            rv.headers["X-Order"] = rv.headers.get("X-Order", "") + "inner,"
            return rv

        return wrapper

    def outer(f: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            rv = f(*args, **kwargs)
            rv.headers["X-Order"] += "outer"
            return rv

        return wrapper

    class Index(View):
        decorators = [add_header, outer]

        def dispatch_request(self) -> str:
            return "body"

    view = Index.as_view("index")
    app.add_url_rule("/", view_func=view)
    rv = client.get("/")
    assert rv.data == b"body"
    assert rv.headers["X-Order"] == "inner,outer"
    # functools.wraps saw the final name before the decorators ran
    assert seen_names == ["index"]
    assert view.__name__ == "index"
    assert view.view_class is Index  # type: ignore[union-attr]


def test_view_provide_automatic_options(app: Erlen, client: t.Any) -> None:
    class NoOptions(View):
        provide_automatic_options = False

        def dispatch_request(self) -> str:
            return "x"

    app.add_url_rule("/", view_func=NoOptions.as_view("index"))
    assert client.open("/", method="OPTIONS").status_code == 405


def test_method_view(app: Erlen, client: t.Any) -> None:
    class Resource(MethodView):
        def get(self) -> str:
            return "GET"

        def post(self) -> str:
            return "POST"

    assert Resource.methods == {"GET", "POST"}
    app.add_url_rule("/", view_func=Resource.as_view("index"))
    assert client.get("/").data == b"GET"
    assert client.post("/").data == b"POST"
    assert client.put("/").status_code == 405
    assert allowed(client) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_method_view_head_falls_back_to_get(app: Erlen, client: t.Any) -> None:
    class Resource(MethodView):
        def get(self) -> tuple[str, dict[str, str]]:
            return "body", {"X-Method": "get"}

    app.add_url_rule("/", view_func=Resource.as_view("index"))
    rv = client.head("/")
    assert rv.status_code == 200
    assert rv.headers["X-Method"] == "get"
    assert rv.data == b""


def test_method_view_explicit_head(app: Erlen, client: t.Any) -> None:
    class Resource(MethodView):
        def get(self) -> str:
            return "GET"

        def head(self) -> tuple[str, dict[str, str]]:
            return "", {"X-Method": "head"}

    app.add_url_rule("/", view_func=Resource.as_view("index"))
    assert client.head("/").headers["X-Method"] == "head"


def test_method_view_inherits_methods(app: Erlen, client: t.Any) -> None:
    class Base(MethodView):
        def get(self) -> str:
            return "GET"

    class Mixin:
        def delete(self) -> str:
            return "DELETE"

    class Child(Mixin, Base):
        def post(self) -> str:
            return "POST"

    assert Child.methods == {"GET", "POST", "DELETE"}
    app.add_url_rule("/", view_func=Child.as_view("index"))
    assert client.get("/").data == b"GET"
    assert client.delete("/").data == b"DELETE"
    assert client.post("/").data == b"POST"


def test_method_view_keeps_methods_from_base_attribute() -> None:
    class Base(MethodView):
        methods = ["PATCH"]

        def get(self) -> str:
            return "GET"

    class Child(Base):
        def post(self) -> str:
            return "POST"

    # an explicit list on the class itself is kept as given
    assert Base.methods == ["PATCH"]
    child_methods: t.Any = Child.methods
    assert child_methods == {"PATCH", "GET", "POST"}


def test_method_view_without_handlers() -> None:
    class Empty(MethodView):
        pass

    assert Empty.methods is None


def test_method_view_unimplemented_method(app: Erlen) -> None:
    class Resource(MethodView):
        methods = ["GET", "PUT"]

        def get(self) -> str:
            return "GET"

    app.add_url_rule("/", view_func=Resource.as_view("index"))
    with pytest.raises(AssertionError, match="Unimplemented method 'PUT'"):
        app.test_client().put("/")


def test_method_view_url_variables_and_args(app: Erlen, client: t.Any) -> None:
    class Item(MethodView):
        init_every_request = False

        def __init__(self, prefix: str) -> None:
            self.prefix = prefix

        def get(self, id: int) -> str:
            return f"{self.prefix}{id}"

    app.add_url_rule("/items/<int:id>", view_func=Item.as_view("item", "item-"))
    assert client.get("/items/3").data == b"item-3"


def test_async_method_view(app: Erlen, client: t.Any) -> None:
    pytest.importorskip("asgiref")

    class Resource(MethodView):
        async def get(self) -> str:
            return "async GET"

    class Plain(View):
        async def dispatch_request(self) -> str:  # type: ignore[override]
            return "async view"

    app.add_url_rule("/", view_func=Resource.as_view("index"))
    app.add_url_rule("/plain", view_func=Plain.as_view("plain"))
    assert client.get("/").data == b"async GET"
    assert client.get("/plain").data == b"async view"


def test_endpoint_override(app: Erlen, client: t.Any) -> None:
    class Index(MethodView):
        def get(self) -> str:
            return "x"

    app.add_url_rule("/", view_func=Index.as_view("index"))
    with pytest.raises(AssertionError):
        app.add_url_rule("/", view_func=Index.as_view("index"))
    app.add_url_rule("/other", endpoint="other", view_func=Index.as_view("index"))
    assert client.get("/other").data == b"x"
