"""How ``--app`` text becomes an application: parsing, importing, searching, calling factories."""

from __future__ import annotations

import pathlib
import sys
import types

import pytest
from miniapp import MiniApp

from erlen_cli import AppRef
from erlen_cli import AppTarget
from erlen_cli import call_refused
from erlen_cli import CliApp
from erlen_cli import find_app_by_string
from erlen_cli import find_best_app
from erlen_cli import locate_app
from erlen_cli import NoAppException
from erlen_cli import path_is_ancestor
from erlen_cli import prepare_import
from erlen_cli.discovery import DEFAULT_APP_REFS
from erlen_cli.discovery import is_app


def namespace(name: str = "site", **attrs: object) -> types.SimpleNamespace:
    """A stand-in for an imported module: a ``__name__`` and globals."""
    return types.SimpleNamespace(__name__=name, **attrs)


def name_of(app: CliApp) -> str:
    assert isinstance(app, MiniApp)
    return app.name


class TestWhatCountsAsAnApp:
    def test_an_instance_of_any_class_with_the_members(self) -> None:
        assert is_app(MiniApp())
        assert isinstance(MiniApp(), CliApp)

    def test_the_class_itself_does_not(self) -> None:
        assert not is_app(MiniApp)

    def test_an_object_missing_one_member_does_not(self) -> None:
        incomplete = MiniApp()
        del incomplete.url_map
        assert not is_app(incomplete)

    def test_a_proxy_that_fails_outside_its_context_does_not(self) -> None:
        class Unbound:
            def __getattr__(self, name: str) -> object:
                raise LookupError("no application context")

        assert not is_app(Unbound())

    @pytest.mark.parametrize("value", [None, "app", 3, sys, pathlib.Path(".")])
    def test_ordinary_values_do_not(self, value: object) -> None:
        assert not is_app(value)


class TestParsingTheTarget:
    def test_a_bare_name(self) -> None:
        assert AppTarget.parse("  storefront ") == AppTarget("storefront")

    def test_a_call_with_literal_arguments(self) -> None:
        target = AppTarget.parse("open_branch('Lyon', street=\"Rue Neuve\", floors=[1, 2])")
        assert target == AppTarget(
            "open_branch", ("Lyon",), {"street": "Rue Neuve", "floors": [1, 2]}
        )

    def test_a_call_without_arguments(self) -> None:
        assert AppTarget.parse("create_app()") == AppTarget("create_app")

    @pytest.mark.parametrize("text", ["open_branch(city)", "open_branch(*cities)", "f(1 + x)"])
    def test_arguments_must_be_literals(self, text: str) -> None:
        with pytest.raises(NoAppException, match="must be Python literals"):
            AppTarget.parse(text)

    def test_the_factory_must_be_a_plain_name(self) -> None:
        with pytest.raises(NoAppException, match="must be a plain name"):
            AppTarget.parse("factories.create_app()")

    @pytest.mark.parametrize("text", ["create_app(", "a b", "app[0]", "'app'", ""])
    def test_anything_else_is_refused(self, text: str) -> None:
        with pytest.raises(NoAppException, match="Could not parse"):
            AppTarget.parse(text)


class TestParsingTheReference:
    @pytest.mark.parametrize(
        ("text", "module", "target"),
        [
            ("shop", "shop", None),
            ("shop.web:app", "shop.web", "app"),
            ("shop:create_app('a:b')", "shop", "create_app('a:b')"),
            ("src/shop.py:make()", "src/shop.py", "make()"),
            (r"C:\projects\shop.py", r"C:\projects\shop.py", None),
            ("C:/projects/shop.py:app", "C:/projects/shop.py", "app"),
        ],
    )
    def test_module_and_target(self, text: str, module: str, target: str | None) -> None:
        assert AppRef.parse(text) == AppRef(module, target)

    def test_defaults_are_optional_files(self) -> None:
        assert [ref.module for ref in DEFAULT_APP_REFS] == ["wsgi.py", "app.py"]
        assert all(ref.optional and ref.target is None for ref in DEFAULT_APP_REFS)

    @pytest.mark.usefixtures("in_tmp")
    def test_an_optional_reference_to_nothing_loads_nothing(self) -> None:
        assert AppRef("absent.py", optional=True).load() is None
        with pytest.raises(NoAppException, match="Could not import 'absent'"):
            AppRef("absent.py").load()


class TestSearchingAModule:
    def test_the_conventional_names_come_first(self) -> None:
        app, application = MiniApp("app"), MiniApp("application")
        assert find_best_app(namespace(zzz=MiniApp(), application=application, app=app)) is app
        assert find_best_app(namespace(zzz=MiniApp(), application=application)) is application

    def test_a_conventional_name_holding_no_app_is_skipped(self) -> None:
        only = MiniApp("only")
        assert find_best_app(namespace(app="not an app", web=only)) is only

    def test_a_single_instance_under_any_name(self) -> None:
        web = MiniApp("web")
        assert find_best_app(namespace(web=web, MiniApp=MiniApp, version="1.0")) is web

    def test_two_instances_are_ambiguous(self) -> None:
        with pytest.raises(NoAppException, match="Found 2 applications in module 'site'") as exc:
            find_best_app(namespace(morning=MiniApp(), evening=MiniApp()))
        assert "'site:name'" in exc.value.format_message()

    def test_an_instance_is_preferred_to_a_factory(self) -> None:
        web = MiniApp("web")
        assert find_best_app(namespace(web=web, create_app=lambda: MiniApp("made"))) is web

    @pytest.mark.parametrize("factory", ["create_app", "make_app"])
    def test_a_conventional_factory_is_called(self, factory: str) -> None:
        assert name_of(find_best_app(namespace(**{factory: lambda: MiniApp("made")}))) == "made"

    def test_create_app_is_tried_before_make_app(self) -> None:
        found = find_best_app(
            namespace(make_app=lambda: MiniApp("make"), create_app=lambda: MiniApp("create"))
        )
        assert name_of(found) == "create"

    def test_a_factory_giving_no_app_lets_the_next_one_try(self) -> None:
        found = find_best_app(namespace(create_app=lambda: "nope", make_app=lambda: MiniApp("m")))
        assert name_of(found) == "m"

    def test_a_factory_with_only_optional_parameters(self) -> None:
        def create_app(config: str = "prod", **overrides: object) -> MiniApp:
            return MiniApp(config)

        assert name_of(find_best_app(namespace(create_app=create_app))) == "prod"

    def test_a_factory_that_needs_arguments_says_how_to_pass_them(self) -> None:
        def make_app(config: str) -> MiniApp:
            return MiniApp(config)

        with pytest.raises(NoAppException, match=r"'site:make_app\(args\)'"):
            find_best_app(namespace(make_app=make_app))

    def test_a_type_error_raised_by_the_factory_itself_propagates(self) -> None:
        def create_app() -> MiniApp:
            return MiniApp(len(5))  # type: ignore[arg-type]

        with pytest.raises(TypeError, match="has no len"):
            find_best_app(namespace(create_app=create_app))

    def test_classes_and_non_functions_are_not_factories(self) -> None:
        with pytest.raises(NoAppException, match="Could not find an application") as exc:
            find_best_app(namespace(create_app=MiniApp, make_app=MiniApp("x").wsgi_app))
        message = exc.value.format_message()
        for looked_for in ("'app'", "'application'", "'create_app'", "'make_app'", "site:name"):
            assert looked_for in message


@pytest.mark.usefixtures("apps_dir")
class TestNamedTargets:
    def test_an_instance_by_name(self) -> None:
        import bakery.app

        assert find_app_by_string(bakery.app, "storefront") is bakery.app.storefront

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("create_app", "bakery"),
            ("create_app()", "bakery"),
            ("open_branch('Lyon', 'Rue Neuve')", "Lyon-Rue Neuve"),
            ("open_branch('Lyon', street='Gare', sep=' / ')", "Lyon / Gare"),
        ],
    )
    def test_a_factory_by_name_or_call(self, text: str, expected: str) -> None:
        import bakery.factories

        assert name_of(find_app_by_string(bakery.factories, text)) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("bakehouse", "Module 'bakery.factories' has no attribute 'bakehouse'"),
            ("open_branch('Lyon')", "cannot be called with these arguments"),
            ("closed", "'bakery.factories:closed' gave 'NoneType', not an application"),
            ("MiniApp", "gave 'type', not an application"),
        ],
    )
    def test_errors_name_the_target(self, text: str, message: str) -> None:
        import bakery.factories

        with pytest.raises(NoAppException, match=message):
            find_app_by_string(bakery.factories, text)

    def test_a_type_error_raised_inside_the_factory_propagates(self) -> None:
        import bakery.factories

        with pytest.raises(TypeError, match="the oven is cold"):
            find_app_by_string(bakery.factories, "cold_oven")


class TestCallRefused:
    def test_wrong_arguments(self) -> None:
        def factory(config: str) -> None: ...

        try:
            factory()  # type: ignore[call-arg]
        except TypeError as e:
            assert call_refused(factory, e)
            assert call_refused(factory)  # the error being handled

    def test_an_error_from_inside(self) -> None:
        def factory() -> None:
            raise TypeError("inside")

        with pytest.raises(TypeError) as exc:
            factory()
        assert not call_refused(factory, exc.value)

    def test_an_error_from_deeper_inside(self) -> None:
        def helper(value: int) -> None: ...

        def factory() -> None:
            helper()  # type: ignore[call-arg]

        with pytest.raises(TypeError) as exc:
            factory()
        assert not call_refused(factory, exc.value)
        # For helper itself, that call was refused.
        assert call_refused(helper, exc.value)


class TestPrepareImport:
    @pytest.fixture
    def site(self, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
        """site/blog.py, and site/shop/ a package with shop/payments/ inside it."""
        site = tmp_path / "site"
        for file in ("blog.py", "shop/__init__.py", "shop/cart.py", "shop/payments/__init__.py"):
            (site / file).parent.mkdir(parents=True, exist_ok=True)
            (site / file).touch()
        monkeypatch.chdir(site)
        return site

    @pytest.mark.parametrize(
        ("given", "module"),
        [
            ("blog.py", "blog"),
            ("blog", "blog"),
            ("shop", "shop"),
            ("shop/__init__.py", "shop"),
            ("shop/cart.py", "shop.cart"),
            ("shop/payments", "shop.payments"),
            ("shop/payments/__init__", "shop.payments"),
            ("shop/payments/stripe.py", "shop.payments.stripe"),
            ("shop/notes.txt", "shop.notes.txt"),
            ("shop.cart", "shop.cart"),
        ],
    )
    def test_relative_to_the_current_folder(
        self, site: pathlib.Path, given: str, module: str
    ) -> None:
        assert prepare_import(given) == module
        assert sys.path[0] == str(site)

    def test_an_absolute_path_finds_the_folder_above_the_packages(
        self, site: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        assert prepare_import(site / "shop" / "payments") == "shop.payments"
        assert sys.path[0] == str(site)

    def test_a_plain_folder_inside_a_project(self, site: pathlib.Path) -> None:
        (site / "tools").mkdir()
        assert prepare_import("tools/deploy.py") == "deploy"
        assert sys.path[0] == str(site / "tools")

    def test_the_folder_is_put_on_the_path_once(self, site: pathlib.Path) -> None:
        prepare_import("blog.py")
        prepare_import("shop/cart.py")
        assert sys.path.count(str(site)) == 1


@pytest.mark.usefixtures("apps_dir")
class TestLocateApp:
    def test_search_or_name(self) -> None:
        assert name_of(locate_app("bakery.app", None)) == "storefront"
        assert name_of(locate_app("bakery.factories", None)) == "bakery"
        assert name_of(locate_app("bakery.factories", "open_branch('a', 'b')")) == "a-b"

    @pytest.mark.parametrize(
        ("module_name", "message"),
        [
            ("bakery.pantry", "Could not import 'bakery.pantry': No module named 'bakery.pantry'"),
            ("bakery.recipe.txt", "Could not import 'bakery.recipe.txt'"),
            ("pastry.app", "No module named 'pastry'"),
            ("bakery/app", "Could not import 'bakery/app'"),
        ],
    )
    def test_a_missing_module_is_one_line(self, module_name: str, message: str) -> None:
        with pytest.raises(NoAppException, match=message) as exc:
            locate_app(module_name, None)
        assert "Traceback" not in exc.value.format_message()
        assert locate_app(module_name, None, raise_if_not_found=False) is None

    def test_the_missing_module_error_names_the_current_folder(self, in_tmp: pathlib.Path) -> None:
        with pytest.raises(NoAppException) as exc:
            locate_app("nowhere", None)
        assert f"({in_tmp})" in exc.value.format_message()

    def test_a_failing_import_inside_the_module_shows_where(self) -> None:
        for raise_if_not_found in (True, False):
            with pytest.raises(NoAppException) as exc:
                locate_app("bakery.needs_flour", None, raise_if_not_found)
            message = exc.value.format_message()
            assert message.startswith("While importing 'bakery.needs_flour', an ImportError")
            assert "Traceback (most recent call last)" in message
            assert 'needs_flour.py", line 3' in message
            assert "flour_mill_that_is_not_installed" in message
            # The trace starts in the app's module: neither the command nor importlib is in it.
            assert "discovery.py" not in message
            assert "importlib" not in message

    def test_other_errors_of_the_module_propagate(self) -> None:
        with pytest.raises(RuntimeError, match="caught fire"):
            locate_app("bakery.burns", None)

    def test_searching_errors_pass_through(self) -> None:
        with pytest.raises(NoAppException, match="Found 2 applications in module 'bakery.twins'"):
            locate_app("bakery.twins", None)
        with pytest.raises(NoAppException, match="has no attribute 'noon'"):
            locate_app("bakery.twins", "noon")

    def test_a_module_that_does_not_compile(self, in_tmp: pathlib.Path) -> None:
        (in_tmp / "typo.py").write_text("def create_app(:\n", encoding="utf-8")
        with pytest.raises(NoAppException) as exc:
            locate_app(prepare_import("typo.py"), None)
        message = exc.value.format_message()
        assert message.startswith("Module 'typo' does not compile:")
        assert "typo.py" in message
        assert "SyntaxError" in message
        assert "Traceback" not in message


@pytest.mark.parametrize(
    ("path", "other", "expected"),
    [
        ("/srv/app", "/srv/app/static/site.css", True),
        ("/srv/app", "/srv/app", True),
        ("/srv/app/", "/srv/app/x", True),
        ("/srv/app", "/srv/application", False),
        ("/srv/app", "/srv", False),
        ("docs", "docs/index.md", True),
        ("/srv/app", "app/x", False),
    ],
)
def test_path_is_ancestor(path: str, other: str, expected: bool) -> None:
    assert path_is_ancestor(path, other) is expected
