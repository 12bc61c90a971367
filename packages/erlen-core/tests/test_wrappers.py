from __future__ import annotations

import io
import typing as t

import pytest
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.formparser import FormDataParser
from werkzeug.routing import Rule
from werkzeug.test import create_environ
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request as WerkzeugRequest

from erlen_core import Erlen
from erlen_core import json as erlen_json
from erlen_core.debughelpers import DebugFilesKeyError
from erlen_core.json.provider import DefaultJSONProvider
from erlen_core.wrappers import Request
from erlen_core.wrappers import Response


def make_request(**kwargs: t.Any) -> Request:
    return Request(EnvironBuilder(**kwargs).get_environ())


# -- Request: routing information ----------------------------------------------------------


def test_request_before_matching() -> None:
    request = make_request()
    assert request.url_rule is None
    assert request.view_args is None
    assert request.routing_exception is None
    assert request.endpoint is None
    assert request.blueprint is None
    assert request.blueprints == []


@pytest.mark.parametrize(
    ("endpoint", "blueprint", "blueprints"),
    [
        ("index", None, []),
        ("admin.index", "admin", ["admin"]),
        ("site.admin.users.list", "site.admin.users", ["site.admin.users", "site.admin", "site"]),
    ],
)
def test_request_endpoint_and_blueprints(
    endpoint: str, blueprint: str | None, blueprints: list[str]
) -> None:
    request = make_request()
    request.url_rule = Rule("/", endpoint=endpoint)
    assert request.endpoint == endpoint
    assert request.blueprint == blueprint
    assert request.blueprints == blueprints


def test_request_routing_data_in_view(app: Erlen, client: t.Any) -> None:
    @app.route("/items/<int:id>")
    def item(id: int) -> dict[str, t.Any]:
        from erlen_context import request

        return {
            "endpoint": request.endpoint,
            "view_args": request.view_args,
            "rule": request.url_rule.rule,
            "blueprint": request.blueprint,
        }

    assert client.get("/items/4").get_json() == {
        "endpoint": "item",
        "view_args": {"id": 4},
        "rule": "/items/<int:id>",
        "blueprint": None,
    }


# -- Request: body limits ------------------------------------------------------------------


def test_limits_outside_app_are_werkzeug_defaults() -> None:
    request = make_request()
    assert request.max_content_length is None
    assert request.max_form_memory_size == 500_000
    assert request.max_form_parts == 1000
    request.max_content_length = 10
    request.max_form_memory_size = 20
    request.max_form_parts = 30
    assert (request.max_content_length, request.max_form_memory_size, request.max_form_parts) == (
        10,
        20,
        30,
    )


def test_limits_come_from_app_config(app: Erlen) -> None:
    app.config.update(MAX_CONTENT_LENGTH=100, MAX_FORM_MEMORY_SIZE=50, MAX_FORM_PARTS=5)
    with app.test_request_context():
        from erlen_context import request

        assert request.max_content_length == 100
        assert request.max_form_memory_size == 50
        assert request.max_form_parts == 5
        # config changes apply to requests already created
        app.config["MAX_FORM_PARTS"] = None
        assert request.max_form_parts is None
        # a value set on the request wins over the config
        request.max_content_length = 7
        assert request.max_content_length == 7


def test_max_content_length_enforced(app: Erlen, client: t.Any) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.post("/")
    def index() -> str:
        from erlen_context import request

        return str(len(request.get_data()))

    @app.post("/big")
    def big() -> str:
        from erlen_context import request

        request.max_content_length = 100
        return str(len(request.get_data()))

    assert client.post("/", data=b"x" * 10).data == b"10"
    assert client.post("/", data=b"x" * 11).status_code == 413
    assert client.post("/big", data=b"x" * 50).data == b"50"


def test_max_form_limits_enforced(app: Erlen, client: t.Any) -> None:
    # Werkzeug counts some multipart framing too, so the sizes keep a margin.
    app.config.update(MAX_FORM_MEMORY_SIZE=1000)

    @app.post("/")
    def index() -> str:
        from erlen_context import request

        return ",".join(sorted(request.form))

    def multipart(**fields: str) -> dict[str, t.Any]:
        return {**fields, "file": (io.BytesIO(b"f"), "f.txt")}

    assert client.post("/", data=multipart(a="x" * 500)).data == b"a"
    assert client.post("/", data=multipart(a="x" * 2000)).status_code == 413
    app.config["MAX_FORM_PARTS"] = 3
    assert client.post("/", data=multipart(a="1", b="2")).data == b"a,b"
    assert client.post("/", data=multipart(a="1", b="2", c="3")).status_code == 413


# -- Request: JSON -------------------------------------------------------------------------


def test_get_json_uses_app_provider(app: Erlen) -> None:
    class Provider(DefaultJSONProvider):
        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            return {"decoded by": "provider", "raw": super().loads(s, **kwargs)}

    app.json = Provider(app)
    assert Request.json_module is erlen_json
    with app.test_request_context(json=[1]):
        from erlen_context import request

        assert request.get_json() == {"decoded by": "provider", "raw": [1]}


def test_invalid_json_is_400(app: Erlen, client: t.Any) -> None:
    @app.post("/")
    def index() -> t.Any:
        from erlen_context import request

        return request.get_json()

    rv = client.post("/", data="{not json", content_type="application/json")
    assert rv.status_code == 400
    assert rv.data == BadRequest().get_body().encode()
    assert b"Expecting property name" not in rv.data


def test_invalid_json_in_debug_shows_error(app: Erlen) -> None:
    app.debug = True
    with app.test_request_context(data="{not json", content_type="application/json"):
        from erlen_context import request

        with pytest.raises(BadRequest) as exc_info:
            request.get_json()
    assert "Failed to decode JSON object" in str(exc_info.value.description)


def test_invalid_json_out_of_debug_is_the_standard_400(app: Erlen) -> None:
    with app.test_request_context(data="[", content_type="application/json"):
        from erlen_context import request

        with pytest.raises(BadRequest) as exc_info:
            request.get_json()
    assert exc_info.value.description == BadRequest.description
    assert isinstance(exc_info.value.__cause__, ValueError)


def test_invalid_json_without_app() -> None:
    request = make_request(data="[", content_type="application/json")
    with pytest.raises(BadRequest) as exc_info:
        request.get_json()
    assert exc_info.value.description == BadRequest.description


def test_json_wrong_content_type_is_415(app: Erlen) -> None:
    with app.test_request_context(data="[1]", content_type="text/plain"):
        from erlen_context import request

        with pytest.raises(UnsupportedMediaType):
            request.get_json()
        assert request.get_json(silent=True) is None
        assert request.get_json(force=True) == [1]


# -- Request: debug help for file uploads --------------------------------------------------


def test_files_key_error_explained_in_debug(app: Erlen) -> None:
    app.debug = True
    with app.test_request_context(method="POST", data={"upload": "name.txt"}):
        from erlen_context import request

        with pytest.raises(DebugFilesKeyError) as exc_info:
            request.files["upload"]
        assert "enctype" in str(exc_info.value)
        # keys missing from the form too raise a plain KeyError
        with pytest.raises(KeyError) as plain:
            request.files["other"]
        assert not isinstance(plain.value, DebugFilesKeyError)


def test_files_key_error_plain_outside_debug(app: Erlen) -> None:
    with app.test_request_context(method="POST", data={"upload": "name.txt"}):
        from erlen_context import request

        with pytest.raises(KeyError) as exc_info:
            request.files["upload"]
        assert not isinstance(exc_info.value, DebugFilesKeyError)


def test_files_not_touched_for_multipart_in_debug(app: Erlen) -> None:
    app.debug = True
    with app.test_request_context(
        method="POST", data={"upload": (io.BytesIO(b"x"), "x.txt"), "field": "v"}
    ):
        from erlen_context import request

        assert request.files["upload"].read() == b"x"
        with pytest.raises(KeyError) as exc_info:
            request.files["field"]
        assert not isinstance(exc_info.value, DebugFilesKeyError)


def test_form_loads_without_app() -> None:
    request = make_request(method="POST", data={"a": "b"})
    assert request.form["a"] == "b"
    with pytest.raises(KeyError):
        request.files["a"]


def _urlencoded(body: bytes) -> dict[str, t.Any]:
    return create_environ(
        method="POST",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.mark.parametrize(
    "body",
    [b"a=1&b=two+words&a=3&empty=&flag", b"k=%FF%41&%E9=v", b"caf\xe9=1", b"", b"x=%zz"],
    ids=["fields", "percent-encoded-bytes", "not-utf-8", "empty", "bad-escape"],
)
def test_urlencoded_forms_parse_as_in_werkzeug(body: bytes) -> None:
    ours = Request(_urlencoded(body))
    theirs = WerkzeugRequest(_urlencoded(body))
    assert list(ours.form.items(multi=True)) == list(theirs.form.items(multi=True))
    assert type(ours.form) is type(theirs.form)
    assert not ours.files and ours.stream.read() == b""


def test_a_urlencoded_body_read_first_is_still_the_form() -> None:
    request = Request(_urlencoded(b"a=1"))
    assert request.get_data() == b"a=1"
    assert request.form["a"] == "1"


def test_a_request_class_with_its_own_form_parser_is_asked() -> None:
    class Parser(FormDataParser):
        def parse(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            stream, form, files = super().parse(*args, **kwargs)
            form = self.cls([*form.items(multi=True), ("parsed", "here")])
            return stream, form, files

    class Custom(Request):
        form_data_parser_class = Parser

    assert Custom(_urlencoded(b"a=1")).form.to_dict() == {"a": "1", "parsed": "here"}


# -- Response ------------------------------------------------------------------------------


def test_response_defaults() -> None:
    response = Response("hello")
    assert response.mimetype == "text/html"
    assert response.content_type == "text/html; charset=utf-8"
    assert Response.json_module is erlen_json
    assert Response.autocorrect_location_header is False


def test_response_get_json_uses_json_module() -> None:
    response = Response('{"a": [1]}', mimetype="application/json")
    assert response.get_json() == {"a": [1]}
    assert response.json == {"a": [1]}


def test_relative_location_kept(app: Erlen, client: t.Any) -> None:
    @app.route("/")
    def index() -> Response:
        return Response("", status=302, headers={"Location": "/target"})

    assert client.get("/").headers["Location"] == "/target"


def test_max_cookie_size() -> None:
    assert Response().max_cookie_size == 4093


def test_max_cookie_size_from_config(app: Erlen) -> None:
    app.config["MAX_COOKIE_SIZE"] = 100
    with app.app_context():
        response = Response()
        assert response.max_cookie_size == 100
        with pytest.warns(UserWarning, match="cookie is too large"):
            response.set_cookie("big", "x" * 200)
        response.set_cookie("small", "x" * 10)
    app.config["MAX_COOKIE_SIZE"] = 0
    with app.app_context():
        Response().set_cookie("any", "x" * 5000)


def _serve(response: Response, method: str = "GET") -> tuple[t.Iterable[bytes], bytes]:
    environ = create_environ("/", method=method)
    body = response(environ, lambda status, headers, exc_info=None: None)
    try:
        return body, b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


def test_buffered_bytes_body_is_sent_as_a_list() -> None:
    body, data = _serve(Response(b"hello"))
    assert type(body) is list and data == b"hello"
    assert _serve(Response([b"a", b"b"]))[1] == b"ab"
    for method, status in [("HEAD", 200), ("GET", 204), ("GET", 304), ("GET", 101)]:
        assert _serve(Response(b"x", status=status), method)[0] == []


def test_bodies_that_need_werkzeugs_iterator_keep_it() -> None:
    closed: list[str] = []
    with_callback = Response(b"x")
    with_callback.call_on_close(lambda: closed.append("callback"))
    body, data = _serve(with_callback)
    assert type(body) is not list and data == b"x" and closed == ["callback"]

    class Closing(Response):
        def close(self) -> None:
            closed.append("subclass")
            super().close()

    assert _serve(Closing(b"y"))[1] == b"y" and closed[-1] == "subclass"
    assert _serve(Response(["text", b"bytes"]))[1] == b"textbytes"
    assert _serve(Response(iter([b"streamed"])))[1] == b"streamed"
    passthrough = Response([b"raw"], direct_passthrough=True)
    assert _serve(passthrough)[1] == b"raw"


def test_a_werkzeug_without_a_relied_on_detail_is_refused_at_import() -> None:
    import subprocess
    import sys

    code = (
        "import werkzeug.wrappers.request as r\ndel r.Request._load_form_data\nimport erlen_core\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("erlen_routing.internals.IncompatibleWerkzeug: erlen-core needs")
    assert "Request._load_form_data" in last and "werkzeug>=3.1.8,<3.2" in last


def test_the_installed_werkzeug_has_every_relied_on_detail() -> None:
    from erlen_core import wrappers

    wrappers.check_werkzeug()


def test_limits_are_settings_of_the_class_and_the_cookie_size_is_read_only(app: Erlen) -> None:
    from erlen_core.wrappers import Request
    from erlen_core.wrappers import Response

    assert Request.max_form_parts.key == "MAX_FORM_PARTS"
    assert Response().max_cookie_size == 4093  # Werkzeug's, outside an app context
    app.config["MAX_COOKIE_SIZE"] = 100
    with app.app_context():
        response = Response()
        assert response.max_cookie_size == 100
        with pytest.raises(AttributeError, match="MAX_COOKIE_SIZE config"):
            response.max_cookie_size = 5  # type: ignore[misc]
