"""Sphinx configuration for erlen's documentation site."""

from __future__ import annotations

import importlib.metadata

project = "erlen"
author = "The erlen developers"
copyright = "2026, The erlen developers"
release = importlib.metadata.version("erlen")
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "requirements.txt"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"show-inheritance": True}

# Offline builds: intersphinx inventories are optional, never fetched in CI.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

# A class is documented where its package exports it and also has a canonical module path, so
# an unqualified name in a signature has several targets; any of them is the right page.
suppress_warnings = ["ref.python"]

html_theme = "furo"
html_title = f"erlen {release}"
