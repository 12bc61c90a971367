"""The request pipeline: one algorithm for every request, walking the request's plan.

The pipeline never calls application code itself. Its steps are generators that *yield* each
call of a view, hook, error handler or overriding method as a :data:`~erlen_core.steps.Call`
and receive its result (or have its exception thrown in); a driver makes the calls. Calls the
pipeline makes only outside error handling (views, ``before_request`` and teardown functions)
name no exception being handled; the others are made with :func:`~erlen_core.steps.call_of`.
Two drivers exist:

- :func:`complete`, for WSGI and every public method (``app.full_dispatch_request()`` ...):
  each call goes through ``app.ensure_sync`` on the spot, so a coroutine function runs to
  completion in it;
- the ASGI adapter's (:mod:`erlen_core.asgi`), which awaits a coroutine function on the
  server's loop and runs any other function in a worker thread, the request's contexts carried
  over.

:func:`run` is what the WSGI adapter calls: it pushes the request context and answers the
request, an :class:`~erlen_core.responses.Answer` or a response object. The steps, in order:

1. ``request_started`` (if it has receivers);
2. :func:`preprocess` (if the chain has URL value preprocessors or ``before_request``
   functions): a non-``None`` return value replaces the view;
3. :func:`view_call`: the routing error, the automatic ``OPTIONS`` answer, or the view
   (1-3 are :func:`respond`);
4. exceptions of 2-3 go to :func:`erlen_core.errors.handle_user_exception`;
5. when nothing could observe a response object (no ``after_request`` or
   ``after_this_request`` function, no ``request_finished`` receiver, no session to save, no
   overridden step), :func:`erlen_core.responses.encode` answers without one; else
   :func:`finalize`: :func:`~erlen_core.responses.make_response`, :func:`process_response`
   (hooks, then the session) and ``request_finished``, after which a buffered response of the
   default class is sent as an answer too (:func:`sent`);
6. any exception escaping 1-5 goes to ``app.handle_exception``.

When nothing runs before the view (a :attr:`~erlen_core.plan.Plan.bare` plan), :func:`run`
makes steps 3-5 with :func:`respond_directly`, without generators.

Teardown (:func:`teardown`) runs when the adapter pops the context. Each step the app overrides
(``app.preprocess_request``, ``app.make_response`` ...) is called in place of the pipeline's own,
as the :class:`~erlen_core.plan.Plan` says.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import HTTPException

from erlen_context import request_context_var

from .plan import Plan
from .plan import plan_of_request
from .plan import plans_of
from .responses import Answer
from .responses import encode
from .responses import encode_response
from .signals import appcontext_tearing_down
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from .steps import Call
from .steps import call_of
from .steps import complete
from .steps import NO_KEYWORDS
from .steps import perform
from .steps import Steps
from .wrappers import check_header_names
from .wrappers import Response

if t.TYPE_CHECKING:
    from erlen_context import RequestContext

    from . import typing as ft
    from .app import Erlen


def current_plan(app: Erlen) -> Plan:
    """The plan of the request being handled (its blueprint chain)."""
    return plan_of_request(app, request_context_var.get().request)


def run(app: Erlen, ctx: RequestContext) -> tuple[Response | Answer, Exception | None]:
    """Push ``ctx`` and answer its request: :func:`begin`, then the steps of :func:`answering`
    driven by :func:`complete`, or :func:`failed` for what escapes them. Another driver (the
    ASGI adapter) does the same with its own calls. A plan with nothing to run before the view
    is answered by :func:`respond_directly`, without a generator around the view.

    :return: What to send, and the exception that was turned into a 500 answer (teardown is to
        see it), if any. Exceptions that propagate are raised.
    """
    try:
        plan = begin(app, ctx)
        if plan.bare:
            return respond_directly(app, plan, ctx), None
        return complete(app, answering(app, plan, ctx)), None
    except Exception as e:
        return complete(app, failed(app, ctx, e)), e


def begin(app: Erlen, ctx: RequestContext) -> Plan:
    """Push ``ctx``; return the plan of its request. A lazy session is deferred before the
    push, so the push need not ask the session interface whether it is lazy.
    """
    plans = plans_of(app)
    if plans.lazy_sessions and ctx._session_object is None:
        ctx._session_deferred = True
    ctx.push()
    if not app._got_first_request:
        app._got_first_request = True
    return plans.for_request(app, ctx.request)


def answering(app: Erlen, plan: Plan, ctx: RequestContext) -> Steps[Response | Answer]:
    """The steps answering the request of ``ctx`` (steps 1-5)."""
    if plan.full_dispatch_overridden:
        return plan.full_dispatch_request(app, plan)  # type: ignore[no-any-return]
    return respond(app, plan, ctx, True)


def failed(app: Erlen, ctx: RequestContext, e: Exception) -> Steps[Response]:
    """The steps answering an exception that escaped the steps of :func:`answering` (step 6)."""
    plan = plan_of_request(app, ctx.request)
    return plan.handle_exception(app, plan, e)  # type: ignore[no-any-return]


def respond(app: Erlen, plan: Plan, ctx: RequestContext, direct: bool) -> Steps[Response | Answer]:
    """Steps 1-5: dispatch, then make the answer; directly if ``direct`` allows and nothing
    could see a response object, else through the ``finalize_request`` step.
    """
    try:
        if plan.started_receivers:
            yield request_started.send, (app,), {"_async_wrapper": app.ensure_sync}, None
        rv = (yield from plan.preprocess_request(app, plan)) if plan.preprocess else None
        if rv is None:
            rv = yield plan.dispatch_request(app)
    except Exception as e:
        rv = yield from plan.handle_user_exception(app, plan, e)
    if not direct:
        return (yield from plan.finalize_request(app, plan, rv))  # type: ignore[no-any-return]
    answer = encoded(app, plan, ctx, rv)
    if answer is not None:
        return answer
    return sent((yield from plan.finalize_request(app, plan, rv)), ctx)


def respond_directly(app: Erlen, plan: Plan, ctx: RequestContext) -> Response | Answer:
    """:func:`respond` for a :attr:`~erlen_core.plan.Plan.bare` plan, where the view is the
    only call before the answer: made with :func:`perform`, no generator around it.
    """
    try:
        rv = perform(app, plan.dispatch_request(app), plan.sync_functions)
    except Exception as e:
        rv = complete(app, plan.handle_user_exception(app, plan, e))
    answer = encoded(app, plan, ctx, rv)
    if answer is not None:
        return answer
    return sent(complete(app, plan.finalize_request(app, plan, rv)), ctx)


def encoded(app: Erlen, plan: Plan, ctx: RequestContext, rv: t.Any) -> Answer | None:
    """The :class:`~erlen_core.responses.Answer` of the view's value ``rv`` when nothing could
    see a response object and ``encode`` takes the value; ``None`` otherwise.
    """
    if not plan.observed and not ctx._after_request_functions and session_unchanged(app, plan, ctx):
        return encode(app, plan, rv, ctx.request.environ)
    return None


def sent(response: Response, ctx: RequestContext) -> Response | Answer:
    """What to send for the finished response object of the request of ``ctx``: the
    :class:`~erlen_core.responses.Answer` calling it would send, for a buffered response of
    the default class (after the hooks and the session save, nothing but the server sees it);
    else the response itself.
    """
    if type(response) is Response:
        answer = encode_response(response, ctx.request.environ)
        if answer is not None:
            return answer
    return response


def full_dispatch(app: Erlen, plan: Plan) -> Steps[Response]:
    """:func:`respond` always making a response object (``full_dispatch_request``)."""
    if not app._got_first_request:
        app._got_first_request = True
    return t.cast("Response", (yield from respond(app, plan, request_context_var.get(), False)))


def preprocess(app: Erlen, plan: Plan) -> Steps[ft.ResponseReturnValue | None]:
    """Run the URL value preprocessors, then the ``before_request`` functions; return the first
    value such a function returned that is not ``None``.
    """
    request = request_context_var.get().request
    for preprocessor in plan.url_value_preprocessors:
        preprocessor(request.endpoint, request.view_args)
    for before in plan.before:
        rv = yield before, (), NO_KEYWORDS, None
        if rv is not None:
            return rv  # type: ignore[no-any-return]
    return None


def view_call(app: Erlen) -> Call:
    """Raise the request's routing error, or return the call that answers the request: the
    automatic ``OPTIONS`` answer or the view with the URL values.
    """
    request = request_context_var.get().request
    if request.routing_exception is not None:
        app.raise_routing_exception(request)
    rule = request.url_rule
    if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
        return app.make_default_options_response, (), NO_KEYWORDS, None
    return app.view_functions[rule.endpoint], (), request.view_args, None


def finalize(
    app: Erlen, plan: Plan, rv: t.Any, from_error_handler: bool = False
) -> Steps[Response]:
    """Make the response object, process it and send ``request_finished``.

    :param from_error_handler: Log a failure of processing instead of raising it, because an
        error is already being handled.
    """
    response: Response = plan.make_response(app, rv)
    try:
        response = yield from plan.process_response(app, plan, response)
        check_header_names(response.headers)
        if plan.finished_receivers:
            kwargs = {"_async_wrapper": app.ensure_sync, "response": response}
            yield call_of(request_finished.send, (app,), kwargs)
    except Exception:
        if not from_error_handler:
            raise
        app.logger.exception("Request finalizing failed with an error while handling an error")
    return response


def process_response(app: Erlen, plan: Plan, response: Response) -> Steps[Response]:
    """Run the ``after_this_request`` functions, then the chain's ``after_request`` functions,
    then save the session.
    """
    ctx = request_context_var.get()
    for func in ctx._after_request_functions:
        response = yield call_of(func, (response,))
    for func in plan.after:
        response = yield call_of(func, (response,))
    try:
        save_session(app, ctx, response)
    except HTTPException as refused:
        # The session could not be kept (its store is down: 503); that error is the answer.
        answer = yield from plan.handle_http_exception(app, plan, refused)
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
    if ctx._session_object is None:  # ctx.session_opened, read on every request
        if plan.cookie_shortcut and "HTTP_COOKIE" not in ctx.request.environ:
            return True
        if not app.session_interface.should_open_for_save(app, ctx.request):
            return True
    return bool(app.session_interface.is_null_session(ctx._session))


def teardown(app: Erlen, plan: Plan, exc: BaseException | None) -> Steps[None]:
    """Run the chain's ``teardown_request`` functions, then send ``request_tearing_down``."""
    for func in plan.teardown:
        yield func, (exc,), NO_KEYWORDS, None
    if plan.tearing_down_receivers:
        kwargs = {"_async_wrapper": app.ensure_sync, "exc": exc}
        yield request_tearing_down.send, (app,), kwargs, None


def teardown_app(app: Erlen, exc: BaseException | None) -> Steps[None]:
    """Run the ``teardown_appcontext`` functions, newest first, then send
    ``appcontext_tearing_down``.
    """
    for func in reversed(app.teardown_appcontext_funcs):
        yield func, (exc,), NO_KEYWORDS, None
    if appcontext_tearing_down.receivers:
        kwargs = {"_async_wrapper": app.ensure_sync, "exc": exc}
        yield appcontext_tearing_down.send, (app,), kwargs, None
