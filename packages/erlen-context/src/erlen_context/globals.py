"""The context variables and the proxies that read them.

:data:`app_context_var` holds the active :class:`~erlen_context.AppContext` and
:data:`request_context_var` the active :class:`~erlen_context.RequestContext` (Flask names them
``_cv_app`` and ``_cv_request``, which are the same objects). The proxies are werkzeug
:class:`~werkzeug.local.LocalProxy` objects (of :class:`ContextProxy`, which reaches the object
sooner for attribute and item access): they forward every operation to the object of the
current context, ``_get_current_object()`` returns that object, and outside a context they raise
a :exc:`RuntimeError` naming the missing context and how to set one up.

``current_app``, ``request`` and ``session`` are typed :data:`~typing.Any` because their real
classes belong to the application package, which this package does not import.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from werkzeug.local import LocalProxy

if t.TYPE_CHECKING:  # pragma: no cover
    from .ctx import _AppCtxGlobals
    from .ctx import AppContext
    from .ctx import RequestContext

_no_app_msg = """\
Working outside of application context.

Something needed the current application, but no application context is active. Wrap the code \
in 'with app.app_context():' (a request context, a CLI command run with 'with_appcontext' or \
the test client push one for you).\
"""

_no_req_msg = """\
Working outside of request context.

Something needed the current request, but no request context is active. Run the code inside a \
view function, or in tests wrap it in 'with app.test_request_context():' or use the test \
client.\
"""


class ContextProxy(LocalProxy):  # type: ignore[type-arg]
    """A :class:`~werkzeug.local.LocalProxy` whose attribute and item access go straight to the
    current object. werkzeug's proxy binds a function to the object for every such access
    first; these are the operations views do most (``request.args``, ``session["user"]``).
    Everything else, and outside a context, is werkzeug's proxy.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self._get_current_object(), name)

    def __getitem__(self, key: t.Any) -> t.Any:
        return self._get_current_object()[key]

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        self._get_current_object()[key] = value

    def __contains__(self, key: t.Any) -> bool:
        return key in self._get_current_object()

    def __repr__(self) -> str:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            # As werkzeug's proxy, and Flask's, say it.
            return "<LocalProxy unbound>"
        return repr(obj)


#: The active application context, if any.
app_context_var: ContextVar[AppContext] = ContextVar("erlen.app_ctx")
#: The active request context, if any.
request_context_var: ContextVar[RequestContext] = ContextVar("erlen.request_ctx")
#: Flask's names of the two context variables.
_cv_app = app_context_var
_cv_request = request_context_var

#: The active :class:`~erlen_context.AppContext`.
app_ctx: AppContext = ContextProxy(_cv_app, unbound_message=_no_app_msg)  # type: ignore[assignment]
#: The application handling the current context.
current_app: t.Any = ContextProxy(_cv_app, "app", unbound_message=_no_app_msg)
#: The namespace of the current app context, for data that lives as long as it does.
g: _AppCtxGlobals = ContextProxy(_cv_app, "g", unbound_message=_no_app_msg)  # type: ignore[assignment]

#: The active :class:`~erlen_context.RequestContext`.
request_ctx: RequestContext = ContextProxy(  # type: ignore[assignment]
    _cv_request, unbound_message=_no_req_msg
)
#: The request being handled.
request: t.Any = ContextProxy(_cv_request, "request", unbound_message=_no_req_msg)
#: The session of the request being handled.
session: t.Any = ContextProxy(_cv_request, "session", unbound_message=_no_req_msg)
