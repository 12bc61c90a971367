from __future__ import annotations

import typing as t
from datetime import timedelta

import pytest
from werkzeug.sansio.response import Response

from erlen_sessions.middleware import DEFAULT_CONFIG


class FakeApp:
    """The smallest object satisfying erlen_sessions.SessionApp."""

    def __init__(self, secret_key: str | bytes | None = "secret", **config: t.Any) -> None:
        self.config: dict[str, t.Any] = {**DEFAULT_CONFIG, **config}
        self.secret_key = secret_key
        self.permanent_session_lifetime = timedelta(days=31)


class FakeRequest:
    def __init__(self, cookies: t.Mapping[str, str] | None = None) -> None:
        self.cookies = dict(cookies or {})


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


@pytest.fixture
def response() -> Response:
    return Response()
