"""The application class: erlen's face for ``flask.app`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.app import Erlen as Erlen
from erlen_core.app import Flask as Flask

adopt(__name__)
