"""Blueprints: erlen's face for ``flask.blueprints`` (owned by erlen-blueprints).

Besides the two classes it offers every name the Flask module has, so that code importing
them from here keeps working (``SansioBlueprint`` is the I/O-free base, ``_sentinel`` the
default ``cli_group``).
"""

from __future__ import annotations

import os as os
import typing as t  # noqa: F401 (Flask's module has the name)
from datetime import timedelta as timedelta

from erlen_blueprints import Blueprint as Blueprint
from erlen_blueprints import BlueprintSetupState as BlueprintSetupState
from erlen_blueprints.blueprint import Blueprint as SansioBlueprint  # noqa: F401
from erlen_blueprints.naming import BLUEPRINT_NAME as _sentinel  # noqa: F401
from erlen_cli import AppGroup as AppGroup
from erlen_context import current_app as current_app
from erlen_core.helpers import send_from_directory as send_from_directory
