"""Test client, CLI runner and pytest plugin for erlen apps.

erlen-testing is what ``app.test_client()`` and ``app.test_cli_runner()`` return, and the
pytest plugin that gives a test suite ``client``, ``runner``, ``live_server`` and friends from
one ``app`` fixture. It imports no part of erlen: it works with any object that has the
members listed in :mod:`erlen_testing.protocols`, a Flask app included.

- :class:`EnvironBuilder` builds a WSGI environ with the app's defaults (server name,
  application root, URL scheme, JSON provider).
- :class:`ErlenClient` (also :class:`FlaskClient`) sends requests to the app, keeps cookies,
  follows redirects, edits the session with :meth:`~ErlenClient.session_transaction`, and
  keeps the last request's contexts inside ``with client:``.
- :class:`ErlenCliRunner` (also :class:`FlaskCliRunner`) invokes the app's CLI commands.
- :class:`LiveServer` serves the app over real HTTP from a thread.
- :class:`ContextLeakDetector` finds app and request contexts left pushed.
- :mod:`erlen_testing.plugin` is the pytest plugin, loaded by the ``erlen`` entry point
  (:mod:`erlen_testing.autoload`) unless pytest-flask is installed.

The names are loaded on first access, so that loading the pytest plugin (which imports this
package) does not import Werkzeug or Click for test suites that never use them.

pytest rewrites the asserts of a plugin's package, and warns when that package was imported
before it could (erlen imports this one at start-up under ``ERLEN_AS_FLASK=1``, and in any
conftest that imports the app). This package has no asserts to rewrite, which the marker
PYTEST_DONT_REWRITE tells pytest, so no test run configured with ``filterwarnings = error``
stops on that warning.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .client import ErlenClient as ErlenClient
    from .client import FlaskClient as FlaskClient
    from .environ import EnvironBuilder as EnvironBuilder
    from .leaks import ContextLeakDetector as ContextLeakDetector
    from .leaks import ContextLeakError as ContextLeakError
    from .live_server import LiveServer as LiveServer
    from .runner import ErlenCliRunner as ErlenCliRunner
    from .runner import FlaskCliRunner as FlaskCliRunner

_MODULES = {
    "EnvironBuilder": "environ",
    "ErlenClient": "client",
    "FlaskClient": "client",
    "ErlenCliRunner": "runner",
    "FlaskCliRunner": "runner",
    "LiveServer": "live_server",
    "ContextLeakDetector": "leaks",
    "ContextLeakError": "leaks",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)

    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
