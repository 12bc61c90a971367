"""Every automation task of the erlen monorepo, one nox session each.

``nox`` runs the default sessions (what CI runs); ``nox -l`` lists them all. Packages are always
installed from this checkout, never from an index: each session passes the local folders of every
sibling a package needs in one installer call, so the exact ``==`` pins resolve locally.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import sys

import nox

sys.path.insert(0, str(pathlib.Path(__file__).parent / "tools"))

import workspace  # noqa: E402

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = [
    "lint",
    "typing",
    "versions",
    "tests",
    "build",
    "docs",
    "integration",
    "conformance",
    "dependencies",
    "extensions",
    "example",
]

ROOT = pathlib.Path(__file__).parent
DIST = ROOT / "dist"
#: The tutorial blog: an installable example project, not one of the released packages.
BLOG = ROOT / "examples" / "blog"
PACKAGES = workspace.packages(ROOT)
PACKAGE_NAMES = [p.name for p in PACKAGES]


def _install_packages(session: nox.Session, *names: str, groups: tuple[str, ...] = ()) -> None:
    """Install the named packages, every sibling they need, and their dependency groups."""
    wanted = workspace.closure(PACKAGES, names)
    refresh: list[str] = []
    if session.venv_backend == "uv":
        # uv keeps a local folder's build while its version is unchanged: rebuild ours always.
        refresh = [arg for p in wanted for arg in ("--reinstall-package", p.name)]
    session.install(*refresh, *(str(p.path) for p in wanted))
    for group in groups:
        for name in names:
            pyproject = nox.project.load_toml(str(workspace.by_name(PACKAGES, name).pyproject))
            requirements = pyproject.get("dependency-groups", {}).get(group, [])
            if requirements:
                session.install(*requirements)


def _install_blog(session: nox.Session) -> None:
    """Install the tutorial blog, without dependencies: erlen itself comes from this checkout."""
    refresh = ["--reinstall-package", "erlen-blog-example"] if session.venv_backend == "uv" else []
    session.install("--no-deps", *refresh, str(BLOG))


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check over the whole tree."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over every package's sources, the tools, the bench and the tutorial blog."""
    _install_packages(session, *PACKAGE_NAMES)
    session.install("mypy", "pytest", "asgiref", "python-dotenv", "cryptography", "tomli")
    session.run("mypy")


@nox.session
def versions(session: nox.Session) -> None:
    """Check that every version, sibling pin and changelog heading agree; test the checker."""
    session.install("pytest")
    session.run("python", "tools/versions.py", "check")
    session.run("pytest", "tools/tests", "-q")


@nox.session
@nox.parametrize("package", PACKAGE_NAMES, ids=PACKAGE_NAMES)
def tests(session: nox.Session, package: str) -> None:
    """One package's tests with only that package and what it declares installed."""
    info = workspace.by_name(PACKAGES, package)
    _install_packages(session, package, groups=("test",))
    env = {"COVERAGE_FILE": str(pathlib.Path(session.create_tmp()) / ".coverage")}
    # The package's own pyproject holds its coverage settings and floor (fail_under).
    rcfile = f"--rcfile={info.pyproject}"
    session.run(
        "coverage",
        "run",
        rcfile,
        f"--source={info.import_name}",
        "-m",
        "pytest",
        str(info.path / "tests"),
        *session.posargs,
        env=env,
    )
    session.run("coverage", "combine", "--quiet", rcfile, env=env)
    session.run("coverage", "report", rcfile, env=env)


def _build_dist(session: nox.Session) -> list[pathlib.Path]:
    """Build a wheel and an sdist of every package into dist/ and return the wheels."""
    session.install("uv")
    shutil.rmtree(DIST, ignore_errors=True)
    for package in PACKAGES:
        # uv builds the sdist first and the wheel from that sdist, which proves the sdist complete.
        session.run("uv", "build", "--quiet", "--out-dir", str(DIST), str(package.path))
    return sorted(DIST.glob("*.whl"))


@nox.session
def build(session: nox.Session) -> None:
    """Wheel and sdist of every package into dist/, wheels rebuilt from the sdists, checked."""
    session.run("python", "tools/versions.py", "check")
    _build_dist(session)
    session.install("twine")
    artifacts = sorted([*DIST.glob("*.whl"), *DIST.glob("*.tar.gz")])
    session.run("twine", "check", "--strict", *map(str, artifacts))
    session.run("python", "tools/check_dist.py", str(DIST))


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx site with warnings as errors."""
    _install_packages(session, *PACKAGE_NAMES)
    session.install("-r", "docs/requirements.txt")
    out = ROOT / "docs" / "_build" / "html"
    session.run("sphinx-build", "-E", "-W", "--keep-going", "-b", "html", "docs", str(out))


@nox.session
def integration(session: nox.Session) -> None:
    """tests-integration/ against the built wheels of every package."""
    wheels = sorted(DIST.glob("*.whl")) if DIST.exists() else []
    if len(wheels) != len(PACKAGES):
        wheels = _build_dist(session)
    session.install(*map(str, wheels))
    session.install("-r", "tests-integration/requirements.txt")
    _install_blog(session)
    session.run(
        "pytest",
        "tests-integration",
        *session.posargs,
        env={"ERLEN_DIST": str(DIST)},
    )


FLASK_VERSION = "3.1.3"
#: What Flask's own lock file gives its tests, with pytest pinned where newer releases change
#: behaviour Flask's tests check. Werkzeug is the newest release erlen allows.
CONFORMANCE_REQUIREMENTS = (
    "pytest==9.0.*",
    "asgiref==3.11.0",
    "greenlet==3.2.4",
    "python-dotenv==1.2.1",
)


def _flask_source(session: nox.Session) -> pathlib.Path:
    """Flask's sdist, downloaded once into build/conformance/ and unpacked afresh."""
    # Not session.create_tmp(): that points TMPDIR inside the venv, and Flask's tests would
    # then see their temporary modules as installed in sys.prefix.
    tmp = ROOT / "build" / "conformance"
    tmp.mkdir(parents=True, exist_ok=True)
    sdist = tmp / f"flask-{FLASK_VERSION}.tar.gz"
    if not sdist.exists():
        session.install("pip")
        session.run(
            "python",
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"flask=={FLASK_VERSION}",
            "--dest",
            str(tmp),
        )
    source = tmp / f"flask-{FLASK_VERSION}"
    shutil.rmtree(source, ignore_errors=True)
    shutil.unpack_archive(sdist, tmp)
    return source


def _run_conformance(session: nox.Session, source: pathlib.Path) -> None:
    """Flask's suite and its two example apps' suites, in the session's venv, erlen as flask."""
    examples = [str(source / "examples" / name) for name in ("tutorial", "javascript")]
    session.install("--no-deps", *examples)
    known = ROOT / "tests-integration" / "conformance" / "known-failures.txt"
    # erlen's start-up hook makes every Python process of the run (pytest, the subprocesses of
    # Flask's CLI tests) call install_as_flask() before anything imports flask.
    session.run(
        "python",
        "tools/conformance.py",
        str(source),
        str(known),
        env={"ERLEN_AS_FLASK": "1"},
    )


@nox.session
def conformance(session: nox.Session) -> None:
    """Flask 3.1.3's own test suite and example apps, run against erlen via install_as_flask()."""
    source = _flask_source(session)
    _install_packages(session, *PACKAGE_NAMES)
    session.install(*CONFORMANCE_REQUIREMENTS)
    _run_conformance(session, source)


#: The third-party distributions erlen runs on, whose lowest and newest releases CI tests.
RUNTIME_DEPENDENCIES = ("werkzeug", "jinja2", "click", "blinker", "itsdangerous", "markupsafe")


@nox.session
@nox.parametrize("resolution", ["lowest", "newest"], ids=["lowest", "newest"])
def dependencies(session: nox.Session, resolution: str) -> None:
    """Every package's tests and Flask's suite on the lowest releases of the runtime dependencies
    that the packages' metadata allows, or on the newest releases on the index."""
    source = _flask_source(session)
    _install_packages(session, *PACKAGE_NAMES, groups=("test",))
    if resolution == "lowest":
        lowest = workspace.lowest_requirements(PACKAGES)
        pins = (f"{name}=={version}" for name, version in lowest.items())
        session.install(*CONFORMANCE_REQUIREMENTS, *pins)
    else:
        session.install(*CONFORMANCE_REQUIREMENTS)
        session.install("--upgrade", *RUNTIME_DEPENDENCIES)
    session.log(f"{resolution} releases in use:")
    show = "import importlib.metadata as m, sys; [print(n, m.version(n)) for n in sys.argv[1:]]"
    session.run("python", "-c", show, *RUNTIME_DEPENDENCIES)
    for package in PACKAGES:
        session.run("pytest", str(package.path / "tests"), "-q")
    # Flask's suite runs on erlen alone: the package tests' reference Flask leaves the venv.
    session.install("pip")
    session.run("python", "-m", "pip", "uninstall", "--quiet", "--yes", "flask")
    _run_conformance(session, source)


@nox.session
def extensions(session: nox.Session) -> None:
    """The extensions' own test suites on erlen and on real Flask 3.1.3, side by side.

    ``nox -s extensions -- flask-login flask-cors`` runs only the named suites; the sdists,
    venvs and logs live under ``build/extensions``.
    """
    # The script makes a uv venv per suite and side, and pip downloads the sdists.
    session.install("uv", "pip")
    session.run("python", "tools/extensions.py", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """erlen beside Flask 3.1.3 and a raw WSGI app, in-process and behind a real server.

    Time and instruction ratios per scenario against the performance targets, keep-alive
    requests per second through granian with wrk, worker memory and import time. The full run
    needs the Debian packages valgrind and wrk;
    ``nox -s bench -- --help`` lists the options.
    """
    _install_packages(session, "erlen")
    session.install(f"flask=={FLASK_VERSION}", "gunicorn>=23", "granian>=2")
    for tool in ("valgrind", "wrk"):
        if shutil.which(tool) is None:
            session.warn(f"{tool} not found: its part of the run is skipped")
    session.chdir(ROOT / "bench")
    session.run("python", "bench.py", *session.posargs)
    # The ASGI side: erlen's app.asgi beside its ASGI peers, and the concurrency check.
    session.install("starlette", "fastapi", "quart", "uvicorn")
    session.run("python", "asgi.py")


@nox.session
def example(session: nox.Session) -> None:
    """The tutorial blog's tests, with erlen installed from this checkout."""
    _install_packages(session, "erlen")
    _install_blog(session)
    session.install("pytest")
    session.run("pytest", str(BLOG / "tests"), *session.posargs)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Serve the tutorial blog at http://127.0.0.1:5000 (nox -s serve -- --host H --port P).

    The blog creates its SQLite database on first start, in the session's instance folder
    (``.nox/serve/var/blog-instance``); ``BLOG_DATABASE`` puts it elsewhere.
    """
    _install_packages(session, "erlen")
    _install_blog(session)
    # click keeps the last of a repeated option, so the arguments given win over these defaults.
    args = ["--host", "127.0.0.1", "--port", "5000", *session.posargs]
    session.run("erlen", "--app", "blog", "run", *args)


@nox.session(default=False)
def soak(session: nox.Session) -> None:
    """Sustained mixed load on the tutorial blog under gunicorn (nox -s soak -- --help).

    The driver starts gunicorn on a free local port with a fresh database, sends 200,000
    requests from several client processes and fails on any 5xx, unexpected 4xx, lost write,
    worker memory growth of 10% or more, or a server that dies; see ``docs/security.md``.
    """
    _install_packages(session, "erlen")
    _install_blog(session)
    # 25.1 brought --no-control-socket, which the driver passes.
    session.install("gunicorn>=25.1")
    session.run("python", "-m", "tools.soak", *session.posargs)


@nox.session(default=False)
def release(session: nox.Session) -> None:
    """Set one new version on every package and sibling pin: nox -s release -- X.Y.Z."""
    if len(session.posargs) != 1:
        session.error("give exactly one version: nox -s release -- X.Y.Z")
    session.run("python", "tools/versions.py", "set", session.posargs[0])
    session.run("python", "tools/versions.py", "check")


if os.environ.get("CI"):
    nox.options.reuse_venv = "no"
