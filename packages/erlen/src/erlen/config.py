"""Configuration: erlen's face for ``flask.config`` (owned by erlen-core)."""

from erlen_core.config import Config as Config
from erlen_core.config import ConfigAttribute as ConfigAttribute
