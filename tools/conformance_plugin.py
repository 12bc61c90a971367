"""Pytest plugin for the conformance run: proves ``flask`` is erlen in the test process."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    import flask  # type: ignore[import-not-found]  # erlen, through install_as_flask()

    import erlen

    if flask is not erlen or flask.Flask is not erlen.Erlen:
        raise pytest.UsageError("'flask' is not erlen: the install_as_flask() hook did not run")
    from erlen._alias import FlaskDistribution

    # erlen itself answers for the "flask" distribution; any other answer is the real Flask.
    if any(
        not isinstance(dist, FlaskDistribution)
        for dist in importlib.metadata.distributions(name="flask")
    ):
        raise pytest.UsageError("the real Flask is installed in this venv; conformance needs none")
    # Run as users run it: erlen's own pytest plugin is loaded beside Flask's conftest.
    if not session.config.pluginmanager.has_plugin("erlen.plugin"):
        raise pytest.UsageError("erlen's pytest plugin is not active in this run")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    real = [
        name
        for name, module in list(sys.modules.items())
        if name.split(".")[0] == "flask"
        and "erlen" not in (getattr(module, "__file__", None) or "erlen")
    ]
    if real:
        print(f"\nreal Flask modules were imported: {', '.join(sorted(real))}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
