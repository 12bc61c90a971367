"""Flask-CORS, unchanged, on erlen: allowed and refused origins, preflight, a decorated view."""

from __future__ import annotations

import cors_app
import flask
import pytest
from flask.testing import FlaskClient

import erlen

pytestmark = pytest.mark.extension("Flask-CORS")


@pytest.fixture
def client() -> FlaskClient:
    return cors_app.create_app().test_client()


def test_the_app_is_an_erlen_app() -> None:
    assert flask.Flask is erlen.Erlen
    assert isinstance(cors_app.create_app(), erlen.Erlen)


def test_an_allowed_origin_gets_the_cors_headers(client: FlaskClient) -> None:
    response = client.get("/api/items", headers={"Origin": cors_app.ALLOWED})
    assert response.json == {"items": ["tea", "cake"]}
    assert response.headers["Access-Control-Allow-Origin"] == cors_app.ALLOWED
    assert response.headers["Access-Control-Expose-Headers"] == "X-Total"


def test_another_origin_gets_no_cors_headers(client: FlaskClient) -> None:
    response = client.get("/api/items", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight_is_answered_for_the_api(client: FlaskClient) -> None:
    response = client.options(
        "/api/items",
        headers={
            "Origin": cors_app.ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == cors_app.ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"].lower() == "content-type"


def test_routes_outside_the_resources_get_no_cors_headers(client: FlaskClient) -> None:
    response = client.get("/private", headers={"Origin": cors_app.ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cross_origin_decorator_opens_one_view(client: FlaskClient) -> None:
    response = client.get("/widget", headers={"Origin": "https://anyone.example"})
    assert response.text == "embeddable"
    assert response.headers["Access-Control-Allow-Origin"] == "https://anyone.example"
    preflight = client.options(
        "/widget",
        headers={"Origin": "https://anyone.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Max-Age"] == "600"
    assert preflight.headers["Vary"] == "Origin"
