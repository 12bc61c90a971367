"""Fixtures: a testing app rooted in ``resources/app`` and its test client."""

from __future__ import annotations

import pathlib
import typing as t

import pytest

from erlen_core.app import Erlen

RESOURCES = pathlib.Path(__file__).parent / "resources"


@pytest.fixture
def app() -> Erlen:
    app = Erlen("blueprint_tests", root_path=str(RESOURCES / "app"))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app: Erlen) -> t.Any:
    return app.test_client()
