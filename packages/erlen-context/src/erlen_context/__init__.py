"""Application and request contexts for erlen.

While an application handles a request it pushes a :class:`RequestContext`, which also pushes
an :class:`AppContext` when needed. Code anywhere below can then reach the application, the
request and the session through proxies instead of passing them around::

    from erlen_context import current_app, g, request, session

The contexts live in :mod:`contextvars`, so threads, greenlets and asyncio tasks each see their
own. Outside a context a proxy raises :exc:`RuntimeError` saying which context is missing.

This package imports no application: :class:`~erlen_context.protocols.ContextApp` lists what a
context uses from one. :mod:`erlen_context.signals` holds the context signals.
"""

from .ctx import _AppCtxGlobals as _AppCtxGlobals
from .ctx import after_this_request as after_this_request
from .ctx import AppContext as AppContext
from .ctx import AppGlobals as AppGlobals
from .ctx import copy_current_request_context as copy_current_request_context
from .ctx import has_app_context as has_app_context
from .ctx import has_request_context as has_request_context
from .ctx import RequestContext as RequestContext
from .globals import _cv_app as _cv_app
from .globals import _cv_request as _cv_request
from .globals import app_context_var as app_context_var
from .globals import app_ctx as app_ctx
from .globals import current_app as current_app
from .globals import g as g
from .globals import request as request
from .globals import request_context_var as request_context_var
from .globals import request_ctx as request_ctx
from .globals import session as session
from .protocols import ContextApp as ContextApp
from .protocols import SessionOpener as SessionOpener
from .signals import appcontext_popped as appcontext_popped
from .signals import appcontext_pushed as appcontext_pushed
from .signals import appcontext_tearing_down as appcontext_tearing_down
from .streaming import stream_with_context as stream_with_context
