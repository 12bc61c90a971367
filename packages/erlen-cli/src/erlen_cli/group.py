"""The ``erlen`` command group: built-in, plugin and application commands in one place."""

from __future__ import annotations

import importlib.metadata
import os
import traceback
import typing as t

import click

from .discovery import CliApp
from .discovery import NoAppException
from .options import app_option
from .options import debug_option
from .options import env_file_option
from .routes import routes_command
from .scriptinfo import AppGroup
from .scriptinfo import push_app_context
from .scriptinfo import ScriptInfo
from .serve import run_command
from .shell import shell_command
from .version import version_option

#: Entry-point groups whose commands join the ``erlen`` group; a later group wins a name clash.
PLUGIN_GROUPS = ("flask.commands", "erlen.commands")


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
        create_app: t.Callable[..., CliApp] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        params.extend((env_file_option, app_option, debug_option))
        if add_version_option:
            params.append(version_option)
        extra.setdefault("context_settings", {}).setdefault("auto_envvar_prefix", "FLASK")
        super().__init__(params=params, **extra)

        #: The callable returning the app, handed to each :class:`ScriptInfo`.
        self.create_app = create_app
        #: Whether default dotenv files are loaded.
        self.load_dotenv = load_dotenv
        #: Whether the loaded app's ``debug`` is set from ``FLASK_DEBUG``.
        self.set_debug_flag = set_debug_flag

        if add_default_commands:
            self.add_command(run_command)
            self.add_command(shell_command)
            self.add_command(routes_command)
        self._loaded_plugin_commands = False

    def _load_plugin_commands(self) -> None:
        """Add the commands of installed plugins, once; a plugin that fails is reported."""
        if self._loaded_plugin_commands:
            return
        self._loaded_plugin_commands = True
        for group in PLUGIN_GROUPS:
            for entry_point in importlib.metadata.entry_points(group=group):
                try:
                    command = entry_point.load()
                except Exception as e:
                    click.secho(
                        f"Error: could not load the {entry_point.name!r} command"
                        f" ({entry_point.value}, entry point group {group!r}):"
                        f" {type(e).__name__}: {e}",
                        err=True,
                        fg="red",
                    )
                    continue
                self.add_command(command, entry_point.name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a built-in or plugin command, else load the app and look in ``app.cli``.

        The app's context is pushed for the rest of the run, so the command and its parameter
        callbacks have it. A load error is printed and gives ``None`` (no such command).
        """
        self._load_plugin_commands()
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command

        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
            return None
        push_app_context(ctx, app)
        return app.cli.get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List built-in, plugin and app commands, sorted.

        When the app cannot be loaded its commands are left out and the error is printed.
        """
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        try:
            names.update(ctx.ensure_object(ScriptInfo).load_app().cli.list_commands(ctx))
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
        except Exception:
            # An error inside the user's code: the traceback is what they need.
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return sorted(names)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        """Create the context, with a :class:`ScriptInfo` as ``obj`` unless one is given.

        Also sets ``FLASK_RUN_FROM_CLI`` so that an ``app.run()`` left in the app's module
        does not start a second server while the module is imported.
        """
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse arguments; for bare ``erlen`` or ``erlen --help``, first read ``--env-file``
        and ``--app`` from the environment so that the help lists the app's commands.
        """
        if (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        ):
            env_file_option.handle_parse_result(ctx, {}, [])
            app_option.handle_parse_result(ctx, {}, [])
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
