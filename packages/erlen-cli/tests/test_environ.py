from __future__ import annotations

import os
import pathlib
import sys

import click
import pytest
from click.testing import CliRunner
from miniapp import MiniApp

from erlen_cli import ErlenGroup
from erlen_cli import load_dotenv
from erlen_cli.environ import debug_flag_from_env
from erlen_cli.environ import dotenv_enabled


@pytest.fixture
def project(in_tmp: pathlib.Path) -> pathlib.Path:
    """A folder with .flaskenv, .env and a custom env file, as the current folder."""
    (in_tmp / ".flaskenv").write_text("FOO=flaskenv\nBAR=bar\nEGGS=flaskenv\n", encoding="utf-8")
    (in_tmp / ".env").write_text("FOO=env\nSPAM=1\nHAM=火腿\nEMPTY\n", encoding="utf-8")
    (in_tmp / "custom.env").write_text("FOO=custom\nEGGS=custom\n", encoding="utf-8")
    return in_tmp


@pytest.fixture
def no_dotenv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)


class TestLoadDotenv:
    def test_defaults(self, project: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("EGGS", "3")
        assert load_dotenv() is True
        assert pathlib.Path.cwd() == project
        assert os.environ["FOO"] == "env"  # .env over .flaskenv
        assert os.environ["BAR"] == "bar"  # only in .flaskenv
        assert os.environ["SPAM"] == "1"  # only in .env
        assert os.environ["EGGS"] == "3"  # the environment over every file
        assert os.environ["HAM"] == "火腿"  # read as UTF-8
        assert "EMPTY" not in os.environ  # a key without a value sets nothing

    def test_path_wins_over_defaults(self, project: pathlib.Path) -> None:
        assert load_dotenv(project / "custom.env") is True
        assert os.environ["FOO"] == "custom"
        assert os.environ["EGGS"] == "custom"
        assert os.environ["SPAM"] == "1"

    def test_path_alone(self, project: pathlib.Path) -> None:
        assert load_dotenv("custom.env", load_defaults=False) is True
        assert os.environ["FOO"] == "custom"
        assert "SPAM" not in os.environ

    def test_missing_path(self, project: pathlib.Path) -> None:
        assert load_dotenv("nothing.env", load_defaults=False) is False
        assert "FOO" not in os.environ

    def test_found_from_a_subfolder(self, project: pathlib.Path) -> None:
        (project / "sub").mkdir()
        os.chdir(project / "sub")
        assert load_dotenv() is True
        assert os.environ["FOO"] == "env"
        assert pathlib.Path.cwd() == project / "sub"

    def test_no_files(self, in_tmp: pathlib.Path) -> None:
        assert load_dotenv() is False

    @pytest.mark.usefixtures("no_dotenv")
    def test_without_python_dotenv_hints(
        self, project: pathlib.Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert load_dotenv() is False
        assert "FOO" not in os.environ
        assert "install python-dotenv" in capsys.readouterr().err

    @pytest.mark.usefixtures("no_dotenv")
    def test_without_python_dotenv_or_files_is_silent(
        self, in_tmp: pathlib.Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert load_dotenv() is False
        assert capsys.readouterr().err == ""
        load_dotenv("named.env")
        assert "install python-dotenv" in capsys.readouterr().err


class TestGroupLoading:
    @pytest.fixture
    def group(self) -> ErlenGroup:
        app = MiniApp()

        @app.cli.command()
        @click.argument("names", nargs=-1)
        def env(names: tuple[str, ...]) -> None:
            click.echo(" ".join(os.environ.get(name, "-") for name in names))

        return ErlenGroup(create_app=lambda: app)

    def test_defaults_loaded(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["env", "FOO", "BAR"])
        assert result.output == "env bar\n"

    def test_env_file_option(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["-e", "custom.env", "env", "FOO", "BAR", "EGGS"])
        assert result.output == "custom bar custom\n"

    def test_env_file_from_environment(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["env", "FOO"], env={"FLASK_ENV_FILE": "custom.env"})
        assert result.output == "custom\n"

    def test_environment_wins(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["-e", "custom.env", "env", "FOO"], env={"FOO": "os"})
        assert result.output == "os\n"

    def test_skip_dotenv(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["env", "FOO"], env={"FLASK_SKIP_DOTENV": "1"})
        assert result.output == "-\n"
        result = CliRunner().invoke(
            group, ["-e", "custom.env", "env", "FOO", "BAR"], env={"FLASK_SKIP_DOTENV": "1"}
        )
        assert result.output == "custom -\n"

    def test_group_without_dotenv(self, project: pathlib.Path) -> None:
        group = ErlenGroup(create_app=MiniApp, load_dotenv=False)
        CliRunner().invoke(group, ["routes"])
        assert "FOO" not in os.environ

    def test_missing_env_file(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["-e", "nothing.env", "env"])
        assert result.exit_code == 2
        assert "nothing.env" in result.stderr

    def test_dotenv_names_the_app(self, project: pathlib.Path, apps_dir: pathlib.Path) -> None:
        (project / ".flaskenv").write_text("FLASK_APP=bakery.app:storefront\n", encoding="utf-8")
        result = CliRunner().invoke(ErlenGroup(), ["routes"])
        assert result.exit_code == 0, result.output
        assert os.environ.pop("FLASK_APP") == "bakery.app:storefront"

    @pytest.mark.usefixtures("no_dotenv")
    def test_env_file_needs_python_dotenv(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["-e", "custom.env", "env"])
        assert result.exit_code == 2
        assert "python-dotenv must be installed" in result.stderr

    @pytest.mark.usefixtures("no_dotenv")
    def test_hint_without_python_dotenv(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["env", "FOO"])
        assert result.stdout == "-\n"
        assert "install python-dotenv" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("0", False), ("false", False), ("No", False), ("1", True)],
)
def test_debug_flag_from_env(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
) -> None:
    if value is not None:
        monkeypatch.setenv("FLASK_DEBUG", value)
    assert debug_flag_from_env() is expected


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [(None, True, True), ("", False, False), ("1", True, False), ("false", False, True)],
)
def test_dotenv_enabled(
    monkeypatch: pytest.MonkeyPatch, value: str | None, default: bool, expected: bool
) -> None:
    if value is not None:
        monkeypatch.setenv("FLASK_SKIP_DOTENV", value)
    assert dotenv_enabled(default) is expected
