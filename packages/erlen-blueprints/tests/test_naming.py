"""The pure rules of :mod:`erlen_blueprints.naming`, checked on many generated inputs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erlen_blueprints import naming

#: Names a blueprint may have: any text without a dot.
part = st.text(min_size=1).filter(lambda s: "." not in s)
#: A setting that may be unset.
maybe = st.none() | st.text(alphabet="ab/", max_size=4)


@given(part)
def test_dotless_names_pass_unchanged(name: str) -> None:
    assert naming.check_name(name) is name


@given(st.text(), st.text())
def test_names_with_a_dot_are_refused(before: str, after: str) -> None:
    with pytest.raises(ValueError, match="may not contain a dot") as info:
        naming.check_name(f"{before}.{after}", "The 'name' option")
    assert str(info.value).startswith("The 'name' option ")


def test_empty_name_is_refused() -> None:
    with pytest.raises(ValueError, match="^'name' may not be empty"):
        naming.check_name("")


@given(st.lists(part | st.just("")))
def test_dotted_skips_empty_parts(parts: list[str]) -> None:
    joined = naming.dotted(*parts)
    assert joined.split(".") == ([p for p in parts if p] or [""])


@pytest.mark.parametrize(
    ("prefix", "path", "joined"),
    [
        ("/shop", "cart", "/shop/cart"),
        ("/shop/", "/cart", "/shop/cart"),
        ("/shop//", "//cart/", "/shop/cart/"),
        ("", "", "/"),
    ],
)
def test_join_path_puts_one_slash_between(prefix: str, path: str, joined: str) -> None:
    assert naming.join_path(prefix, path) == joined


@given(maybe, maybe)
def test_nest_keeps_whichever_is_set(outer: str | None, inner: str | None) -> None:
    combined = naming.nest(outer, inner, lambda a, b: f"{a}+{b}")
    if outer is None or inner is None:
        assert combined == (inner if outer is None else outer)
    else:
        assert combined == f"{outer}+{inner}"


def test_nested_prefixes_and_subdomains() -> None:
    assert naming.nest_url_prefix("/shop/", "/cart") == "/shop/cart"
    assert naming.nest_url_prefix("/shop", "") == "/shop/"
    assert naming.nest_url_prefix(None, "/cart") == "/cart"
    assert naming.nest_subdomain("shop", "cart") == "cart.shop"
    assert naming.nest_subdomain("shop", None) == "shop"


@given(st.text(), st.text())
def test_either_prefers_the_value(value: str, fallback: str) -> None:
    assert naming.either(value, fallback) == value
    assert naming.either(None, fallback) == fallback


def test_endpoint_checks() -> None:
    def view() -> str:
        return ""

    naming.check_endpoint("index", view)
    naming.check_endpoint(None, None)
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        naming.check_endpoint("a.b", view)
    view.__name__ = "odd.name"
    with pytest.raises(ValueError, match="'view_func' name may not contain a dot"):
        naming.check_endpoint(None, view)
    # An explicit endpoint does not excuse a dotted function name: its name still matters.
    with pytest.raises(ValueError, match="'odd.name'"):
        naming.check_endpoint("fine", view)


def test_claim_name_messages() -> None:
    mine, other = object(), object()
    registered = {"shop": mine, "shop.cart": mine}
    naming.claim_name(registered, "till", mine, "till")
    with pytest.raises(ValueError, match="'shop' is already registered for this blueprint\\."):
        naming.claim_name(registered, "shop", mine, "shop")
    with pytest.raises(ValueError, match="for a different blueprint\\. Use 'name='"):
        naming.claim_name(registered, "shop", other, "shop")
    # A nested name shows the full dotted name it collides with.
    with pytest.raises(
        ValueError, match="'cart' is already registered for this blueprint 'shop.cart'"
    ):
        naming.claim_name(registered, "shop.cart", mine, "cart")


def test_cli_group_name() -> None:
    assert naming.cli_group_name(naming.BLUEPRINT_NAME, "shop.cart") == "shop.cart"
    assert naming.cli_group_name(None, "shop") is None
    assert naming.cli_group_name("tools", "shop") == "tools"
    assert repr(naming.BLUEPRINT_NAME) == "BLUEPRINT_NAME"
