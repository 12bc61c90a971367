"""The request pipeline: one algorithm for every request, walking the request's plan.

:func:`run` is all a protocol adapter calls: with a request context it pushes the context,
dispatches and returns what to send, an :class:`~erlen_core.responses.Answer` or a response
object. The steps, in order:

1. ``request_started`` (if it has receivers);
2. :func:`preprocess` (if the chain has URL value preprocessors or ``before_request``
   functions): a non-``None`` return value replaces the view;
3. :func:`dispatch_view`: the routing error, the automatic ``OPTIONS`` answer, or the view
   (1-3 are :func:`respond`);
4. exceptions of 2-3 go to :func:`erlen_core.errors.handle_user_exception`;
5. when nothing could observe a response object (no ``after_request`` or
   ``after_this_request`` function, no ``request_finished`` receiver, no session to save, no
   overridden step), :func:`erlen_core.responses.encode` answers without one; else
   :func:`finalize`: :func:`~erlen_core.responses.make_response`, :func:`process_response`
   (hooks, then the session) and ``request_finished``;
6. any exception escaping 1-5 goes to ``app.handle_exception``.

Teardown (:func:`teardown`) runs when the adapter pops the context. Each step the app overrides
(``app.preprocess_request``, ``app.make_response`` ...) is called in place of the pipeline's own,
as the :class:`~erlen_core.plan.Plan` says. Views, hooks and handlers are called through
``app.ensure_sync``, the invoker: under WSGI it runs coroutine functions to completion.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import HTTPException

from erlen_context import request_context_var

from .plan import Plan
from .plan import plan_for
from .responses import Answer
from .responses import encode
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from .wrappers import check_header_names

if t.TYPE_CHECKING:
    from erlen_context import RequestContext

    from . import typing as ft
    from .app import Erlen
    from .wrappers import Response


def current_plan(app: Erlen) -> Plan:
    """The plan of the request being handled (its blueprint chain)."""
    return plan_for(app, request_context_var.get().request.blueprint)


def run(app: Erlen, ctx: RequestContext) -> tuple[Response | Answer, Exception | None]:
    """Push ``ctx`` and answer its request.

    :return: What to send, and the exception that was turned into a 500 answer (teardown is to
        see it), if any. Exceptions that propagate are raised.
    """
    try:
        ctx.push()
        plan = plan_for(app, ctx.request.blueprint)
        if plan.full_dispatch_overridden:
            return plan.full_dispatch_request(app, plan), None
        return respond(app, plan, ctx, True), None
    except Exception as e:
        return app.handle_exception(e), e


def respond(app: Erlen, plan: Plan, ctx: RequestContext, direct: bool) -> Response | Answer:
    """Steps 1-5: dispatch, then make the answer; directly if ``direct`` allows and nothing
    could see a response object, else through the ``finalize_request`` step.
    """
    if not app._got_first_request:
        app._got_first_request = True
    try:
        if plan.started_receivers:
            request_started.send(app, _async_wrapper=app.ensure_sync)
        rv = plan.preprocess_request(app, plan) if plan.preprocess else None
        if rv is None:
            rv = plan.dispatch_request(app)
    except Exception as e:
        rv = plan.handle_user_exception(app, plan, e)
    if (
        direct
        and not plan.observed
        and not ctx._after_request_functions
        and session_unchanged(app, plan, ctx)
    ):
        answer = encode(app, plan, rv, ctx.request.environ)
        if answer is not None:
            return answer
    return plan.finalize_request(app, plan, rv)  # type: ignore[no-any-return]


def full_dispatch(app: Erlen, plan: Plan) -> Response:
    """:func:`respond` always making a response object (``full_dispatch_request``)."""
    return t.cast("Response", respond(app, plan, request_context_var.get(), False))


def preprocess(app: Erlen, plan: Plan) -> ft.ResponseReturnValue | None:
    """Run the URL value preprocessors, then the ``before_request`` functions; return the first
    value such a function returned that is not ``None``.
    """
    request = request_context_var.get().request
    for preprocessor in plan.url_value_preprocessors:
        preprocessor(request.endpoint, request.view_args)
    for before in plan.before:
        rv = app.ensure_sync(before)()
        if rv is not None:
            return rv  # type: ignore[no-any-return]
    return None


def dispatch_view(app: Erlen) -> ft.ResponseReturnValue:
    """Raise the request's routing error, answer automatic ``OPTIONS``, or call the view."""
    request = request_context_var.get().request
    if request.routing_exception is not None:
        app.raise_routing_exception(request)
    rule = request.url_rule
    if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
        return app.make_default_options_response()
    view = app.view_functions[rule.endpoint]
    return app.ensure_sync(view)(**request.view_args)  # type: ignore[no-any-return]


def finalize(app: Erlen, plan: Plan, rv: t.Any, from_error_handler: bool = False) -> Response:
    """Make the response object, process it and send ``request_finished``.

    :param from_error_handler: Log a failure of processing instead of raising it, because an
        error is already being handled.
    """
    response: Response = plan.make_response(app, rv)
    try:
        response = plan.process_response(app, plan, response)
        check_header_names(response.headers)
        if plan.finished_receivers:
            request_finished.send(app, _async_wrapper=app.ensure_sync, response=response)
    except Exception:
        if not from_error_handler:
            raise
        app.logger.exception("Request finalizing failed with an error while handling an error")
    return response


def process_response(app: Erlen, plan: Plan, response: Response) -> Response:
    """Run the ``after_this_request`` functions, then the chain's ``after_request`` functions,
    then save the session.
    """
    ctx = request_context_var.get()
    invoke = app.ensure_sync
    for func in ctx._after_request_functions:
        response = invoke(func)(response)
    for func in plan.after:
        response = invoke(func)(response)
    try:
        save_session(app, ctx, response)
    except HTTPException as refused:
        # The session could not be kept (its store is down: 503); that error is the answer.
        answer = plan.handle_http_exception(app, plan, refused)
        return t.cast("Response", plan.make_response(app, answer))
    return response


def save_session(app: Erlen, ctx: RequestContext, response: Response) -> None:
    """Save the request's session onto the response, as Flask does.

    A lazy session the request never used is opened (and saved) only when the interface's
    ``should_open_for_save`` says saving could change the response.
    """
    interface = app.session_interface
    session: t.Any
    if ctx.session_opened:
        session = ctx._session
    elif interface.should_open_for_save(app, ctx.request):
        session = ctx._open_session()
    else:
        return
    if not interface.is_null_session(session):
        interface.save_session(app, session, response)


def session_unchanged(app: Erlen, plan: Plan, ctx: RequestContext) -> bool:
    """Whether :func:`save_session` would leave the response alone. A lazy session that has to
    be opened to know is opened here, so it is not asked for twice.
    """
    if not ctx.session_opened:
        if plan.cookie_shortcut and "HTTP_COOKIE" not in ctx.request.environ:
            return True
        if not app.session_interface.should_open_for_save(app, ctx.request):
            return True
    return bool(app.session_interface.is_null_session(ctx._session))


def teardown(app: Erlen, plan: Plan, exc: BaseException | None) -> None:
    """Run the chain's ``teardown_request`` functions, then send ``request_tearing_down``."""
    for func in plan.teardown:
        app.ensure_sync(func)(exc)
    if plan.tearing_down_receivers:
        request_tearing_down.send(app, _async_wrapper=app.ensure_sync, exc=exc)
