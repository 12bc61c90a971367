"""Blueprints: erlen's face for ``flask.blueprints`` (owned by erlen-blueprints).

Besides the two classes it offers every name the Flask module has (:mod:`erlen._imported`), so
that code importing them from here keeps working; ``_sentinel`` is the default ``cli_group``.
"""

from __future__ import annotations

from erlen._imported import adopt
from erlen_blueprints import Blueprint as Blueprint
from erlen_blueprints import BlueprintSetupState as BlueprintSetupState
from erlen_blueprints.naming import BLUEPRINT_NAME as _sentinel  # noqa: F401

adopt(__name__)
