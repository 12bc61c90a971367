"""Run Flask 3.1.3's own test suite against erlen and compare with the known failures.

    python tools/conformance.py FLASK_SOURCE_DIR KNOWN_FAILURES_FILE

Run inside the ``conformance`` nox session, whose venv has erlen installed and no real Flask,
with ``ERLEN_AS_FLASK=1`` set: erlen's start-up hook (``erlen-as-flask.pth``) then calls
``erlen.install_as_flask()`` at interpreter start, in subprocesses too. Prints each pytest
summary and a final ``conformance: N passed, N failed`` line; exits non-zero when a test fails
that the known-failures file does not list, or when a listed test now passes (so the list only
shrinks).
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).parent

#: The suites to run: a label, the folder pytest runs in (relative to the sdist) and its target.
SUITES = (
    ("flask", ".", "tests"),
    ("tutorial", "examples/tutorial", "tests"),
    ("javascript", "examples/javascript", "tests"),
)


def read_known(path: pathlib.Path) -> dict[str, str]:
    """``node id -> reason`` from the known-failures file; every entry needs a reason."""
    known = {}
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        node, _, reason = line.partition(" # ")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: '{node}' needs a reason: '<node id> # <reason>'")
        known[node.strip()] = reason.strip()
    return known


def outcomes(report: pathlib.Path, label: str) -> dict[str, str]:
    """``label:node id -> passed|failed|skipped`` from a JUnit XML report."""
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        node = f"{label}:{module}.py::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            results[node] = "failed"
        elif case.find("skipped") is not None:
            results[node] = "skipped"
        else:
            results[node] = "passed"
    return results


def run_suite(source: pathlib.Path, label: str, folder: str, target: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = pathlib.Path(tmp) / "report.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            target,
            "-p",
            "conformance_plugin",
            "-q",
            "--tb=short",
            f"--junitxml={report}",
            "-o",
            "junit_family=xunit1",
        ]
        print(f"\n=== {label}: pytest {target} in {folder}", flush=True)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        }
        subprocess.run(command, cwd=source / folder, env=env, check=False)
        if not report.exists():
            raise SystemExit(f"{label}: pytest wrote no report; see its output above")
        return outcomes(report, label)


def main() -> int:
    source, known_file = map(pathlib.Path, sys.argv[1:3])
    known = read_known(known_file)
    results: dict[str, str] = {}
    for label, folder, target in SUITES:
        results.update(run_suite(source, label, folder, target))
    failed = {node for node, outcome in results.items() if outcome == "failed"}
    passed = sum(outcome == "passed" for outcome in results.values())
    skipped = sum(outcome == "skipped" for outcome in results.values())
    unexpected = sorted(failed - known.keys())
    fixed = sorted(node for node in known if results.get(node) == "passed")
    missing = sorted(node for node in known if node not in results)
    for node in unexpected:
        print(f"unexpected failure: {node}")
    for node in fixed:
        print(f"now passes, remove from {known_file.name}: {node}")
    for node in missing:
        print(f"listed but not run, remove from {known_file.name}: {node}")
    print(f"known failures: {len(failed & known.keys())} of {len(known)} listed")
    print(f"conformance: {passed} passed, {len(failed)} failed, {skipped} skipped")
    return 1 if unexpected or fixed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
