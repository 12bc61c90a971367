"""The I/O-free blueprint base: erlen's face for ``flask.sansio.blueprints``."""

from erlen_blueprints.sansio import Blueprint as Blueprint
from erlen_blueprints.sansio import BlueprintSetupState as BlueprintSetupState
