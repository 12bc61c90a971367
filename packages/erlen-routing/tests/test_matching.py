"""erlen_routing.Map matches exactly as werkzeug's own Map: same rule, values and errors."""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map as WerkzeugMap
from werkzeug.routing import RequestRedirect
from werkzeug.routing import Rule
from werkzeug.routing import ValidationError
from werkzeug.routing.converters import BaseConverter

from erlen_routing import Map
from erlen_routing import Router
from erlen_routing.adapters import derive_adapter
from erlen_routing.matching import RequestAdapter

SEGMENTS = ["a", "b", "users", "", "x.y", "é"]
CONVERTERS = ["<int:n>", "<name>", "<path:rest>", "<float:f>", "<any(a, b):which>", "<uuid:u>"]
PATHS = st.lists(
    st.sampled_from(["a", "b", "users", "", "12", "3.5", "x.y", "é", "a/b", "c", "-1"]),
    max_size=5,
).map(lambda parts: "/" + "/".join(parts))


class EvenConverter(BaseConverter):
    """Refuses odd numbers in to_python, after the pattern matched."""

    regex = r"\d+"

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise ValidationError()
        return int(value)


@st.composite
def rule_specs(draw: st.DrawFn) -> list[dict[str, t.Any]]:
    specs = []
    for index in range(draw(st.integers(1, 8))):
        parts = draw(
            st.lists(st.sampled_from(SEGMENTS + CONVERTERS + ["<even:e>"]), min_size=0, max_size=3)
        )
        names: set[str] = set()
        kept = []
        for part in parts:
            # A rule may use each variable name once.
            if part.startswith("<") and part in names:
                continue
            names.add(part)
            kept.append(part)
        rule = "/" + "/".join(kept)
        if draw(st.booleans()) and not rule.endswith("/"):
            rule += "/"
        websocket = draw(st.booleans()) and not draw(st.booleans())
        # WebSocket rules only take GET (and HEAD, OPTIONS).
        methods = [None, ["GET"]] if websocket else [None, ["GET"], ["POST"], ["GET", "PUT"]]
        specs.append(
            {
                "string": rule,
                "endpoint": f"e{index}",
                "methods": draw(st.sampled_from(methods)),
                "strict_slashes": draw(st.sampled_from([None, False])),
                "merge_slashes": draw(st.sampled_from([None, False])),
                "websocket": websocket,
            }
        )
    return specs


def _maps(specs: list[dict[str, t.Any]], **options: t.Any) -> tuple[WerkzeugMap, Map]:
    def rules() -> list[Rule]:
        return [Rule(**spec) for spec in specs]

    converters = {"even": EvenConverter}
    return (
        WerkzeugMap(rules(), converters=converters, **options),
        Map(rules(), converters=converters, **options),
    )


def _outcome(map_: WerkzeugMap, path: str, method: str, scheme: str) -> t.Any:
    adapter = map_.bind("example.test", url_scheme=scheme)
    try:
        endpoint, values = adapter.match(path, method)
    except RequestRedirect as e:
        return "redirect", e.new_url
    except HTTPException as e:
        return type(e).__name__, sorted(getattr(e, "valid_methods", None) or [])
    return endpoint, values


@settings(max_examples=300, deadline=None)
@given(
    specs=rule_specs(),
    paths=st.lists(PATHS, min_size=1, max_size=6),
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD"]),
    scheme=st.sampled_from(["http", "ws"]),
    merge_slashes=st.booleans(),
    strict_slashes=st.booleans(),
)
def test_matches_like_werkzeug(
    specs: list[dict[str, t.Any]],
    paths: list[str],
    method: str,
    scheme: str,
    merge_slashes: bool,
    strict_slashes: bool,
) -> None:
    theirs, ours = _maps(specs, merge_slashes=merge_slashes, strict_slashes=strict_slashes)
    for path in paths + [p + "/" for p in paths] + [p.replace("/", "//") for p in paths]:
        assert _outcome(ours, path, method, scheme) == _outcome(theirs, path, method, scheme)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/files/a/b.txt", ("file", {"rest": "a/b.txt"})),
        ("/files/a/b/", ("file", {"rest": "a/b/"})),
        ("/n/4", ("even", {"e": 4})),
        ("/n/3", ("NotFound", [])),
        ("/dir", ("redirect", "http://example.test/dir/")),
        ("/loose/", ("loose", {})),
        ("//dir//", ("redirect", "http://example.test/dir/")),
        ("/alias", ("redirect", "http://example.test/target")),
        ("/post", ("MethodNotAllowed", ["POST"])),
    ],
)
def test_examples(path: str, expected: t.Any) -> None:
    specs = [
        {"string": "/files/<path:rest>", "endpoint": "file"},
        {"string": "/n/<even:e>", "endpoint": "even"},
        {"string": "/dir/", "endpoint": "dir"},
        {"string": "/loose", "endpoint": "loose", "strict_slashes": False},
        {"string": "/target", "endpoint": "page"},
        {"string": "/alias", "endpoint": "page", "alias": True},
        {"string": "/post", "endpoint": "post", "methods": ["POST"]},
    ]
    theirs, ours = _maps(specs)
    assert _outcome(ours, path, "GET", "http") == expected
    assert _outcome(theirs, path, "GET", "http") == expected


def test_rules_added_later_and_in_the_constructor_match() -> None:
    url_map = Map([Rule("/a/<int:n>", endpoint="a")])
    url_map.add(Rule("/b/<int:n>", endpoint="b"))
    adapter = url_map.bind("example.test")
    assert adapter.match("/a/1") == ("a", {"n": 1})
    assert adapter.match("/b/2") == ("b", {"n": 2})
    assert url_map.merge_slashes is True


def test_merge_slashes_can_be_turned_off_after_creation() -> None:
    url_map = Map([Rule("/a/b", endpoint="ab")])
    url_map.merge_slashes = False
    with pytest.raises(HTTPException) as caught:
        url_map.bind("example.test").match("/a//b")
    assert caught.value.code == 404


def test_host_matching_uses_the_host_as_first_part() -> None:
    rules = [Rule("/", endpoint="a", host="a.test"), Rule("/", endpoint="b", host="<h>.test")]
    url_map = Map(rules, host_matching=True)
    assert url_map.bind("a.test").match("/") == ("a", {})
    assert url_map.bind("zz.test").match("/") == ("b", {"h": "zz"})


def test_router_and_apps_use_it() -> None:
    assert isinstance(Router().url_map, Map)


def _request_outcome(map_: Map, path: str, method: str, scheme: str) -> t.Any:
    """:func:`_outcome` through the adapter a factory hands out for one request."""
    template = map_.bind("example.test", url_scheme=scheme)
    adapter = derive_adapter(template, path, method, "q=1")
    assert type(adapter) is RequestAdapter
    try:
        endpoint, values = adapter.match()
    except RequestRedirect as e:
        return "redirect", e.new_url
    except HTTPException as e:
        return type(e).__name__, sorted(getattr(e, "valid_methods", None) or [])
    return endpoint, values


def _werkzeug_request_outcome(map_: WerkzeugMap, path: str, method: str, scheme: str) -> t.Any:
    adapter = map_.bind("example.test", url_scheme=scheme, path_info=path, default_method=method)
    adapter.query_args = "q=1"
    try:
        endpoint, values = adapter.match()
    except RequestRedirect as e:
        return "redirect", e.new_url
    except HTTPException as e:
        return type(e).__name__, sorted(getattr(e, "valid_methods", None) or [])
    return endpoint, values


@settings(max_examples=200, deadline=None)
@given(
    specs=rule_specs(),
    paths=st.lists(PATHS, min_size=1, max_size=6),
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD", "get"]),
    scheme=st.sampled_from(["http", "ws"]),
    merge_slashes=st.booleans(),
)
def test_request_adapters_match_like_werkzeug(
    specs: list[dict[str, t.Any]], paths: list[str], method: str, scheme: str, merge_slashes: bool
) -> None:
    theirs, ours = _maps(specs, merge_slashes=merge_slashes)
    for path in paths + [p + "/" for p in paths] + [p.replace("/", "//") for p in paths]:
        expected = _werkzeug_request_outcome(theirs, path, method, scheme)
        assert _request_outcome(ours, path, method, scheme) == expected


def _redirecting_rules() -> list[Rule]:
    return [
        Rule("/page/", defaults={"n": 1}, endpoint="page"),
        Rule("/page/<int:n>", endpoint="page"),
        Rule("/old", redirect_to="/new", endpoint="old"),
        Rule("/moved/<int:n>", redirect_to=lambda adapter, n: f"/page/{n}", endpoint="moved"),
        Rule("/canonical", endpoint="same"),
        Rule("/alias", endpoint="same", alias=True),
        Rule("/static", endpoint="static", defaults={"kind": "plain"}),
        Rule("/socket", endpoint="socket", websocket=True),
        Rule("/only-get", endpoint="only-get", methods=["GET"]),
    ]


@pytest.mark.parametrize(
    "path",
    ["/page/1", "/page/2", "/page/", "/old", "/moved/3", "/alias", "/canonical", "/static"]
    + ["/socket", "/only-get", "/missing", "/page"],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_request_adapters_redirect_like_werkzeug(path: str, method: str) -> None:
    theirs = WerkzeugMap(_redirecting_rules())
    ours = Map(_redirecting_rules())
    for scheme in ("http", "ws"):
        expected = _werkzeug_request_outcome(theirs, path, method, scheme)
        assert _request_outcome(ours, path, method, scheme) == expected


def test_request_adapters_match_explicit_arguments_and_endpoints() -> None:
    ours = Map(_redirecting_rules())
    adapter = derive_adapter(ours.bind("example.test"), "/missing", "POST", None)
    rule, values = adapter.match("/static", "get", return_rule=True)
    assert (rule.endpoint, values) == ("static", {"kind": "plain"})
    assert adapter.match("/page/4") == ("page", {"n": 4})
    assert adapter.match("/socket", websocket=True) == ("socket", {})


def test_static_paths_are_looked_up_in_a_table() -> None:
    url_map = Map([Rule("/a/b", endpoint="ab"), Rule("/a/<x>", endpoint="ax")])
    url_map.update()
    table = url_map._matcher._static  # type: ignore[attr-defined]
    assert set(table[""]) == {"/a/b"}
    url_map.add(Rule("/c", endpoint="c"))
    assert url_map.bind("example.test").match("/c") == ("c", {})
    assert set(url_map._matcher._static[""]) == {"/a/b", "/c"}  # type: ignore[attr-defined]


def test_request_adapters_keep_given_query_arguments_on_default_redirects() -> None:
    adapter = derive_adapter(Map(_redirecting_rules()).bind("example.test"), "/", "GET", None)
    with pytest.raises(RequestRedirect) as redirect:
        adapter.match("/page/1", query_args="x=1")
    assert redirect.value.new_url == "http://example.test/page/?x=1"
