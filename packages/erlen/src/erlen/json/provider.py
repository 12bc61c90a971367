"""JSON providers: erlen's face for ``flask.json.provider`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.json.provider import _default as _default
from erlen_core.json.provider import DefaultJSONProvider as DefaultJSONProvider
from erlen_core.json.provider import JSONProvider as JSONProvider

adopt(__name__)
