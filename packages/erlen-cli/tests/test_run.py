from __future__ import annotations

import os
import pathlib
import ssl
import sys
import types
import typing as t

import click
import pytest
from click.testing import CliRunner
from miniapp import MiniApp

import erlen_cli.serve
from erlen_cli import CertParamType
from erlen_cli import ErlenGroup
from erlen_cli import run_command
from erlen_cli import SeparatedPathType
from erlen_cli import show_server_banner

HERE = str(pathlib.Path(__file__).resolve())


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """Replace the development server; each call records its arguments."""
    calls: list[dict[str, t.Any]] = []

    # Positional-only: the command passes host, port and app by position, as Flask does, so
    # that replacements with other parameter names keep working.
    def run_simple(host: str, port: int, app: t.Any, /, **options: t.Any) -> None:
        calls.append({"host": host, "port": port, "app": app, **options})

    monkeypatch.setattr(erlen_cli.serve, "run_simple", run_simple)
    return calls


@pytest.fixture
def app() -> MiniApp:
    return MiniApp("served")


@pytest.fixture
def invoke(app: MiniApp, runner: CliRunner) -> t.Callable[..., t.Any]:
    group = ErlenGroup(create_app=lambda: app)

    def invoke(*args: str, **kwargs: t.Any) -> t.Any:
        return runner.invoke(group, ["run", *args], **kwargs)

    return invoke


class TestRun:
    def test_defaults(
        self, invoke: t.Callable[..., t.Any], served: list[dict[str, t.Any]], app: MiniApp
    ) -> None:
        result = invoke()
        assert result.exit_code == 0, result.output
        assert served == [
            {
                "host": "127.0.0.1",
                "port": 5000,
                "app": app,
                "use_reloader": False,
                "use_debugger": False,
                "threaded": True,
                "ssl_context": None,
                "extra_files": None,
                "exclude_patterns": None,
            }
        ]
        assert " * Debug mode: off" in result.output

    def test_host_port_threads(
        self, invoke: t.Callable[..., t.Any], served: list[dict[str, t.Any]]
    ) -> None:
        invoke("-h", "0.0.0.0", "--port", "8080", "--without-threads")
        assert served[0]["host"] == "0.0.0.0"
        assert served[0]["port"] == 8080
        assert served[0]["threaded"] is False

    def test_port_from_environment(
        self, invoke: t.Callable[..., t.Any], served: list[dict[str, t.Any]]
    ) -> None:
        invoke(env={"FLASK_RUN_PORT": "9000"})
        assert served[0]["port"] == 9000

    def test_bad_port(self, invoke: t.Callable[..., t.Any], served: list[dict[str, t.Any]]) -> None:
        result = invoke("--port", "http")
        assert result.exit_code == 2
        assert "'http' is not a valid integer" in result.stderr
        assert served == []

    @pytest.mark.parametrize("how", ["option", "group option", "environment"])
    def test_debug_turns_on_reloader_and_debugger(
        self, invoke: t.Callable[..., t.Any], served: list[dict[str, t.Any]], app: MiniApp, how: str
    ) -> None:
        if how == "option":
            result = invoke("--debug")
        elif how == "environment":
            result = invoke(env={"FLASK_DEBUG": "1"})
        else:
            group = ErlenGroup(create_app=lambda: app)
            result = CliRunner().invoke(group, ["--debug", "run"])
        assert served[0]["use_reloader"] is True
        assert served[0]["use_debugger"] is True
        assert app.debug is True
        assert " * Debug mode: on" in result.output

    def test_explicit_reload_and_debugger_win(
        self, invoke: t.Callable[..., t.Any], served: list[dict[str, t.Any]]
    ) -> None:
        invoke("--debug", "--no-reload", "--no-debugger")
        invoke("--reload", "--debugger")
        assert [(c["use_reloader"], c["use_debugger"]) for c in served] == [
            (False, False),
            (True, True),
        ]

    def test_extra_files_and_exclude_patterns(
        self,
        invoke: t.Callable[..., t.Any],
        served: list[dict[str, t.Any]],
        tmp_path: pathlib.Path,
    ) -> None:
        one, two = tmp_path / "one.cfg", tmp_path / "two.cfg"
        invoke(
            "--extra-files",
            os.pathsep.join([str(one), str(two)]),
            "--exclude-patterns",
            os.pathsep.join(["*.pyc", "*/tmp/*"]),
        )
        assert served[0]["extra_files"] == [str(one), str(two)]
        assert served[0]["exclude_patterns"] == ["*.pyc", "*/tmp/*"]

    def test_banner_names_the_app(
        self, runner: CliRunner, served: list[dict[str, t.Any]], apps_dir: pathlib.Path
    ) -> None:
        result = runner.invoke(ErlenGroup(), ["--app", "bakery.app", "run"])
        assert " * Serving erlen app 'bakery.app'" in result.output
        assert served[0]["app"].name == "storefront"

    def test_load_error_fails_the_command(
        self, runner: CliRunner, served: list[dict[str, t.Any]], in_tmp: pathlib.Path
    ) -> None:
        result = runner.invoke(ErlenGroup(), ["--app", "nothing_here", "run"])
        assert result.exit_code == 2
        assert "Could not import 'nothing_here'" in result.stderr
        assert served == []

    def test_load_error_after_reload_is_served(
        self,
        runner: CliRunner,
        served: list[dict[str, t.Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")

        def create_app() -> MiniApp:
            raise ValueError("typo in the app")

        result = runner.invoke(ErlenGroup(create_app=create_app), ["run"])
        assert result.exit_code == 0
        assert "ValueError: typo in the app" in result.stderr
        # The reloaded process shows no banner: the first process did.
        assert "Debug mode" not in result.stdout
        with pytest.raises(ValueError, match="typo in the app"):
            served[0]["app"]({}, lambda *a: None)


class TestCertificates:
    def make(self, *args: str) -> click.Context:
        return run_command.make_context("run", list(args))

    def test_cert_and_key_files(self) -> None:
        assert self.make("--cert", HERE, "--key", HERE).params["cert"] == (HERE, HERE)
        assert self.make("--key", HERE, "--cert", HERE).params["cert"] == (HERE, HERE)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("--cert", HERE), "Required when '--cert' is a file"),
            (("--key", HERE), "Needs '--cert' as well"),
        ],
    )
    def test_cert_file_needs_key(self, args: tuple[str, ...], message: str) -> None:
        with pytest.raises(click.BadParameter, match=message):
            self.make(*args)

    def test_adhoc(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "cryptography", None)
        with pytest.raises(click.BadParameter, match="needs the cryptography library"):
            self.make("--cert", "adhoc")

        monkeypatch.setitem(sys.modules, "cryptography", types.ModuleType("cryptography"))
        assert self.make("--cert", "ADHOC").params["cert"] == "adhoc"
        with pytest.raises(click.BadParameter, match="Not used when '--cert' is 'adhoc'"):
            self.make("--cert", "adhoc", "--key", HERE)

    def test_ssl_context_import(self, monkeypatch: pytest.MonkeyPatch) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        holder = types.ModuleType("TLS_Settings")
        holder.Context = context  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "TLS_Settings", holder)
        # The import path keeps its case.
        assert self.make("--cert", "TLS_Settings.Context").params["cert"] is context
        with pytest.raises(click.BadParameter, match="Not used when '--cert' is an SSLContext"):
            self.make("--cert", "TLS_Settings.Context", "--key", HERE)

    @pytest.mark.parametrize("value", ["not_here", "click", "nothing.at.all"])
    def test_not_a_certificate(self, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
        monkeypatch.setitem(sys.modules, "not_here", None)
        with pytest.raises(click.BadParameter, match="neither an existing file, 'adhoc'"):
            self.make("--cert", value)

    def test_no_ssl_support(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "ssl", None)
        with pytest.raises(click.BadParameter, match="built with SSL support"):
            self.make("--cert", HERE)
        with pytest.raises(click.BadParameter, match="Needs '--cert' as well"):
            self.make("--key", HERE)

    def test_served_with_context(
        self,
        invoke: t.Callable[..., t.Any],
        served: list[dict[str, t.Any]],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setitem(sys.modules, "cryptography", types.ModuleType("cryptography"))
        invoke("--cert", "adhoc")
        invoke("--cert", HERE, "--key", HERE)
        assert [call["ssl_context"] for call in served] == ["adhoc", (HERE, HERE)]


def test_param_types() -> None:
    assert CertParamType().name == "path"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    assert CertParamType().convert(context, None, None) is context
    with pytest.raises(click.BadParameter, match="neither an existing file"):
        CertParamType().convert(os.path.dirname(HERE), None, None)
    paths = SeparatedPathType(exists=False)
    assert paths.convert(f"a{os.pathsep}b", None, None) == ["a", "b"]
    with pytest.raises(click.BadParameter):
        SeparatedPathType(exists=True).convert("/does/not/exist", None, None)


def test_show_server_banner(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    show_server_banner(True, "hello:app")
    assert capsys.readouterr().out == " * Serving erlen app 'hello:app'\n * Debug mode: on\n"
    show_server_banner(None, None)
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    show_server_banner(False, "hello:app")
    assert capsys.readouterr().out == ""
