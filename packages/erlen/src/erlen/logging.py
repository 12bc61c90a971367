"""Logging: erlen's face for ``flask.logging`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.logging import create_logger as create_logger
from erlen_core.logging import default_handler as default_handler
from erlen_core.logging import has_level_handler as has_level_handler
from erlen_core.logging import wsgi_errors_stream as wsgi_errors_stream

adopt(__name__)
