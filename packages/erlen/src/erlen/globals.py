"""Context-bound proxies: erlen's face for ``flask.globals`` (owned by erlen-context)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_context.globals import _cv_app as _cv_app
from erlen_context.globals import _cv_request as _cv_request
from erlen_context.globals import _no_app_msg as _no_app_msg
from erlen_context.globals import _no_req_msg as _no_req_msg
from erlen_context.globals import app_ctx as app_ctx
from erlen_context.globals import current_app as current_app
from erlen_context.globals import g as g
from erlen_context.globals import request as request
from erlen_context.globals import request_ctx as request_ctx
from erlen_context.globals import session as session

adopt(__name__)
