"""The I/O-free blueprint base: erlen's face for ``flask.sansio.blueprints``.

Besides the two classes it offers every name the Flask module has (:mod:`erlen._imported`): the
type variables of the decorators, ``DeferredSetupFunction``, and ``_sentinel`` for the default
``cli_group``.
"""

from __future__ import annotations

from erlen._imported import adopt
from erlen_blueprints.blueprint import Blueprint as Blueprint
from erlen_blueprints.naming import BLUEPRINT_NAME as _sentinel  # noqa: F401
from erlen_blueprints.state import BlueprintSetupState as BlueprintSetupState

adopt(__name__)
