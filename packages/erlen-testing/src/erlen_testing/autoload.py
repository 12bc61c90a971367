"""What pytest loads through erlen-testing's ``pytest11`` entry point, named ``erlen``.

Every environment with erlen installed has this plugin, so it must be harmless to have. It
registers :mod:`erlen_testing.plugin` (the fixtures, options and markers) unless pytest-flask
will serve the same names: the two plugins define the same fixtures and command-line options,
and where both are installed, pytest-flask's win. ``-p no:flask`` hands them back to erlen;
``-p no:erlen`` switches erlen's plugin off.
"""

from __future__ import annotations

import importlib.metadata
import os

import pytest

#: The name pytest-flask's plugin is registered under (its ``pytest11`` entry point).
PYTEST_FLASK = "flask"


def _pytest_flask_serves(pluginmanager: pytest.PytestPluginManager) -> bool:
    """Whether pytest-flask's plugin is, or will be, loaded into this pytest run."""
    if pluginmanager.has_plugin(PYTEST_FLASK):
        return True
    if pluginmanager.is_blocked(PYTEST_FLASK) or os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        return False
    return any(
        entry.name == PYTEST_FLASK and entry.value.startswith("pytest_flask")
        for entry in importlib.metadata.entry_points(group="pytest11")
    )


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Register erlen's fixtures at once, before options are parsed, unless pytest-flask's
    plugin provides them."""
    from . import plugin

    if not _pytest_flask_serves(pluginmanager) and not pluginmanager.is_registered(plugin):
        pluginmanager.register(plugin, "erlen.plugin")
