"""The application base: configuration, URL map, registries and error-handler lookup.

:class:`App` is everything an erlen application is apart from how it talks to a server. It never
reads a request or a context variable; methods that need one take it as an argument, and the
protocol face (:class:`erlen_core.app.Erlen` for WSGI) supplies it.
"""

from __future__ import annotations

import logging
import os
import sys
import typing as t
import weakref
from datetime import timedelta
from itertools import chain

from werkzeug.exceptions import Aborter
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.routing import BuildError
from werkzeug.routing import Rule
from werkzeug.sansio.response import Response
from werkzeug.utils import cached_property
from werkzeug.utils import redirect as _wz_redirect

from erlen_context import AppGlobals
from erlen_routing import create_rule
from erlen_routing import Map
from erlen_routing import register_view_function

from ..config import Config
from ..config import ConfigAttribute
from ..helpers import _split_blueprint_path
from ..helpers import get_debug_flag
from ..json.provider import DefaultJSONProvider
from ..json.provider import JSONProvider
from ..logging import create_logger
from .registries import find_error_handler
from .scaffold import _registering
from .scaffold import F
from .scaffold import find_package
from .scaffold import Folder
from .scaffold import OptionalView
from .scaffold import Scaffold
from .scaffold import setupmethod

if t.TYPE_CHECKING:
    from jinja2 import BaseLoader
    from werkzeug.wrappers import Response as BaseResponse

    from erlen_cli import AppGroup
    from erlen_templating import DispatchingJinjaLoader
    from erlen_templating import Environment
    from erlen_testing import FlaskClient
    from erlen_testing import FlaskCliRunner

    from .. import typing as ft


class Blueprint(t.Protocol):
    """What the app uses of a blueprint (erlen-blueprints' ``Blueprint`` or any look-alike):
    :meth:`App.register_blueprint` calls its ``register``, which writes the blueprint's rules,
    hooks and handlers into the app's registries; the template loader reads its templates.
    """

    name: str
    import_name: str

    @property
    def jinja_loader(self) -> BaseLoader | None: ...

    def register(self, app: t.Any, options: dict[str, t.Any]) -> None: ...


#: File endings for which templates are autoescaped by default.
_AUTOESCAPE_SUFFIXES = (".html", ".htm", ".xml", ".xhtml", ".svg")


def _make_timedelta(value: t.Any) -> timedelta:
    """Read a lifetime given in seconds as a timedelta; pass timedeltas (and ``None``) as is."""
    if value is None or isinstance(value, timedelta):
        return t.cast(timedelta, value)
    return timedelta(seconds=value)


class _TemplatingEnvironment:
    """The default ``App.jinja_environment`` until first read, which imports erlen-templating's
    :class:`~erlen_templating.Environment` and puts it in its place.
    """

    def __get__(self, obj: object, owner: type[object] | None = None) -> type[Environment]:
        from erlen_templating import Environment

        App.jinja_environment = Environment
        return Environment


class App(Scaffold):
    """The protocol-independent application object.

    :param import_name: The application's package or module name, usually ``__name__``.
    :param static_url_path: URL prefix of the static route; defaults to ``/static``.
    :param static_folder: Folder of static files relative to :attr:`root_path`.
    :param static_host: Host of the static route, required with ``host_matching``.
    :param host_matching: Match rules on the ``host`` option (:attr:`url_map` setting).
    :param subdomain_matching: Consider ``SERVER_NAME``'s subdomain when matching.
    :param template_folder: Folder of templates relative to :attr:`root_path`.
    :param instance_path: Absolute path of the instance folder; found when not given.
    :param instance_relative_config: Load config files relative to the instance folder.
    :param root_path: The folder resources are relative to; found from ``import_name``.
    """

    # The classes an app makes its parts from; a subclass may name its own.

    #: Class of :attr:`config`.
    config_class = Config
    #: Class of :attr:`url_map`, and of the rules :meth:`add_url_rule` creates.
    url_map_class = Map
    url_rule_class = Rule
    #: Class of :attr:`json`, a :class:`~erlen_core.json.provider.JSONProvider`.
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    #: Class of :attr:`aborter`.
    aborter_class = Aborter
    #: Class of ``g`` in each app context.
    app_ctx_globals_class = AppGlobals
    #: Class of :attr:`jinja_env`, and extra options for it (change before it is first used).
    #: erlen-templating's :class:`~erlen_templating.Environment` unless replaced; it (and
    #: jinja2) is imported when first read, so an app that renders nothing never loads jinja2.
    if t.TYPE_CHECKING:
        jinja_environment: type[Environment]
    else:
        jinja_environment = _TemplatingEnvironment()
    jinja_options: dict[str, t.Any] = {}
    #: Classes returned by :meth:`test_client` and :meth:`test_cli_runner`; ``None`` means
    #: erlen_testing's client and runner.
    test_client_class: type[FlaskClient] | None = None
    test_cli_runner_class: type[FlaskCliRunner] | None = None
    #: The response class the protocol face builds, and the defaults of every config key.
    response_class: type[Response]
    default_config: dict[str, t.Any]

    # Config values read and written as attributes.

    #: ``TESTING``: exceptions propagate and test helpers behave accordingly.
    testing = ConfigAttribute[bool]("TESTING")
    #: ``SECRET_KEY``, used to sign session cookies.
    secret_key = ConfigAttribute[str | bytes | None]("SECRET_KEY")
    #: ``PERMANENT_SESSION_LIFETIME`` as a :class:`~datetime.timedelta` (ints are seconds).
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME", get_converter=_make_timedelta
    )

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: Folder = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: Folder = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(import_name, static_folder, static_url_path, template_folder, root_path)
        if instance_path is not None and not os.path.isabs(instance_path):
            raise ValueError(
                "If an instance path is provided it must be absolute. A relative path was"
                " given instead."
            )
        #: Absolute path of the instance folder (not created automatically).
        self.instance_path = instance_path or self.auto_find_instance_path()
        #: The configuration, a :class:`~erlen_core.config.Config` dict.
        self.config = self.make_config(instance_relative_config)
        #: The werkzeug :class:`~werkzeug.routing.Map` of every rule.
        self.url_map = self.url_map_class(host_matching=host_matching)
        #: Whether matching considers subdomains of ``SERVER_NAME``.
        self.subdomain_matching = subdomain_matching
        #: What :func:`~erlen_core.helpers.abort` raises through; see :meth:`make_aborter`.
        self.aborter = self.make_aborter()
        #: The JSON provider used by ``jsonify``, ``request.get_json`` and dict responses.
        self.json: JSONProvider = self.json_provider_class(self)
        #: Registered blueprints by name, in registration order.
        self.blueprints: dict[str, Blueprint] = {}
        #: Where extensions keep their per-app state, by extension name.
        self.extensions: dict[str, t.Any] = {}
        self._init_callback_lists()
        self._got_first_request = False
        if self.has_static_folder:
            if bool(static_host) != host_matching:
                raise AssertionError("Invalid static_host/host_matching combination")
            self._add_static_route(static_host)

    def _add_static_route(self, host: str | None) -> None:
        """Add the ``static`` endpoint serving :attr:`static_folder` below
        :attr:`static_url_path`, through :meth:`send_static_file`.
        """
        # Weakly: the rule's view must not keep the app alive.
        owner = weakref.ref(self)

        def static_view(**values: t.Any) -> t.Any:
            return t.cast(App, owner()).send_static_file(**values)

        self.add_url_rule(
            f"{self.static_url_path}/<path:filename>",
            "static",
            static_view,
            host=host,
        )

    def send_static_file(self, filename: str) -> t.Any:
        """The view of the ``static`` route; implemented by the protocol face."""
        raise NotImplementedError

    def _init_callback_lists(self) -> None:
        #: Functions ``f(error, endpoint, values)`` tried when ``url_for`` cannot build a URL.
        self.url_build_error_handlers: list[
            t.Callable[[Exception, str, dict[str, t.Any]], str]
        ] = []
        #: Functions called with the exception (or ``None``) when an app context ends.
        self.teardown_appcontext_funcs: list[ft.TeardownCallable] = []
        #: Functions returning dicts of names for ``flask shell``.
        self.shell_context_processors: list[ft.ShellContextProcessorCallable] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the application. It"
                " has already handled its first request, any changes will not be applied"
                " consistently.\nMake sure all imports, decorators, functions, etc. needed to"
                " set up the application are done before running it."
            )

    @cached_property
    def cli(self) -> AppGroup:
        """The click group of the app's commands, shown by the ``erlen`` command; made (and
        click imported) on first use.
        """
        from erlen_cli import AppGroup

        return AppGroup(self.name)

    @cached_property
    def name(self) -> str:
        """The app's name: its import name, or the script's name when run as ``__main__``."""
        if self.import_name == "__main__":
            filename: str | None = getattr(sys.modules["__main__"], "__file__", None)
            if filename is None:
                return "__main__"
            return os.path.splitext(os.path.basename(filename))[0]
        return self.import_name

    @cached_property
    def logger(self) -> logging.Logger:
        """The :class:`logging.Logger` named after :attr:`name`, set up on first use."""
        return create_logger(self)

    @cached_property
    def jinja_env(self) -> Environment:
        """The Jinja environment, created on first use by :meth:`create_jinja_environment`."""
        return self.create_jinja_environment()

    def create_jinja_environment(self) -> Environment:
        """Create :attr:`jinja_env`; implemented by the protocol face."""
        raise NotImplementedError

    def make_config(self, instance_relative: bool = False) -> Config:
        """Create :attr:`config` from :attr:`default_config` and the ``FLASK_DEBUG`` variable.

        :param instance_relative: Make config files relative to the instance folder instead of
            :attr:`root_path`.
        """
        root_path = self.instance_path if instance_relative else self.root_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = get_debug_flag()
        return self.config_class(root_path, defaults)

    def make_aborter(self) -> Aborter:
        """Create :attr:`aborter` from :attr:`aborter_class`."""
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """Find the instance folder: ``instance`` beside the package when it is not installed,
        else ``$PREFIX/var/<name>-instance``.
        """
        prefix, package_path = find_package(self.import_name)
        if prefix is None:
            return os.path.join(package_path, "instance")
        return os.path.join(prefix, "var", f"{self.name}-instance")

    def create_global_jinja_loader(self) -> DispatchingJinjaLoader:
        """Create the loader that searches the app's and every blueprint's templates."""
        from erlen_templating import DispatchingJinjaLoader

        return DispatchingJinjaLoader(self)

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Whether to autoescape a template: yes for strings and HTML, XML or SVG files."""
        if filename is None:
            return True
        return filename.endswith(_AUTOESCAPE_SUFFIXES)

    @property
    def debug(self) -> bool:
        """The ``DEBUG`` config value. Setting it also sets template auto-reload unless
        ``TEMPLATES_AUTO_RELOAD`` is configured.
        """
        return self.config["DEBUG"]  # type: ignore[no-any-return]

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        # An environment not created yet reads DEBUG when it is.
        if self.config["TEMPLATES_AUTO_RELOAD"] is None and "jinja_env" in self.__dict__:
            self.jinja_env.auto_reload = value

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register a blueprint: its routes, hooks and handlers become the app's.

        :param blueprint: The blueprint; its ``register(app, options)`` does the work.
        :param options: ``url_prefix``, ``subdomain``, ``url_defaults``, ``name`` and
            ``cli_group``, overriding the blueprint's own.
        """
        blueprint.register(self, options)

    def iter_blueprints(self) -> t.ValuesView[Blueprint]:
        """Registered blueprints in registration order."""
        return self.blueprints.values()

    def _add_rule(
        self,
        rule: str,
        endpoint: str | None,
        view_func: OptionalView,
        automatic_options: bool | None,
        options: dict[str, t.Any],
    ) -> None:
        made = create_rule(
            self.url_rule_class,
            rule,
            endpoint,
            view_func,
            automatic_options,
            automatic_options=self.config["PROVIDE_AUTOMATIC_OPTIONS"],
            **options,
        )
        self.url_map.add(made)
        register_view_function(self.view_functions, made.endpoint, view_func)

    @setupmethod
    def template_filter(self, name: str | None = None) -> t.Callable[[F], F]:
        """Decorate a function to be a Jinja filter, named ``name`` or after the function."""
        return _registering(lambda f: self.add_template_filter(f, name=name))

    @setupmethod
    def add_template_filter(self, f: ft.TemplateFilterCallable, name: str | None = None) -> None:
        """Register a Jinja filter; see :meth:`template_filter`."""
        self.jinja_env.filters[name or f.__name__] = f

    @setupmethod
    def template_test(self, name: str | None = None) -> t.Callable[[F], F]:
        """Decorate a function to be a Jinja test, named ``name`` or after the function."""
        return _registering(lambda f: self.add_template_test(f, name=name))

    @setupmethod
    def add_template_test(self, f: ft.TemplateTestCallable, name: str | None = None) -> None:
        """Register a Jinja test; see :meth:`template_test`."""
        self.jinja_env.tests[name or f.__name__] = f

    @setupmethod
    def template_global(self, name: str | None = None) -> t.Callable[[F], F]:
        """Decorate a function to be a Jinja global, named ``name`` or after the function."""
        return _registering(lambda f: self.add_template_global(f, name=name))

    @setupmethod
    def add_template_global(self, f: ft.TemplateGlobalCallable, name: str | None = None) -> None:
        """Register a Jinja global; see :meth:`template_global`."""
        self.jinja_env.globals[name or f.__name__] = f

    @setupmethod
    def teardown_appcontext(self, f: F) -> F:
        """Register a function called with the exception (or ``None``) when an app context
        ends, whether or not a request was handled.
        """
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(self, f: F) -> F:
        """Register a function returning a dict of names for the ``shell`` command."""
        self.shell_context_processors.append(f)
        return f

    def _find_error_handler(
        self, e: Exception, blueprints: list[str]
    ) -> ft.ErrorHandlerCallable | None:
        """Find the handler for an exception, as the request plan does (without its cache).

        Handlers for the exception's status code are preferred over those for no code; within
        each, the innermost blueprint comes first and the app last, and the nearest class in the
        exception's MRO wins.

        :param e: The exception.
        :param blueprints: The request's blueprint names, innermost first.
        """
        exc_class, code = self._get_exc_class_and_code(type(e))
        found = find_error_handler(self.error_handler_spec, exc_class, code, (*blueprints, None))
        return t.cast("ft.ErrorHandlerCallable | None", found)

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether an HTTP exception is raised to the caller instead of being handled.

        True for every one with ``TRAP_HTTP_EXCEPTIONS``; for
        :class:`~werkzeug.exceptions.BadRequest` with ``TRAP_BAD_REQUEST_ERRORS``; and for
        ``BadRequestKeyError`` in debug mode when that setting is unset.
        """
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None:
            return self.debug and isinstance(e, BadRequestKeyError)
        return bool(trap_bad_request) and isinstance(e, BadRequest)

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether teardown should see ``None`` instead of this error. Never, by default."""
        return False

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """Create a redirect response of :attr:`response_class`.

        :param location: The URL to redirect to.
        :param code: The redirect status code.
        """
        # erlen's response class makes it with less work (erlen_core.wrappers).
        make = getattr(self.response_class, "_redirect", None)
        if make is not None:
            return make(location, code)  # type: ignore[no-any-return]
        return _wz_redirect(location, code=code, Response=self.response_class)  # type: ignore[arg-type]

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Let the ``url_defaults`` functions of the app and the endpoint's blueprints fill in
        ``values`` in place, app first, then outer to inner blueprint.
        """
        scopes: t.Iterable[str | None] = (None,)
        if "." in endpoint:
            blueprint_path = endpoint.rpartition(".")[0]
            scopes = chain(scopes, reversed(_split_blueprint_path(blueprint_path)))
        for scope in scopes:
            if scope in self.url_default_functions:
                for func in self.url_default_functions[scope]:
                    func(endpoint, values)

    def handle_url_build_error(
        self, error: BuildError, endpoint: str, values: dict[str, t.Any]
    ) -> str:
        """Try each of :attr:`url_build_error_handlers`; re-raise the error if none returns a
        URL. A handler raising :class:`~werkzeug.routing.BuildError` replaces the error.
        """
        last = error
        for handler in self.url_build_error_handlers:
            url, last = _ask_build_handler(handler, last, endpoint, values)
            if url is not None:
                return url
        if last is sys.exc_info()[1]:
            # The error being handled: re-raise it with its traceback.
            raise
        raise last


def _ask_build_handler(
    handler: t.Callable[[Exception, str, dict[str, t.Any]], str],
    error: BuildError,
    endpoint: str,
    values: dict[str, t.Any],
) -> tuple[str | None, BuildError]:
    """What a build-error handler answers: a URL or ``None``, and the error to go on with (the
    one it raised instead, if it did).
    """
    try:
        return handler(error, endpoint, values), error
    except BuildError as raised:
        return None, raised
