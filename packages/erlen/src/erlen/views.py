"""Class-based views: erlen's face for ``flask.views`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.views import http_method_funcs as http_method_funcs
from erlen_core.views import MethodView as MethodView
from erlen_core.views import View as View

adopt(__name__)
