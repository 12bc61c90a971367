"""``erlen run --asgi``: options, server selection, what each server is asked, and the factory
that loads the app in the server's own process.

The servers are replaced by recording stand-ins; tests-integration starts real ones.
"""

from __future__ import annotations

import asyncio
import importlib.machinery
import importlib.metadata
import json
import os
import pathlib
import ssl
import subprocess
import sys
import types
import typing as t

import asgiapp
import click
import pytest
from click.testing import CliRunner
from miniapp import AsgiMiniApp
from miniapp import MiniApp

import erlen_cli.serve
from erlen_cli import ErlenGroup
from erlen_cli import ScriptInfo
from erlen_cli.asgi import AppSpec
from erlen_cli.asgi import FACTORY
from erlen_cli.asgi import load_asgi_app
from erlen_cli.asgi import SPEC_VARIABLE

SERVER_MODULES = {
    "uvicorn": ("uvicorn",),
    "hypercorn": ("hypercorn", "hypercorn.config", "hypercorn.asyncio", "hypercorn.run"),
    "granian": ("granian", "granian.constants"),
    "watchfiles": ("watchfiles",),
}


def _module(name: str, **attrs: t.Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    vars(module).update(attrs)
    return module


class HypercornConfig:
    bind: list[str]
    certfile: str | None
    keyfile: str | None
    accesslog: str | None = None
    use_reloader = False
    application_path = ""


class DefaultFilter:
    def __call__(self, change: t.Any, path: str) -> bool:
        return not path.endswith(".pyc")


class Servers:
    """Stand-ins for the server modules; each records how it was called in :attr:`calls`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.calls: list[tuple[str, tuple[t.Any, ...], dict[str, t.Any]]] = []
        #: What the stand-ins saw of the environment when they were started.
        self.spec: AppSpec | None = None
        self.hypercorn_exit = 0
        monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.9")
        self.install()

    def record(self, name: str, *args: t.Any, **kwargs: t.Any) -> None:
        self.calls.append((name, args, kwargs))
        if SPEC_VARIABLE in os.environ:
            self.spec = AppSpec.from_environ()

    def install(self, *names: str) -> None:
        """Make only ``names`` installed."""
        for modules in SERVER_MODULES.values():
            for module in modules:
                self.monkeypatch.setitem(sys.modules, module, None)
        made = {
            "uvicorn": [_module("uvicorn", run=self.uvicorn_run)],
            "hypercorn": [
                _module("hypercorn"),
                _module("hypercorn.config", Config=HypercornConfig),
                _module("hypercorn.asyncio", serve=self.hypercorn_serve),
                _module("hypercorn.run", run=self.hypercorn_run),
            ],
            "granian": [
                _module("granian", Granian=self.granian),
                _module("granian.constants", Interfaces=types.SimpleNamespace(ASGI="asgi")),
            ],
            "watchfiles": [_module("watchfiles", DefaultFilter=DefaultFilter)],
        }
        for name in names:
            for module in made[name]:
                self.monkeypatch.setitem(sys.modules, module.__name__, module)

    def uvicorn_run(self, app: t.Any, **kwargs: t.Any) -> None:
        self.record("uvicorn", app, **kwargs)

    async def hypercorn_serve(self, app: t.Any, config: HypercornConfig, **kwargs: t.Any) -> None:
        self.record("hypercorn.serve", app, config, **kwargs)

    def hypercorn_run(self, config: HypercornConfig) -> int:
        self.record("hypercorn.run", config)
        return self.hypercorn_exit

    def granian(self, target: str, **kwargs: t.Any) -> types.SimpleNamespace:
        return types.SimpleNamespace(serve=lambda: self.record("granian", target, **kwargs))


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Servers:
    # Whatever a test sets is removed again.
    monkeypatch.setenv(SPEC_VARIABLE, "")
    monkeypatch.delenv(SPEC_VARIABLE)
    return Servers(monkeypatch)


@pytest.fixture
def app() -> AsgiMiniApp:
    return AsgiMiniApp("served")


@pytest.fixture
def run(app: MiniApp, runner: CliRunner) -> t.Callable[..., t.Any]:
    group = ErlenGroup(create_app=lambda: app)

    def run(*args: str, **kwargs: t.Any) -> t.Any:
        return runner.invoke(group, ["run", *args], **kwargs)

    return run


def run_importable(*args: str, **kwargs: t.Any) -> t.Any:
    """Run ``erlen run`` for an app whose factory another process can import."""
    return CliRunner().invoke(ErlenGroup(create_app=asgiapp.create_app), ["run", *args], **kwargs)


def _asgi_call(app: t.Any, scope: dict[str, t.Any], incoming: list[t.Any]) -> list[t.Any]:
    """Run an ASGI app on ``scope``; return what it sent."""
    sent: list[t.Any] = []

    async def receive() -> t.Any:
        return incoming.pop(0)

    async def send(message: t.Any) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


class TestServerSelection:
    def test_none_installed_says_what_to_install(
        self, servers: Servers, run: t.Callable[..., t.Any]
    ) -> None:
        result = run("--asgi")
        assert result.exit_code == 2
        assert "'--asgi' needs an ASGI server installed: pip install uvicorn" in result.stderr
        assert "Looked for uvicorn, hypercorn, granian." in result.stderr
        assert servers.calls == []

    @pytest.mark.parametrize(
        ("installed", "picked"),
        [
            (("uvicorn", "hypercorn", "granian"), "uvicorn"),
            (("hypercorn", "granian"), "hypercorn.serve"),
            (("granian",), "granian"),
        ],
    )
    def test_the_first_installed_serves(
        self, servers: Servers, installed: tuple[str, ...], picked: str
    ) -> None:
        servers.install(*installed)
        result = run_importable("--asgi")
        assert result.exit_code == 0, result.output
        assert [call[0] for call in servers.calls] == [picked]

    def test_named_server(self, servers: Servers, run: t.Callable[..., t.Any]) -> None:
        servers.install("uvicorn", "hypercorn")
        result = run("--asgi-server", "hypercorn")
        assert result.exit_code == 0, result.output
        assert [call[0] for call in servers.calls] == ["hypercorn.serve"]
        assert " * Server: hypercorn 9.9, ASGI (app.asgi)" in result.output

    def test_named_server_not_installed(
        self, servers: Servers, run: t.Callable[..., t.Any]
    ) -> None:
        servers.install("uvicorn")
        result = run("--asgi-server", "granian")
        assert result.exit_code == 2
        assert "'--asgi-server granian' needs granian installed (pip install granian)" in (
            result.stderr
        )

    def test_unknown_server(self, servers: Servers, run: t.Callable[..., t.Any]) -> None:
        result = run("--asgi-server", "daphne")
        assert result.exit_code == 2
        assert "'daphne' is not one of 'uvicorn', 'hypercorn', 'granian'" in result.stderr

    def test_from_the_environment(self, servers: Servers) -> None:
        servers.install("uvicorn", "granian")
        run_importable(env={"FLASK_RUN_ASGI": "1"})
        run_importable(env={"FLASK_RUN_ASGI_SERVER": "granian"})
        assert [call[0] for call in servers.calls] == ["uvicorn", "granian"]


class TestUvicorn:
    @pytest.fixture(autouse=True)
    def _installed(self, servers: Servers) -> None:
        servers.install("uvicorn")

    def test_serves_the_app_object(
        self, servers: Servers, run: t.Callable[..., t.Any], app: AsgiMiniApp
    ) -> None:
        result = run("--asgi", "-h", "0.0.0.0", "-p", "8123")
        assert result.exit_code == 0, result.output
        assert servers.calls == [
            (
                "uvicorn",
                (app.asgi,),
                {"host": "0.0.0.0", "port": 8123, "ssl_certfile": None, "ssl_keyfile": None},
            )
        ]
        assert servers.spec is None
        assert result.output.splitlines() == [
            " * Debug mode: off",
            " * Server: uvicorn 9.9, ASGI (app.asgi)",
        ]

    def test_reload_gets_the_factory(
        self,
        servers: Servers,
        runner: CliRunner,
        apps_dir: pathlib.Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.chdir(apps_dir)
        result = runner.invoke(ErlenGroup(), ["--app", "asgiapp", "run", "--asgi", "--debug"])
        assert result.exit_code == 0, result.output
        [(_, args, kwargs)] = servers.calls
        assert args == (FACTORY,)
        assert kwargs == {
            "host": "127.0.0.1",
            "port": 5000,
            "ssl_certfile": None,
            "ssl_keyfile": None,
            "factory": True,
            "reload": True,
            "reload_dirs": [str(apps_dir)],
            "reload_includes": None,
            "reload_excludes": None,
        }
        assert servers.spec == AppSpec(app_import_path="asgiapp", reloading=True)
        assert " * Serving erlen app 'asgiapp'\n * Debug mode: on\n" in result.output
        # Only the server's processes see the variable.
        assert SPEC_VARIABLE not in os.environ

    def test_extra_files_and_exclude_patterns(
        self, servers: Servers, run: t.Callable[..., t.Any], tmp_path: pathlib.Path
    ) -> None:
        servers.install("uvicorn", "watchfiles")
        settings = tmp_path / "settings.toml"
        args = ["--asgi", "--reload", "--extra-files", str(settings)]
        result = run(*args, "--exclude-patterns", f"*.log{os.pathsep}*/tmp/*")
        # A create_app callable made in a test cannot be imported by a new process.
        assert result.exit_code == 2
        assert "which the server's own process cannot import" in result.stderr

        result = run_importable(*args, "--exclude-patterns", "*.log")
        assert result.exit_code == 0, result.output
        [(_, _, kwargs)] = servers.calls
        assert kwargs["reload_dirs"] == sorted([os.getcwd(), str(tmp_path)])
        assert kwargs["reload_includes"] == ["settings.toml"]
        assert kwargs["reload_excludes"] == ["*.log"]
        assert servers.spec == AppSpec(create_app="asgiapp:create_app", reloading=True)

    def test_extra_files_need_watchfiles(
        self, servers: Servers, run: t.Callable[..., t.Any]
    ) -> None:
        result = run("--asgi", "--reload", "--exclude-patterns", "*.log")
        assert result.exit_code == 2
        assert "with uvicorn needs watchfiles (pip install watchfiles)" in result.stderr
        assert servers.calls == []

    def test_reload_needs_an_importable_factory(
        self, servers: Servers, run: t.Callable[..., t.Any]
    ) -> None:
        result = run("--asgi", "--debug")
        assert result.exit_code == 2
        assert "serve without '--reload' with uvicorn or hypercorn" in result.stderr
        assert servers.calls == []

    def test_certificate_files(
        self, servers: Servers, run: t.Callable[..., t.Any], tmp_path: pathlib.Path
    ) -> None:
        cert, key = tmp_path / "dev.crt", tmp_path / "dev.key"
        cert.write_text("certificate")
        key.write_text("key")
        run("--asgi", "--cert", str(cert), "--key", str(key))
        kwargs = servers.calls[0][2]
        assert (kwargs["ssl_certfile"], kwargs["ssl_keyfile"]) == (str(cert), str(key))

    def test_adhoc_certificate_lasts_while_serving(
        self, servers: Servers, run: t.Callable[..., t.Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "cryptography", types.ModuleType("cryptography"))
        made: list[tuple[str, str | None]] = []

        def make_ssl_devcert(base_path: str, host: str | None = None) -> tuple[str, str]:
            made.append((base_path, host))
            for suffix in (".crt", ".key"):
                pathlib.Path(base_path + suffix).write_text("generated")
            return base_path + ".crt", base_path + ".key"

        seen: list[bool] = []

        def uvicorn_run(app: t.Any, **kwargs: t.Any) -> None:
            seen.append(os.path.isfile(kwargs["ssl_certfile"]))
            servers.uvicorn_run(app, **kwargs)

        monkeypatch.setattr("werkzeug.serving.make_ssl_devcert", make_ssl_devcert)
        monkeypatch.setattr(sys.modules["uvicorn"], "run", uvicorn_run)
        result = run("--asgi", "--cert", "adhoc", "--host", "localhost")
        assert result.exit_code == 0, result.output
        [(base, host)] = made
        assert host == "localhost"
        assert seen == [True]
        kwargs = servers.calls[0][2]
        assert (kwargs["ssl_certfile"], kwargs["ssl_keyfile"]) == (f"{base}.crt", f"{base}.key")
        # The throwaway pair is removed when the server stops.
        assert not os.path.exists(os.path.dirname(base))

    def test_ssl_context_is_refused(
        self, servers: Servers, run: t.Callable[..., t.Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        holder = types.ModuleType("tls_settings")
        holder.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "tls_settings", holder)
        result = run("--asgi", "--cert", "tls_settings.context")
        assert result.exit_code == 2
        assert "with '--asgi' give a certificate file with '--key', or 'adhoc'" in result.stderr


class TestWsgiOnlyOptions:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("--debugger",), "'--debugger' does not apply with '--asgi': the interactive"),
            (("--no-debugger",), "'--debugger' does not apply"),
            (("--without-threads",), "'--with-threads' does not apply with '--asgi'"),
        ],
    )
    def test_refused(
        self,
        servers: Servers,
        run: t.Callable[..., t.Any],
        args: tuple[str, ...],
        message: str,
    ) -> None:
        servers.install("uvicorn")
        result = run("--asgi", *args)
        assert result.exit_code == 2
        assert message in result.stderr
        assert servers.calls == []

    def test_an_app_without_an_asgi_face(
        self, servers: Servers, runner: CliRunner, app: AsgiMiniApp
    ) -> None:
        servers.install("uvicorn")
        plain = MiniApp("plain")
        result = runner.invoke(ErlenGroup(create_app=lambda: plain), ["run", "--asgi"])
        assert result.exit_code == 2
        assert "has no ASGI application ('app.asgi'): '--asgi' serves erlen apps" in (result.stderr)


class TestHypercorn:
    @pytest.fixture(autouse=True)
    def _installed(self, servers: Servers) -> None:
        servers.install("hypercorn")

    def test_serves_the_app_object(
        self, servers: Servers, run: t.Callable[..., t.Any], app: AsgiMiniApp
    ) -> None:
        result = run("--asgi", "--port", "8124")
        assert result.exit_code == 0, result.output
        [(name, (served, config), kwargs)] = servers.calls
        assert (name, served, kwargs) == ("hypercorn.serve", app.asgi, {"mode": "asgi"})
        assert config.bind == ["127.0.0.1:8124"]
        assert (config.certfile, config.keyfile, config.accesslog) == (None, None, "-")
        assert config.use_reloader is False

    def test_ipv6_bind(self, servers: Servers, run: t.Callable[..., t.Any]) -> None:
        run("--asgi", "--host", "::1")
        assert servers.calls[0][1][1].bind == ["[::1]:5000"]

    @pytest.mark.parametrize("exit_code", [0, 3])
    def test_reload_runs_the_factory_in_workers(
        self,
        servers: Servers,
        runner: CliRunner,
        apps_dir: pathlib.Path,
        monkeypatch: pytest.MonkeyPatch,
        exit_code: int,
    ) -> None:
        monkeypatch.chdir(apps_dir)
        servers.hypercorn_exit = exit_code
        args = ["--app", "asgiapp", "run", "--asgi", "--reload"]
        result = runner.invoke(ErlenGroup(), args)
        assert result.exit_code == exit_code, result.output
        [(name, (config,), _)] = servers.calls
        assert name == "hypercorn.run"
        assert config.use_reloader is True
        assert config.application_path == f"asgi:{FACTORY}()"
        assert servers.spec == AppSpec("asgiapp", reloading=True)

    def test_extra_files_are_refused(self, servers: Servers, run: t.Callable[..., t.Any]) -> None:
        result = run("--asgi", "--reload", "--extra-files", "settings.toml")
        assert result.exit_code == 2
        assert "hypercorn's reloader watches the imported modules only" in result.stderr

    def test_extra_files_without_reload_change_nothing(
        self, servers: Servers, run: t.Callable[..., t.Any]
    ) -> None:
        result = run("--asgi", "--extra-files", "settings.toml")
        assert result.exit_code == 0, result.output
        assert servers.calls[0][0] == "hypercorn.serve"


class TestGranian:
    def test_always_the_factory(
        self,
        servers: Servers,
        runner: CliRunner,
        apps_dir: pathlib.Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        servers.install("granian")
        monkeypatch.chdir(apps_dir)
        result = runner.invoke(ErlenGroup(), ["--app", "asgiapp", "run", "--asgi"])
        assert result.exit_code == 0, result.output
        [(_, args, kwargs)] = servers.calls
        assert args == (FACTORY,)
        assert kwargs == {
            "factory": True,
            "address": "127.0.0.1",
            "port": 5000,
            "interface": "asgi",
            "log_access": True,
            "ssl_cert": None,
            "ssl_key": None,
            "reload": False,
            "reload_paths": [apps_dir],
            "reload_filter": None,
        }
        assert servers.spec == AppSpec(app_import_path="asgiapp")

    def test_a_spec_already_set_is_put_back(
        self, servers: Servers, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        servers.install("granian")
        monkeypatch.setenv(SPEC_VARIABLE, AppSpec("outer").to_json())
        assert run_importable("--asgi").exit_code == 0
        assert servers.spec == AppSpec(create_app="asgiapp:create_app")
        assert AppSpec.from_environ() == AppSpec("outer")

    def test_reload_needs_watchfiles(self, servers: Servers, run: t.Callable[..., t.Any]) -> None:
        servers.install("granian")
        result = run("--asgi", "--reload")
        assert result.exit_code == 2
        assert "'--reload' with granian needs watchfiles" in result.stderr

    def test_reload_watches_extra_files_and_skips_patterns(
        self, servers: Servers, tmp_path: pathlib.Path
    ) -> None:
        servers.install("granian", "watchfiles")
        settings = tmp_path / "settings.toml"
        args = ["--asgi", "--reload", "--extra-files", str(settings)]
        result = run_importable(*args, "--exclude-patterns", "*/logs/*")
        assert result.exit_code == 0, result.output
        [(_, _, kwargs)] = servers.calls
        assert kwargs["reload"] is True
        assert kwargs["reload_paths"] == [pathlib.Path.cwd(), settings]
        watch = kwargs["reload_filter"]()
        assert isinstance(watch, DefaultFilter)
        assert watch(None, "/srv/app/views.py") is True
        assert watch(None, "/srv/app/logs/today.txt") is False
        assert watch(None, "/srv/app/views.pyc") is False


class TestTheWsgiPath:
    def test_banner_names_the_development_server(
        self, run: t.Callable[..., t.Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(erlen_cli.serve, "run_simple", lambda *args, **kwargs: None)
        result = run()
        assert result.exit_code == 0, result.output
        assert " * Server: Werkzeug development server (WSGI; '--asgi' for an ASGI server)" in (
            result.output
        )


class TestAppSpec:
    def test_round_trip(self, monkeypatch: pytest.MonkeyPatch) -> None:
        spec = AppSpec("pkg:make('x')", "asgiapp:create_app", False, False, True)
        monkeypatch.setenv(SPEC_VARIABLE, spec.to_json())
        assert AppSpec.from_environ() == spec
        assert json.loads(spec.to_json())["create_app"] == "asgiapp:create_app"
        monkeypatch.setenv(SPEC_VARIABLE, "")
        assert AppSpec.from_environ() == AppSpec()

    def test_of_script_info(self) -> None:
        info = ScriptInfo("asgiapp:app", set_debug_flag=False, load_dotenv_defaults=False)
        assert AppSpec.of(info, reloading=False) == AppSpec(
            "asgiapp:app", None, set_debug_flag=False, load_dotenv=False
        )
        made = ScriptInfo(create_app=asgiapp.create_app)
        assert AppSpec.of(made, reloading=True).create_app == "asgiapp:create_app"

    @pytest.mark.parametrize(
        "factory",
        [
            lambda: None,  # made inside a function
            types.SimpleNamespace(__module__="asgiapp", __qualname__="app"),
            types.SimpleNamespace(__module__="not.a.module", __qualname__="create"),
        ],
        ids=["local", "another object by that name", "module gone"],
    )
    def test_unimportable_factories(self, factory: t.Any) -> None:
        with pytest.raises(click.UsageError, match="cannot import"):
            AppSpec.of(ScriptInfo(create_app=factory), reloading=True)

    def test_script_info_reads_the_app_variables(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("FLASK_APP", "from_flask")
        assert AppSpec().script_info().app_import_path == "from_flask"
        monkeypatch.setenv("ERLEN_APP", "from_erlen")
        assert AppSpec().script_info().app_import_path == "from_erlen"
        assert AppSpec("given").script_info().app_import_path == "given"
        made = AppSpec(create_app="asgiapp:create_app").script_info()
        assert made.create_app is asgiapp.create_app


@pytest.mark.usefixtures("servers")
class TestLoadAsgiApp:
    def test_loads_the_named_app(
        self, monkeypatch: pytest.MonkeyPatch, apps_dir: pathlib.Path
    ) -> None:
        monkeypatch.chdir(apps_dir)
        monkeypatch.setenv("FLASK_DEBUG", "1")
        monkeypatch.setenv(SPEC_VARIABLE, AppSpec(create_app="asgiapp:create_app").to_json())
        face = load_asgi_app()
        sent = _asgi_call(face, {"type": "http"}, [])
        assert sent[1]["body"] == b"made-by-factory debug=True"

    def test_reads_dotenv_files(self, in_tmp: pathlib.Path) -> None:
        (in_tmp / ".flaskenv").write_text("FLASK_APP=asgiapp\n")
        assert _asgi_call(load_asgi_app(), {"type": "http"}, [])[1]["body"] == (
            b"asgi-app debug=False"
        )

    def test_a_load_error_fails(self, in_tmp: pathlib.Path) -> None:
        with pytest.raises(Exception, match="Could not locate an application"):
            load_asgi_app()

    def test_a_load_error_after_a_reload_is_served(
        self,
        in_tmp: pathlib.Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        monkeypatch.setenv(SPEC_VARIABLE, AppSpec("broken_here", reloading=True).to_json())
        face = load_asgi_app()
        assert "Could not import 'broken_here'" in capsys.readouterr().err
        lifespan = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
        assert _asgi_call(face, {"type": "lifespan"}, lifespan) == [
            {"type": "lifespan.startup.complete"},
            {"type": "lifespan.shutdown.complete"},
        ]
        with pytest.raises(Exception, match="Could not import 'broken_here'"):
            _asgi_call(face, {"type": "http"}, [])

    def test_in_a_new_process(self, apps_dir: pathlib.Path, in_tmp: pathlib.Path) -> None:
        """What a server's worker process does: import the factory string and call it."""
        (in_tmp / ".env").write_text("FLASK_DEBUG=1\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "ERLEN_"))}
        env[SPEC_VARIABLE] = AppSpec(create_app="asgiapp:create_app").to_json()
        env["PYTHONPATH"] = os.pathsep.join([str(apps_dir), env.get("PYTHONPATH", "")])
        module, name = FACTORY.split(":")
        script = (
            f"import asyncio, {module}\n"
            f"app = {module}.{name}()\n"
            "sent = []\n"
            "async def send(message): sent.append(message)\n"
            "asyncio.run(app({'type': 'http'}, None, send))\n"
            "print(sent[1]['body'].decode())\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "made-by-factory debug=True\n"
