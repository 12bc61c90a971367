"""The I/O-free scaffold: erlen's face for ``flask.sansio.scaffold``."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.sansio.scaffold import find_package as find_package
from erlen_core.sansio.scaffold import Scaffold as Scaffold
from erlen_core.sansio.scaffold import setupmethod as setupmethod
from erlen_templating import _default_template_ctx_processor as _default_template_ctx_processor

adopt(__name__)
