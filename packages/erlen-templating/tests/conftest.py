"""A small application and blueprints satisfying the templating protocols, on a temporary
folder of templates.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import pathlib
import typing as t
from functools import cached_property
from itertools import chain

import pytest
from jinja2 import BaseLoader
from jinja2 import FileSystemLoader
from werkzeug.wrappers import Request

from erlen_context import _AppCtxGlobals
from erlen_context import _cv_app
from erlen_context import _cv_request
from erlen_context import AppContext
from erlen_context import request
from erlen_context import RequestContext
from erlen_templating import _default_template_ctx_processor
from erlen_templating import create_jinja_environment
from erlen_templating import DispatchingJinjaLoader
from erlen_templating import Environment


class FakeRequest(Request):
    """The ``bp`` query argument names the blueprint of the matched endpoint."""

    @property
    def blueprint(self) -> str | None:
        return self.args.get("bp")

    @property
    def blueprints(self) -> list[str]:
        return [self.blueprint] if self.blueprint else []


class FakeSession(dict[str, t.Any]):
    accessed = False


class FakeSessions:
    def open_session(self, app: t.Any, request: t.Any) -> FakeSession:
        return FakeSession(user="ada")

    def make_null_session(self, app: t.Any) -> FakeSession:
        return FakeSession()


class FakeBlueprint:
    def __init__(self, name: str, folder: pathlib.Path | None) -> None:
        self.name = name
        self.import_name = f"fakeapp.{name}"
        self.folder = folder

    @property
    def jinja_loader(self) -> BaseLoader | None:
        return None if self.folder is None else FileSystemLoader(self.folder)


class FakeJSON:
    @staticmethod
    def dumps(obj: t.Any, **kwargs: t.Any) -> str:
        return "JSON:" + json.dumps(obj, **kwargs)


class FakeApp:
    jinja_environment = Environment
    jinja_options: dict[str, t.Any] = {}
    request_class = FakeRequest
    app_ctx_globals_class = _AppCtxGlobals

    def __init__(self, root: pathlib.Path) -> None:
        self.name = self.import_name = "fakeapp"
        self.root = root
        self.template_folder: str | None = "templates"
        self.config: dict[str, t.Any] = {
            "EXPLAIN_TEMPLATE_LOADING": False,
            "TEMPLATES_AUTO_RELOAD": None,
        }
        self.debug = False
        self.json = FakeJSON()
        self.logger = logging.getLogger("fakeapp")
        self.session_interface = FakeSessions()
        self.blueprints: list[FakeBlueprint] = []
        self.template_context_processors: dict[str | None, list[t.Callable[[], t.Any]]] = {
            None: [_default_template_ctx_processor]
        }

    @property
    def jinja_loader(self) -> BaseLoader | None:
        if self.template_folder is None:
            return None
        return FileSystemLoader(self.root / self.template_folder)

    @cached_property
    def jinja_env(self) -> Environment:
        return create_jinja_environment(
            self, url_for=self.url_for, get_flashed_messages=self.get_flashed_messages
        )

    def url_for(self, endpoint: str, **values: t.Any) -> str:
        return f"/{endpoint}"

    def get_flashed_messages(self) -> list[str]:
        return ["flashed"]

    def create_global_jinja_loader(self) -> DispatchingJinjaLoader:
        return DispatchingJinjaLoader(self)

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        if filename is None:
            return True
        return filename.endswith((".html", ".htm", ".xml", ".xhtml", ".svg"))

    def iter_blueprints(self) -> list[FakeBlueprint]:
        return self.blueprints

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        names: t.Iterable[str | None] = (None,)
        if request:
            names = chain(names, reversed(request.blueprints))
        given = context.copy()
        for name in names:
            for func in self.template_context_processors.get(name, ()):
                context.update(self.ensure_sync(func)())
        context.update(given)

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        if inspect.iscoroutinefunction(func):
            return lambda *a, **k: asyncio.run(func(*a, **k))
        return func

    # What erlen_context needs.
    def create_url_adapter(self, request: t.Any) -> None:
        return None

    def app_context(self) -> AppContext:
        return AppContext(self)

    def test_request_context(self, path: str = "/") -> RequestContext:
        from werkzeug.test import EnvironBuilder

        return RequestContext(self, EnvironBuilder(path=path).get_environ())

    def do_teardown_request(self, exc: BaseException | None) -> None:
        pass

    def do_teardown_appcontext(self, exc: BaseException | None) -> None:
        pass


def write(folder: pathlib.Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.fixture
def app(tmp_path: pathlib.Path) -> FakeApp:
    templates = tmp_path / "templates"
    write(templates, "hello.html", "Hello {{ name }}!")
    write(templates, "hello.txt", "Hello {{ name }}!")
    write(templates, "shared.html", "from app")
    write(templates, "macros.html", "{% macro where() %}{{ request.path }}{% endmacro %}")
    return FakeApp(tmp_path)


@pytest.fixture
def blueprints(app: FakeApp, tmp_path: pathlib.Path) -> list[FakeBlueprint]:
    """Two blueprints with templates and one without, registered on ``app``."""
    first, second = tmp_path / "first", tmp_path / "second"
    write(first, "shared.html", "from first")
    write(first, "first.html", "first only")
    write(first, "both.html", "both from first")
    write(second, "both.html", "both from second")
    write(second, "second.html", "second only")
    app.blueprints = [
        FakeBlueprint("first", first),
        FakeBlueprint("bare", None),
        FakeBlueprint("second", second),
    ]
    return app.blueprints


@pytest.fixture
def write_template() -> t.Callable[[pathlib.Path, str, str], None]:
    return write


@pytest.fixture(autouse=True)
def _leak_detector() -> t.Iterator[None]:
    """Fail a test that leaves a context pushed."""
    yield
    leaked = [_cv_request.get(None), _cv_app.get(None)]
    assert leaked == [None, None], f"contexts left pushed: {leaked}"
