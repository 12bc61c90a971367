"""Loading the application once per command line, and running commands in its context.

:mod:`~erlen_cli.discovery` is imported when an app is first looked for: an app making its
``cli`` group (an :class:`AppGroup`) does not load it.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import typing as t

import click

from .environ import debug_flag_from_env
from .environ import dotenv_enabled

if t.TYPE_CHECKING:
    from .discovery import AppRef
    from .discovery import CliApp


@dataclasses.dataclass(eq=False)
class ScriptInfo:
    """Knows how to load the application for one run of a command line.

    The group creates one and passes it to commands as the click context's ``obj``; a test
    runner can pass its own, usually with ``create_app`` returning an existing app. The app is
    loaded on first use and kept: every later :meth:`load_app` returns the same object.

    :param app_import_path: ``module:name`` as given to ``--app``, or ``None``.
    :param create_app: a callable, called without arguments, returning the app; used instead of
        the import path.
    :param set_debug_flag: set the loaded app's ``debug`` from ``FLASK_DEBUG``.
    :param load_dotenv_defaults: whether ``.flaskenv`` and ``.env`` should be loaded;
        ``FLASK_SKIP_DOTENV`` can turn it off.
    """

    #: The application to import, as ``module:name``; ``None`` to look for defaults.
    app_import_path: str | None = None
    #: A callable returning the application, preferred over :attr:`app_import_path`.
    create_app: t.Callable[..., CliApp | None] | None = None
    #: Whether :meth:`load_app` sets the app's ``debug`` from ``FLASK_DEBUG``.
    set_debug_flag: bool = True
    #: Whether default dotenv files should be loaded; this object itself loads nothing.
    load_dotenv_defaults: bool = True
    #: Free-form data commands may share.
    data: dict[t.Any, t.Any] = dataclasses.field(default_factory=dict, init=False, repr=False)
    _loaded_app: CliApp | None = dataclasses.field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.load_dotenv_defaults = dotenv_enabled(self.load_dotenv_defaults)

    def app_refs(self) -> tuple[AppRef, ...]:
        """Where :meth:`load_app` looks for the app when there is no ``create_app``: the
        import path, else ``wsgi.py`` and ``app.py``.
        """
        from . import discovery

        if self.app_import_path:
            return (discovery.AppRef.parse(self.app_import_path),)
        return discovery.DEFAULT_APP_REFS

    def _find_app(self) -> CliApp | None:
        if self.create_app is not None:
            return self.create_app()
        found = (ref.load() for ref in self.app_refs())
        return next((app for app in found if app is not None), None)

    def load_app(self) -> CliApp:
        """Load the application the first time, then return the same object.

        :raises NoAppException: when no application can be found; the message says where
            it looked.
        """
        if self._loaded_app is None:
            app = self._find_app()
            if app is None:
                from .discovery import NoAppException

                raise NoAppException(
                    "Could not locate an application. Tried 'wsgi.py' and 'app.py' in the"
                    f" current folder ({os.getcwd()}). Name one with the '--app module:name'"
                    " option or the FLASK_APP or ERLEN_APP environment variable."
                )
            if self.set_debug_flag:
                app.debug = debug_flag_from_env()
            self._loaded_app = app
        return self._loaded_app


#: Decorator passing the current :class:`ScriptInfo` (created if missing) as first argument.
pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def app_context_active(app: CliApp) -> bool:
    """Tell whether ``app``'s own context is current, when the app can report it.

    See :class:`~erlen_cli.discovery.ContextReportingApp`.
    """
    from .discovery import ContextReportingApp

    return isinstance(app, ContextReportingApp) and app.app_context_active()


def push_app_context(ctx: click.Context, app: CliApp) -> None:
    """Enter an app context of ``app`` for the lifetime of ``ctx``, unless one is active."""
    if not app_context_active(app):
        ctx.with_resource(app.app_context())


F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def with_appcontext(f: F) -> F:
    """Run a command callback inside the application's context.

    The app comes from the current :class:`ScriptInfo`. The context stays active for
    subcommands too, and is not pushed again when the app's context is already active. Commands
    registered on an :class:`AppGroup` (such as ``app.cli``) are wrapped automatically.
    """

    @click.pass_context
    def run_in_app_context(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        push_app_context(ctx, ctx.ensure_object(ScriptInfo).load_app())
        return ctx.invoke(f, *args, **kwargs)

    return t.cast(F, functools.update_wrapper(run_in_app_context, f))


class AppGroup(click.Group):
    """A :class:`click.Group` whose commands run inside the application's context.

    :meth:`command` wraps callbacks in :func:`with_appcontext` (pass ``with_appcontext=False``
    to opt out) and :meth:`group` makes subgroups of this same class. This is the class of
    ``app.cli``; it is not the top-level ``erlen`` group, see :class:`~erlen_cli.ErlenGroup`.
    """

    @t.overload
    def command(self, __func: t.Callable[..., t.Any]) -> click.Command: ...

    @t.overload
    def command(
        self, name: str | None = None, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Command]: ...

    def command(
        self, *args: t.Any, **kwargs: t.Any
    ) -> click.Command | t.Callable[[t.Callable[..., t.Any]], click.Command]:
        """Like :meth:`click.Group.command`, with the callback wrapped in
        :func:`with_appcontext` unless ``with_appcontext=False`` is given.

        Usable bare (``@group.command``) or called (``@group.command("name")``).
        """
        wrap = kwargs.pop("with_appcontext", True)
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return self.command(with_appcontext=wrap)(args[0])

        register: t.Callable[[t.Callable[..., t.Any]], click.Command]
        register = super().command(*args, **kwargs)

        def decorator(f: t.Callable[..., t.Any]) -> click.Command:
            return register(with_appcontext(f) if wrap else f)

        return decorator

    @t.overload
    def group(self, __func: t.Callable[..., t.Any]) -> click.Group: ...

    @t.overload
    def group(
        self, name: str | None = None, *args: t.Any, **kwargs: t.Any
    ) -> t.Callable[[t.Callable[..., t.Any]], click.Group]: ...

    def group(
        self, *args: t.Any, **kwargs: t.Any
    ) -> click.Group | t.Callable[[t.Callable[..., t.Any]], click.Group]:
        """Like :meth:`click.Group.group`, but subgroups default to :class:`AppGroup`.

        Usable bare (``@group.group``) or called (``@group.group("name")``).
        """
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return self.group()(args[0])
        kwargs.setdefault("cls", AppGroup)
        made: click.Group | t.Callable[[t.Callable[..., t.Any]], click.Group]
        made = super().group(*args, **kwargs)
        return made
