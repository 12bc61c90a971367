"""JSON helpers: erlen's face for ``flask.json`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.json import dump as dump
from erlen_core.json import dumps as dumps
from erlen_core.json import jsonify as jsonify
from erlen_core.json import load as load
from erlen_core.json import loads as loads
from erlen_core.json.provider import _default as _default

adopt(__name__)
