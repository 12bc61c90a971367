from __future__ import annotations

import pathlib

import click
import pytest
from click.testing import CliRunner
from miniapp import current
from miniapp import MiniApp
from miniapp import ReportingApp

from erlen_cli import AppGroup
from erlen_cli import NoAppException
from erlen_cli import pass_script_info
from erlen_cli import ScriptInfo
from erlen_cli import with_appcontext


class TestScriptInfo:
    def test_import_path(self, apps_dir: pathlib.Path) -> None:
        info = ScriptInfo(app_import_path="bakery.app:storefront")
        app = info.load_app()
        assert isinstance(app, MiniApp)
        assert app.name == "storefront"
        assert info.load_app() is app

    @pytest.mark.parametrize("suffix", ["", ":storefront"])
    def test_file_path(self, apps_dir: pathlib.Path, suffix: str) -> None:
        info = ScriptInfo(app_import_path=f"{apps_dir / 'bakery' / 'app.py'}{suffix}")
        app = info.load_app()
        assert isinstance(app, MiniApp)
        assert app.name == "storefront"

    def test_factory_call_in_import_path(self, apps_dir: pathlib.Path) -> None:
        info = ScriptInfo(app_import_path="bakery.factories:open_branch('a', 'b', sep='_')")
        assert t_name(info.load_app()) == "a_b"

    def test_create_app_wins_over_import_path(self) -> None:
        made = MiniApp("made")
        info = ScriptInfo(app_import_path="does.not.matter", create_app=lambda: made)
        assert info.load_app() is made

    def test_create_app_returning_none(self) -> None:
        with pytest.raises(NoAppException, match="Could not locate an application"):
            ScriptInfo(create_app=lambda: None).load_app()  # type: ignore[arg-type,return-value]

    def test_nothing_found_lists_what_was_tried(self, in_tmp: pathlib.Path) -> None:
        with pytest.raises(NoAppException) as exc:
            ScriptInfo().load_app()
        message = exc.value.format_message()
        for tried in ("'wsgi.py'", "'app.py'", str(in_tmp), "--app", "FLASK_APP", "ERLEN_APP"):
            assert tried in message

    def test_default_wsgi_py(self, apps_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(apps_dir / "kiosk")
        assert t_name(ScriptInfo().load_app()) == "kiosk"

    def test_default_app_py(self, apps_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(apps_dir / "bakery")
        assert t_name(ScriptInfo().load_app()) == "storefront"

    @pytest.mark.parametrize(
        ("value", "expected"), [(None, False), ("1", True), ("0", False), ("False", False)]
    )
    def test_debug_flag(
        self, monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
    ) -> None:
        if value is not None:
            monkeypatch.setenv("FLASK_DEBUG", value)
        app = MiniApp()
        app.debug = not expected
        assert ScriptInfo(create_app=lambda: app).load_app().debug is expected

    def test_debug_flag_left_alone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("FLASK_DEBUG", "1")
        info = ScriptInfo(create_app=MiniApp, set_debug_flag=False)
        assert info.load_app().debug is False

    @pytest.mark.parametrize(
        ("skip", "default", "expected"),
        [(None, True, True), (None, False, False), ("1", True, False), ("0", True, True)],
    )
    def test_load_dotenv_defaults(
        self, monkeypatch: pytest.MonkeyPatch, skip: str | None, default: bool, expected: bool
    ) -> None:
        if skip is not None:
            monkeypatch.setenv("FLASK_SKIP_DOTENV", skip)
        info = ScriptInfo(load_dotenv_defaults=default)
        assert info.load_dotenv_defaults is expected
        assert info.data == {}

    def test_positional_arguments_keep_flasks_order(self) -> None:
        info = ScriptInfo("bakery.app", MiniApp, False, False)
        assert info.app_import_path == "bakery.app"
        assert info.create_app is MiniApp
        assert info.set_debug_flag is False
        assert info.load_dotenv_defaults is False

    def test_each_info_has_its_own_data_and_identity(self) -> None:
        one, two = ScriptInfo(), ScriptInfo()
        one.data["db"] = "sqlite://"
        assert two.data == {}
        assert one != two  # compared by identity, like any object
        assert len({one, two}) == 2

    @pytest.mark.parametrize(
        ("path", "refs"),
        [
            (None, [("wsgi.py", None, True), ("app.py", None, True)]),
            ("", [("wsgi.py", None, True), ("app.py", None, True)]),
            ("shop:make()", [("shop", "make()", False)]),
        ],
    )
    def test_app_refs(self, path: str | None, refs: list[tuple[str, str | None, bool]]) -> None:
        found = ScriptInfo(path).app_refs()
        assert [(ref.module, ref.target, ref.optional) for ref in found] == refs

    def test_pass_script_info(self, runner: CliRunner) -> None:
        @click.command()
        @pass_script_info
        def show(info: ScriptInfo) -> None:
            click.echo(type(info).__name__)

        assert runner.invoke(show).output == "ScriptInfo\n"


def t_name(app: object) -> str:
    assert isinstance(app, MiniApp)
    return app.name


class TestWithAppcontext:
    def test_pushes_the_app_context(self, runner: CliRunner) -> None:
        app = MiniApp("ctx")

        @click.command()
        @with_appcontext
        def show() -> None:
            click.echo(current().name)

        result = runner.invoke(show, obj=ScriptInfo(create_app=lambda: app))
        assert result.output == "ctx\n"
        assert app.pushes == 1

    def test_keeps_metadata_and_arguments(self, runner: CliRunner) -> None:
        @click.command()
        @click.argument("word")
        @with_appcontext
        def say(word: str) -> None:
            """Say a word."""
            click.echo(f"{current().name}: {word}")

        assert say.help == "Say a word."
        result = runner.invoke(say, ["hi"], obj=ScriptInfo(create_app=lambda: MiniApp("a")))
        assert result.output == "a: hi\n"

    def test_no_second_push_when_the_app_reports_its_context(self, runner: CliRunner) -> None:
        app = ReportingApp("rep")

        @click.command()
        @with_appcontext
        def show() -> None:
            click.echo(current().name)

        with app.app_context():
            result = runner.invoke(show, obj=ScriptInfo(create_app=lambda: app))
        assert result.output == "rep\n"
        assert app.pushes == 1

    def test_push_when_another_app_is_active(self, runner: CliRunner) -> None:
        app = ReportingApp("mine")

        @click.command()
        @with_appcontext
        def show() -> None:
            click.echo(current().name)

        with ReportingApp("other").app_context():
            result = runner.invoke(show, obj=ScriptInfo(create_app=lambda: app))
        assert result.output == "mine\n"
        assert app.pushes == 1

    def test_load_error_is_a_usage_error(self, runner: CliRunner, in_tmp: pathlib.Path) -> None:
        @click.command()
        @with_appcontext
        def show() -> None:
            raise AssertionError("not reached")

        result = runner.invoke(show)
        assert result.exit_code == 2
        assert "Could not locate an application" in result.output


class TestAppGroup:
    @pytest.fixture
    def group(self) -> AppGroup:
        @click.group(cls=AppGroup)
        def cli() -> None:
            pass

        return cli  # type: ignore[return-value]

    def test_commands_run_in_context(self, group: AppGroup, runner: CliRunner) -> None:
        @group.command()
        def called() -> None:
            click.echo(current().name)

        @group.command
        def bare() -> None:
            click.echo(current().name)

        @group.command("named", with_appcontext=False)
        def outside() -> None:
            click.echo(str(app.pushes))

        app = MiniApp("grp")
        obj = ScriptInfo(create_app=lambda: app)
        assert runner.invoke(group, ["called"], obj=obj).output == "grp\n"
        assert runner.invoke(group, ["bare"], obj=obj).output == "grp\n"
        assert runner.invoke(group, ["named"], obj=obj).output == "2\n"
        assert sorted(group.commands) == ["bare", "called", "named"]

    def test_bare_command_without_context(self, group: AppGroup, runner: CliRunner) -> None:
        def plain() -> None:
            click.echo("plain")

        command = group.command(plain, with_appcontext=False)
        assert isinstance(command, click.Command)
        assert runner.invoke(group, ["plain"]).output == "plain\n"

    def test_subgroups_are_app_groups(self, group: AppGroup, runner: CliRunner) -> None:
        @group.group()
        def sub() -> None:
            pass

        @group.group
        def bare() -> None:
            pass

        assert isinstance(sub, AppGroup)
        assert isinstance(bare, AppGroup)

        @sub.command()
        def deep() -> None:
            click.echo(current().name)

        obj = ScriptInfo(create_app=lambda: MiniApp("deep"))
        result = runner.invoke(group, ["sub", "deep"], obj=obj)
        assert result.output == "deep\n"

    def test_subgroup_class_can_be_chosen(self, group: AppGroup) -> None:
        @group.group(cls=click.Group)
        def plain() -> None:
            pass

        assert type(plain) is click.Group
