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
    """A shop's folder with .flaskenv, .env and staging.env, as the current folder."""
    (in_tmp / ".flaskenv").write_text(
        "SHOP_NAME=corner\nSHOP_CURRENCY=EUR\nSHOP_TAGLINE=fresh\n", encoding="utf-8"
    )
    (in_tmp / ".env").write_text(
        "SHOP_NAME=corner-local\nSHOP_SECRET=s3cret\nSHOP_GREETING=grüß\nSHOP_EMPTY\n",
        encoding="utf-8",
    )
    (in_tmp / "staging.env").write_text(
        "SHOP_NAME=staging\nSHOP_TAGLINE=preview\n", encoding="utf-8"
    )
    return in_tmp


@pytest.fixture
def no_dotenv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)


class TestLoadDotenv:
    def test_defaults(self, project: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SHOP_TAGLINE", "from-os")
        assert load_dotenv() is True
        assert pathlib.Path.cwd() == project
        assert os.environ["SHOP_NAME"] == "corner-local"  # .env over .flaskenv
        assert os.environ["SHOP_CURRENCY"] == "EUR"  # only in .flaskenv
        assert os.environ["SHOP_SECRET"] == "s3cret"  # only in .env
        assert os.environ["SHOP_TAGLINE"] == "from-os"  # the environment over every file
        assert os.environ["SHOP_GREETING"] == "grüß"  # read as UTF-8
        assert "SHOP_EMPTY" not in os.environ  # a key without a value sets nothing

    def test_path_wins_over_defaults(self, project: pathlib.Path) -> None:
        assert load_dotenv(project / "staging.env") is True
        assert os.environ["SHOP_NAME"] == "staging"
        assert os.environ["SHOP_TAGLINE"] == "preview"
        assert os.environ["SHOP_SECRET"] == "s3cret"

    def test_path_alone(self, project: pathlib.Path) -> None:
        assert load_dotenv("staging.env", load_defaults=False) is True
        assert os.environ["SHOP_NAME"] == "staging"
        assert "SHOP_SECRET" not in os.environ

    def test_missing_path(self, project: pathlib.Path) -> None:
        assert load_dotenv("nothing.env", load_defaults=False) is False
        assert "SHOP_NAME" not in os.environ

    def test_found_from_a_subfolder(self, project: pathlib.Path) -> None:
        (project / "sub").mkdir()
        os.chdir(project / "sub")
        assert load_dotenv() is True
        assert os.environ["SHOP_NAME"] == "corner-local"
        assert pathlib.Path.cwd() == project / "sub"

    def test_no_files(self, in_tmp: pathlib.Path) -> None:
        assert load_dotenv() is False

    @pytest.mark.usefixtures("no_dotenv")
    def test_without_python_dotenv_hints(
        self, project: pathlib.Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert load_dotenv() is False
        assert "SHOP_NAME" not in os.environ
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
        result = CliRunner().invoke(group, ["env", "SHOP_NAME", "SHOP_CURRENCY"])
        assert result.output == "corner-local EUR\n"

    def test_env_file_option(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(
            group, ["-e", "staging.env", "env", "SHOP_NAME", "SHOP_CURRENCY", "SHOP_TAGLINE"]
        )
        assert result.output == "staging EUR preview\n"

    def test_env_file_from_environment(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(
            group, ["env", "SHOP_NAME"], env={"FLASK_ENV_FILE": "staging.env"}
        )
        assert result.output == "staging\n"

    def test_environment_wins(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(
            group, ["-e", "staging.env", "env", "SHOP_NAME"], env={"SHOP_NAME": "os"}
        )
        assert result.output == "os\n"

    def test_skip_dotenv(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["env", "SHOP_NAME"], env={"FLASK_SKIP_DOTENV": "1"})
        assert result.output == "-\n"
        result = CliRunner().invoke(
            group,
            ["-e", "staging.env", "env", "SHOP_NAME", "SHOP_CURRENCY"],
            env={"FLASK_SKIP_DOTENV": "1"},
        )
        assert result.output == "staging -\n"

    def test_group_without_dotenv(self, project: pathlib.Path) -> None:
        group = ErlenGroup(create_app=MiniApp, load_dotenv=False)
        CliRunner().invoke(group, ["routes"])
        assert "SHOP_NAME" not in os.environ

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
        result = CliRunner().invoke(group, ["-e", "staging.env", "env"])
        assert result.exit_code == 2
        assert "python-dotenv must be installed" in result.stderr

    @pytest.mark.usefixtures("no_dotenv")
    def test_hint_without_python_dotenv(self, project: pathlib.Path, group: ErlenGroup) -> None:
        result = CliRunner().invoke(group, ["env", "SHOP_NAME"])
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
