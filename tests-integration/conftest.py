"""Shared fixtures for the integration suite: free ports and servers started on 127.0.0.1.

Flask extensions are installed in this environment with the real Flask as their dependency. The
suite runs them on erlen, so ``install_as_flask()`` comes first, before anything imports flask.
"""

from __future__ import annotations

import erlen

erlen.install_as_flask()

import collections  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402

HERE = pathlib.Path(__file__).parent
# The helpers module and the apps are imported by their plain names.
sys.path[:0] = [str(HERE), str(HERE / "apps")]

from harness import free_port  # noqa: E402

#: Markers that group the report: ``server(NAME)`` and ``extension(NAME)``.
GROUP_MARKERS = ("server", "extension")
_groups = pytest.StashKey[dict[str, str]]()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def python() -> str:
    return sys.executable


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server(name): the test runs against the server name")
    config.addinivalue_line("markers", "extension(name): the test exercises the Flask extension")
    config.stash[_groups] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups = config.stash[_groups]
    for item in items:
        for kind in GROUP_MARKERS:
            marker = item.get_closest_marker(kind)
            if marker is not None:
                groups[item.nodeid] = f"{kind} {marker.args[0]}"
                break


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    groups = terminalreporter.config.stash.get(_groups, {})
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for outcome in ("passed", "failed", "skipped", "xfailed", "xpassed", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            group = groups.get(getattr(report, "nodeid", ""), "other")
            counts[group][outcome] += 1
    if not counts:
        return
    terminalreporter.section("integration tests per server and extension")
    for group in sorted(counts):
        tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts[group].items()))
        terminalreporter.write_line(f"{group}: {tally}")
