"""The command line: erlen's face for ``flask.cli`` (owned by erlen-cli)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_cli import AppGroup as AppGroup
from erlen_cli import CertParamType as CertParamType
from erlen_cli import cli as cli
from erlen_cli import find_app_by_string as find_app_by_string
from erlen_cli import find_best_app as find_best_app
from erlen_cli import FlaskGroup as FlaskGroup
from erlen_cli import get_version as get_version
from erlen_cli import load_dotenv as load_dotenv
from erlen_cli import locate_app as locate_app
from erlen_cli import main as main
from erlen_cli import NoAppException as NoAppException
from erlen_cli import pass_script_info as pass_script_info
from erlen_cli import prepare_import as prepare_import
from erlen_cli import routes_command as routes_command
from erlen_cli import run_command as run_command
from erlen_cli import ScriptInfo as ScriptInfo
from erlen_cli import SeparatedPathType as SeparatedPathType
from erlen_cli import shell_command as shell_command
from erlen_cli import show_server_banner as show_server_banner
from erlen_cli import version_option as version_option
from erlen_cli import with_appcontext as with_appcontext

adopt(__name__)
