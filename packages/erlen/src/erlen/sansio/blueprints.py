"""The I/O-free blueprint base: erlen's face for ``flask.sansio.blueprints``.

Besides the two classes it offers every name the Flask module has (the type variables of the
decorators, ``DeferredSetupFunction``, ``_sentinel`` for the default ``cli_group`` …).
"""

from __future__ import annotations

import os as os
import typing as t  # noqa: F401 (Flask's module has the name)
from collections import defaultdict as defaultdict
from functools import update_wrapper as update_wrapper

from erlen_blueprints.blueprint import Blueprint as Blueprint
from erlen_blueprints.blueprint import DeferredSetupFunction as DeferredSetupFunction
from erlen_blueprints.naming import BLUEPRINT_NAME as _sentinel  # noqa: F401
from erlen_blueprints.state import BlueprintSetupState as BlueprintSetupState
from erlen_core import typing as ft  # noqa: F401 (as above)
from erlen_core.sansio.app import T_template_filter as T_template_filter
from erlen_core.sansio.app import T_template_global as T_template_global
from erlen_core.sansio.app import T_template_test as T_template_test
from erlen_core.sansio.scaffold import Scaffold as Scaffold
from erlen_core.sansio.scaffold import setupmethod as setupmethod
from erlen_core.sansio.scaffold import T_after_request as T_after_request
from erlen_core.sansio.scaffold import T_before_request as T_before_request
from erlen_core.sansio.scaffold import T_error_handler as T_error_handler
from erlen_core.sansio.scaffold import T_teardown as T_teardown
from erlen_core.sansio.scaffold import T_template_context_processor as T_template_context_processor
from erlen_core.sansio.scaffold import T_url_defaults as T_url_defaults
from erlen_core.sansio.scaffold import T_url_value_preprocessor as T_url_value_preprocessor
from erlen_routing import endpoint_from_view_func as _endpoint_from_view_func  # noqa: F401
