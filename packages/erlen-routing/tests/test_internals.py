"""The start-up check of the Werkzeug matcher details erlen-routing relies on."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from werkzeug.routing import Rule

from erlen_routing import IncompatibleWerkzeug
from erlen_routing import internals


def start(prelude: str) -> subprocess.CompletedProcess[str]:
    """Import erlen_routing in a fresh interpreter after ``prelude`` reshaped Werkzeug."""
    code = textwrap.dedent(prelude) + "\nimport erlen_routing\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_a_missing_matcher_class_stops_the_import_with_a_clear_message() -> None:
    result = start("import werkzeug.routing.matcher as m\ndel m.SlashRequired\n")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("erlen_routing.internals.IncompatibleWerkzeug: erlen-routing needs")
    assert "SlashRequired" in last
    assert "werkzeug>=3.1.8,<3.2" in last
    assert "matching.py" not in result.stderr


def test_a_reshaped_state_stops_the_import() -> None:
    result = start(
        """
        import werkzeug.routing.matcher as m
        class State:
            pass
        m.State = State
        """
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("erlen_routing.internals.IncompatibleWerkzeug: erlen-routing needs")
    assert "'State' object has no attribute 'static'" in last


def test_the_installed_werkzeug_passes() -> None:
    internals._probe()


def test_a_rule_without_converters_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    compile_rule = Rule.compile

    def compile_without_converters(self: Rule) -> None:
        compile_rule(self)
        del self._converters

    monkeypatch.setattr(Rule, "compile", compile_without_converters)
    with pytest.raises(IncompatibleWerkzeug, match=r"Rule\._converters"):
        internals._probe()


def test_renamed_converter_groups_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(internals, "GROUP_PREFIX", "__elsewhere_")
    with pytest.raises(IncompatibleWerkzeug, match="converter groups named __elsewhere_<n>"):
        internals._probe()


def test_another_matcher_class_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(internals, "StateMachineMatcher", type("Other", (), {}))
    with pytest.raises(IncompatibleWerkzeug, match=r"Map\._matcher"):
        internals._probe()


def test_the_message_names_package_detail_version_and_range() -> None:
    error = internals.incompatible_werkzeug("erlen-example", "Thing.part")
    text = str(error)
    assert text.startswith("erlen-example needs Thing.part from Werkzeug, and Werkzeug 3.")
    assert "pip install 'werkzeug>=3.1.8,<3.2'" in text
