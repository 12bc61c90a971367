from __future__ import annotations

import pathlib
import sys
import types

import pytest
from miniapp import MiniApp

from erlen_cli import CliApp
from erlen_cli import find_app_by_string
from erlen_cli import find_best_app
from erlen_cli import locate_app
from erlen_cli import NoAppException
from erlen_cli import prepare_import
from erlen_cli.discovery import is_app


def module(**attrs: object) -> types.ModuleType:
    mod = types.ModuleType("fake")
    vars(mod).update(attrs)
    return mod


class TestIsApp:
    def test_instance_is_app(self) -> None:
        assert is_app(MiniApp())
        assert isinstance(MiniApp(), CliApp)

    def test_class_is_not_app(self) -> None:
        assert not is_app(MiniApp)

    @pytest.mark.parametrize("value", [None, 1, "app", object(), types])
    def test_other_objects(self, value: object) -> None:
        assert not is_app(value)

    def test_object_failing_attribute_access(self) -> None:
        class Unbound:
            def __getattr__(self, name: str) -> object:
                raise RuntimeError("working outside of application context")

        assert not is_app(Unbound())

    def test_missing_member(self) -> None:
        app = MiniApp()
        del app.cli
        assert not is_app(app)


class TestFindBestApp:
    @pytest.mark.parametrize("name", ["app", "application", "anything"])
    def test_instance(self, name: str) -> None:
        app = MiniApp()
        assert find_best_app(module(**{name: app})) is app

    def test_app_attribute_wins_over_others(self) -> None:
        app = MiniApp("main")
        assert find_best_app(module(app=app, other=MiniApp("other"))) is app

    def test_class_namespace(self) -> None:
        class Namespace:
            myapp = MiniApp("ns")

        assert find_best_app(Namespace) is Namespace.myapp

    @pytest.mark.parametrize("factory_name", ["create_app", "make_app"])
    def test_factory(self, factory_name: str) -> None:
        app = find_best_app(module(**{factory_name: lambda: MiniApp("made")}))
        assert isinstance(app, MiniApp)
        assert app.name == "made"

    def test_factory_with_only_keyword_defaults(self) -> None:
        def create_app(**options: object) -> MiniApp:
            return MiniApp("kw")

        assert find_best_app(module(create_app=create_app)).debug is False

    def test_instance_wins_over_factory(self) -> None:
        app = MiniApp("instance")
        assert find_best_app(module(myapp=app, create_app=lambda: MiniApp("factory"))) is app

    def test_factory_returning_non_app_falls_through(self) -> None:
        found = find_best_app(module(create_app=lambda: None, make_app=lambda: MiniApp("m")))
        assert isinstance(found, MiniApp)
        assert found.name == "m"

    def test_nothing_found_says_what_was_tried(self) -> None:
        with pytest.raises(NoAppException) as exc:
            find_best_app(module(create_app="not callable"))
        message = exc.value.format_message()
        for tried in ("'app'", "'application'", "'create_app'", "'make_app'", "fake:name"):
            assert tried in message

    def test_several_apps(self) -> None:
        with pytest.raises(NoAppException, match="Found 2 applications in module 'fake'"):
            find_best_app(module(one=MiniApp(), two=MiniApp()))

    def test_factory_needing_arguments(self) -> None:
        def create_app(config: str) -> MiniApp:
            return MiniApp(config)

        with pytest.raises(NoAppException, match=r"fake:create_app\(args\)"):
            find_best_app(module(create_app=create_app))

    def test_type_error_inside_factory_propagates(self) -> None:
        def create_app() -> MiniApp:
            raise TypeError("bad factory")

        with pytest.raises(TypeError, match="bad factory"):
            find_best_app(module(create_app=create_app))


@pytest.mark.usefixtures("apps_dir")
class TestFindAppByString:
    def factory_module(self) -> types.ModuleType:
        import cliapp.factory

        return cliapp.factory

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("create_app", "app"),
            ("create_app()", "app"),
            (" create_app () ", "app"),
            ('create_app2("foo", "bar")', "app2_foo_bar"),
            ('create_app2("foo", "bar", )', "app2_foo_bar"),
            ('create_app2("a", "b", sep="-")', "app2-a-b"),
        ],
    )
    def test_found(self, text: str, name: str) -> None:
        app = find_app_by_string(self.factory_module(), text)
        assert isinstance(app, MiniApp)
        assert app.name == name

    def test_instance(self) -> None:
        import cliapp.app

        assert find_app_by_string(cliapp.app, "testapp") is cliapp.app.testapp

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("create_app(", "Could not parse 'create_app\\('"),
            ("1 + 2", "Could not parse '1 \\+ 2'"),
            ("cliapp.create_app()", "must be a plain name"),
            ("create_app2(foo, 'bar')", "must be Python literals"),
            ("missing", "Module 'cliapp.factory' has no attribute 'missing'"),
            ('create_app2("foo")', "cannot be called with these arguments"),
            ("no_app", "'cliapp.factory:no_app' gave 'NoneType', not an application"),
        ],
    )
    def test_errors(self, text: str, message: str) -> None:
        with pytest.raises(NoAppException, match=message):
            find_app_by_string(self.factory_module(), text)

    def test_type_error_inside_factory_propagates(self) -> None:
        with pytest.raises(TypeError, match="broken inside the factory"):
            find_app_by_string(self.factory_module(), "raises_type_error")


class TestPrepareImport:
    @pytest.mark.parametrize(
        ("value", "folder", "expected"),
        [
            ("test", "", "test"),
            ("test.py", "", "test"),
            ("a/test", "a", "test"),
            ("test/__init__.py", "", "test"),
            ("test/__init__", "", "test"),
            ("test.a.b", "", "test.a.b"),
        ],
    )
    def test_relative(self, in_tmp: pathlib.Path, value: str, folder: str, expected: str) -> None:
        assert prepare_import(value) == expected
        assert sys.path[0] == str(in_tmp / folder).rstrip("/")

    @pytest.mark.parametrize(
        ("parts", "expected"),
        [
            (("cliapp", "inner1", "__init__"), "cliapp.inner1"),
            (("cliapp", "inner1", "inner2"), "cliapp.inner1.inner2"),
            (("cliapp.app",), "cliapp.app"),
            (("cliapp", "app.py"), "cliapp.app"),
            (("cliapp", "message.txt"), "cliapp.message.txt"),
        ],
    )
    def test_packages(self, apps_dir: pathlib.Path, parts: tuple[str, ...], expected: str) -> None:
        assert prepare_import(apps_dir.joinpath(*parts)) == expected
        assert sys.path[0] == str(apps_dir)

    def test_path_not_inserted_twice(self, in_tmp: pathlib.Path) -> None:
        prepare_import("one")
        prepare_import("two")
        assert sys.path.count(str(in_tmp)) == 1


@pytest.mark.usefixtures("apps_dir")
class TestLocateApp:
    @pytest.mark.parametrize(
        ("module_name", "app_name", "expected"),
        [
            ("cliapp.app", None, "testapp"),
            ("cliapp.app", "testapp", "testapp"),
            ("cliapp.factory", None, "app"),
            ("cliapp.factory", 'create_app2("x", "y")', "app2_x_y"),
        ],
    )
    def test_found(self, module_name: str, app_name: str | None, expected: str) -> None:
        app = locate_app(module_name, app_name)
        assert isinstance(app, MiniApp)
        assert app.name == expected

    @pytest.mark.parametrize(
        ("module_name", "app_name", "message"),
        [
            ("notanapp.py", None, "Could not import 'notanapp.py': No module named 'notanapp'"),
            ("cliapp/app", None, "Could not import 'cliapp/app'"),
            ("cliapp.message.txt", None, "Could not import 'cliapp.message.txt'"),
            ("cliapp.app", "notanapp", "has no attribute 'notanapp'"),
            ("cliapp.multiapp", None, "Found 2 applications"),
        ],
    )
    def test_errors(self, module_name: str, app_name: str | None, message: str) -> None:
        with pytest.raises(NoAppException, match=message) as exc:
            locate_app(module_name, app_name)
        assert "Traceback" not in exc.value.format_message()

    def test_missing_module_names_the_folder(self, in_tmp: pathlib.Path) -> None:
        with pytest.raises(NoAppException) as exc:
            locate_app("nowhere_to_be_found", None)
        assert str(in_tmp) in exc.value.format_message()

    def test_import_error_inside_module_shows_its_traceback(self) -> None:
        with pytest.raises(NoAppException) as exc:
            locate_app("cliapp.importerror", None)
        message = exc.value.format_message()
        assert message.startswith("While importing 'cliapp.importerror', an ImportError")
        assert "Traceback (most recent call last)" in message
        assert "importerror.py" in message
        assert "missing_dependency_of_cliapp" in message
        # The trace starts in the user's module, not in the command's own code.
        assert "discovery.py" not in message

    def test_import_error_inside_module_raises_even_when_suppressed(self) -> None:
        assert locate_app("notanapp", None, raise_if_not_found=False) is None
        with pytest.raises(NoAppException):
            locate_app("cliapp.importerror", None, raise_if_not_found=False)

    def test_other_errors_of_the_module_propagate(self) -> None:
        with pytest.raises(RuntimeError, match="the app module itself failed"):
            locate_app("cliapp.runtimeerror", None)

    def test_syntax_error_is_one_clear_error(self, in_tmp: pathlib.Path) -> None:
        (in_tmp / "broken.py").write_text("app = (\n", encoding="utf-8")
        with pytest.raises(NoAppException) as exc:
            locate_app(prepare_import("broken.py"), None)
        message = exc.value.format_message()
        assert message.startswith("Module 'broken' does not compile:")
        assert "broken.py" in message
        assert "SyntaxError" in message
        assert "Traceback" not in message
