"""The I/O-free blueprint base: erlen's face for ``flask.sansio.blueprints``."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_blueprints.sansio import Blueprint as Blueprint
from erlen_blueprints.sansio import BlueprintSetupState as BlueprintSetupState

adopt(__name__)
