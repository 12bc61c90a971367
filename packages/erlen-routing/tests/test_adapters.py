"""AdapterFactory hands out what Map.bind_to_environ would, from a bounded cache."""

from __future__ import annotations

import typing as t
import warnings

import flask
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.exceptions import BadHost
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.routing import Rule
from werkzeug.test import create_environ
from werkzeug.wrappers import Request

from erlen_routing import AdapterFactory
from erlen_routing import Map as ErlenMap
from erlen_routing import request_binding
from erlen_routing.adapters import INVALID_SUBDOMAIN


def subdomain_map(default_subdomain: str = "", map_class: type[Map] = Map) -> Map:
    return map_class(
        [
            Rule("/", endpoint="index"),
            Rule("/u/<int:id>", endpoint="user"),
            Rule("/dir/", endpoint="dir"),
            Rule("/post", endpoint="post", methods=["POST"]),
            Rule("/café", endpoint="cafe"),
            Rule("/", subdomain="api", endpoint="api"),
            Rule("/<path:p>", subdomain="<sub>", endpoint="any_sub"),
            Rule("/ws", endpoint="ws", websocket=True),
        ],
        default_subdomain=default_subdomain,
    )


def host_map(map_class: type[Map] = Map) -> Map:
    return map_class(
        [
            Rule("/", host="example.com", endpoint="index"),
            Rule("/dir/", host="example.com", endpoint="dir"),
            Rule("/", host="<sub>.example.com", endpoint="sub"),
            Rule("/u/<int:id>", host="<name>", endpoint="user"),
        ],
        host_matching=True,
    )


# One factory per map for the whole module: the cache fills across examples, so a key that
# forgot some input would hand one request another's binding and fail the comparison.
MAPS = [subdomain_map(), subdomain_map("www"), host_map()]
FACTORIES = [AdapterFactory(m, maxsize=64) for m in MAPS]
#: The same maps as erlen maps, whose adapters match with erlen's matcher.
ERLEN_FACTORIES = [
    AdapterFactory(m, maxsize=64)
    for m in (subdomain_map("", ErlenMap), subdomain_map("www", ErlenMap), host_map(ErlenMap))
]

LONG_LABEL = "a" * 64 + ".com"

environs = st.fixed_dictionaries(
    {
        "wsgi.url_scheme": st.sampled_from(["http", "https"]),
        "REQUEST_METHOD": st.sampled_from(["GET", "POST", "HEAD", "OPTIONS"]),
    },
    optional={
        "SERVER_NAME": st.sampled_from(["localhost", "::1", "/tmp/app.sock", "example.com"]),
        "SERVER_PORT": st.sampled_from(["80", "443", "8080", ""]),
        "HTTP_HOST": st.sampled_from(
            [
                "example.com",
                "Example.COM:80",
                "example.com:443",
                "api.example.com",
                "a.b.example.com:8080",
                "www.example.com",
                "127.0.0.1:5000",
                "[::1]:80",
                "other.test",
                "bad host",
                "example.com:99999",
                "",
                LONG_LABEL,
            ]
        ),
        "HTTP_UPGRADE": st.sampled_from(["websocket", "WebSocket", "h2c"]),
        "HTTP_CONNECTION": st.sampled_from(["Upgrade", "keep-alive, upgrade", "close"]),
        "SCRIPT_NAME": st.sampled_from(["", "/app", "/app/", "/caf\xc3\xa9"]),
        "PATH_INFO": st.sampled_from(["/", "/u/3", "/u/x", "/dir", "/post", "/caf\xc3\xa9", "/ws"]),
        "QUERY_STRING": st.sampled_from(["", "a=1&b=%20", "q=\xc3\xa9"]),
    },
)
server_names = st.sampled_from(
    [None, "example.com", "EXAMPLE.com:80", "example.com:443", LONG_LABEL]
)
subdomains = st.sampled_from([None, "", "api", INVALID_SUBDOMAIN])


def outcome(
    bind: t.Callable[[], MapAdapter],
) -> tuple[t.Any, t.Any, list[str]]:
    """What binding and then matching the request gives: adapter state or error, match
    result or error, and the warnings emitted."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        try:
            adapter = bind()
        except (BadHost, RuntimeError) as error:
            return (type(error), str(error)), None, [str(w.message) for w in record]
    state = dict(vars(adapter))
    try:
        matched: t.Any = adapter.match()
    except RequestRedirect as redirect:
        matched = ("redirect", redirect.new_url)
    except HTTPException as error:
        matched = (type(error), sorted(getattr(error, "valid_methods", None) or ()))
    return state, matched, [str(w.message) for w in record]


@settings(max_examples=400, deadline=None)
@given(
    index=st.integers(0, len(MAPS) - 1),
    environ=environs,
    server_name=server_names,
    subdomain=subdomains,
)
def test_same_as_bind_to_environ(
    index: int, environ: dict[str, t.Any], server_name: str | None, subdomain: str | None
) -> None:
    url_map, factory = MAPS[index], FACTORIES[index]
    expected = outcome(lambda: url_map.bind_to_environ(environ, server_name, subdomain))
    # Twice: once filling the cache, once from it.
    for _ in range(2):
        assert outcome(lambda: factory.for_environ(environ, server_name, subdomain)) == expected


def test_accepts_request_objects() -> None:
    factory = AdapterFactory(subdomain_map())
    request = Request(create_environ("/u/5", "http://example.com/"))
    assert factory.for_environ(request).match() == ("user", {"id": 5})


def test_binds_once_per_host() -> None:
    url_map = subdomain_map()
    calls: list[tuple[t.Any, ...]] = []
    bind = url_map.bind

    def counting_bind(*args: t.Any, **kwargs: t.Any) -> MapAdapter:
        calls.append(args)
        return bind(*args, **kwargs)

    url_map.bind = counting_bind  # type: ignore[method-assign]
    factory = AdapterFactory(url_map)
    for path in ["/", "/u/1", "/u/2", "/dir/"]:
        factory.for_environ(create_environ(path, "http://example.com/"))
    factory.for_environ(create_environ("/", "http://api.example.com/"))
    assert len(calls) == 2
    assert factory.cache_info().hits == 3


def test_each_request_gets_its_own_adapter() -> None:
    factory = AdapterFactory(subdomain_map())
    first = factory.for_environ(create_environ("/u/1", "http://example.com/"))
    second = factory.for_environ(create_environ("/dir/?x=1", "http://example.com/", method="POST"))
    assert first is not second
    first.path_info = "/changed"
    assert (second.path_info, second.default_method, second.query_args) == ("/dir/", "POST", "x=1")
    assert first.match("/u/1") == ("user", {"id": 1})


def test_cache_is_bounded_by_maxsize() -> None:
    factory = AdapterFactory(subdomain_map(), maxsize=3)
    for number in range(20):
        factory.for_environ(create_environ("/", f"http://host{number}.test/"))
    assert factory.cache_info().currsize == 3
    factory.cache_clear()
    assert factory.cache_info().currsize == 0


def test_rules_added_later_are_matched() -> None:
    url_map = Map([Rule("/", endpoint="index")])
    factory = AdapterFactory(url_map)
    environ = create_environ("/late", "http://example.com/")
    with pytest.raises(HTTPException):
        factory.for_environ(environ).match()
    url_map.add(Rule("/late", endpoint="late"))
    assert factory.for_environ(environ).match() == ("late", {})


def test_map_settings_are_part_of_the_key() -> None:
    url_map = subdomain_map()
    factory = AdapterFactory(url_map)
    environ = create_environ("/", "http://example.com/")
    assert factory.for_environ(environ).subdomain == ""
    url_map.default_subdomain = "api"
    assert factory.for_environ(environ, subdomain=None, server_name="example.com").subdomain == ""
    assert factory.bind("example.com").subdomain == "api"


def test_strict_slash_redirect_keeps_query_string() -> None:
    factory = AdapterFactory(subdomain_map())
    adapter = factory.for_environ(create_environ("/dir?a=1&b=2", "https://example.com/"))
    with pytest.raises(RequestRedirect) as info:
        adapter.match()
    assert info.value.new_url == "https://example.com/dir/?a=1&b=2"


def test_mismatched_server_name_warns_every_time_from_the_caller() -> None:
    factory = AdapterFactory(subdomain_map())
    environ = create_environ("/", "http://127.0.0.1:5000/")
    for _ in range(2):
        with pytest.warns(UserWarning, match="Current server name '127.0.0.1:5000'") as record:
            adapter = factory.for_request(environ, "example.com", subdomain_matching=True)
        assert record[0].filename == __file__
        assert adapter.subdomain == INVALID_SUBDOMAIN
        with pytest.raises(HTTPException) as info:
            adapter.match()
        assert info.value.code == 404


@pytest.mark.parametrize("use_host", [False, True])
def test_warning_module_names_the_module_filters_see(use_host: bool) -> None:
    factory = AdapterFactory(subdomain_map(), warning_module="someapp.core")

    def mismatch() -> None:
        if use_host:
            factory.for_host("other.test", server_name="example.com")
        else:
            environ = create_environ("/", "http://127.0.0.1:5000/")
            factory.for_request(environ, "example.com", subdomain_matching=True)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Current server name", UserWarning, "someapp\\.core")
        mismatch()  # filtered by the module name it was given: nothing raised
    with pytest.warns(UserWarning, match="doesn't match") as record:
        mismatch()
    assert record[0].filename == __file__  # still points at the caller's line


def test_for_host_mirrors_a_host_header() -> None:
    factory = AdapterFactory(subdomain_map())
    adapter = factory.for_host("API.example.com:80", "/", server_name="example.com")
    assert (adapter.server_name, adapter.subdomain) == ("example.com", "api")
    assert adapter.match() == ("api", {})
    with pytest.warns(UserWarning, match="doesn't match") as record:
        factory.for_host("other.test", server_name="example.com")
    assert record[0].filename == __file__


def test_bind_returns_fresh_copies() -> None:
    factory = AdapterFactory(subdomain_map())
    first = factory.bind("example.com", "/app", url_scheme="https")
    second = factory.bind("example.com", "/app", url_scheme="https")
    assert first is not second
    assert vars(first) == vars(subdomain_map().bind("x", "/app")) | {
        "map": first.map,
        "server_name": "example.com",
        "url_scheme": "https",
    }
    assert first.build("user", {"id": 2}, force_external=True) == "https://example.com/app/u/2"


def test_adapter_subclasses_are_copied_whole() -> None:
    class TaggedAdapter(MapAdapter):
        tag = "none"

    class TaggedMap(Map):
        def bind(self, *args: t.Any, **kwargs: t.Any) -> MapAdapter:
            plain = super().bind(*args, **kwargs)
            adapter = TaggedAdapter.__new__(TaggedAdapter)
            adapter.__dict__.update(vars(plain), tag="bound")
            return adapter

    factory = AdapterFactory(TaggedMap([Rule("/", endpoint="index")]))
    adapter = factory.for_environ(create_environ("/?q=1", "http://example.com/"))
    assert isinstance(adapter, TaggedAdapter)
    assert (adapter.tag, adapter.query_args, adapter.match()) == ("bound", "q=1", ("index", {}))


@pytest.mark.parametrize("host_matching", [False, True])
@pytest.mark.parametrize("subdomain_matching", [False, True])
@pytest.mark.parametrize("server_name", [None, "example.test", "example.test:80"])
@pytest.mark.parametrize(
    "base_url", ["http://example.test", "http://abc.example.test", "https://xyz.other.test:8443"]
)
def test_for_request_same_as_flask(
    host_matching: bool, subdomain_matching: bool, server_name: str | None, base_url: str
) -> None:
    app = flask.Flask(
        __name__,
        host_matching=host_matching,
        subdomain_matching=subdomain_matching,
        static_host="example.test" if host_matching else None,
    )
    app.config["SERVER_NAME"] = server_name
    environ = create_environ("/static/x.css?v=1", base_url)
    with warnings.catch_warnings(record=True) as flask_record:
        warnings.simplefilter("always")
        expected = app.create_url_adapter(Request(environ))
    factory = AdapterFactory(app.url_map)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        got = factory.for_request(environ, server_name, subdomain_matching)
    assert vars(got) == vars(expected)
    assert [str(w.message) for w in record] == [str(w.message) for w in flask_record]


def test_request_binding_rules() -> None:
    assert request_binding(Map(host_matching=True), "example.test", True) == (None, None)
    assert request_binding(Map(default_subdomain="www"), "a.test", False) == ("a.test", "www")
    assert request_binding(Map(), None, False) == (None, "")
    assert request_binding(Map(), "a.test", True) == ("a.test", None)


@pytest.mark.parametrize("host", ["\x8a", "caf\u00e9\x8a.example", "a" * 64 + ".example"])
def test_a_host_header_no_host_name_can_be_is_400(host: str) -> None:
    factory = AdapterFactory(Map([Rule("/", endpoint="index")]))
    environ = create_environ("/")
    environ["HTTP_HOST"] = host
    with pytest.raises(BadHost):
        factory.for_request(environ)


@pytest.mark.parametrize(
    "host", ["example.com", "EXAMPLE.com:8080", "127.0.0.1", "[::1]:5000", "ąśźäüжŠßя.com"]
)
def test_host_names_and_addresses_bind(host: str) -> None:
    factory = AdapterFactory(Map([Rule("/", endpoint="index")]))
    environ = create_environ("/")
    environ["HTTP_HOST"] = host
    assert factory.for_request(environ).match() == ("index", {})


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(MAPS) - 1), environ=environs, server_name=server_names)
@pytest.mark.parametrize("factories", [FACTORIES, ERLEN_FACTORIES], ids=["werkzeug", "erlen"])
def test_request_routes_match_as_their_adapters(
    factories: list[AdapterFactory], index: int, environ: dict[str, t.Any], server_name: str | None
) -> None:
    factory = factories[index]
    request = Request(environ)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            adapter = factory.for_request(request, server_name, True)
        except BadHost:
            return
    route = factory.request_route(environ, server_name, True)
    assert route == factory.request_route(request, server_name, True)
    if route.warning is not None:
        return
    assert dict(vars(route.request_adapter(request))) == dict(vars(adapter))
    try:
        expected: t.Any = adapter.match(return_rule=True)
    except HTTPException as error:
        expected = (type(error), getattr(error, "new_url", None))
    try:
        matched: t.Any = route.match_request(request)
    except HTTPException as error:
        matched = (type(error), getattr(error, "new_url", None))
    assert matched == expected
