"""Blueprints: erlen's face for ``flask.blueprints`` (owned by erlen-blueprints)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_blueprints.blueprints import Blueprint as Blueprint

adopt(__name__)
