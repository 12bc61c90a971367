"""Method computation of add_url_rule, checked by hand and against Flask."""

from __future__ import annotations

import typing as t

import flask
import pytest
from werkzeug.routing import Rule

from erlen_routing import rule_methods


def view() -> str:
    return ""


def with_attrs(**attrs: t.Any) -> t.Callable[[], str]:
    def f() -> str:
        return ""

    for name, value in attrs.items():
        setattr(f, name, value)
    return f


def test_default_is_get_with_automatic_options() -> None:
    assert rule_methods(view, None, None) == ({"GET", "OPTIONS"}, True)


def test_methods_are_upper_cased() -> None:
    assert rule_methods(view, ["post", "Get"], None) == ({"POST", "GET", "OPTIONS"}, True)


def test_string_methods_rejected_with_hint() -> None:
    with pytest.raises(TypeError, match="list of strings.*methods='POST'"):
        rule_methods(view, "POST", None)


def test_listed_options_is_not_automatic() -> None:
    assert rule_methods(view, ["GET", "OPTIONS"], None) == ({"GET", "OPTIONS"}, False)


def test_app_switch_turns_automatic_options_off() -> None:
    assert rule_methods(view, None, None, automatic_options=False) == ({"GET"}, False)


def test_argument_overrides_view_and_switch() -> None:
    f = with_attrs(provide_automatic_options=True)
    assert rule_methods(f, ["GET"], False) == ({"GET"}, False)
    # Forced on, the rule answers OPTIONS by dispatch without listing it.
    assert rule_methods(view, ["GET"], True, automatic_options=False) == ({"GET"}, True)


def test_view_attributes() -> None:
    f = with_attrs(methods=["PUT"], required_methods={"PATCH"}, provide_automatic_options=False)
    assert rule_methods(f, None, None) == ({"PUT", "PATCH"}, False)


def test_required_options_still_gets_automatic_answer() -> None:
    f = with_attrs(required_methods=["OPTIONS"])
    assert rule_methods(f, ["GET"], None) == ({"GET", "OPTIONS"}, True)


def test_empty_view_methods_fall_back_to_get() -> None:
    assert rule_methods(with_attrs(methods=()), None, None) == ({"GET", "OPTIONS"}, True)


def test_no_view_function() -> None:
    assert rule_methods(None, ("DELETE",), None) == ({"DELETE", "OPTIONS"}, True)


ATTRS: list[dict[str, t.Any]] = [
    {},
    {"methods": ["POST", "get"]},
    {"methods": ()},
    {"required_methods": ["OPTIONS"]},
    {"required_methods": {"PATCH"}, "methods": ["PUT"]},
    {"provide_automatic_options": False},
    {"provide_automatic_options": True, "methods": ["OPTIONS"]},
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("methods", [None, ["GET"], ["put", "OPTIONS"], ("HEAD",)])
@pytest.mark.parametrize("provide", [None, True, False])
@pytest.mark.parametrize("switch", [True, False])
def test_same_as_flask(
    attrs: dict[str, t.Any],
    methods: list[str] | None,
    provide: bool | None,
    switch: bool,
) -> None:
    app = flask.Flask(__name__)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = switch
    f = with_attrs(**attrs)
    app.add_url_rule("/", "e", f, provide, methods=methods)
    (rule,) = app.url_map.iter_rules("e")
    methods_set, provide_automatic = rule_methods(f, methods, provide, automatic_options=switch)
    # Compared as werkzeug rules, which add HEAD to GET the same way for both.
    assert Rule("/", methods=methods_set).methods == rule.methods
    assert provide_automatic == bool(rule.provide_automatic_options)  # type: ignore[attr-defined]
