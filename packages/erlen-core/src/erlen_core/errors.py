"""The error steps of the pipeline: from an exception to the value sent instead.

Three levels, as in Flask. An exception raised while dispatching goes to
:func:`handle_user_exception`, which hands HTTP errors to :func:`handle_http_exception` and others
to their registered handler, or re-raises. What escapes that, or fails earlier or later, reaches
:func:`handle_exception`: it re-raises when exceptions propagate (testing, debug), else logs and
answers 500 through the 500 handler. Handlers are found through the request's
:class:`~erlen_core.plan.Plan`, which caches the lookup per exception class and blueprint chain.
"""

from __future__ import annotations

import sys
import typing as t

from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import RoutingException

from .signals import got_request_exception

if t.TYPE_CHECKING:
    from . import typing as ft
    from .app import Erlen
    from .plan import Plan
    from .wrappers import Response


def handle_http_exception(
    app: Erlen, plan: Plan, e: HTTPException
) -> HTTPException | ft.ResponseReturnValue:
    """What its handler returns for an HTTP error, or the error itself when it has none.

    Errors without a code and routing redirects are never handled.
    """
    if e.code is None or isinstance(e, RoutingException):
        return e
    handler = plan.error_handler(type(e))
    return e if handler is None else app.ensure_sync(handler)(e)


def handle_user_exception(
    app: Erlen, plan: Plan, e: Exception
) -> HTTPException | ft.ResponseReturnValue:
    """What the handler of an exception raised while dispatching returns; re-raises the
    exception (being handled by the caller) when no handler matches.
    """
    if isinstance(e, BadRequestKeyError) and (app.debug or app.config["TRAP_BAD_REQUEST_ERRORS"]):
        # Say which key was missing instead of the generic message.
        e.show_exception = True
    if isinstance(e, HTTPException) and not app.trap_http_exception(e):
        return plan.handle_http_exception(app, plan, e)  # type: ignore[no-any-return]
    handler = plan.error_handler(type(e))
    if handler is None:
        raise
    return app.ensure_sync(handler)(e)  # type: ignore[no-any-return]


def _propagates(app: Erlen) -> bool:
    propagate = app.config["PROPAGATE_EXCEPTIONS"]
    return bool(app.testing or app.debug) if propagate is None else bool(propagate)


def handle_exception(app: Erlen, plan: Plan, e: Exception) -> Response:
    """The 500 response for an unhandled exception, or the exception re-raised.

    Sends ``got_request_exception`` first. Must be called while ``e`` is being handled.
    """
    exc_info = sys.exc_info()
    if got_request_exception.receivers:
        got_request_exception.send(app, _async_wrapper=app.ensure_sync, exception=e)
    if _propagates(app):
        if exc_info[1] is e:
            raise
        raise e
    app.log_exception(exc_info)
    server_error: t.Any = InternalServerError(original_exception=e)
    handler = plan.error_handler(InternalServerError)
    if handler is not None:
        server_error = app.ensure_sync(handler)(server_error)
    return plan.finalize_request(app, plan, server_error, True)  # type: ignore[no-any-return]
