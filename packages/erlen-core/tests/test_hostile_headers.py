"""Hostile headers: CR/LF injection is refused before anything is sent, spoofed hosts are
refused under ``TRUSTED_HOSTS`` (also through a proxy), and raw query bytes never fail a request.
"""

from __future__ import annotations

import logging
import typing as t
from urllib.parse import quote

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from erlen_context.globals import request
from erlen_core import Erlen
from erlen_core import Request
from erlen_core import Response
from erlen_core.helpers import make_response
from erlen_core.helpers import redirect
from erlen_core.helpers import url_for

from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import make_app
from .test_hostile_app import wsgi_text

INJECTIONS = [
    "/next\r\nSet-Cookie: admin=1",
    "/next\nSet-Cookie: admin=1",
    "/next\rSet-Cookie: admin=1",
    "http://example.com/\r\n\r\n<script>alert(1)</script>",
]


def _injecting_app(**config: t.Any) -> Erlen:
    app = make_app(**config)

    @app.route("/go")
    def go() -> t.Any:
        return redirect(request.args["next"])

    @app.route("/echo-header")
    def echo_header() -> t.Any:
        return "ok", {"X-Echo": request.args["v"]}

    @app.route("/echo-status")
    def echo_status() -> t.Any:
        return "ok", request.args["v"]

    @app.route("/echo-name")
    def echo_name() -> t.Any:
        return "ok", {request.args["v"]: "1"}

    @app.route("/echo-name-late")
    def echo_name_late() -> t.Any:
        return "ok"

    @app.after_request
    def add_late_header(response: Response) -> Response:
        if request.endpoint == "echo_name_late":
            response.headers[request.args["v"]] = "1"
        return response

    @app.route("/echo-cookie")
    def echo_cookie() -> t.Any:
        response = make_response("ok")
        response.set_cookie("echo", request.args["v"])
        return response

    return app


@pytest.mark.parametrize("target", INJECTIONS)
def test_crlf_in_redirect_target_is_refused(target: str) -> None:
    app = _injecting_app()
    with pytest.raises(ValueError, match="newline"):
        app.test_client().get("/go", query_string={"next": target})


@pytest.mark.parametrize("value", INJECTIONS)
def test_crlf_in_header_value_is_refused(value: str) -> None:
    app = _injecting_app()
    with pytest.raises(ValueError, match="newline"):
        app.test_client().get("/echo-header", query_string={"v": value})


NAME_INJECTIONS = ["X-A\r\nSet-Cookie", "X-A\nSet-Cookie", "X-A\r", "X A", "X:A", "", "X-é"]


@pytest.mark.parametrize("path", ["/echo-name", "/echo-name-late"])
@pytest.mark.parametrize("name", NAME_INJECTIONS)
def test_invalid_header_name_is_refused(path: str, name: str) -> None:
    # Werkzeug checks header values but passes any name on.
    app = _injecting_app()
    with pytest.raises(ValueError, match="Invalid response header name"):
        app.test_client().get(path, query_string={"v": name})


@pytest.mark.parametrize("name", ["X-Request-ID", "x_custom", "Content-MD5", "X~!#$%&'*+.^`|"])
def test_token_header_names_are_kept(name: str) -> None:
    answer = call(_injecting_app(), environ("/echo-name", query=f"v={quote(name)}"))
    assert answer.status == 200
    assert answer.header(name) == "1"


@pytest.mark.parametrize("value", ["200 OK\r\nSet-Cookie: admin=1", "200 OK\nX: 1", "404\r"])
def test_crlf_in_status_line_is_refused(value: str) -> None:
    # Werkzeug alone sends such a status line as given: a split response.
    app = _injecting_app()
    with pytest.raises(ValueError, match="newline"):
        app.test_client().get("/echo-status", query_string={"v": value})
    with pytest.raises(ValueError, match="newline"):
        Response("x", status=value)


@pytest.mark.parametrize("value", ["201 Made", "404", "299 Custom reason"])
def test_status_lines_without_line_breaks_are_kept(value: str) -> None:
    answer = call(_injecting_app(), environ("/echo-status", query=f"v={quote(value)}"))
    assert f"{answer.status} {answer.reason}".startswith(value)


@pytest.mark.parametrize("value", INJECTIONS + ["a; Domain=evil.com", 'a"; Secure'])
def test_cookie_values_are_quoted_not_injected(value: str) -> None:
    answer = call(_injecting_app(), environ("/echo-cookie", query=f"v={quote(value)}"))
    cookies = [v for k, v in answer.headers if k == "Set-Cookie"]
    assert len(cookies) == 1
    assert "Domain" not in cookies[0].split(";", 1)[1]
    assert "admin" not in cookies[0].split(";", 1)[1]


@pytest.mark.parametrize("path", ["/go", "/echo-header", "/echo-status", "/echo-name"])
def test_crlf_refusal_in_production_sends_no_injected_header(
    path: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = _injecting_app(PROPAGATE_EXCEPTIONS=False)
    query = "next=/x%0d%0aSet-Cookie:%20admin=1&v=200%20a%0d%0aSet-Cookie:%20admin=1"
    if path == "/echo-name":
        query = "v=X-A%0d%0aSet-Cookie:%20admin=1"
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        answer = call(app, environ(path, query=query))
    # The app's own mistake (passing client text to a header) is a logged 500, not a split
    # response: the injected header never reaches the wire.
    assert answer.status == 500
    assert answer.header("Set-Cookie") is None
    assert b"admin" not in answer.body
    reason = "Invalid response header name" if path == "/echo-name" else "newline"
    assert reason in caplog.text


def test_redirect_percent_encodes_non_ascii() -> None:
    app = _injecting_app()
    rv = app.test_client().get("/go", query_string={"next": "/caf\u00e9 bar"})
    assert rv.headers["Location"] == "/caf%C3%A9%20bar"


TRUSTED = ["example.com", ".example.org"]


@pytest.mark.parametrize(
    "host",
    [
        "evil.com",
        "example.com.evil.com",
        "evilexample.com",
        "example.org.evil.com",
        "example.com@evil.com",
        "[::1]",
        "",
        "\u00e9xample.com",
    ],
)
def test_untrusted_host_is_refused(host: str) -> None:
    app = make_app(TRUSTED_HOSTS=TRUSTED)
    answer = call(app, environ("/", headers={"Host": wsgi_text(host)}))
    assert answer.status == 400, answer
    assert b"is not trusted" in answer.body


@pytest.mark.parametrize("host", ["example.com", "example.com:8080", "a.example.org"])
def test_trusted_host_is_served(host: str) -> None:
    app = make_app(TRUSTED_HOSTS=TRUSTED)
    answer = call(app, environ("/", headers={"Host": host}))
    assert answer.status == 200
    assert f'"host":"{host}"'.encode() in answer.body


def test_spoofed_forwarded_host_is_refused_behind_proxy_fix() -> None:
    app = make_app(TRUSTED_HOSTS=TRUSTED)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_host=1)  # type: ignore[method-assign]
    headers = {"Host": "example.com", "X-Forwarded-Host": "evil.com"}
    assert call(app, environ("/", headers=headers)).status == 400
    headers["X-Forwarded-Host"] = "a.example.org"
    assert call(app, environ("/", headers=headers)).status == 200


def test_forwarded_headers_are_ignored_without_proxy_fix() -> None:
    app = make_app()

    @app.route("/where")
    def where() -> dict[str, t.Any]:
        return {"url": url_for("where", _external=True), "remote": request.remote_addr}

    headers = {
        "X-Forwarded-Host": "evil.com",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "1.2.3.4",
    }
    answer = call(app, environ("/where", headers=headers))
    assert b"evil" not in answer.body and b"https" not in answer.body
    assert b"1.2.3.4" not in answer.body


def test_server_name_alone_does_not_refuse_hosts_trusted_hosts_does() -> None:
    app = make_app(SERVER_NAME="example.com")
    with app.app_context():
        assert url_for("index", _external=True) == "http://example.com/"
    # As in Flask 3.1, SERVER_NAME builds URLs but does not restrict requests...
    assert call(app, environ("/", headers={"Host": "evil.com"})).status == 200
    # ...TRUSTED_HOSTS does.
    app.config["TRUSTED_HOSTS"] = ["example.com"]
    assert call(app, environ("/", headers={"Host": "evil.com"})).status == 400
    assert call(app, environ("/", headers={"Host": "example.com"})).status == 200


@pytest.mark.parametrize(
    "query",
    [wsgi_text(b"a=\xe9"), wsgi_text(b"\xff\xfe=1"), "a=%ff", wsgi_text(b"a=\xc3")],
)
def test_raw_invalid_utf8_query_stays_percent_encoded(query: str) -> None:
    answer = call(make_app(), environ("/", query=query))
    assert answer.status == 200
    assert b"%" in answer.body and b"\\ufffd" not in answer.body


def test_raw_utf8_query_is_decoded() -> None:
    answer = call(make_app(), environ("/", query=wsgi_text("q=caf\u00e9")))
    assert '"args":{"q":["caf\\u00e9"]}' in answer.body.decode()
    assert '"full_path":"/?q=caf\\u00e9"' in answer.body.decode()


def test_oversized_and_duplicated_headers_are_parsed() -> None:
    app = make_app()
    headers = {
        "Accept": ", ".join(["text/html;q=0.1"] * 2_000),
        "Cookie": "; ".join(f"c{i}={'v' * 50}" for i in range(500)),
        "User-Agent": "u" * 100_000,
        "X-Forwarded-For": ", ".join(["1.1.1.1"] * 1_000),
    }
    answer = call(app, environ("/", headers=headers))
    assert answer.status == 200


def test_request_outside_an_app_reads_raw_query_bytes() -> None:
    req = Request(environ("/x", query=wsgi_text(b"a=\xe9&b=%ff&c=caf\xc3\xa9")))
    assert req.args.to_dict() == {"a": "%E9", "b": "%FF", "c": "caf\u00e9"}
    assert req.full_path == "/x?a=%E9&b=%ff&c=caf\u00e9"
