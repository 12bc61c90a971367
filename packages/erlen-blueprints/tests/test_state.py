"""One registration's view of a blueprint: what :class:`BlueprintSetupState` resolves and adds."""

from __future__ import annotations

import typing as t

import pytest

from erlen_blueprints import Blueprint
from erlen_blueprints import BlueprintSetupState
from erlen_core.app import Erlen


class RuleLog:
    """Stands in for an app: keeps what ``add_url_rule`` is asked to add."""

    def __init__(self) -> None:
        self.rules: list[tuple[t.Any, ...]] = []

    def add_url_rule(self, rule: str, endpoint: str, view: t.Any, **options: t.Any) -> None:
        self.rules.append((rule, endpoint, view, options))


def state_of(bp: Blueprint, **options: t.Any) -> tuple[BlueprintSetupState, RuleLog]:
    log = RuleLog()
    return BlueprintSetupState(bp, t.cast(t.Any, log), options, True), log


def shop() -> Blueprint:
    return Blueprint("shop", __name__, url_prefix="/shop", subdomain="buy", url_defaults={"c": 1})


def test_blueprint_settings_apply_without_options() -> None:
    state, _ = state_of(shop())
    assert (state.name, state.name_prefix) == ("shop", "")
    assert (state.url_prefix, state.subdomain, state.url_defaults) == ("/shop", "buy", {"c": 1})
    assert state.first_registration is True


def test_options_override_and_extend() -> None:
    bp = shop()
    state, _ = state_of(
        bp, name="store", name_prefix="site", url_prefix="/s", subdomain="", url_defaults={"d": 2}
    )
    assert (state.name, state.name_prefix, state.url_prefix) == ("store", "site", "/s")
    # An empty subdomain is a choice, not an absence: only None falls back.
    assert state.subdomain == ""
    assert state.url_defaults == {"c": 1, "d": 2}
    # The blueprint's own defaults are not changed by a registration.
    assert bp.url_values_defaults == {"c": 1}


def test_added_rules_are_placed_by_the_registration() -> None:
    def view() -> str:
        return ""

    state, log = state_of(shop(), name_prefix="site")
    state.add_url_rule("/items", view_func=view)
    state.add_url_rule("", "home", view, defaults={"page": 1}, methods=["POST"])
    state.add_url_rule("/x", "x", None, subdomain="other", defaults={"c": 5})
    assert log.rules == [
        ("/shop/items", "site.shop.view", view, {"subdomain": "buy", "defaults": {"c": 1}}),
        (
            "/shop",
            "site.shop.home",
            view,
            {"subdomain": "buy", "defaults": {"c": 1, "page": 1}, "methods": ["POST"]},
        ),
        ("/shop/x", "site.shop.x", None, {"subdomain": "other", "defaults": {"c": 5}}),
    ]


def test_without_prefix_rules_stay_as_written() -> None:
    state, log = state_of(Blueprint("plain", __name__))
    state.add_url_rule("/about", "about")
    assert log.rules == [("/about", "plain.about", None, {"subdomain": None, "defaults": {}})]


def test_rule_needs_an_endpoint_or_a_view() -> None:
    state, _ = state_of(shop())
    with pytest.raises(AssertionError):
        state.add_url_rule("/nothing")


def test_extension_adds_rules_through_the_state(app: Erlen) -> None:
    # What extensions such as flask-smorest do: record a function that adds rules itself.
    bp = Blueprint("api", __name__, url_prefix="/api")
    bp.record(lambda state: state.add_url_rule("/spec", "spec", lambda: "spec"))
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="v2", url_prefix="/v2")
    client = app.test_client()
    assert client.get("/api/spec").text == "spec"
    assert client.get("/v2/spec").text == "spec"
    assert {"api.spec", "v2.spec"} <= set(app.view_functions)


def test_custom_state_class(app: Erlen) -> None:
    class TaggedState(BlueprintSetupState):
        def add_url_rule(self, rule: str, *args: t.Any, **options: t.Any) -> None:
            super().add_url_rule(rule + "/tagged", *args, **options)

    class TaggedBlueprint(Blueprint):
        def make_setup_state(
            self, app: t.Any, options: dict[str, t.Any], first_registration: bool = False
        ) -> BlueprintSetupState:
            return TaggedState(self, app, options, first_registration)

    bp = TaggedBlueprint("tag", __name__)
    bp.route("/page")(lambda: "page")
    app.register_blueprint(bp)
    assert app.test_client().get("/page/tagged").text == "page"


def test_repr_names_the_parts() -> None:
    state, _ = state_of(shop())
    assert repr(state).startswith("BlueprintSetupState(blueprint=<Blueprint 'shop'>")
