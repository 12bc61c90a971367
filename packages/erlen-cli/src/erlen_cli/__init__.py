"""The ``erlen`` command line: find an application, then run, inspect or script it.

The command is a drop-in for ``flask``: it finds the app the same way (``--app``, ``FLASK_APP``
or ``ERLEN_APP``, ``module:name``, ``module:factory(args)``, then ``wsgi.py`` and ``app.py``),
reads ``.flaskenv`` and ``.env`` (with python-dotenv) and offers ``run``, ``shell`` and
``routes`` plus the commands of ``app.cli`` and of installed plugins.

The package depends on no application class. :class:`~erlen_cli.discovery.CliApp` states what
it needs of an app (``url_map``, ``cli``, ``debug``, ``app_context()``, ``wsgi_app``), so erlen
apps, Flask apps and small test doubles all work.

- :mod:`~erlen_cli.discovery` parses ``--app`` (:class:`AppRef`), imports the module and
  picks the app or calls its factory.
- :mod:`~erlen_cli.scriptinfo` loads the app once per run: :class:`ScriptInfo`,
  :func:`with_appcontext` and :class:`AppGroup` (the class of ``app.cli``).
- :mod:`~erlen_cli.group` is the top-level :class:`ErlenGroup` (also named ``FlaskGroup``),
  with its options in :mod:`~erlen_cli.options` and dotenv loading in
  :mod:`~erlen_cli.environ`.
- :mod:`~erlen_cli.serve`, :mod:`~erlen_cli.shell` and :mod:`~erlen_cli.routes` hold the
  built-in commands.
"""

import typing as t

from .environ import debug_flag_from_env as debug_flag_from_env
from .environ import dotenv_available as dotenv_available
from .environ import dotenv_enabled as dotenv_enabled
from .environ import get_debug_flag as get_debug_flag
from .environ import get_load_dotenv as get_load_dotenv
from .environ import load_dotenv as load_dotenv

if t.TYPE_CHECKING:
    from .discovery import AppRef as AppRef
    from .discovery import AppTarget as AppTarget
    from .discovery import call_factory as call_factory
    from .discovery import call_refused as call_refused
    from .discovery import CliApp as CliApp
    from .discovery import ContextReportingApp as ContextReportingApp
    from .discovery import find_app_by_string as find_app_by_string
    from .discovery import find_best_app as find_best_app
    from .discovery import locate_app as locate_app
    from .discovery import NoAppException as NoAppException
    from .discovery import path_is_ancestor as path_is_ancestor
    from .discovery import prepare_import as prepare_import
    from .group import cli as cli
    from .group import ErlenGroup as ErlenGroup
    from .group import FlaskGroup as FlaskGroup
    from .group import main as main
    from .group import plugin_commands as plugin_commands
    from .options import app_option as app_option
    from .options import debug_option as debug_option
    from .options import env_file_option as env_file_option
    from .options import load_env_file as load_env_file
    from .options import set_app as set_app
    from .options import set_debug as set_debug
    from .options import version_option as version_option
    from .routes import route_table as route_table
    from .routes import routes_command as routes_command
    from .scriptinfo import AppGroup as AppGroup
    from .scriptinfo import pass_script_info as pass_script_info
    from .scriptinfo import ScriptInfo as ScriptInfo
    from .scriptinfo import with_appcontext as with_appcontext
    from .serve import CertParamType as CertParamType
    from .serve import run_command as run_command
    from .serve import SeparatedPathType as SeparatedPathType
    from .serve import show_server_banner as show_server_banner
    from .serve import validate_key as validate_key
    from .shell import shell_command as shell_command
    from .version import get_version as get_version

#: The names whose modules are imported on first use, with their module: app discovery, the
#: command groups and the built-in commands (and click and the development server with them)
#: are not needed by an app that only serves requests.
_LAZY = {
    "AppGroup": "scriptinfo",
    "pass_script_info": "scriptinfo",
    "ScriptInfo": "scriptinfo",
    "with_appcontext": "scriptinfo",
    "AppRef": "discovery",
    "AppTarget": "discovery",
    "call_factory": "discovery",
    "call_refused": "discovery",
    "CliApp": "discovery",
    "ContextReportingApp": "discovery",
    "find_app_by_string": "discovery",
    "find_best_app": "discovery",
    "locate_app": "discovery",
    "NoAppException": "discovery",
    "path_is_ancestor": "discovery",
    "prepare_import": "discovery",
    "cli": "group",
    "ErlenGroup": "group",
    "FlaskGroup": "group",
    "main": "group",
    "plugin_commands": "group",
    "app_option": "options",
    "debug_option": "options",
    "env_file_option": "options",
    "load_env_file": "options",
    "set_app": "options",
    "set_debug": "options",
    "version_option": "options",
    "route_table": "routes",
    "routes_command": "routes",
    "CertParamType": "serve",
    "run_command": "serve",
    "SeparatedPathType": "serve",
    "show_server_banner": "serve",
    "validate_key": "serve",
    "shell_command": "shell",
    "get_version": "version",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
