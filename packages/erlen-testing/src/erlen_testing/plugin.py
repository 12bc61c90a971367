"""pytest plugin for erlen and Flask apps, loaded through the ``pytest11`` entry point.

Define an ``app`` fixture returning your application; the plugin builds on it:

``client``
    ``app.test_client()``. ``client_class`` also sets it as ``self.client`` on test classes.
``runner``
    ``app.test_cli_runner()``.
``config``
    ``app.config``.
``app_ctx`` / ``req_ctx``
    an app context / a test request context, pushed for the test and popped after it. Nothing
    is pushed unless a test asks for one of these.
``live_server``
    a :class:`~erlen_testing.LiveServer` running the app on ``127.0.0.1`` and a free port in a
    thread; ``url_for(..., _external=True)`` points at it. Options: ``--live-server-host``,
    ``--live-server-port``, ``--live-server-scope`` and ``--no-start-live-server``.
``accept_json``, ``accept_jsonp``, ``accept_any``, ``accept_mimetype``, ``mimetype``
    ``Accept`` header lists, as pytest-flask has them.

Markers: ``@pytest.mark.options(debug=True)`` sets config keys (upper-cased) for one test or
class, undone afterwards. ``@pytest.mark.check_context_leaks`` (or the ini option
``check_context_leaks = true`` for every test, which ``@pytest.mark.check_context_leaks(False)``
turns off again) errors a test at teardown when it left an app or request context pushed;
:mod:`erlen_testing.leaks` says how contexts are found.

Names follow pytest-flask's, so a project can switch by changing its dependency. Differences:
``client`` is not kept in ``with client:`` for the whole test, no request context is pushed
automatically (ask for ``req_ctx``), and the live server is a thread, not a process.

Loading this module imports nothing but pytest and the standard library; Werkzeug is imported
when ``live_server`` is used.
"""

from __future__ import annotations

from collections.abc import Generator
from collections.abc import Iterator
from typing import Any
from typing import Literal
from typing import TYPE_CHECKING

import pytest

from .leaks import ContextLeakDetector

if TYPE_CHECKING:
    from .live_server import LiveServer

_ScopeName = Literal["session", "package", "module", "class", "function"]
_SCOPES: tuple[_ScopeName, ...] = ("session", "package", "module", "class", "function")
_LEAKS = "check_context_leaks"
_LEAK_DETECTOR = pytest.StashKey[ContextLeakDetector]()
_AcceptHeaders = list[tuple[str, str]]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the live server options and the context leak ini option."""
    group = parser.getgroup("erlen", "erlen and Flask apps")
    group.addoption(
        "--start-live-server",
        action="store_true",
        dest="start_live_server",
        default=True,
        help="start the live_server fixture's server at once (the default).",
    )
    group.addoption(
        "--no-start-live-server",
        action="store_false",
        dest="start_live_server",
        help="leave the live_server fixture's server stopped; tests call start().",
    )
    group.addoption(
        "--live-server-host",
        default="127.0.0.1",
        help="address the live server listens on (default: 127.0.0.1).",
    )
    group.addoption(
        "--live-server-port",
        type=int,
        default=0,
        help="port the live server listens on (default: 0, a free port).",
    )
    group.addoption(
        "--live-server-scope",
        default="function",
        choices=_SCOPES,
        help="scope of the live_server fixture; at most as wide as your app fixture's"
        " (default: function).",
    )
    parser.addini(
        _LEAKS,
        type="bool",
        default=False,
        help="error every test that leaves an app or request context pushed.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers."""
    config.addinivalue_line(
        "markers", "options(**config): set app.config keys (upper-cased) for this test."
    )
    config.addinivalue_line(
        "markers", "app(**options): options for your own app fixture to read from the test."
    )
    config.addinivalue_line(
        "markers",
        f"{_LEAKS}(enabled=True): error the test at teardown if it leaves an app or request"
        " context pushed.",
    )


def _leak_check_enabled(item: pytest.Item) -> bool:
    marker = item.get_closest_marker(_LEAKS)

    if marker is None:
        return bool(item.config.getini(_LEAKS))

    return bool(marker.args[0] if marker.args else marker.kwargs.get("enabled", True))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """Once the test's fixtures are set up, note which contexts are pushed."""
    result = yield

    if _leak_check_enabled(item):
        item.stash[_LEAK_DETECTOR] = ContextLeakDetector()

    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, None, None]:
    """After the test's fixtures are torn down, pop and report contexts it left pushed."""
    detector = item.stash.get(_LEAK_DETECTOR, None)

    if detector is None:
        return (yield)

    del item.stash[_LEAK_DETECTOR]

    try:
        result = yield
    except BaseException:
        detector.pop_leaks()
        raise

    detector.check()
    return result


@pytest.fixture(autouse=True)
def _erlen_config_options(request: pytest.FixtureRequest) -> None:
    """Apply ``@pytest.mark.options`` to ``app.config``, the closest marker winning."""
    markers = list(request.node.iter_markers("options"))

    if not markers:
        return

    if "app" not in request.fixturenames:
        pytest.fail(
            "@pytest.mark.options sets app.config, but this test has no 'app' fixture.",
            pytrace=False,
        )

    app = request.getfixturevalue("app")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")

    for marker in reversed(markers):
        if marker.args:
            pytest.fail(
                "@pytest.mark.options takes config keys as keyword arguments, for example"
                " @pytest.mark.options(debug=True).",
                pytrace=False,
            )

        for key, value in marker.kwargs.items():
            monkeypatch.setitem(app.config, key.upper(), value)


@pytest.fixture
def client(app: Any) -> Any:
    """The app's test client, ``app.test_client()``."""
    return app.test_client()


@pytest.fixture
def client_class(request: pytest.FixtureRequest, client: Any) -> None:
    """Set the test client as ``self.client`` on the test's class; use it with
    ``@pytest.mark.usefixtures("client_class")``."""
    if request.cls is not None:
        request.cls.client = client


@pytest.fixture
def runner(app: Any) -> Any:
    """The app's CLI runner, ``app.test_cli_runner()``."""
    return app.test_cli_runner()


@pytest.fixture
def config(app: Any) -> Any:
    """The app's config, ``app.config``."""
    return app.config


@pytest.fixture
def app_ctx(app: Any) -> Iterator[Any]:
    """An app context of ``app``, pushed during the test."""
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture
def req_ctx(app: Any) -> Iterator[Any]:
    """A request context for ``GET /`` on ``app``, pushed during the test."""
    with app.test_request_context() as ctx:
        yield ctx


def _live_server_scope(fixture_name: str, config: pytest.Config) -> _ScopeName:
    scope: _ScopeName = config.getoption("live_server_scope")
    return scope


@pytest.fixture(scope=_live_server_scope)
def live_server(app: Any, pytestconfig: pytest.Config) -> Iterator[LiveServer]:
    """The app served over HTTP from a thread; ``live_server.url("/path")`` is a full URL."""
    from .live_server import LiveServer

    server = LiveServer(
        app, pytestconfig.getoption("live_server_host"), pytestconfig.getoption("live_server_port")
    )

    if pytestconfig.getoption("start_live_server"):
        server.start()

    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["application/json", "text/html"])
def mimetype(request: pytest.FixtureRequest) -> str:
    """Each of two common response types, one test run per type."""
    value: str = request.param
    return value


@pytest.fixture
def accept_mimetype(mimetype: str) -> _AcceptHeaders:
    """Headers accepting :func:`mimetype`."""
    return [("Accept", mimetype)]


@pytest.fixture
def accept_json() -> _AcceptHeaders:
    """Headers accepting JSON."""
    return [("Accept", "application/json")]


@pytest.fixture
def accept_jsonp() -> _AcceptHeaders:
    """Headers accepting JSONP."""
    return [("Accept", "application/json-p")]


@pytest.fixture(params=["*", "*/*"])
def accept_any(request: pytest.FixtureRequest) -> _AcceptHeaders:
    """Headers accepting anything, in both spellings; one test run per spelling."""
    return [("Accept", request.param)]
