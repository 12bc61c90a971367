"""Run the Flask extensions' own test suites on erlen and on real Flask, side by side.

    python tools/extensions.py [SUITE ...]

Run inside the ``extensions`` nox session (its venv has ``uv`` and ``pip``). For each suite of
:data:`SUITES` (or the ones named), the extension's PyPI sdist is downloaded once into
``build/extensions/sdists``, unpacked afresh for each side in a temporary folder outside this
checkout (whose pytest configuration would otherwise apply to a suite that has none of its own),
and its tests run with pytest twice, each side in its own uv venv under ``build/extensions/venvs``
(kept between runs, so a second run only checks what is installed):

``flask``
    the reference: real Flask 3.1.3, the extension and its test dependencies.
``erlen``
    the same requirements plus the wheels of all nine erlen packages built from this checkout,
    with ``ERLEN_AS_FLASK=1`` set, so erlen's start-up hook makes ``import flask`` resolve to
    erlen in every process; the run checks that it does before pytest starts.

pytest runs as the extension's users run it: in the unpacked sdist, with its own configuration
and every installed plugin (erlen's among them). Each run's output goes to
``build/extensions/logs``. Names the tests erlen loses, prints one row per suite, and exits
non-zero when erlen passes fewer tests than the reference did in the same run, or the reference
fewer than the figure measured for it (a broken reference would hide everything).
"""

from __future__ import annotations

import collections
import dataclasses
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import workspace

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "extensions"
LOGS = WORK / "logs"

#: What both sides pin, so that their counts compare: the Flask API erlen provides, the Werkzeug
#: range erlen allows (both sides resolve its newest release), and the pytest the reference
#: figures were measured with.
COMMON_REQUIREMENTS = ("flask==3.1.3", "werkzeug>=3.1.8,<3.2", "pytest==9.0.*")

#: A run that takes longer than this (seconds) counts as hung and is stopped.
TIMEOUT = 900


@dataclasses.dataclass(frozen=True)
class Suite:
    """One extension whose shipped tests are run."""

    name: str
    version: str
    #: What its tests need beside pytest and the extension itself.
    requirements: tuple[str, ...]
    #: Tests passed on Flask 3.1.3 when this table was written. erlen is held to the reference's
    #: count in the same run; a reference below this figure means the run itself is broken.
    measured: int
    #: pytest options the reference itself needs (never used to hide an erlen failure).
    options: tuple[str, ...] = ()
    #: Environment variables the suite must not see.
    unset: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


SUITES = (
    Suite("flask-login", "0.6.3", ("asgiref", "blinker", "semantic-version"), 114),
    Suite("flask-cors", "6.0.5", ("packaging",), 98),
    Suite("flask-wtf", "1.3.0", ("flask-babel", "flask-reuploaded"), 85),
    Suite("flask-sqlalchemy", "3.1.1", ("blinker", "sqlalchemy==2.0.20"), 452),
    Suite(
        "flask-caching",
        "2.5.1",
        ("asgiref", "pytest-asyncio", "pytest-xprocess", "redis", "python-memcached"),
        211,
        # With CI=true its server fixtures fail instead of skipping when no server runs.
        unset=("CI",),
    ),
    # Three of its modules cannot be collected on Flask 3.1.3 and pytest 9 (test_api imports
    # flask.signals.signals_available, gone since Flask 3.0; two use yield tests, gone since
    # pytest 4), and 39 of the tests it does collect fail on Flask too.
    Suite(
        "flask-restful",
        "0.3.10",
        ("nose", "mock", "blinker", "pytz", "six"),
        93,
        options=("--continue-on-collection-errors",),
    ),
    # Run as its own tox.ini runs it.
    Suite("flask-migrate", "4.1.0", ("sqlalchemy>=2",), 7, options=("-p", "no:logging")),
    Suite("pytest-flask", "1.3.0", ("mock",), 34),
    Suite(
        "flask-smorest",
        "0.47.0",
        ("asgiref", "packaging", "marshmallow", "webargs", "apispec", "PyYAML"),
        554,
    ),
    Suite(
        "apiflask",
        "3.1.2",
        (
            "asgiref",
            "packaging",
            "jsonschema",
            "openapi-spec-validator",
            "PyYAML",
            "requests",
            "authlib",
            "flask-sqlalchemy",
            "marshmallow-dataclass",
            "marshmallow==4.0.1",
        ),
        523,
        # Its addopts ask for pytest-cov's options; coverage is not what is compared here.
        options=("-o", "addopts="),
    ),
)

#: The two sides of every suite, in the order they run.
SIDES = ("flask", "erlen")


@dataclasses.dataclass
class Outcome:
    """What one pytest run of one suite gave."""

    #: ``test -> passed|failed|errors|skipped`` for every test case of the run.
    results: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Why the run gave no results at all (no report, a hang, the hook not active), if it did not.
    broken: str = ""

    @property
    def counts(self) -> collections.Counter[str]:
        return collections.Counter(self.results.values())

    @property
    def passed(self) -> int:
        return self.counts["passed"]

    def passing(self) -> set[str]:
        return {test for test, result in self.results.items() if result == "passed"}


def uv(*args: str | os.PathLike[str]) -> None:
    uv_command = shutil.which("uv")
    if uv_command is None:
        raise SystemExit("uv not found: run this inside the 'extensions' nox session")
    subprocess.run([uv_command, *map(str, args)], check=True)


def build_erlen_wheels() -> list[pathlib.Path]:
    """A wheel of every erlen package from this checkout, built afresh for this run."""
    out = WORK / "wheels"
    shutil.rmtree(out, ignore_errors=True)
    for package in workspace.packages(ROOT):
        uv("build", "--quiet", "--wheel", "--out-dir", out, package.path)
    return sorted(out.glob("*.whl"))


def sdist(suite: Suite) -> pathlib.Path:
    """The suite's sdist, downloaded on first use and kept for later runs."""
    folder = WORK / "sdists" / f"{suite.name}-{suite.version}"
    found = sorted(folder.glob("*.tar.gz"))
    if not found:
        requirement = f"{suite.name}=={suite.version}"
        download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        options = ["--no-binary", ":all:", "--dest", str(folder), requirement]
        subprocess.run([*download, *options], check=True)
        found = sorted(folder.glob("*.tar.gz"))
    if len(found) != 1:
        raise SystemExit(f"{folder}: expected one sdist, found {len(found)}")
    return found[0]


def unpack(archive: pathlib.Path, target: pathlib.Path) -> pathlib.Path:
    """A fresh copy of the sdist in ``target``: the tests write into their tree."""
    shutil.unpack_archive(archive, target)
    (tree,) = target.iterdir()
    return tree


def venv(suite: Suite, side: str, wheels: list[pathlib.Path]) -> pathlib.Path:
    """The side's venv with everything its run needs; reused when it exists."""
    path = WORK / "venvs" / f"{suite.name}-{side}"
    if not (path / "pyvenv.cfg").exists():
        uv("venv", "--quiet", "--python", sys.executable, path)
    requirements = [*COMMON_REQUIREMENTS, f"{suite.name}=={suite.version}", *suite.requirements]
    ours: list[str | pathlib.Path] = []
    if side == "erlen":
        # The wheels' versions do not change between commits: reinstall them every run.
        ours = [*wheels]
        for wheel in wheels:
            ours += ["--reinstall-package", wheel.name.partition("-")[0].replace("_", "-")]
    uv("pip", "install", "--quiet", "--python", python(path), *ours, *requirements)
    return path


def python(path: pathlib.Path) -> pathlib.Path:
    return path / ("Scripts" if os.name == "nt" else "bin") / "python"


def environment(suite: Suite, side: str, path: pathlib.Path) -> dict[str, str]:
    """The environment of a run: the venv first on PATH, the hook switched on for erlen."""
    env = {k: v for k, v in os.environ.items() if k not in suite.unset and k != "ERLEN_AS_FLASK"}
    env["VIRTUAL_ENV"] = str(path)
    env["PATH"] = os.pathsep.join([str(python(path).parent), env.get("PATH", "")])
    if side == "erlen":
        env["ERLEN_AS_FLASK"] = "1"
    return env


def hook_active(path: pathlib.Path, env: dict[str, str]) -> bool:
    """Whether ``import flask`` gives erlen in the venv, with real Flask installed beside it."""
    check = "import flask, erlen; assert flask is erlen, flask.__file__"
    result = subprocess.run([python(path), "-c", check], env=env, cwd=path, check=False)
    return result.returncode == 0


#: What a JUnit test case's child element says about it, most telling first.
VERDICTS = (("error", "errors"), ("failure", "failed"), ("skipped", "skipped"))


def results(report: pathlib.Path) -> dict[str, str]:
    """``test -> passed|failed|errors|skipped`` from a JUnit XML report."""
    found = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        tags = (result for tag, result in VERDICTS if case.find(tag) is not None)
        found[f"{case.get('classname')}::{case.get('name')}"] = next(tags, "passed")
    return found


def run(suite: Suite, side: str, archive: pathlib.Path, wheels: list[pathlib.Path]) -> Outcome:
    """One side of one suite: its venv, a fresh tree, the pytest run and its counts."""
    prefix = f"erlen-{suite.name}-{side}-"
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as tmp:
        return run_in(suite, side, unpack(archive, pathlib.Path(tmp)), wheels)


def run_in(suite: Suite, side: str, tree: pathlib.Path, wheels: list[pathlib.Path]) -> Outcome:
    path = venv(suite, side, wheels)
    env = environment(suite, side, path)
    if side == "erlen" and not hook_active(path, env):
        return Outcome(broken="import flask did not give erlen")
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{suite.name}-{side}.log"
    report = LOGS / f"{suite.name}-{side}.xml"
    report.unlink(missing_ok=True)
    command = [str(python(path).parent / "pytest"), f"--junitxml={report}", *suite.options]
    print(f"--- {suite.label} on {side}: log in {log.relative_to(ROOT)}", flush=True)
    with log.open("w", encoding="utf-8") as out:
        try:
            subprocess.run(
                command, cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return Outcome(broken=f"stopped after {TIMEOUT} s")
    if not report.exists():
        return Outcome(broken="pytest wrote no report")
    return Outcome(results(report))


def verdict(suite: Suite, reference: Outcome, erlen: Outcome) -> str:
    """``ok``, or what makes the suite fail the session."""
    if reference.broken or reference.passed < suite.measured:
        return f"FAIL: the reference passed fewer than the {suite.measured} measured"
    if erlen.broken or erlen.passed < reference.passed:
        return "FAIL: erlen passed fewer than the reference"
    return "ok"


def row(suite: Suite, reference: Outcome, erlen: Outcome) -> tuple[str, ...]:
    def cell(outcome: Outcome) -> str:
        return outcome.broken or str(outcome.passed)

    failed = f"{erlen.counts['failed']}/{erlen.counts['errors']}"
    return (suite.label, cell(reference), cell(erlen), failed, verdict(suite, reference, erlen))


def table(rows: list[tuple[str, ...]]) -> str:
    header = ("suite", "flask passed", "erlen passed", "erlen failed/errors", "")
    lines = [header, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


#: How many of the tests a suite passes on Flask but not on erlen are named in the output.
SHOWN = 20


def lost(suite: Suite, reference: Outcome, erlen: Outcome) -> None:
    """Name what erlen lost: errors only erlen has (a module that fails to import comes first),
    then the tests that pass on Flask and not on erlen; the log says why."""
    errors = {test for test, result in erlen.results.items() if result == "errors"}
    errors -= {test for test, result in reference.results.items() if result == "errors"}
    lines = [f"errors on erlen only: {test}" for test in sorted(errors)]
    for test in sorted(reference.passing() - erlen.passing() - errors):
        lines.append(f"passes on Flask, {erlen.results.get(test, 'not run')} on erlen: {test}")
    for line in lines[:SHOWN]:
        print(f"    {line}")
    if len(lines) > SHOWN:
        log = LOGS.relative_to(ROOT) / f"{suite.name}-erlen.log"
        print(f"    … and {len(lines) - SHOWN} more in {log}")


def main(names: list[str]) -> int:
    known = {suite.name: suite for suite in SUITES}
    unknown = sorted(set(names) - known.keys())
    if unknown:
        raise SystemExit(f"unknown suites: {', '.join(unknown)}; known: {', '.join(known)}")
    chosen = [known[name] for name in names] if names else list(SUITES)
    wheels = build_erlen_wheels()
    rows = []
    for suite in chosen:
        archive = sdist(suite)
        reference, erlen = (run(suite, side, archive, wheels) for side in SIDES)
        lost(suite, reference, erlen)
        rows.append(row(suite, reference, erlen))
    print()
    print(table(rows))
    at_parity = sum(line[4] == "ok" for line in rows)
    print(f"\nextensions: {at_parity} of {len(rows)} suites at parity with Flask 3.1.3")
    return 0 if at_parity == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
