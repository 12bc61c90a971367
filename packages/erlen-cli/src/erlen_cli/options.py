"""The options of the ``erlen`` group: ``--env-file``, ``--app`` and ``--debug``.

They do their work in callbacks rather than in a group callback, so a custom group keeps them
whatever callback it has. ``--env-file`` and ``--app`` are eager so that they are handled before
``--help`` lists the app's commands; ``--env-file`` comes first so its variables can name the app.
"""

from __future__ import annotations

import os

import click
from click.core import ParameterSource

from .environ import load_dotenv
from .scriptinfo import ScriptInfo


def _set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


#: ``-A/--app``, also read from ``ERLEN_APP`` then ``FLASK_APP``.
app_option = click.Option(
    ["-A", "--app"],
    metavar="IMPORT",
    envvar=["ERLEN_APP", "FLASK_APP"],
    help=(
        "The application or factory to load, as 'module:name'. The module may be a dotted"
        " import or a file path. The name may be left out when it is 'app', 'application',"
        " 'create_app' or 'make_app', and may be a call such as 'create_app(\"dev\")'."
        " Read from ERLEN_APP or FLASK_APP when not given."
    ),
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool | None:
    # A flag left unset must not override FLASK_DEBUG from the environment or a dotenv file.
    if ctx.get_parameter_source("debug") in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
        return None
    # Through the environment, so an app factory sees it while the app is being created.
    os.environ["FLASK_DEBUG"] = "1" if value else "0"
    return value


#: ``--debug/--no-debug``, which sets ``FLASK_DEBUG``.
debug_option = click.Option(
    ["--debug/--no-debug"],
    help="Turn debug mode on or off (the reloader and debugger follow it).",
    expose_value=False,
    callback=_set_debug,
)


def _load_env_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        import dotenv  # noqa: F401
    except ImportError:
        # Without a file named there is nothing to refuse: load_dotenv still prints its hint.
        if value is not None:
            raise click.BadParameter(
                "python-dotenv must be installed to load an env file (pip install python-dotenv).",
                ctx=ctx,
                param=param,
            ) from None

    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is not None or defaults:
        load_dotenv(value, load_defaults=defaults)
    return value


#: ``-e/--env-file``: a dotenv file loaded over ``.env`` and ``.flaskenv``.
env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "Load environment variables from this file; it takes precedence over '.env' and"
        " '.flaskenv', variables already set in the environment over all of them."
        " Needs python-dotenv."
    ),
    is_eager=True,
    expose_value=False,
    callback=_load_env_file,
)
