"""Endpoint naming, rule creation and view registration."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from erlen_routing import create_rule
from erlen_routing import endpoint_from_view_func
from erlen_routing import register_view_function


def index() -> str:
    return "index"


def other() -> str:
    return "other"


def test_endpoint_is_view_name() -> None:
    assert endpoint_from_view_func(index) == "index"


def test_endpoint_needs_a_view() -> None:
    with pytest.raises(AssertionError, match="endpoint name or a view function"):
        endpoint_from_view_func(None)


def test_create_rule_sets_methods_endpoint_and_options_flag() -> None:
    rule = create_rule(Rule, "/x/<int:id>", None, index, defaults={"id": 1}, methods=["post"])
    assert rule.endpoint == "index"
    assert rule.methods == {"POST", "OPTIONS"}
    assert rule.defaults == {"id": 1}
    assert rule.provide_automatic_options is True  # type: ignore[attr-defined]


def test_create_rule_respects_the_app_switch_and_class() -> None:
    class MyRule(Rule):
        pass

    rule = create_rule(MyRule, "/", "home", None, automatic_options=False)
    assert type(rule) is MyRule
    assert (rule.endpoint, rule.methods) == ("home", {"GET", "HEAD"})
    assert rule.provide_automatic_options is False  # type: ignore[attr-defined]


def test_register_view_function() -> None:
    views: dict[str, object] = {}
    register_view_function(views, "index", index)  # type: ignore[arg-type]
    register_view_function(views, "index", index)  # type: ignore[arg-type]
    register_view_function(views, "nothing", None)  # type: ignore[arg-type]
    assert views == {"index": index}
    with pytest.raises(AssertionError, match="overwriting an existing endpoint function: index"):
        register_view_function(views, "index", other)  # type: ignore[arg-type]
    assert views == {"index": index}
