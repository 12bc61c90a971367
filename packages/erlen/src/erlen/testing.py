"""Testing: erlen's face for ``flask.testing`` (owned by erlen-testing)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_testing import EnvironBuilder as EnvironBuilder
from erlen_testing import FlaskClient as FlaskClient
from erlen_testing import FlaskCliRunner as FlaskCliRunner

adopt(__name__)
