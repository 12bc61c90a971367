"""Request helpers: erlen's face for ``flask.helpers`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.helpers import _split_blueprint_path as _split_blueprint_path
from erlen_core.helpers import abort as abort
from erlen_core.helpers import flash as flash
from erlen_core.helpers import get_debug_flag as get_debug_flag
from erlen_core.helpers import get_flashed_messages as get_flashed_messages
from erlen_core.helpers import get_load_dotenv as get_load_dotenv
from erlen_core.helpers import get_root_path as get_root_path
from erlen_core.helpers import get_template_attribute as get_template_attribute
from erlen_core.helpers import make_response as make_response
from erlen_core.helpers import redirect as redirect
from erlen_core.helpers import send_file as send_file
from erlen_core.helpers import send_from_directory as send_from_directory
from erlen_core.helpers import stream_with_context as stream_with_context
from erlen_core.helpers import url_for as url_for

adopt(__name__)
