"""The I/O-free application base: erlen's face for ``flask.sansio.app``."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_context import _AppCtxGlobals as _AppCtxGlobals
from erlen_core.helpers import _split_blueprint_path as _split_blueprint_path
from erlen_core.sansio.app import App as App

adopt(__name__)
