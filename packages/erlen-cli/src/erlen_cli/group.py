"""The ``erlen`` command group: built-in, plugin and application commands in one place.

A command name is looked up in three places, in order: the group's own commands (the built-in
``run``, ``shell`` and ``routes``, and what the project added), the commands installed plugins
declare as entry points, and last the loaded application's ``app.cli``. The app is loaded only
for that last step, so the first two work in a folder without an app.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib.metadata
import os
import traceback
import typing as t

import click

from .discovery import AppFactory
from .discovery import CliApp
from .discovery import NoAppException
from .options import app_option
from .options import env_file_option
from .options import group_options
from .routes import routes_command
from .scriptinfo import AppGroup
from .scriptinfo import push_app_context
from .scriptinfo import ScriptInfo
from .serve import run_command
from .shell import shell_command

#: Entry-point groups whose commands join the ``erlen`` group; a later group wins a name clash.
PLUGIN_GROUPS = ("flask.commands", "erlen.commands")

#: The commands ``add_default_commands`` adds.
DEFAULT_COMMANDS = (run_command, shell_command, routes_command)


def plugin_commands() -> dict[str, click.Command]:
    """Load the commands of the :data:`PLUGIN_GROUPS` entry points, by entry-point name.

    A plugin that fails to load is reported on stderr and left out.
    """
    found: dict[str, click.Command] = {}
    for group in PLUGIN_GROUPS:
        for entry_point in importlib.metadata.entry_points(group=group):
            try:
                found[entry_point.name] = entry_point.load()
            except Exception as e:
                click.secho(
                    f"Error: could not load the {entry_point.name!r} command"
                    f" ({entry_point.value}, entry point group {group!r}):"
                    f" {type(e).__name__}: {e}",
                    err=True,
                    fg="red",
                )
    return found


def _report(message: str) -> None:
    click.secho(f"{message}\n", err=True, fg="red")


class ErlenGroup(AppGroup):
    """The top-level command group: adds ``--app``, ``--debug``, ``--env-file`` and
    ``--version``, the built-in commands, plugin commands and the application's ``app.cli``.

    Built-in and plugin commands work even when the app cannot be loaded; the app is only loaded
    to look up a command they do not provide, and its context is active while that command
    runs. Use it for a project-specific script, with ``create_app`` to skip app discovery.

    :param add_default_commands: add the ``run``, ``shell`` and ``routes`` commands.
    :param create_app: a callable returning the app, used instead of ``--app`` and discovery.
    :param add_version_option: add ``--version``.
    :param load_dotenv: load ``.env`` and ``.flaskenv`` (nearest to the current folder), below
        an ``--env-file``; ``FLASK_SKIP_DOTENV=1`` turns this off.
    :param set_debug_flag: set the loaded app's ``debug`` from ``FLASK_DEBUG``.
    :param extra: passed on to :class:`click.Group`; ``auto_envvar_prefix`` defaults to
        ``FLASK``, so options read ``FLASK_RUN_PORT`` and the like.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: AppFactory | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        extra["params"] = [*(extra.get("params") or ()), *group_options(add_version_option)]
        extra["context_settings"] = {
            "auto_envvar_prefix": "FLASK",
            **extra.get("context_settings", {}),
        }
        super().__init__(**extra)
        #: The callable returning the app, handed to each :class:`ScriptInfo`.
        self.create_app = create_app
        #: Whether default dotenv files are loaded.
        self.load_dotenv = load_dotenv
        #: Whether the loaded app's ``debug`` is set from ``FLASK_DEBUG``.
        self.set_debug_flag = set_debug_flag
        for command in DEFAULT_COMMANDS if add_default_commands else ():
            self.add_command(command)
        self._plugins_added = False

    def _add_plugins(self) -> None:
        if not self._plugins_added:
            self._plugins_added = True
            self.commands.update(plugin_commands())

    def _load_app(self, ctx: click.Context, *, report_any_error: bool) -> CliApp | None:
        """Load the app; ``None``, reported on stderr, when it cannot be loaded.

        A :exc:`NoAppException` is always reported; another error only with
        ``report_any_error`` (its traceback is what the user needs), else it propagates.
        """
        try:
            return ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as e:
            _report(f"Error: {e.format_message()}")
        except Exception:
            if not report_any_error:
                raise
            _report(traceback.format_exc())
        return None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a built-in or plugin command, else load the app and look in ``app.cli``.

        The app's context is pushed for the rest of the run, so the command and its parameter
        callbacks have it. A load error is printed and gives ``None`` (no such command).
        """
        self._add_plugins()
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        app = self._load_app(ctx, report_any_error=False)
        if app is None:
            return None
        push_app_context(ctx, app)
        return app.cli.get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List built-in, plugin and app commands, sorted.

        When the app cannot be loaded its commands are left out and the error is printed.
        """
        self._add_plugins()
        app = self._load_app(ctx, report_any_error=True)
        app_names = app.cli.list_commands(ctx) if app is not None else []
        return sorted({*super().list_commands(ctx), *app_names})

    def make_context(
        self,
        info_name: str | None,
        args: cabc.Sequence[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        """Create the context, with a :class:`ScriptInfo` as ``obj`` unless one is given.
        ``args`` may be any sequence of strings.

        Also sets ``FLASK_RUN_FROM_CLI`` so that an ``app.run()`` left in the app's module
        does not start a second server while the module is imported.
        """
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in {**self.context_settings, **extra}:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, list(args), parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse arguments; when only help will be shown (bare ``erlen`` or ``erlen --help``),
        first take ``--env-file`` and ``--app`` from the environment, so that the help lists
        the app's commands.
        """
        help_only = args in ([], *([name] for name in self.get_help_option_names(ctx)))
        if help_only and (args or self.no_args_is_help):
            for option in (env_file_option, app_option):
                option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


#: The name Flask gives :class:`ErlenGroup`; the same class.
FlaskGroup = ErlenGroup

#: The ``erlen`` command itself.
cli = ErlenGroup(
    name="erlen",
    help=(
        "The command line of erlen applications.\n\n"
        "Name the application with the '--app' option or the ERLEN_APP or FLASK_APP"
        " environment variable; without them, the app is looked for in 'wsgi.py' or 'app.py'"
        " in the current folder."
    ),
)


def main() -> None:
    """Run the ``erlen`` command (the console script's entry point)."""
    cli.main()
