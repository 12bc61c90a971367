"""Properties of the whole request path under arbitrary input (hypothesis).

Every request, however malformed, gets a well-formed HTTP answer from :func:`call`: never an
exception out of the WSGI callable (the app propagates exceptions, so an error in erlen's code
fails here with its traceback), never a 5xx, and a 4xx where the input is bad.
"""

from __future__ import annotations

import json
import os
import typing as t
from urllib.parse import quote
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from erlen_core import Erlen

from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import make_app
from .test_hostile_app import wsgi_text

#: Examples per property; set ERLEN_FUZZ_EXAMPLES to search longer locally.
fuzz = settings(
    max_examples=int(os.environ.get("ERLEN_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module", params=["production", "debug"])
def hostile(request: pytest.FixtureRequest) -> Erlen:
    if request.param == "debug":
        # Debug mode raises bad requests for the debugger by default; answer them here, to
        # check the debug-only code paths (enctype hints, detailed JSON errors) answer too.
        return make_app(DEBUG=True, TRAP_BAD_REQUEST_ERRORS=False)
    return make_app()


def _raw(strategy: st.SearchStrategy[t.Any]) -> st.SearchStrategy[str]:
    return strategy.map(wsgi_text)


_segments = st.one_of(
    st.sampled_from(
        [
            "",
            ".",
            "..",
            "...",
            "%2e%2e",
            "%252e%252e",
            "%2f",
            "%2F..",
            "%00",
            "\x00",
            "\\",
            "..\\..",
            "~",
            "files",
            "static",
            "item",
            "p",
            "num",
            "session",
            "json",
            "style.css",
            "etc",
            "passwd",
            "C:",
            "%",
            "%zz",
            "0",
            "-1",
            "1e999",
            "nan",
        ]
    ),
    _raw(st.text(max_size=12)),
    _raw(st.binary(max_size=12)),
    st.integers().map(str),
)
_paths = st.one_of(
    st.lists(_segments, max_size=8).map(lambda parts: "/" + "/".join(parts)),
    st.integers(min_value=1_000, max_value=70_000).map(lambda n: "/p/" + "a" * n),
    st.integers(min_value=10, max_value=5_000).map(lambda n: "/" + "../" * n),
)
_methods = st.one_of(
    st.sampled_from(
        ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]
    ),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_", min_size=1, max_size=12),
    _raw(st.text(min_size=1, max_size=8)),
)
_header_names = st.one_of(
    st.sampled_from(
        [
            "Host",
            "Cookie",
            "Accept",
            "Accept-Language",
            "Accept-Encoding",
            "User-Agent",
            "Authorization",
            "If-Modified-Since",
            "If-None-Match",
            "If-Range",
            "Range",
            "X-Forwarded-For",
            "X-Forwarded-Proto",
            "X-Forwarded-Host",
            "Content-Type",
            "Origin",
            "Referer",
            "Cache-Control",
            "Transfer-Encoding",
        ]
    ),
    st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True),
)
_header_values = st.one_of(
    _raw(st.text(max_size=40)),
    _raw(st.binary(max_size=40)),
    st.sampled_from(
        [
            "bytes=0-1",
            "bytes=9-1,abc",
            "Basic !!!",
            "Bearer",
            "*/*;q=abc",
            "en;q=2",
            "session=x.y.z",
            "\u00e9t\u00e9",
            'W/"a", *',
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "multipart/form-data",
            "application/json; charset=bogus",
            "gzip;q=-1",
        ]
    ),
    st.integers(min_value=5_000, max_value=100_000).map(lambda n: "x" * n),
)
# A header sent several times reaches the app joined with ", " by the server.
_header_value_lists = st.lists(_header_values, min_size=1, max_size=3).map(", ".join)
_headers = st.dictionaries(_header_names, _header_value_lists, max_size=6)
_queries = st.one_of(
    _raw(st.binary(max_size=60)),
    _raw(st.text(max_size=60)),
    st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=5).map(urlencode),
)


@fuzz
@given(path=_paths, method=_methods, query=_queries, headers=_headers)
def test_any_request_gets_a_well_formed_answer(
    hostile: Erlen, path: str, method: str, query: str, headers: dict[str, str]
) -> None:
    answer = call(hostile, environ(path, method, query=query, headers=headers))
    assert answer.status < 500, answer


_routed_paths = st.sampled_from(
    ["/", "/item/1", "/p/a", "/session", "/flash", "/stream", "/redirect", "/static/style.css"]
)


@fuzz
@given(path=_routed_paths, method=_methods, query=_queries, headers=_headers)
def test_routed_requests_parse_any_query_and_headers(
    hostile: Erlen, path: str, method: str, query: str, headers: dict[str, str]
) -> None:
    answer = call(hostile, environ(path, method, query=query, headers=headers))
    assert answer.status < 500, answer


@fuzz
@given(path=_paths)
def test_path_traversal_never_leaves_the_static_folder(hostile: Erlen, path: str) -> None:
    for prefix in ("/static", "/files"):
        answer = call(hostile, environ(prefix + path))
        assert answer.status in {200, 301, 308, 404, 405}, answer
        if answer.status == 200:
            # Only the folder's one file can come back.
            assert answer.body == b"body { color: red }\n"


@fuzz
@given(cookie=_header_value_lists, value=_raw(st.binary(max_size=200)))
def test_cookie_headers_never_break_sessions(hostile: Erlen, cookie: str, value: str) -> None:
    for header in (cookie, f"session={value}", f"session={value}; {cookie}"):
        answer = call(hostile, environ("/session", headers={"Cookie": header}))
        # An unreadable cookie is an empty session: counting restarts at 1.
        assert answer.status == 200 and answer.body == b"1", answer
        assert answer.header("Set-Cookie") is not None


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@fuzz
@given(value=_json_values)
def test_valid_json_bodies_round_trip(hostile: Erlen, value: t.Any) -> None:
    body = json.dumps(value).encode()
    answer = call(hostile, environ("/json", "POST", body=body, content_type="application/json"))
    assert answer.status == 200
    assert json.loads(answer.body) == {"json": value}


@fuzz
@given(
    body=st.one_of(
        st.binary(max_size=80),
        st.text(max_size=80).map(str.encode),
        st.integers(min_value=1, max_value=50_000).map(lambda n: b"[" * n),
        st.integers(min_value=1, max_value=50_000).map(lambda n: b'{"a":' * n),
    ),
    content_type=st.sampled_from(
        ["application/json", "application/json; charset=latin-1", "application/x+json"]
    ),
)
def test_malformed_json_bodies_are_400(hostile: Erlen, body: bytes, content_type: str) -> None:
    answer = call(hostile, environ("/json", "POST", body=body, content_type=content_type))
    try:
        expected = json.loads(body)
    except (ValueError, RecursionError):
        assert answer.status == 400, answer
        message = b"Failed to decode JSON" if hostile.debug else b"sent a request that this server"
        assert message in answer.body
    else:
        assert answer.status == 200 and json.loads(answer.body) == {"json": expected}


@fuzz
@given(body=st.binary(max_size=200), content_type=st.sampled_from(["text/plain", ""]))
def test_json_with_another_content_type_is_415(
    hostile: Erlen, body: bytes, content_type: str
) -> None:
    answer = call(hostile, environ("/json", "POST", body=body, content_type=content_type))
    assert answer.status == 415, answer


_fields = st.lists(st.tuples(st.text(max_size=20), st.text(max_size=40)), max_size=8)


@fuzz
@given(fields=_fields)
def test_urlencoded_forms_round_trip(hostile: Erlen, fields: list[tuple[str, str]]) -> None:
    body = urlencode(fields).encode()
    content_type = "application/x-www-form-urlencoded"
    answer = call(hostile, environ("/form", "POST", body=body, content_type=content_type))
    expected: dict[str, list[str]] = {}
    for name, value in fields:
        expected.setdefault(name, []).append(value)
    assert answer.status == 200 and json.loads(answer.body)["form"] == expected


def _multipart(fields: list[tuple[str, str]], boundary: str) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{quote(name)}"\r\n\r\n{value}\r\n'
        for name, value in fields
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


@fuzz
@given(
    fields=_fields,
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "multipart/form-data",
            "multipart/form-data; boundary=b",
            "multipart/form-data; boundary=",
            'multipart/form-data; boundary="\u00e9"',
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=bogus",
        ]
    ),
)
def test_any_form_body_is_handled(
    hostile: Erlen, fields: list[tuple[str, str]], body: bytes, content_type: str
) -> None:
    for data in (body, _multipart(fields, "b"), _multipart(fields, "b") + body):
        answer = call(hostile, environ("/form", "POST", body=data, content_type=content_type))
        assert answer.status in {200, 400, 413}, answer


_tag_like_keys = st.sampled_from(
    [" t", " di", " b", " m", " u", " d", " t__", " di__", "_permanent"]
)
_session_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.one_of(_tag_like_keys, st.text(max_size=8)), inner, max_size=3)
    ),
    max_leaves=12,
)


@fuzz
@given(value=_session_values)
def test_client_data_round_trips_through_the_session(hostile: Erlen, value: t.Any) -> None:
    # Keys that look like the serializer's tags (" t", " di", ...) must come back as sent.
    app = hostile
    body = json.dumps(value).encode()
    stored = call(
        app, environ("/session/store", "POST", body=body, content_type="application/json")
    )
    assert stored.status == 200
    set_cookie = stored.header("Set-Cookie")
    assert set_cookie is not None
    cookie = set_cookie.split(";", 1)[0]
    answer = call(app, environ("/session/read", headers={"Cookie": cookie}))
    assert json.loads(answer.body) == {"data": value}
