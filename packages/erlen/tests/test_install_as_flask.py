"""install_as_flask() in fresh interpreters: ``flask`` becomes erlen, everywhere it is imported."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest


def run(code: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def check(code: str, cwd: pathlib.Path | None = None) -> str:
    result = run(code, cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_flask_and_its_modules_resolve_to_erlen() -> None:
    out = check(
        """
        import erlen
        erlen.install_as_flask()
        erlen.install_as_flask()  # harmless the second time
        import flask
        from flask import Flask, Blueprint, request, session
        from flask.app import Flask as AppFlask
        from flask.json.provider import DefaultJSONProvider
        from flask.json.tag import TaggedJSONSerializer
        from flask.sansio.scaffold import Scaffold
        import flask.testing, flask.cli, flask.views
        import erlen_core, erlen_core.json.provider, erlen_sessions.tag
        assert flask is erlen and Flask is erlen.Erlen is AppFlask
        assert DefaultJSONProvider is erlen_core.json.provider.DefaultJSONProvider
        assert TaggedJSONSerializer is erlen_sessions.tag.TaggedJSONSerializer
        assert Scaffold is erlen_core.sansio.scaffold.Scaffold
        import sys
        real = [m for m, v in sys.modules.items() if m.split(".")[0] == "flask"
                and "erlen" not in (getattr(v, "__file__", "") or "")]
        print("real:", real)
        """
    )
    assert "real: []" in out


def test_extension_style_code_runs_unchanged() -> None:
    out = check(
        """
        import erlen
        erlen.install_as_flask()
        import flask
        from flask.globals import app_ctx
        from flask.signals import Namespace
        from flask.views import MethodView

        signals = Namespace()
        ready = signals.signal("ext-ready")
        seen = []
        ready.connect(lambda sender, **kw: seen.append(sender.name), weak=False)

        class Items(MethodView):
            def get(self):
                return {"ctx": type(app_ctx._get_current_object()).__name__}

            def post(self):
                return "made", 201

        app = flask.Flask("ext")
        view = Items.as_view("items")
        app.add_url_rule("/items", view_func=view)
        assert view.view_class is Items
        assert sorted(view.methods) == ["GET", "POST"]

        app.after_request_funcs[None].append(lambda r: (r.headers.set("X-Ext", "1"), r)[1])
        handled = []
        original = app.handle_exception

        def handle_exception(e):  # what Flask-RESTful does: wrap the bound method
            handled.append(type(e).__name__)
            return original(e)

        app.handle_exception = handle_exception

        @app.route("/boom")
        def boom():
            raise ValueError("boom")

        ready.send(app)
        client = app.test_client()
        got = client.get("/items")
        assert got.json == {"ctx": "AppContext"} and got.headers["X-Ext"] == "1"
        assert client.post("/items").status_code == 201
        failed = client.get("/boom")
        assert failed.status_code == 500 and b"Internal Server Error" in failed.data
        assert handled == ["ValueError"] and seen == ["ext"]
        print("ok")
        """
    )
    assert out.strip() == "ok"


def test_refuses_after_real_flask_was_imported() -> None:
    pytest.importorskip("flask")
    result = run(
        """
        import flask
        import erlen
        erlen.install_as_flask()
        """
    )
    assert result.returncode == 1
    assert "RuntimeError: 'flask' was already imported from" in result.stderr
    assert "before anything imports flask" in result.stderr


def test_python_m_erlen_runs_the_cli(tmp_path: pathlib.Path) -> None:
    (tmp_path / "hello.py").write_text(
        "import erlen\napp = erlen.Erlen(__name__)\n"
        "@app.route('/hi/<name>')\ndef hi(name):\n    return name\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "erlen", "--app", "hello", "routes"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "hi" in result.stdout and "/hi/<name>" in result.stdout
    version = subprocess.run(
        [sys.executable, "-m", "erlen", "--version"], capture_output=True, text=True, timeout=60
    )
    assert "Erlen 0." in version.stdout and "Werkzeug" in version.stdout


def test_warnings_carry_flask_app_as_their_module() -> None:
    out = check(
        """
        import warnings
        import erlen
        erlen.install_as_flask()
        import flask

        app = flask.Flask("named", subdomain_matching=True)
        app.config["SERVER_NAME"] = "example.com"
        app.add_url_rule("/", "index", lambda: "ok")
        warnings.simplefilter("error")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Current server name", UserWarning, "flask.app")
            assert app.test_client().get("/", "http://other.test/").status_code == 404
        try:
            app.test_client().get("/", "http://other.test/")
        except UserWarning as warning:
            print("warned:", warning)
        """
    )
    assert "warned: Current server name 'other.test' doesn't match" in out


def test_flask_distribution_metadata_is_erlen() -> None:
    out = check(
        """
        import importlib.metadata, sys, warnings
        import erlen
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            before = erlen.__version__
        assert before == importlib.metadata.version("erlen")
        assert caught[0].category is DeprecationWarning
        erlen.install_as_flask()
        erlen.install_as_flask()
        finders = [f for f in sys.meta_path if type(f).__name__ == "FlaskMetadataFinder"]
        assert len(finders) == 1
        import flask
        from erlen_cli.version import version_lines
        meta = importlib.metadata.metadata("Flask")
        assert meta["Name"] == "Flask" and "erlen" in meta["Summary"]
        assert importlib.metadata.distribution("flask").files is None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            assert flask.__version__ == importlib.metadata.version("flask")
        # Other distributions and imports are untouched.
        assert importlib.metadata.version("werkzeug")
        import json.decoder
        print(importlib.metadata.version("flask"))
        print(version_lines()[2])
        """
    )
    assert out.splitlines() == ["3.1.3", "Flask 3.1.3 (provided by erlen)"]


HOOK = pathlib.Path(sysconfig.get_paths()["purelib"]) / "erlen-as-flask.pth"
needs_hook = pytest.mark.skipif(
    not HOOK.exists(), reason="erlen is installed without its start-up hook (an editable install)"
)


def run_with(env_value: str | None, args: list[str], cwd: pathlib.Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ERLEN_AS_FLASK"}
    if env_value is not None:
        env["ERLEN_AS_FLASK"] = env_value
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_hook
@pytest.mark.parametrize(
    ("value", "aliased"), [("1", True), ("0", False), ("", False), (None, False)]
)
def test_erlen_as_flask_variable_installs_at_start(
    tmp_path: pathlib.Path, value: str | None, aliased: bool
) -> None:
    code = (
        "import sys; print('flask' in sys.modules and sys.modules['flask'] is sys.modules['erlen'])"
    )
    assert run_with(value, [sys.executable, "-c", code], tmp_path).strip() == str(aliased)


@needs_hook
def test_flask_command_runs_unchanged_apps_on_erlen(tmp_path: pathlib.Path) -> None:
    (tmp_path / "hello.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n"
        "@app.route('/hi/<name>')\ndef hi(name):\n    return name\n"
    )
    commands = [[sys.executable, "-m", "flask"]]
    # The real Flask (a test dependency here) installs the flask script; it runs erlen too.
    script = shutil.which("flask", path=str(pathlib.Path(sys.executable).parent))
    if script is not None:
        commands.append([script])
    for command in commands:
        routes = run_with("1", [*command, "--app", "hello", "routes"], tmp_path)
        assert "hi" in routes and "/hi/<name>" in routes
        version = run_with("1", [*command, "--version"], tmp_path)
        assert "Flask 3.1.3 (provided by erlen)" in version
