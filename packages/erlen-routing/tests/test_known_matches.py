"""Matches a request route reuses for the same URL: fresh values, invalidation, bounds."""

from __future__ import annotations

import typing as t

from werkzeug.routing import BaseConverter
from werkzeug.routing import Rule
from werkzeug.test import create_environ
from werkzeug.wrappers import Request

from erlen_routing import AdapterFactory
from erlen_routing import Map
from erlen_routing.matching import KNOWN_LIMIT


def _matches(factory: AdapterFactory, path: str, count: int) -> list[tuple[Rule, t.Any]]:
    """``count`` matches of ``path``, after one that brings the map up to date (a map updated
    by a match knows nothing yet)."""
    _match(factory, path)
    return [_match(factory, path) for _ in range(count)]


def _match(factory: AdapterFactory, path: str, method: str = "GET") -> tuple[Rule, t.Any]:
    request = Request(create_environ(path, "http://example.test/", method=method))
    return factory.request_route(request).match_request(request)


def test_a_repeated_match_gives_fresh_values() -> None:
    factory = AdapterFactory(Map([Rule("/item/<int:id>", endpoint="item")]))
    for rule, values in _matches(factory, "/item/7", 3):
        assert rule.endpoint == "item"
        assert values == {"id": 7}
        values["id"] = 0
        values["extra"] = True


def test_custom_converters_run_for_every_request() -> None:
    calls: list[str] = []

    class Loading(BaseConverter):
        def to_python(self, value: str) -> object:
            calls.append(value)
            return object()

    url_map = Map(converters={"loading": Loading})
    url_map.add(Rule("/thing/<loading:name>", endpoint="thing"))
    factory = AdapterFactory(url_map)
    first, second = (values["name"] for _, values in _matches(factory, "/thing/a", 2))
    assert calls == ["a", "a", "a"]
    assert first is not second


def test_rules_added_later_replace_known_matches() -> None:
    url_map = Map([Rule("/page/<name>", endpoint="any")])
    factory = AdapterFactory(url_map)
    assert [rule.endpoint for rule, _ in _matches(factory, "/page/about", 2)] == ["any"] * 2
    url_map.add(Rule("/page/about", endpoint="about"))
    assert _match(factory, "/page/about")[0].endpoint == "about"


def test_methods_are_known_apart() -> None:
    url_map = Map(
        [
            Rule("/form", endpoint="show", methods=["GET"]),
            Rule("/form", endpoint="submit", methods=["POST"]),
        ]
    )
    factory = AdapterFactory(url_map)
    for _ in range(3):
        assert _match(factory, "/form")[0].endpoint == "show"
        assert _match(factory, "/form", "POST")[0].endpoint == "submit"


def test_known_matches_are_bounded() -> None:
    url_map = Map([Rule("/n/<int:n>", endpoint="n")])
    factory = AdapterFactory(url_map)
    for n in range(KNOWN_LIMIT * 2 + 5):
        assert _match(factory, f"/n/{n}")[1] == {"n": n}
        assert len(url_map._matcher.known) <= KNOWN_LIMIT  # type: ignore[attr-defined]
    assert _match(factory, "/n/3")[1] == {"n": 3}
