"""What applications and blueprints share: the registries and the decorators that fill them.

A :class:`Scaffold` records views, request hooks, error handlers and template context processors.
Hook registries are keyed by scope, ``None`` for the object itself and a (dotted) blueprint name
for what a blueprint contributed. All of them are :mod:`~erlen_core.sansio.registries` that bump
the scaffold's :attr:`~Scaffold._stamp` when changed, so an app knows when the request plan it
prepared from them is out of date. A scaffold does no I/O and reads no context.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import sys
import typing as t
from functools import update_wrapper

from werkzeug.exceptions import default_exceptions
from werkzeug.exceptions import HTTPException
from werkzeug.utils import cached_property

from erlen_templating import default_template_context

from ..helpers import get_root_path
from .registries import error_handlers
from .registries import scoped_hooks
from .registries import Stamp

if t.TYPE_CHECKING:
    from jinja2 import BaseLoader

    from .. import typing as ft

#: Default for parameters where ``None`` is a meaningful value.
_sentinel: t.Any = object()

#: A decorated function, returned as it is (hooks, processors, endpoints).
F = t.TypeVar("F", bound=t.Callable[..., t.Any])
T_error_handler = t.TypeVar("T_error_handler", bound="ft.ErrorHandlerCallable")
T_route = t.TypeVar("T_route", bound="ft.RouteCallable")
T_websocket = t.TypeVar("T_websocket", bound=t.Callable[..., t.Awaitable[t.Any]])

#: A folder given to a constructor: a path relative to the root path, or ``None`` for none.
Folder: t.TypeAlias = "str | os.PathLike[str] | None"
#: A view function, or ``None`` to attach one later with :meth:`Scaffold.endpoint`.
OptionalView: t.TypeAlias = "ft.RouteCallable | None"

#: The registries keyed by scope, each a ``{scope: [function]}``; they are created, replaced
#: and merged (by blueprints) alike.
SCOPED_REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "template_context_processors",
    "url_value_preprocessors",
    "url_default_functions",
)


def setupmethod(f: F) -> F:
    """Mark a method that changes setup, so calling it too late raises a clear error.

    The wrapper asks the object's ``_check_setup_finished`` first; an app refuses once it has
    handled a request, a blueprint once it has been registered.
    """
    name = f.__name__

    def wrapper(self: Scaffold, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(name)
        return f(self, *args, **kwargs)

    return t.cast(F, update_wrapper(wrapper, f))


def _one_method(method: str, options: dict[str, t.Any]) -> dict[str, t.Any]:
    """The options of a route shortcut (``get``, ``post`` ...) with ``methods`` set to its one
    method; refuses ``methods`` among them.
    """
    if "methods" in options:
        raise TypeError("Use the 'route' decorator to use the 'methods' argument.")
    return {**options, "methods": [method]}


def _registering(register: t.Callable[[F], object]) -> t.Callable[[F], F]:
    """A decorator that hands the decorated function to ``register`` and returns it as is."""

    def decorate(f: F) -> F:
        register(f)
        return f

    return decorate


class Scaffold:
    """The registries and decorators shared by applications and blueprints.

    :param import_name: The import name of the module or package that defines the object,
        usually ``__name__``. Used to find :attr:`root_path`.
    :param static_folder: Folder of static files, relative to :attr:`root_path`.
    :param static_url_path: URL prefix of the static route; defaults to the folder's name.
    :param template_folder: Folder of templates, relative to :attr:`root_path`.
    :param root_path: The folder resources are relative to; found from ``import_name`` when
        not given.
    """

    #: The name used as registry key and endpoint prefix.
    name: str
    _static_folder: str | None = None
    _static_url_path: str | None = None

    #: Attribute names whose assignment changes what a request plan holds.
    _plan_inputs: t.ClassVar[frozenset[str]] = frozenset((*SCOPED_REGISTRIES, "error_handler_spec"))

    #: ``{scope: {code or None: {exception class: handler}}}``; filled by :meth:`errorhandler`.
    error_handler_spec: dict[
        ft.AppOrBlueprintKey, dict[int | None, dict[type[Exception], ft.ErrorHandlerCallable]]
    ]
    #: ``{scope: [function]}`` run before each request; see :meth:`before_request`.
    before_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]]
    #: ``{scope: [function]}`` run on the response; see :meth:`after_request`.
    after_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.AfterRequestCallable[t.Any]]]
    #: ``{scope: [function]}`` run when the request ends; see :meth:`teardown_request`.
    teardown_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.TeardownCallable]]
    #: ``{scope: [function]}`` adding template variables; see :meth:`context_processor`.
    template_context_processors: dict[
        ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]
    ]
    #: ``{scope: [function]}`` changing matched URL values; see :meth:`url_value_preprocessor`.
    url_value_preprocessors: dict[ft.AppOrBlueprintKey, list[ft.URLValuePreprocessorCallable]]
    #: ``{scope: [function]}`` filling URL values when building; see :meth:`url_defaults`.
    url_default_functions: dict[ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]]

    def __init__(
        self,
        import_name: str,
        static_folder: Folder = None,
        static_url_path: str | None = None,
        template_folder: Folder = None,
        root_path: str | None = None,
    ) -> None:
        #: Bumped by every change of a registry; see :mod:`erlen_core.sansio.registries`.
        self._stamp = Stamp()
        #: The import name given to the constructor; do not change it afterwards.
        self.import_name = import_name
        #: Absolute path of the folder resources, static files and templates are relative to.
        self.root_path = get_root_path(import_name) if root_path is None else root_path
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        #: The template folder relative to :attr:`root_path`, or ``None`` for no templates.
        self.template_folder = template_folder
        #: Endpoint name -> view function. Filled by :meth:`route` and :meth:`add_url_rule`.
        self.view_functions: dict[str, ft.RouteCallable] = {}
        for registry in SCOPED_REGISTRIES:
            setattr(self, registry, {})
        self.template_context_processors[None].append(default_template_context)
        self.error_handler_spec = {}

    def __setattr__(self, name: str, value: t.Any) -> None:
        # Registries assigned whole are adopted, and the plan is told about the change.
        if name in self._plan_inputs:
            if name in SCOPED_REGISTRIES:
                value = scoped_hooks(self._stamp, value)
            elif name == "error_handler_spec":
                value = error_handlers(self._stamp, value)
            self._stamp.bump()
        object.__setattr__(self, name, value)

    @property
    def static_folder(self) -> str | None:
        """The absolute path of the static folder, or ``None`` if there is none."""
        folder = self._static_folder
        return None if folder is None else os.path.join(self.root_path, folder)

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        self._static_folder = None if value is None else os.fspath(value).rstrip(r"\/")

    @property
    def has_static_folder(self) -> bool:
        """Whether a static folder is set."""
        return self._static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix of the static route; by default ``/`` plus the folder's name."""
        if self._static_url_path is None and self._static_folder is not None:
            return ("/" + os.path.basename(t.cast(str, self.static_folder))).rstrip("/")
        return self._static_url_path

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        self._static_url_path = None if value is None else value.rstrip("/")

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A file system loader for :attr:`template_folder`, or ``None`` without one."""
        folder = self.template_folder
        if folder is None:
            return None
        from jinja2 import FileSystemLoader  # jinja2 is imported by the first app that needs it

        return FileSystemLoader(os.path.join(self.root_path, folder))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        """Raise when it is too late to call the setup method ``f_name``; see
        :func:`setupmethod`. Apps and blueprints say when that is.
        """
        raise NotImplementedError

    @setupmethod
    def get(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``GET`` requests; :meth:`route` with ``methods=["GET"]``."""
        return self.route(rule, **_one_method("GET", options))

    @setupmethod
    def post(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``POST`` requests; :meth:`route` with ``methods=["POST"]``."""
        return self.route(rule, **_one_method("POST", options))

    @setupmethod
    def put(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``PUT`` requests; :meth:`route` with ``methods=["PUT"]``."""
        return self.route(rule, **_one_method("PUT", options))

    @setupmethod
    def delete(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``DELETE`` requests; :meth:`route` with ``methods=["DELETE"]``."""
        return self.route(rule, **_one_method("DELETE", options))

    @setupmethod
    def patch(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``PATCH`` requests; :meth:`route` with ``methods=["PATCH"]``."""
        return self.route(rule, **_one_method("PATCH", options))

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Decorate a view function to serve the URL rule; see :meth:`add_url_rule`.

        :param rule: The URL rule, e.g. ``"/user/<int:id>"``.
        :param options: ``endpoint``, ``methods``, ``provide_automatic_options`` and any
            :class:`~werkzeug.routing.Rule` option.
        """
        endpoint = options.pop("endpoint", None)
        return _registering(lambda view: self.add_url_rule(rule, endpoint, view, **options))

    @setupmethod
    def websocket(self, rule: str, **options: t.Any) -> t.Callable[[T_websocket], T_websocket]:
        """Decorate an ``async def`` handler to serve WebSocket connections to the URL rule;
        see :mod:`erlen_core.websockets`.

        :param rule: The URL rule, e.g. ``"/chat/<room>"``.
        :param options: ``endpoint`` and any :class:`~werkzeug.routing.Rule` option.
        """
        from ..websockets import websocket_view

        endpoint = options.pop("endpoint", None)
        options.update(websocket=True, methods=["GET"], provide_automatic_options=False)
        return _registering(
            lambda handler: self.add_url_rule(rule, endpoint, websocket_view(handler), **options)
        )

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: OptionalView = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Register a URL rule, its endpoint and optionally its view function.

        :param rule: The URL rule string.
        :param endpoint: The endpoint name; defaults to ``view_func.__name__``.
        :param view_func: The view; may be attached later with :meth:`endpoint`.
        :param provide_automatic_options: Answer ``OPTIONS`` automatically. Defaults to the
            view's attribute of that name, else to the ``PROVIDE_AUTOMATIC_OPTIONS`` config.
        :param options: ``methods`` and other :class:`~werkzeug.routing.Rule` options.
        """
        self._add_rule(rule, endpoint, view_func, provide_automatic_options, options)

    def _add_rule(
        self,
        rule: str,
        endpoint: str | None,
        view_func: OptionalView,
        automatic_options: bool | None,
        options: dict[str, t.Any],
    ) -> None:
        """What :meth:`add_url_rule` does; apps implement it, blueprints override
        :meth:`add_url_rule` itself.
        """
        raise NotImplementedError

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[F], F]:
        """Decorate a function to be the view of an endpoint added without one."""
        return _registering(lambda view: self.view_functions.__setitem__(endpoint, view))

    def _add_own(self, registry: str, f: F) -> F:
        """Append ``f`` to this object's own (``None``) list of a scoped registry."""
        getattr(self, registry)[None].append(f)
        return f

    @setupmethod
    def before_request(self, f: F) -> F:
        """Register a function called with no arguments before each request of this scope.

        If it returns something other than ``None``, that value becomes the response and the
        view is not called.
        """
        return self._add_own("before_request_funcs", f)

    @setupmethod
    def after_request(self, f: F) -> F:
        """Register a function called with the response; it returns the response to send.

        Functions run in reverse order of registration and are skipped when the request fails
        with an unhandled exception.
        """
        return self._add_own("after_request_funcs", f)

    @setupmethod
    def teardown_request(self, f: F) -> F:
        """Register a function called with the exception (or ``None``) when the request ends.

        It always runs, even after an unhandled error; its return value is ignored.
        """
        return self._add_own("teardown_request_funcs", f)

    @setupmethod
    def context_processor(self, f: F) -> F:
        """Register a function returning a dict of extra variables for rendered templates."""
        return self._add_own("template_context_processors", f)

    @setupmethod
    def url_value_preprocessor(self, f: F) -> F:
        """Register ``f(endpoint, values)`` to change matched URL values before the view runs.

        It runs before the ``before_request`` functions and may edit ``values`` in place.
        """
        return self._add_own("url_value_preprocessors", f)

    @setupmethod
    def url_defaults(self, f: F) -> F:
        """Register ``f(endpoint, values)`` to fill in values in place when building URLs."""
        return self._add_own("url_default_functions", f)

    @setupmethod
    def errorhandler(
        self, code_or_exception: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """Decorate a function to handle an HTTP status code or an exception class.

        :param code_or_exception: An HTTP error code or an :class:`Exception` subclass.
        """
        return _registering(lambda f: self.register_error_handler(code_or_exception, f))

    @setupmethod
    def register_error_handler(
        self, code_or_exception: type[Exception] | int, f: ft.ErrorHandlerCallable
    ) -> None:
        """Register an error handler without decorator syntax; see :meth:`errorhandler`."""
        cls, code = self._get_exc_class_and_code(code_or_exception)
        # Flask's layout: own scope, then the code (None for a class only), then the class.
        by_class = self.error_handler_spec[None][code]
        by_class[cls] = f

    @staticmethod
    def _get_exc_class_and_code(
        exc_class_or_code: type[Exception] | int,
    ) -> tuple[type[Exception], int | None]:
        """Return the exception class and, for HTTP exceptions, its status code.

        :param exc_class_or_code: An exception class or an HTTP error code.
        :raises ValueError: For an unknown code or a class that is not an exception.
        :raises TypeError: For an exception instance instead of a class.
        """
        if isinstance(exc_class_or_code, int):
            if exc_class_or_code not in default_exceptions:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP error code. Use a subclass"
                    " of HTTPException with that code instead."
                )
            return default_exceptions[exc_class_or_code], exc_class_or_code
        if isinstance(exc_class_or_code, BaseException):
            raise TypeError(
                f"{exc_class_or_code!r} is an instance, not a class. Handlers can only be"
                " registered for Exception classes or HTTP error codes."
            )
        if not issubclass(exc_class_or_code, Exception):
            raise ValueError(
                f"'{exc_class_or_code.__name__}' is not a subclass of Exception. Handlers can"
                " only be registered for Exception classes or HTTP error codes."
            )
        code = exc_class_or_code.code if issubclass(exc_class_or_code, HTTPException) else None
        return exc_class_or_code, code


def _spec_location(import_name: str) -> str:
    """Return the ``sys.path`` entry the top-level package of ``import_name`` is loaded from
    (the working directory when it cannot be found).
    """
    top = import_name.partition(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return os.getcwd()
    search = spec.submodule_search_locations
    if not search:
        # A module file: the entry is its folder.
        return os.path.dirname(t.cast(str, spec.origin))
    if spec.origin not in (None, "namespace"):
        # A regular package: its __init__.py sits one folder below the entry.
        return os.path.dirname(os.path.dirname(spec.origin))
    # A namespace package can span several entries; take the one holding import_name.
    inner = importlib.util.find_spec(import_name)
    inner_search = inner.submodule_search_locations if inner is not None else None
    chosen = next(iter(search))
    if inner_search:
        common = pathlib.Path(os.path.commonpath(inner_search))
        chosen = next(entry for entry in search if common.is_relative_to(entry))
    return os.path.dirname(chosen)


def find_package(import_name: str) -> tuple[str | None, str]:
    """Return the install prefix of a package (or ``None``) and the path it imports from.

    The prefix is set when the package is installed in :data:`sys.prefix` or in a
    ``site-packages`` folder; a package imported from a work tree has none.

    :param import_name: The module or package to locate.
    """
    location = _spec_location(import_name)
    prefix = os.path.abspath(sys.prefix)
    if pathlib.PurePath(location).is_relative_to(prefix):
        return prefix, location
    parts = pathlib.PurePath(location).parts
    if not parts or parts[-1].lower() != "site-packages":
        return None, location
    # <prefix>/lib/site-packages or <prefix>/lib/pythonX.Y/site-packages, else the folder above.
    above = pathlib.PurePath(location).parent
    for depth in (1, 2):
        candidate = pathlib.PurePath(*parts[: -depth - 1]) if len(parts) > depth + 1 else None
        if candidate is not None and parts[-depth - 1].lower() == "lib":
            return str(candidate), location
    return str(above), location
