"""Scaffold: registries, decorators, static/template folders and error-handler classes."""

from __future__ import annotations

import os
import sys
import typing as t

import pytest
from jinja2 import FileSystemLoader
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound

from erlen_core import Erlen
from erlen_core.sansio.scaffold import find_package
from erlen_core.sansio.scaffold import Scaffold

HERE = os.path.dirname(__file__)


def test_method_shortcuts_register_one_method(app: Erlen) -> None:
    for method in ("get", "post", "put", "delete", "patch"):

        def view(method: str = method) -> str:
            return method

        getattr(app, method)(f"/{method}", endpoint=method)(view)
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == method)
        assert method.upper() in rule.methods  # type: ignore[operator]
        assert app.view_functions[method] is view


def test_method_shortcut_refuses_methods_argument(app: Erlen) -> None:
    with pytest.raises(TypeError, match="Use the 'route' decorator"):
        app.get("/", methods=["POST"])


def test_route_options_and_endpoint(app: Erlen) -> None:
    @app.route("/a", endpoint="alpha", methods=["post"], defaults={"x": 1})
    def a(x: int) -> str:
        return str(x)

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "alpha")
    assert rule.methods == {"POST", "OPTIONS"}
    assert rule.defaults == {"x": 1}
    assert app.view_functions["alpha"] is a


def test_add_url_rule_without_view_then_endpoint(app: Erlen) -> None:
    app.add_url_rule("/later", "later")
    assert "later" not in app.view_functions

    @app.endpoint("later")
    def later() -> str:
        return "late"

    assert app.view_functions["later"] is later
    assert app.test_client().get("/later").data == b"late"


def test_add_url_rule_overwriting_endpoint_fails(app: Erlen) -> None:
    app.add_url_rule("/a", "same", lambda: "a")
    with pytest.raises(AssertionError, match="overwriting an existing endpoint function: same"):
        app.add_url_rule("/b", "same", lambda: "b")


def test_add_url_rule_same_view_twice_is_fine(app: Erlen) -> None:
    def view() -> str:
        return ""

    app.add_url_rule("/a", view_func=view)
    app.add_url_rule("/b", view_func=view)
    assert len([r for r in app.url_map.iter_rules() if r.endpoint == "view"]) == 2


def test_methods_as_string_is_an_error(app: Erlen) -> None:
    with pytest.raises(TypeError, match="list of strings"):
        app.add_url_rule("/", "x", lambda: "", methods="POST")


def test_provide_automatic_options_settings(app: Erlen) -> None:
    app.add_url_rule("/off", "off", lambda: "", provide_automatic_options=False)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/cfg", "cfg", lambda: "")
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    assert "OPTIONS" not in rules["off"].methods  # type: ignore[operator]
    assert rules["off"].provide_automatic_options is False  # type: ignore[attr-defined]
    assert "OPTIONS" not in rules["cfg"].methods  # type: ignore[operator]


def test_view_attributes_drive_methods() -> None:
    app = Erlen(__name__)

    def view() -> str:
        return ""

    view.methods = ["PUT"]  # type: ignore[attr-defined]
    view.required_methods = ["PATCH"]  # type: ignore[attr-defined]
    view.provide_automatic_options = False  # type: ignore[attr-defined]
    app.add_url_rule("/", view_func=view)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "view")
    assert rule.methods == {"PUT", "PATCH"}


def test_hook_decorators_fill_registries(app: Erlen) -> None:
    def hook(*args: t.Any) -> None:
        return None

    assert app.before_request(hook) is hook
    assert app.after_request(hook) is hook
    assert app.teardown_request(hook) is hook
    assert app.context_processor(hook) is hook
    assert app.url_value_preprocessor(hook) is hook
    assert app.url_defaults(hook) is hook
    assert app.before_request_funcs[None] == [hook]
    assert app.after_request_funcs[None] == [hook]
    assert app.teardown_request_funcs[None] == [hook]
    assert app.template_context_processors[None][-1] is hook
    assert app.url_value_preprocessors[None] == [hook]
    assert app.url_default_functions[None] == [hook]
    # Extensions append directly to these lists and index unknown scopes.
    assert isinstance(app.after_request_funcs[None], list)
    assert app.after_request_funcs["unknown"] == []


def test_errorhandler_registration_by_code_and_class(app: Erlen) -> None:
    @app.errorhandler(404)
    def nf(e: Exception) -> str:
        return "nf"

    @app.errorhandler(KeyError)
    def ke(e: Exception) -> str:
        return "ke"

    app.register_error_handler(Forbidden, nf)
    assert app.error_handler_spec[None][404][NotFound] is nf
    assert app.error_handler_spec[None][None][KeyError] is ke
    assert app.error_handler_spec[None][403][Forbidden] is nf


class Custom(Exception):
    pass


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (999, ValueError, "not a recognized HTTP error code"),
        (Custom(), TypeError, "Custom() is an instance, not a class."),
        (list, ValueError, "'list' is not a subclass of Exception."),
    ],
)
def test_get_exc_class_and_code_errors(value: t.Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        Scaffold._get_exc_class_and_code(value)
    assert message in str(info.value)


def test_get_exc_class_and_code_values() -> None:
    assert Scaffold._get_exc_class_and_code(404) == (NotFound, 404)
    assert Scaffold._get_exc_class_and_code(KeyError) == (KeyError, None)
    assert Scaffold._get_exc_class_and_code(HTTPException) == (HTTPException, None)


def test_static_folder_and_url_path() -> None:
    app = Erlen(__name__, static_folder="assets/", root_path=HERE)
    assert app.static_folder == os.path.join(HERE, "assets")
    assert app.static_url_path == "/assets"
    assert app.has_static_folder
    app.static_url_path = "/files/"
    assert app.static_url_path == "/files"

    none = Erlen(__name__, static_folder=None)
    assert none.static_folder is None
    assert none.static_url_path is None
    assert not none.has_static_folder
    assert "static" not in none.view_functions


def test_static_url_path_empty_string_serves_root() -> None:
    app = Erlen(__name__, static_url_path="", root_path=HERE)
    assert app.static_url_path == ""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "static")
    assert rule.rule == "/<path:filename>"


def test_jinja_loader() -> None:
    app = Erlen(__name__, root_path=HERE)
    loader = app.jinja_loader
    assert isinstance(loader, FileSystemLoader)
    assert loader.searchpath == [os.path.join(HERE, "templates")]
    assert Erlen(__name__, template_folder=None).jinja_loader is None


def test_repr_and_root_path() -> None:
    app = Erlen(__name__)
    assert repr(app) == f"<Erlen {__name__!r}>"
    assert app.root_path == HERE


def test_scaffold_base_methods_are_abstract() -> None:
    scaffold = Scaffold(__name__, root_path=HERE)
    with pytest.raises(NotImplementedError):
        scaffold.before_request(lambda: None)


def test_find_package_uninstalled_module(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The temporary folder may sit inside the running environment's prefix (under nox).
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    (tmp_path / "loose_mod.py").write_text("")
    pkg = tmp_path / "loose_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert find_package("loose_mod") == (None, str(tmp_path))
    assert find_package("loose_pkg.sub") == (None, str(tmp_path))
    assert find_package("does_not_exist_anywhere") == (None, os.getcwd())


def test_find_package_namespace(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    first = tmp_path / "one" / "nspkg" / "inner"
    first.mkdir(parents=True)
    (first / "__init__.py").write_text("")
    (tmp_path / "two" / "nspkg").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(tmp_path / "two"))
    monkeypatch.syspath_prepend(str(tmp_path / "one"))
    assert find_package("nspkg.inner") == (None, str(tmp_path / "one"))
    assert find_package("nspkg.missing") == (None, str(tmp_path / "one"))


def test_find_package_installed_prefixes(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "lib" / "python3" / "site-packages"
    site.mkdir(parents=True)
    (site / "site_mod.py").write_text("")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "elsewhere"))
    assert find_package("site_mod") == (str(tmp_path), str(site))

    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert find_package("site_mod") == (str(tmp_path), str(site))

    flat = tmp_path / "flat" / "Lib" / "site-packages"
    flat.mkdir(parents=True)
    (flat / "flat_mod.py").write_text("")
    monkeypatch.syspath_prepend(str(flat))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "elsewhere"))
    assert find_package("flat_mod") == (str(tmp_path / "flat"), str(flat))

    bare = tmp_path / "bare" / "site-packages"
    bare.mkdir(parents=True)
    (bare / "bare_mod.py").write_text("")
    monkeypatch.syspath_prepend(str(bare))
    assert find_package("bare_mod") == (str(tmp_path / "bare"), str(bare))


def test_instance_path(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inst_app.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    app = Erlen("inst_app")
    assert app.instance_path == str(tmp_path / "instance")

    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    app = Erlen("inst_app")
    assert app.instance_path == os.path.join(str(tmp_path), "var", "inst_app-instance")

    with pytest.raises(ValueError, match="must be absolute"):
        Erlen("inst_app", instance_path="relative")
    assert Erlen("inst_app", instance_path=str(tmp_path)).instance_path == str(tmp_path)
