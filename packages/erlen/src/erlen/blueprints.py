"""Blueprints: erlen's face for ``flask.blueprints`` (owned by erlen-blueprints)."""

from erlen_blueprints.blueprints import Blueprint as Blueprint
