"""Finding the application: import a module, then pick the app object or call its factory.

The command never imports an application class. Anything that satisfies :class:`CliApp` counts
as an application, which is what lets this package stay a leaf: an erlen app, a Flask app or a
small test double are all recognised the same way.

An application is named by an :class:`AppRef`, the parsed form of ``--app``'s
``module:target`` text. Searching a module that names nothing runs the :data:`SEARCHES` in
order; the first that finds an application wins.
"""

from __future__ import annotations

import ast
import collections.abc as cabc
import dataclasses
import importlib
import inspect
import os
import pathlib
import re
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


#: A callable that makes the application, as ``create_app`` of :class:`~erlen_cli.ScriptInfo`.
AppFactory = t.Callable[..., CliApp]


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


def call_refused(f: t.Callable[..., t.Any], error: BaseException | None = None) -> bool:
    """Tell whether a :exc:`TypeError` from calling ``f`` means the call itself was refused.

    It was when no frame of its traceback runs ``f``'s code: the arguments did not fit, so
    ``f`` never started. A ``TypeError`` raised by ``f``'s own code is the app's bug instead.

    :param f: the function that was called.
    :param error: the error; by default the one being handled.
    """
    if error is None:
        error = sys.exc_info()[1]
    code = getattr(f, "__code__", None)
    frames = traceback.walk_tb(error.__traceback__ if error is not None else None)
    return all(frame.f_code is not code for frame, _ in frames)


def call_factory(
    factory: t.Callable[..., t.Any],
    args: cabc.Sequence[t.Any],
    kwargs: cabc.Mapping[str, t.Any],
    refused: str,
) -> object:
    """Call an application factory.

    :param refused: the message of the :exc:`NoAppException` raised when the factory does not
        take these arguments. A ``TypeError`` raised inside the factory propagates.
    """
    try:
        return factory(*args, **kwargs)
    except TypeError as error:
        if call_refused(factory, error):
            raise NoAppException(refused) from error
        raise


def _app_by_name(module: t.Any) -> CliApp | None:
    candidates = (getattr(module, name, None) for name in APP_NAMES)
    return next((t.cast(CliApp, obj) for obj in candidates if is_app(obj)), None)


def _only_app_instance(module: t.Any) -> CliApp | None:
    apps = [obj for obj in vars(module).values() if is_app(obj)]
    if len(apps) > 1:
        name = module.__name__
        raise NoAppException(
            f"Found {len(apps)} applications in module {name!r}; name the one to use with"
            f" '{name}:name'."
        )
    return t.cast(CliApp, apps[0]) if apps else None


def _app_from_factory(module: t.Any) -> CliApp | None:
    name = module.__name__
    for factory_name in FACTORY_NAMES:
        factory = getattr(module, factory_name, None)
        if not inspect.isfunction(factory):
            continue
        refused = (
            f"Found the factory {factory_name!r} in module {name!r}, but it cannot be called"
            f" without arguments. Pass them with '{name}:{factory_name}(args)'."
        )
        made = call_factory(factory, (), {}, refused)
        if is_app(made):
            return t.cast(CliApp, made)
    return None


#: How :func:`find_best_app` searches a module, in order: a conventional name, the only
#: application instance, a conventional factory called without arguments.
SEARCHES: tuple[t.Callable[[t.Any], CliApp | None], ...] = (
    _app_by_name,
    _only_app_instance,
    _app_from_factory,
)


def find_best_app(module: t.Any) -> CliApp:
    """Find the application in an imported module.

    In order: an ``app`` or ``application`` attribute; the only application instance among the
    module's globals; a ``create_app`` or ``make_app`` function called without arguments.

    :param module: the module (or any object with a ``__dict__`` and ``__name__``) to search.
    :raises NoAppException: when none or several applications are found, or a factory needs
        arguments.
    """
    for search in SEARCHES:
        found = search(module)
        if found is not None:
            return found
    name = module.__name__
    raise NoAppException(
        f"Could not find an application or factory in module {name!r}. Looked for an"
        f" attribute named {' or '.join(map(repr, APP_NAMES))}, a single application"
        f" instance, and a factory named {' or '.join(map(repr, FACTORY_NAMES))}."
        f" Name the application with '{name}:name'."
    )


@dataclasses.dataclass(frozen=True)
class AppTarget:
    """What to take from the app's module: an attribute, called with literal arguments when it
    is a function (a factory).
    """

    #: The attribute name.
    name: str
    #: Positional arguments of the call; empty for a bare name.
    args: tuple[t.Any, ...] = ()
    #: Keyword arguments of the call.
    kwargs: dict[str, t.Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> AppTarget:
        """Read ``name`` or ``name(args)``, the arguments being Python literals.

        :raises NoAppException: when the text is neither.
        """
        try:
            node: ast.expr | None = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            node = None
        match node:
            case ast.Name(id=name):
                return cls(name)
            case ast.Call(func=ast.Name(id=name), args=args, keywords=keywords):
                try:
                    values = tuple(map(ast.literal_eval, args))
                    options = {kw.arg: ast.literal_eval(kw.value) for kw in keywords if kw.arg}
                except ValueError:
                    raise NoAppException(
                        f"The arguments in {text!r} must be Python literals (strings, numbers,"
                        " ...)."
                    ) from None
                return cls(name, values, options)
            case ast.Call():
                raise NoAppException(f"The factory in {text!r} must be a plain name.")
        raise NoAppException(f"Could not parse {text!r} as an attribute name or a function call.")


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
    target = AppTarget.parse(app_name)
    if not hasattr(module, target.name):
        raise NoAppException(f"Module {module_name!r} has no attribute {target.name!r}.")
    found = getattr(module, target.name)
    if inspect.isfunction(found):
        refused = (
            f"The factory {app_name!r} in module {module_name!r} cannot be called with these"
            " arguments."
        )
        found = call_factory(found, target.args, target.kwargs, refused)
    if not is_app(found):
        raise NoAppException(
            f"'{module_name}:{app_name}' gave {type(found).__name__!r}, not an application."
        )
    return t.cast(CliApp, found)


def prepare_import(path: str | os.PathLike[str]) -> str:
    """Turn a file path or dotted name into an importable module name.

    A ``.py`` suffix and a trailing ``__init__`` are dropped, enclosing packages (folders with
    an ``__init__.py``) become part of the dotted name, and the folder above the outermost
    package is put first on :data:`sys.path`.

    :param path: a file or folder path, or a dotted module name relative to the current folder.
    :return: the module name to import.
    """
    target = pathlib.Path(os.path.realpath(path))
    if target.suffix == ".py":
        target = target.with_suffix("")
    if target.name == "__init__":
        target = target.parent
    names = [target.name]
    root = target.parent
    while (root / "__init__.py").exists():
        names.insert(0, root.name)
        root = root.parent
    if sys.path[0] != str(root):
        sys.path.insert(0, str(root))
    return ".".join(names)


def path_is_ancestor(path: str | os.PathLike[str], other: str | os.PathLike[str]) -> bool:
    """Tell whether the folder ``path`` is ``other`` or contains it, comparing the paths as
    written (both absolute, or both relative).

    Flask offers it as ``flask.cli._path_is_ancestor``.
    """
    try:
        return os.path.commonpath([path, other]) == os.path.normpath(path)
    except ValueError:  # one path is absolute, the other relative
        return False


def _is_missing(module_name: str, error: ImportError) -> bool:
    """Tell whether ``error`` says that ``module_name`` (or a package above it) does not exist,
    rather than that the module's own code failed to import something.
    """
    missing = error.name if isinstance(error, ModuleNotFoundError) else None
    return missing is not None and f"{module_name}.".startswith(f"{missing}.")


def _is_machinery(filename: str) -> bool:
    """Tell whether a frame of ``filename`` is this module's or the import system's."""
    return filename in (__file__, importlib.__file__) or filename.startswith("<frozen importlib")


def _module_traceback(error: BaseException) -> str:
    """Format ``error`` with its traceback starting where the app's module code ran."""
    tb = error.__traceback__
    while tb is not None and _is_machinery(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


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
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        detail = "".join(traceback.format_exception_only(type(e), e)).rstrip()
        raise NoAppException(f"Module {module_name!r} does not compile:\n{detail}") from None
    except ImportError as e:
        if not _is_missing(module_name, e):
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:\n\n"
                + _module_traceback(e)
            ) from None
        if not raise_if_not_found:
            return None
        raise NoAppException(
            f"Could not import {module_name!r}: {e}. Check the name and the current folder"
            f" ({os.getcwd()})."
        ) from None
    return find_best_app(module) if app_name is None else find_app_by_string(module, app_name)


#: ``module:target`` with the colon of a Windows drive (``C:\``) kept in the module part.
_APP_REF = re.compile(r"(?P<module>.*?)(?::(?![\\/])(?P<target>.*))?", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class AppRef:
    """Where the application is, as ``--app`` names it: ``module:target``.

    ``module`` is a dotted name or a file path (see :func:`prepare_import`), ``target`` an
    attribute or factory call (see :func:`find_app_by_string`), or ``None`` to search the
    module (see :func:`find_best_app`).
    """

    #: The module, as a dotted name or a file path.
    module: str
    #: The attribute or factory call to take from the module, or ``None`` to search it.
    target: str | None = None
    #: Whether a module that does not exist is no error (:meth:`load` gives ``None``).
    optional: bool = False

    @classmethod
    def parse(cls, text: str) -> AppRef:
        """Split ``module:target`` text; the target may be left out."""
        parts = t.cast(re.Match[str], _APP_REF.fullmatch(text))
        return cls(parts["module"], parts["target"])

    def load(self) -> CliApp | None:
        """Import the module and find the application; ``None`` when an optional module is
        missing.
        """
        module_name = prepare_import(self.module)
        return locate_app(module_name, self.target, raise_if_not_found=not self.optional)


#: Where the application is looked for when none is named: ``wsgi.py``, then ``app.py``.
DEFAULT_APP_REFS = (AppRef("wsgi.py", optional=True), AppRef("app.py", optional=True))
