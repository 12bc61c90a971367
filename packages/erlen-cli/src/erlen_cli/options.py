"""The options of the ``erlen`` group: ``--env-file``, ``--app``, ``--debug`` and ``--version``.

None of them is passed to a callback: each does its work when it is parsed, so a custom group
keeps them whatever callback it has. The eager ones are handled before ``--help`` lists the
app's commands, in the order the group declares them: ``--env-file`` first, so that its
variables can name the app.
"""

from __future__ import annotations

import os
import typing as t

import click

from .environ import dotenv_available
from .environ import load_dotenv
from .scriptinfo import ScriptInfo
from .version import get_version

Callback = t.Callable[[click.Context, click.Parameter, t.Any], t.Any]


def eager_option(decls: list[str], callback: Callback, help: str, **attrs: t.Any) -> click.Option:
    """Make an option that acts in ``callback`` as soon as it is parsed and is passed to no
    command callback.
    """
    return click.Option(
        decls, callback=callback, help=help, is_eager=True, expose_value=False, **attrs
    )


def set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of ``--app``: record the import path on the :class:`ScriptInfo`."""
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


def set_debug(ctx: click.Context, param: click.Parameter, value: bool | None) -> bool | None:
    """Callback of ``--debug/--no-debug``: export the choice as ``FLASK_DEBUG``.

    Going through the environment lets an app factory see it while it builds the app. Left
    out, the flag changes nothing, so ``FLASK_DEBUG`` from a dotenv file still counts.
    """
    if value is not None:
        os.environ["FLASK_DEBUG"] = str(int(value))
    return value


def load_env_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of ``--env-file``: load that file over the default dotenv files.

    Naming a file without python-dotenv is an error; without a file, :func:`load_dotenv` is
    still called so that it can hint at installing python-dotenv.
    """
    if value is not None and not dotenv_available():
        raise click.BadParameter(
            "python-dotenv must be installed to load an env file (pip install python-dotenv).",
            ctx=ctx,
            param=param,
        )
    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is not None or defaults:
        load_dotenv(value, load_defaults=defaults)
    return value


#: ``-A/--app``, also read from ``ERLEN_APP`` then ``FLASK_APP``.
app_option = eager_option(
    ["-A", "--app"],
    set_app,
    "The application or factory to load, as 'module:name'. The module may be a dotted import"
    " or a file path. The name may be left out when it is 'app', 'application', 'create_app'"
    " or 'make_app', and may be a call such as 'create_app(\"dev\")'. Read from ERLEN_APP or"
    " FLASK_APP when not given.",
    metavar="IMPORT",
    envvar=["ERLEN_APP", "FLASK_APP"],
)

#: ``-e/--env-file``: a dotenv file loaded over ``.env`` and ``.flaskenv``.
env_file_option = eager_option(
    ["-e", "--env-file"],
    load_env_file,
    "Load environment variables from this file; it takes precedence over '.env' and"
    " '.flaskenv', variables already set in the environment over all of them. Needs"
    " python-dotenv.",
    type=click.Path(exists=True, dir_okay=False),
)

#: The ``--version`` flag: the Python, erlen and Werkzeug versions.
version_option = eager_option(
    ["--version"], get_version, "Show the Python, erlen and Werkzeug versions.", is_flag=True
)

#: ``--debug/--no-debug``, which sets ``FLASK_DEBUG``; unset unless given.
debug_option = click.Option(
    ["--debug/--no-debug"],
    default=None,
    callback=set_debug,
    expose_value=False,
    help="Turn debug mode on or off (the reloader and debugger follow it).",
)


def group_options(with_version: bool) -> list[click.Parameter]:
    """The options :class:`~erlen_cli.ErlenGroup` adds, ``--env-file`` first."""
    options: list[click.Parameter] = [env_file_option, app_option, debug_option]
    return [*options, version_option] if with_version else options
