"""Request and response: erlen's face for ``flask.wrappers`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.helpers import _split_blueprint_path as _split_blueprint_path
from erlen_core.wrappers import Request as Request
from erlen_core.wrappers import Response as Response

adopt(__name__)
