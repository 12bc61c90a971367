"""The entry-point gate: erlen's fixtures are registered unless pytest-flask serves them."""

from __future__ import annotations

import importlib.metadata

import pytest

from erlen_testing import autoload
from erlen_testing import plugin


class FakeManager:
    """The three questions the gate asks of pytest's plugin manager, with set answers."""

    def __init__(self, loaded: bool = False, blocked: bool = False) -> None:
        self.loaded = loaded
        self.blocked = blocked
        self.registered: list[tuple[object, str]] = []

    def has_plugin(self, name: str) -> bool:
        return self.loaded and name == "flask"

    def is_blocked(self, name: str) -> bool:
        return self.blocked and name == "flask"

    def is_registered(self, module: object) -> bool:
        return any(registered is module for registered, _ in self.registered)

    def register(self, module: object, name: str) -> None:
        self.registered.append((module, name))


def pytest_flask_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = importlib.metadata.EntryPoint("flask", "pytest_flask.plugin", "pytest11")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [entry])


def test_without_pytest_flask_erlen_registers_its_plugin() -> None:
    manager = FakeManager()
    autoload.pytest_addhooks(manager)  # type: ignore[arg-type]
    assert manager.registered == [(plugin, "erlen.plugin")]


def test_registers_once_when_the_plugin_was_also_asked_for_by_name() -> None:
    manager = FakeManager()
    manager.register(plugin, "erlen_testing.plugin")
    autoload.pytest_addhooks(manager)  # type: ignore[arg-type]
    assert len(manager.registered) == 1


def test_a_loaded_pytest_flask_wins() -> None:
    manager = FakeManager(loaded=True)
    autoload.pytest_addhooks(manager)  # type: ignore[arg-type]
    assert manager.registered == []


def test_an_installed_pytest_flask_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest_flask_entry_point(monkeypatch)
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    manager = FakeManager()
    autoload.pytest_addhooks(manager)  # type: ignore[arg-type]
    assert manager.registered == []


def test_no_flask_hands_the_fixtures_back(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest_flask_entry_point(monkeypatch)
    manager = FakeManager(blocked=True)
    autoload.pytest_addhooks(manager)  # type: ignore[arg-type]
    assert manager.registered == [(plugin, "erlen.plugin")]


def test_without_autoload_an_installed_pytest_flask_is_not_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest_flask_entry_point(monkeypatch)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    manager = FakeManager()
    autoload.pytest_addhooks(manager)  # type: ignore[arg-type]
    assert manager.registered == [(plugin, "erlen.plugin")]
