"""The error steps of the pipeline: from an exception to the value sent instead.

Three levels, as in Flask. An exception raised while dispatching goes to
:func:`handle_user_exception`, which hands HTTP errors to :func:`handle_http_exception` and others
to their registered handler, or re-raises. What escapes that, or fails earlier or later, reaches
:func:`handle_exception`: it re-raises when exceptions propagate (testing, debug), else logs and
answers 500 through the 500 handler. Handlers are found through the request's
:class:`~erlen_core.plan.Plan`, which caches the lookup per exception class and blueprint chain.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import RoutingException

from .signals import got_request_exception
from .steps import call_of
from .steps import Steps

if t.TYPE_CHECKING:
    from . import typing as ft
    from .app import Erlen
    from .plan import Plan
    from .wrappers import Response


def handle_http_exception(
    app: Erlen, plan: Plan, e: HTTPException
) -> Steps[HTTPException | ft.ResponseReturnValue]:
    """What its handler returns for an HTTP error, or the error itself when it has none.

    Errors without a code and routing redirects are never handled.
    """
    if e.code is None or isinstance(e, RoutingException):
        return e
    handler = plan.error_handler(type(e))
    if handler is None:
        return e
    return (yield call_of(handler, (e,)))  # type: ignore[no-any-return]


def handle_user_exception(
    app: Erlen, plan: Plan, e: Exception
) -> Steps[HTTPException | ft.ResponseReturnValue]:
    """What the handler of an exception raised while dispatching returns; re-raises the
    exception (being handled by the caller) when no handler matches.
    """
    if isinstance(e, BadRequestKeyError) and (app.debug or app.config["TRAP_BAD_REQUEST_ERRORS"]):
        # Say which key was missing instead of the generic message.
        e.show_exception = True
    if isinstance(e, HTTPException) and not app.trap_http_exception(e):
        return (yield from plan.handle_http_exception(app, plan, e))  # type: ignore[no-any-return]
    handler = plan.error_handler(type(e))
    if handler is None:
        raise
    return (yield call_of(handler, (e,)))  # type: ignore[no-any-return]


#: The packages whose frames lead the traceback of every failed view: erlen's request machinery.
MACHINERY = frozenset(
    ("erlen_core", "erlen_context", "erlen_routing", "erlen_sessions", "erlen_blueprints")
)


def from_application_code(error: BaseException) -> BaseException:
    """Start ``error``'s traceback at the first frame outside erlen's request machinery, so that
    logs and the debugger show the application's own frames first; return ``error``.

    Only the leading frames go: an erlen function the application called stays in its place,
    and an error raised inside erlen itself, with no application frame, keeps every frame.
    """
    first = error.__traceback__
    while first is not None and _is_machinery(first.tb_frame.f_globals):
        first = first.tb_next
    if first is not None:
        error.__traceback__ = first
    return error


def _is_machinery(namespace: dict[str, t.Any]) -> bool:
    return str(namespace.get("__name__", "")).partition(".")[0] in MACHINERY


def _propagates(app: Erlen) -> bool:
    propagate = app.config["PROPAGATE_EXCEPTIONS"]
    return bool(app.testing or app.debug) if propagate is None else bool(propagate)


def handle_exception(app: Erlen, plan: Plan, e: Exception) -> Steps[Response]:
    """The 500 response for an unhandled exception, or the exception re-raised.

    Sends ``got_request_exception`` first, with the whole traceback; what is logged or
    re-raised starts at the application's code (:func:`from_application_code`).
    """
    if got_request_exception.receivers:
        kwargs = {"_async_wrapper": app.ensure_sync, "exception": e}
        yield call_of(got_request_exception.send, (app,), kwargs)
    if _propagates(app):
        raise from_application_code(e)
    app.log_exception((type(e), from_application_code(e), e.__traceback__))  # type: ignore[arg-type]
    server_error: t.Any = InternalServerError(original_exception=e)
    handler = plan.error_handler(InternalServerError)
    if handler is not None:
        server_error = yield call_of(handler, (server_error,))
    return (yield from plan.finalize_request(app, plan, server_error, True))  # type: ignore[no-any-return]
