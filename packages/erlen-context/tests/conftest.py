"""A small application satisfying :class:`erlen_context.ContextApp`, and a leak check."""

from __future__ import annotations

import asyncio
import inspect
import json
import typing as t

import pytest
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from erlen_context import _AppCtxGlobals
from erlen_context import _cv_app
from erlen_context import _cv_request
from erlen_context import AppContext
from erlen_context import RequestContext


class FakeRequest(Request):
    """A werkzeug request with the attributes a request context sets."""

    routing_exception: Exception | None = None
    url_rule: Rule | None = None
    view_args: dict[str, t.Any] | None = None
    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()


class FakeSession(dict[str, t.Any]):
    accessed = False


class NullSession(FakeSession):
    pass


class FakeSessionInterface:
    """Opens a session holding the ``s`` query argument; ``None`` when ``null=1``."""

    lazy_open = False

    def __init__(self) -> None:
        self.opened = 0

    def open_session(self, app: t.Any, request: FakeRequest) -> FakeSession | None:
        self.opened += 1
        if request.args.get("null"):
            return None
        return FakeSession(s=request.args.get("s"))

    def make_null_session(self, app: t.Any) -> NullSession:
        return NullSession()


class LazySessionInterface(FakeSessionInterface):
    lazy_open = True


class FakeApp:
    """Records teardown calls in :attr:`events`."""

    request_class = FakeRequest
    app_ctx_globals_class: t.Callable[[], t.Any] = _AppCtxGlobals

    def __init__(self, name: str = "fake", server_name: str | None = None) -> None:
        self.name = name
        self.json = json
        self.server_name = server_name
        self.session_interface: FakeSessionInterface = FakeSessionInterface()
        self.url_map = Map(
            [Rule("/", endpoint="index", methods=["GET"]), Rule("/user/<int:id>", endpoint="user")]
        )
        self.events: list[tuple[str, BaseException | None]] = []

    def create_url_adapter(self, request: FakeRequest | None) -> MapAdapter | None:
        if request is not None:
            return self.url_map.bind_to_environ(request.environ)
        if self.server_name is None:
            return None
        return self.url_map.bind(self.server_name)

    def app_context(self) -> AppContext:
        return AppContext(self)

    def request_context(self, path: str = "/", **kwargs: t.Any) -> RequestContext:
        environ = EnvironBuilder(path=path, **kwargs).get_environ()
        return RequestContext(self, environ)

    def do_teardown_request(self, exc: BaseException | None) -> None:
        self.events.append(("request", exc))

    def do_teardown_appcontext(self, exc: BaseException | None) -> None:
        self.events.append(("app", exc))

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        if inspect.iscoroutinefunction(func):
            return lambda *a, **k: asyncio.run(func(*a, **k))
        return func


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


@pytest.fixture(autouse=True)
def _leak_detector() -> t.Iterator[None]:
    """Fail a test that leaves a context pushed."""
    yield
    leaked = [_cv_request.get(None), _cv_app.get(None)]
    assert leaked == [None, None], f"contexts left pushed: {leaked}"


@pytest.fixture
def make_app() -> type[FakeApp]:
    return FakeApp


@pytest.fixture
def lazy_app() -> FakeApp:
    app = FakeApp()
    app.session_interface = LazySessionInterface()
    return app
