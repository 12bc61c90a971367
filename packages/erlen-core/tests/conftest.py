from __future__ import annotations

import os
import typing as t

import pytest

from erlen_context.globals import _cv_app
from erlen_context.globals import _cv_request
from erlen_core import Erlen

_ENV_KEYS = (
    "FLASK_APP",
    "FLASK_DEBUG",
    "FLASK_RUN_FROM_CLI",
    "WERKZEUG_RUN_MAIN",
    "FLASK_ENV_FILE",
)


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


@pytest.fixture(autouse=True)
def leak_detector() -> t.Iterator[None]:
    """Fail a test that leaves a request or app context pushed, and clean up after it."""
    yield
    leaks: list[object] = []
    while (ctx := _cv_request.get(None)) is not None:
        leaks.append(ctx)
        ctx.pop()
    while (app_ctx := _cv_app.get(None)) is not None:
        leaks.append(app_ctx)
        app_ctx.pop()
    assert leaks == []


@pytest.fixture
def app() -> Erlen:
    app = Erlen("erlen_test", root_path=os.path.dirname(__file__))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app: Erlen) -> t.Any:
    return app.test_client()


class FakeBlueprint:
    """The little of erlen-blueprints' Blueprint the app calls: ``register(app, options)``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.options: dict[str, t.Any] | None = None

    def register(self, app: Erlen, options: dict[str, t.Any]) -> None:
        app.blueprints[self.name] = self  # type: ignore[assignment]
        self.options = options
