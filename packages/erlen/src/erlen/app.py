"""The application class: erlen's face for ``flask.app`` (owned by erlen-core)."""

from erlen_core.app import Erlen as Erlen
from erlen_core.app import Flask as Flask
