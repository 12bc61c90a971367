"""Finding the application: import a module, then pick the app object or call its factory.

The command never imports an application class. Anything that satisfies :class:`CliApp` counts
as an application, which is what lets this package stay a leaf: an erlen app, a Flask app or a
small test double are all recognised the same way.
"""

from __future__ import annotations

import ast
import collections.abc as cabc
import inspect
import os
import sys
import traceback
import typing as t
from contextlib import AbstractContextManager

import click

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Map


class NoAppException(click.UsageError):
    """The application could not be imported, found or created.

    The message says what was looked for and how to name the application explicitly.
    """


@t.runtime_checkable
class CliApp(t.Protocol):
    """What the erlen command requires of an application object.

    An object is taken for an application when it has all of these members (classes themselves
    never count). erlen's and Flask's application classes satisfy it.
    """

    #: Set from ``FLASK_DEBUG`` when the app is loaded (see :class:`~erlen_cli.ScriptInfo`).
    debug: bool

    @property
    def url_map(self) -> Map:
        """The werkzeug :class:`~werkzeug.routing.Map` listed by ``erlen routes``."""

    @property
    def cli(self) -> click.Group:
        """The app's own command group, merged into the ``erlen`` command."""

    def app_context(self) -> AbstractContextManager[t.Any]:
        """Return a new application context, entered around app commands."""

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI application proper."""

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """Serve a WSGI request; ``erlen run`` hands the app to the development server."""


@t.runtime_checkable
class ContextReportingApp(t.Protocol):
    """An application that can tell whether one of its own app contexts is the current one.

    Optional: when the loaded app has this method, :func:`~erlen_cli.with_appcontext` and the
    group's app commands push no second context while the app's context is active. Without it,
    a context is always pushed around a command.
    """

    def app_context_active(self) -> bool:
        """Return ``True`` when the current application context belongs to this app."""


def is_app(obj: object) -> bool:
    """Tell whether ``obj`` is an application object the command can use.

    Classes are never applications, and objects whose attribute access fails (an unbound
    context-local proxy, for example) are not either.
    """
    if isinstance(obj, type):
        return False
    try:
        return isinstance(obj, CliApp)
    except Exception:
        return False


#: Attribute names looked up first for an application instance.
APP_NAMES = ("app", "application")
#: Attribute names of factories called with no arguments when no instance is found.
FACTORY_NAMES = ("create_app", "make_app")


def find_best_app(module: t.Any) -> CliApp:
    """Find the application in an imported module.

    In order: an ``app`` or ``application`` attribute; the only application instance among the
    module's globals; a ``create_app`` or ``make_app`` function called without arguments.

    :param module: the module (or any object with a ``__dict__`` and ``__name__``) to search.
    :raises NoAppException: when none or several applications are found, or a factory needs
        arguments.
    """
    name = module.__name__
    for attr_name in APP_NAMES:
        candidate = getattr(module, attr_name, None)
        if is_app(candidate):
            return t.cast(CliApp, candidate)

    found = [value for value in vars(module).values() if is_app(value)]
    if len(found) == 1:
        return t.cast(CliApp, found[0])
    if found:
        raise NoAppException(
            f"Found {len(found)} applications in module {name!r}; name the one to use with"
            f" '{name}:name'."
        )

    for attr_name in FACTORY_NAMES:
        factory = getattr(module, attr_name, None)
        if not inspect.isfunction(factory):
            continue
        try:
            candidate = factory()
        except TypeError as e:
            if not _called_with_wrong_args(factory):
                raise
            raise NoAppException(
                f"Found the factory {attr_name!r} in module {name!r}, but it cannot be called"
                f" without arguments. Pass them with '{name}:{attr_name}(args)'."
            ) from e
        if is_app(candidate):
            return t.cast(CliApp, candidate)

    raise NoAppException(
        f"Could not find an application or factory in module {name!r}. Looked for an"
        f" attribute named {' or '.join(map(repr, APP_NAMES))}, a single application"
        f" instance, and a factory named {' or '.join(map(repr, FACTORY_NAMES))}."
        f" Name the application with '{name}:name'."
    )


def _called_with_wrong_args(f: t.Callable[..., t.Any]) -> bool:
    """Tell whether the ``TypeError`` being handled came from calling ``f`` itself.

    The error is a bad call when its traceback never entered ``f``'s code; otherwise the
    factory ran and raised the ``TypeError`` from inside.
    """
    tb = sys.exc_info()[2]
    code = getattr(f, "__code__", None)
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return False
        tb = tb.tb_next
    return True


def _parse_app_expression(
    module_name: str, app_name: str
) -> tuple[str, list[t.Any], dict[str, t.Any]]:
    """Split ``name`` or ``name(args)`` into the name and literal call arguments."""
    try:
        expr = ast.parse(app_name.strip(), mode="eval").body
    except SyntaxError:
        raise NoAppException(
            f"Could not parse {app_name!r} as an attribute name or a function call."
        ) from None

    if isinstance(expr, ast.Name):
        return expr.id, [], {}
    if not isinstance(expr, ast.Call):
        raise NoAppException(
            f"Could not parse {app_name!r} as an attribute name or a function call."
        )
    if not isinstance(expr.func, ast.Name):
        raise NoAppException(
            f"The factory in {app_name!r} must be a plain name from module {module_name!r}."
        )
    try:
        args = [ast.literal_eval(arg) for arg in expr.args]
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in expr.keywords if kw.arg}
    except ValueError:
        raise NoAppException(
            f"The arguments in {app_name!r} must be Python literals (strings, numbers, ...)."
        ) from None
    return expr.func.id, args, kwargs


def find_app_by_string(module: t.Any, app_name: str) -> CliApp:
    """Get the application named by ``app_name`` from an imported module.

    :param module: the imported module.
    :param app_name: an attribute name, or a call such as ``create_app("dev", debug=True)``
        whose arguments are Python literals. A function is called (with no arguments for a
        bare name) and must return the application.
    :raises NoAppException: when the text does not parse, the attribute is missing, the factory
        rejects the arguments or the result is not an application.
    """
    module_name = module.__name__
    name, args, kwargs = _parse_app_expression(module_name, app_name)

    try:
        attr = getattr(module, name)
    except AttributeError as e:
        raise NoAppException(f"Module {module_name!r} has no attribute {name!r}.") from e

    if inspect.isfunction(attr):
        try:
            candidate = attr(*args, **kwargs)
        except TypeError as e:
            if not _called_with_wrong_args(attr):
                raise
            raise NoAppException(
                f"The factory {app_name!r} in module {module_name!r} cannot be called with"
                " these arguments."
            ) from e
    else:
        candidate = attr

    if is_app(candidate):
        return t.cast(CliApp, candidate)
    raise NoAppException(
        f"'{module_name}:{app_name}' gave {type(candidate).__name__!r}, not an application."
    )


def prepare_import(path: str | os.PathLike[str]) -> str:
    """Turn a file path or dotted name into an importable module name.

    A ``.py`` suffix and a trailing ``__init__`` are dropped, enclosing packages (folders with
    an ``__init__.py``) become part of the dotted name, and the folder above the outermost
    package is put first on :data:`sys.path`.

    :param path: a file or folder path, or a dotted module name relative to the current folder.
    :return: the module name to import.
    """
    real = os.path.realpath(path)
    stem, ext = os.path.splitext(real)
    if ext == ".py":
        real = stem
    if os.path.basename(real) == "__init__":
        real = os.path.dirname(real)

    parts: list[str] = []
    while True:
        real, part = os.path.split(real)
        parts.append(part)
        if not os.path.exists(os.path.join(real, "__init__.py")):
            break

    if sys.path[0] != real:
        sys.path.insert(0, real)
    return ".".join(reversed(parts))


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: t.Literal[True] = True
) -> CliApp: ...


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = ...
) -> CliApp | None: ...


def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = True
) -> CliApp | None:
    """Import ``module_name`` and find the application in it.

    An error raised by the module's own code keeps its traceback: an ``ImportError`` from
    inside the module becomes a :exc:`NoAppException` that shows it, other exceptions propagate.
    A module that does not exist, or does not compile, gives a one-line error.

    :param module_name: the dotted module name (see :func:`prepare_import`).
    :param app_name: what follows the ``:`` in ``module:name``; ``None`` to search the module
        with :func:`find_best_app`.
    :param raise_if_not_found: when false, a module that does not exist gives ``None``.
    :raises NoAppException: when the module or the application cannot be found.
    """
    try:
        __import__(module_name)
    except ImportError as e:
        tb = e.__traceback__
        # importlib removes its own frames, so a second frame means the module's code ran.
        if tb is not None and tb.tb_next is not None:
            trace = "".join(traceback.format_exception(type(e), e, tb.tb_next))
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:\n\n{trace}"
            ) from None
        if not raise_if_not_found:
            return None
        raise NoAppException(
            f"Could not import {module_name!r}: {e}. Check the name and the current folder"
            f" ({os.getcwd()})."
        ) from None
    except SyntaxError as e:
        detail = "".join(traceback.format_exception_only(type(e), e)).rstrip()
        raise NoAppException(f"Module {module_name!r} does not compile:\n{detail}") from None

    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)
