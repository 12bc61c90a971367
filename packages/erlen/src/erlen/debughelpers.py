"""Debugging aids: erlen's face for ``flask.debughelpers`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.debughelpers import attach_enctype_error_multidict as attach_enctype_error_multidict
from erlen_core.debughelpers import DebugFilesKeyError as DebugFilesKeyError
from erlen_core.debughelpers import (
    explain_template_loading_attempts as explain_template_loading_attempts,
)
from erlen_core.debughelpers import FormDataRoutingRedirect as FormDataRoutingRedirect
from erlen_core.debughelpers import UnexpectedUnicodeError as UnexpectedUnicodeError

adopt(__name__)
