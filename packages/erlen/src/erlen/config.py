"""Configuration: erlen's face for ``flask.config`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.config import Config as Config
from erlen_core.config import ConfigAttribute as ConfigAttribute

adopt(__name__)
