"""The command line: erlen's face for ``flask.cli`` (owned by erlen-cli).

Every name ``flask.cli`` has resolves here (:mod:`erlen._imported`), the modules and helpers it
imports included, so code written against Flask's module finds what it expects; Flask's private
helpers map to their public erlen-cli counterparts.
"""

from __future__ import annotations

from erlen._imported import adopt
from erlen_cli import app_option as app_option
from erlen_cli import AppGroup as AppGroup
from erlen_cli import call_refused as call_refused
from erlen_cli import CertParamType as CertParamType
from erlen_cli import cli as cli
from erlen_cli import debug_option as debug_option
from erlen_cli import env_file_option as env_file_option
from erlen_cli import find_app_by_string as find_app_by_string
from erlen_cli import find_best_app as find_best_app
from erlen_cli import FlaskGroup as FlaskGroup
from erlen_cli import get_version as get_version
from erlen_cli import load_dotenv as load_dotenv
from erlen_cli import load_env_file as load_env_file
from erlen_cli import locate_app as locate_app
from erlen_cli import main as main
from erlen_cli import NoAppException as NoAppException
from erlen_cli import pass_script_info as pass_script_info
from erlen_cli import path_is_ancestor as path_is_ancestor
from erlen_cli import prepare_import as prepare_import
from erlen_cli import routes_command as routes_command
from erlen_cli import run_command as run_command
from erlen_cli import ScriptInfo as ScriptInfo
from erlen_cli import SeparatedPathType as SeparatedPathType
from erlen_cli import set_app as set_app
from erlen_cli import set_debug as set_debug
from erlen_cli import shell_command as shell_command
from erlen_cli import show_server_banner as show_server_banner
from erlen_cli import validate_key as validate_key
from erlen_cli import version_option as version_option
from erlen_cli import with_appcontext as with_appcontext
from erlen_core.helpers import get_debug_flag as get_debug_flag
from erlen_core.helpers import get_load_dotenv as get_load_dotenv

# Flask's private names, for code that reaches into flask.cli.
_app_option = app_option
_called_with_wrong_args = call_refused
_debug_option = debug_option
_env_file_callback = load_env_file
_env_file_option = env_file_option
_path_is_ancestor = path_is_ancestor
_set_app = set_app
_set_debug = set_debug
_validate_key = validate_key

adopt(__name__)
