"""What applications and blueprints have in common: registries and the decorators that fill them.

A :class:`Scaffold` records routes, request hooks, error handlers and template context
processors, each keyed by scope (``None`` for the whole app, or a blueprint name). It does no I/O
and reads no context; the application decides when and how the recorded functions run.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import sys
import typing as t
from collections import defaultdict
from functools import update_wrapper

from jinja2 import BaseLoader
from jinja2 import FileSystemLoader
from werkzeug.exceptions import default_exceptions
from werkzeug.exceptions import HTTPException
from werkzeug.utils import cached_property

from erlen_templating import _default_template_ctx_processor

from .. import typing as ft
from ..helpers import get_root_path

if t.TYPE_CHECKING:
    from click import Group

#: Default for parameters where ``None`` is a meaningful value.
_sentinel: t.Any = object()

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar(
    "T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable
)
T_route = t.TypeVar("T_route", bound=ft.RouteCallable)


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


def _scoped_lists() -> defaultdict[ft.AppOrBlueprintKey, list[t.Any]]:
    return defaultdict(list)


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

    #: The click group of this object's commands (set by the WSGI face).
    cli: Group
    #: The name used as registry key and endpoint prefix.
    name: str
    _static_folder: str | None = None
    _static_url_path: str | None = None

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ) -> None:
        #: The import name given to the constructor; do not change it afterwards.
        self.import_name = import_name
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        #: The template folder relative to :attr:`root_path`, or ``None`` for no templates.
        self.template_folder = template_folder
        if root_path is None:
            root_path = get_root_path(self.import_name)
        #: Absolute path of the folder resources, static files and templates are relative to.
        self.root_path = root_path
        #: Endpoint name -> view function. Filled by :meth:`route` and :meth:`add_url_rule`.
        self.view_functions: dict[str, ft.RouteCallable] = {}
        #: ``{scope: {code or None: {exception class: handler}}}``; filled by
        #: :meth:`errorhandler`. ``scope`` is a blueprint name or ``None``.
        self.error_handler_spec: dict[
            ft.AppOrBlueprintKey,
            dict[int | None, dict[type[Exception], ft.ErrorHandlerCallable]],
        ] = defaultdict(lambda: defaultdict(dict))
        #: ``{scope: [function]}`` run before each request; see :meth:`before_request`.
        self.before_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]] = (
            _scoped_lists()
        )
        #: ``{scope: [function]}`` run on the response; see :meth:`after_request`.
        self.after_request_funcs: dict[
            ft.AppOrBlueprintKey, list[ft.AfterRequestCallable[t.Any]]
        ] = _scoped_lists()
        #: ``{scope: [function]}`` run when the request ends; see :meth:`teardown_request`.
        self.teardown_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.TeardownCallable]] = (
            _scoped_lists()
        )
        #: ``{scope: [function]}`` adding template variables; see :meth:`context_processor`.
        self.template_context_processors: dict[
            ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]
        ] = defaultdict(list, {None: [_default_template_ctx_processor]})
        #: ``{scope: [function]}`` changing matched URL values; see
        #: :meth:`url_value_preprocessor`.
        self.url_value_preprocessors: dict[
            ft.AppOrBlueprintKey, list[ft.URLValuePreprocessorCallable]
        ] = _scoped_lists()
        #: ``{scope: [function]}`` filling URL values when building; see :meth:`url_defaults`.
        self.url_default_functions: dict[ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]] = (
            _scoped_lists()
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        raise NotImplementedError

    @property
    def static_folder(self) -> str | None:
        """The absolute path of the static folder, or ``None`` if there is none."""
        if self._static_folder is None:
            return None
        return os.path.join(self.root_path, self._static_folder)

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        if value is not None:
            value = os.fspath(value).rstrip(r"\/")
        self._static_folder = value

    @property
    def has_static_folder(self) -> bool:
        """Whether a static folder is set."""
        return self._static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix of the static route; by default ``/`` plus the folder's name."""
        if self._static_url_path is not None:
            return self._static_url_path
        folder = self.static_folder
        if folder is None:
            return None
        return f"/{os.path.basename(folder)}".rstrip("/")

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        if value is not None:
            value = value.rstrip("/")
        self._static_url_path = value

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A file system loader for :attr:`template_folder`, or ``None`` without one."""
        if self.template_folder is None:
            return None
        return FileSystemLoader(os.path.join(self.root_path, self.template_folder))

    def _method_route(
        self, method: str, rule: str, options: dict[str, t.Any]
    ) -> t.Callable[[T_route], T_route]:
        if "methods" in options:
            raise TypeError("Use the 'route' decorator to use the 'methods' argument.")
        return self.route(rule, methods=[method], **options)

    @setupmethod
    def get(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``GET`` requests; :meth:`route` with ``methods=["GET"]``."""
        return self._method_route("GET", rule, options)

    @setupmethod
    def post(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``POST`` requests; :meth:`route` with ``methods=["POST"]``."""
        return self._method_route("POST", rule, options)

    @setupmethod
    def put(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``PUT`` requests; :meth:`route` with ``methods=["PUT"]``."""
        return self._method_route("PUT", rule, options)

    @setupmethod
    def delete(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``DELETE`` requests; :meth:`route` with ``methods=["DELETE"]``."""
        return self._method_route("DELETE", rule, options)

    @setupmethod
    def patch(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register a view for ``PATCH`` requests; :meth:`route` with ``methods=["PATCH"]``."""
        return self._method_route("PATCH", rule, options)

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Decorate a view function to serve the URL rule; see :meth:`add_url_rule`.

        :param rule: The URL rule, e.g. ``"/user/<int:id>"``.
        :param options: ``endpoint``, ``methods``, ``provide_automatic_options`` and any
            :class:`~werkzeug.routing.Rule` option.
        """

        def decorator(f: T_route) -> T_route:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, **options)
            return f

        return decorator

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
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
        raise NotImplementedError

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[F], F]:
        """Decorate a function to be the view of an endpoint added without one."""

        def decorator(f: F) -> F:
            self.view_functions[endpoint] = f
            return f

        return decorator

    @setupmethod
    def before_request(self, f: T_before_request) -> T_before_request:
        """Register a function called with no arguments before each request of this scope.

        If it returns something other than ``None``, that value becomes the response and the
        view is not called.
        """
        self.before_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def after_request(self, f: T_after_request) -> T_after_request:
        """Register a function called with the response; it returns the response to send.

        Functions run in reverse order of registration and are skipped when the request fails
        with an unhandled exception.
        """
        self.after_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def teardown_request(self, f: T_teardown) -> T_teardown:
        """Register a function called with the exception (or ``None``) when the request ends.

        It always runs, even after an unhandled error; its return value is ignored.
        """
        self.teardown_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def context_processor(self, f: T_template_context_processor) -> T_template_context_processor:
        """Register a function returning a dict of extra variables for rendered templates."""
        self.template_context_processors[None].append(f)
        return f

    @setupmethod
    def url_value_preprocessor(self, f: T_url_value_preprocessor) -> T_url_value_preprocessor:
        """Register ``f(endpoint, values)`` to change matched URL values before the view runs.

        It runs before the ``before_request`` functions and may edit ``values`` in place.
        """
        self.url_value_preprocessors[None].append(f)
        return f

    @setupmethod
    def url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Register ``f(endpoint, values)`` to fill in values in place when building URLs."""
        self.url_default_functions[None].append(f)
        return f

    @setupmethod
    def errorhandler(
        self, code_or_exception: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """Decorate a function to handle an HTTP status code or an exception class.

        :param code_or_exception: An HTTP error code or an :class:`Exception` subclass.
        """

        def decorator(f: T_error_handler) -> T_error_handler:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    @setupmethod
    def register_error_handler(
        self, code_or_exception: type[Exception] | int, f: ft.ErrorHandlerCallable
    ) -> None:
        """Register an error handler without decorator syntax; see :meth:`errorhandler`."""
        exc_class, code = self._get_exc_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = f

    @staticmethod
    def _get_exc_class_and_code(
        exc_class_or_code: type[Exception] | int,
    ) -> tuple[type[Exception], int | None]:
        """Return the exception class and, for HTTP exceptions, its status code.

        :param exc_class_or_code: An exception class or an HTTP error code.
        :raises ValueError: For an unknown code or a class that is not an exception.
        :raises TypeError: For an exception instance instead of a class.
        """
        exc_class: type[Exception]
        if isinstance(exc_class_or_code, int):
            try:
                exc_class = default_exceptions[exc_class_or_code]
            except KeyError:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP error code. Use a subclass"
                    " of HTTPException with that code instead."
                ) from None
        else:
            exc_class = exc_class_or_code

        if isinstance(exc_class, Exception):
            raise TypeError(
                f"{exc_class!r} is an instance, not a class. Handlers can only be registered"
                " for Exception classes or HTTP error codes."
            )
        if not issubclass(exc_class, Exception):
            raise ValueError(
                f"'{exc_class.__name__}' is not a subclass of Exception. Handlers can only be"
                " registered for Exception classes or HTTP error codes."
            )
        if issubclass(exc_class, HTTPException):
            return exc_class, exc_class.code
        return exc_class, None


def _find_package_path(import_name: str) -> str:
    """Return the ``sys.path`` entry the top-level package of ``import_name`` comes from."""
    root_name = import_name.partition(".")[0]
    try:
        root_spec = importlib.util.find_spec(root_name)
    except (ImportError, ValueError):
        root_spec = None
    if root_spec is None:
        return os.getcwd()

    locations = root_spec.submodule_search_locations
    if not locations:
        # A single-file module: its folder is the path entry.
        return os.path.dirname(t.cast(str, root_spec.origin))
    if root_spec.origin is not None and root_spec.origin != "namespace":
        # A regular package: the folder above its __init__.py's folder.
        return os.path.dirname(os.path.dirname(root_spec.origin))

    # A namespace package may span several folders; pick the one holding import_name.
    spec = importlib.util.find_spec(import_name)
    if spec is not None and spec.submodule_search_locations:
        package_path = pathlib.Path(os.path.commonpath(spec.submodule_search_locations))
        location = next(loc for loc in locations if package_path.is_relative_to(loc))
    else:
        location = next(iter(locations))
    return os.path.dirname(location)


def find_package(import_name: str) -> tuple[str | None, str]:
    """Return the install prefix of a package (or ``None``) and the path it imports from.

    The prefix is set when the package is installed in :data:`sys.prefix` or in a
    ``site-packages`` folder; a package imported from a work tree has none.

    :param import_name: The module or package to locate.
    """
    package_path = _find_package_path(import_name)
    prefix = os.path.abspath(sys.prefix)
    if pathlib.PurePath(package_path).is_relative_to(prefix):
        return prefix, package_path

    site_parent, site_folder = os.path.split(package_path)
    if site_folder.lower() != "site-packages":
        return None, package_path
    parent, folder = os.path.split(site_parent)
    if folder.lower() == "lib":
        return parent, package_path
    if os.path.basename(parent).lower() == "lib":
        return os.path.dirname(parent), package_path
    return site_parent, package_path
