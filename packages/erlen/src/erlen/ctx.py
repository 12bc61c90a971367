"""Application and request contexts: erlen's face for ``flask.ctx`` (owned by erlen-context)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_context.ctx import _AppCtxGlobals as _AppCtxGlobals
from erlen_context.ctx import after_this_request as after_this_request
from erlen_context.ctx import AppContext as AppContext
from erlen_context.ctx import copy_current_request_context as copy_current_request_context
from erlen_context.ctx import has_app_context as has_app_context
from erlen_context.ctx import has_request_context as has_request_context
from erlen_context.ctx import RequestContext as RequestContext

adopt(__name__)
