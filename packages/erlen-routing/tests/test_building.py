"""URL building around MapAdapter.build, checked against Flask's url_for."""

from __future__ import annotations

import flask
import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.routing import BuildError
from werkzeug.routing import Map
from werkzeug.routing import Rule

from erlen_routing import append_anchor
from erlen_routing import build_url
from erlen_routing import check_scheme

url_map = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/users/<int:id>", endpoint="user", methods=["GET"]),
        Rule("/users/<int:id>/edit", endpoint="user", methods=["POST"]),
        Rule("/page", endpoint="page", defaults={"n": 1}),
        Rule("/page/<int:n>", endpoint="page"),
    ]
)
adapter = url_map.bind("example.com", "/app")


def test_query_arguments_and_none_values() -> None:
    assert build_url(adapter, "user", {"id": 3, "q": "a b", "skip": None}) == "/app/users/3?q=a+b"


def test_method_selects_the_rule() -> None:
    assert build_url(adapter, "user", {"id": 3}, method="POST") == "/app/users/3/edit"


def test_external_scheme_and_anchor() -> None:
    url = build_url(adapter, "index", external=True, scheme="https", anchor="top part")
    assert url == "https://example.com/app/#top%20part"


def test_defaults_give_the_short_url() -> None:
    assert build_url(adapter, "page", {"n": 1}) == "/app/page"
    assert build_url(adapter, "page", {"n": 2}) == "/app/page/2"


def test_scheme_needs_external() -> None:
    with pytest.raises(ValueError, match="'_external' must be True"):
        build_url(adapter, "index", scheme="https")
    check_scheme(None, False)
    check_scheme("https", True)


def test_build_error_names_missing_values() -> None:
    with pytest.raises(BuildError) as info:
        build_url(adapter, "user", {})
    assert "Did you forget to specify values ['id']?" in str(info.value)


def test_build_error_names_methods() -> None:
    with pytest.raises(BuildError) as info:
        build_url(adapter, "index", method="DELETE")
    assert "Did you mean to use methods" in str(info.value)
    assert "'GET'" in str(info.value)


def test_build_error_suggests_endpoint() -> None:
    with pytest.raises(BuildError, match="Did you mean 'user' instead?"):
        build_url(adapter, "usr", {"id": 1})


@given(st.text(max_size=20))
def test_anchor_quoted_like_flask(anchor: str) -> None:
    app = flask.Flask(__name__)
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/", "index")
    with app.app_context():
        expected = flask.url_for("index", _anchor=anchor, _external=False)
    assert append_anchor("/", anchor) == expected
