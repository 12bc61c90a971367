"""Steps and their drivers: how the pipeline asks for application code to be called.

A step of the pipeline (:mod:`erlen_core.pipeline`, :mod:`erlen_core.errors`) is a generator.
Where it needs a view, hook, error handler, signal or overriding method called, it yields a
:data:`Call` and goes on with the value sent back, or with the call's exception thrown in at
that point. Steps call other steps with ``yield from``. Whoever drives the steps decides *how*
each call is made: :func:`complete` makes it on the spot (WSGI, every public method), the ASGI
adapter awaits coroutine functions on the server's loop and runs the others in a worker thread.

A :data:`Call` also carries the exception being handled where the step asked, so that a driver
makes the call with that exception current (``sys.exc_info()``, the ``__context__`` of what the
call raises), as an error handler or ``after_request`` function called while handling an error
sees it under Flask.
"""

from __future__ import annotations

import collections.abc as cabc
import contextvars
import sys
import typing as t
from inspect import CO_COROUTINE
from inspect import iscoroutinefunction
from types import FunctionType
from types import MappingProxyType

if t.TYPE_CHECKING:
    from .app import Erlen

T = t.TypeVar("T")

#: One call a step asks for: function, positional arguments, keyword arguments, and the
#: exception being handled at the asking point (``None`` outside error handling).
Call = tuple[t.Callable[..., t.Any], tuple[t.Any, ...], t.Mapping[str, t.Any], BaseException | None]
#: A step: yields :data:`Call` s, is sent their results, returns the step's value.
Steps = cabc.Generator[Call, t.Any, T]

NO_KEYWORDS: t.Mapping[str, t.Any] = MappingProxyType({})

#: True while a driver pops a request context whose teardown functions it already ran as calls
#: of its own; ``app.do_teardown_request`` and ``app.do_teardown_appcontext`` then do nothing.
TORN_DOWN: contextvars.ContextVar[bool] = contextvars.ContextVar("erlen.torn_down", default=False)


def call_of(
    func: t.Callable[..., t.Any],
    args: tuple[t.Any, ...] = (),
    kwargs: t.Mapping[str, t.Any] = NO_KEYWORDS,
) -> Call:
    """The :data:`Call` of ``func(*args, **kwargs)`` from here: ``rv = yield call_of(f, (x,))``."""
    return func, args, kwargs, sys.exc_info()[1]


def complete(app: Erlen, steps: Steps[T]) -> T:
    """Drive ``steps`` to their end, making each call through ``app.ensure_sync``; return the
    steps' value.
    """
    invoke = app.ensure_sync
    try:
        func, args, kwargs, handling = steps.send(None)
        while True:
            try:
                if handling is None:
                    value = invoke(func)(*args, **kwargs)
                else:
                    value = while_handling(handling, invoke(func), args, kwargs)
            except BaseException as e:
                func, args, kwargs, handling = steps.throw(e)
            else:
                func, args, kwargs, handling = steps.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


#: How many functions a :func:`perform` ``known`` set holds at most.
KNOWN_LIMIT = 1024


def perform(app: Erlen, call: Call, known: set[t.Callable[..., t.Any]] | None = None) -> t.Any:
    """Make one :data:`Call` through ``app.ensure_sync``, as :func:`complete` does.

    :param known: Plain functions ``app.ensure_sync`` returned unchanged before: called without
        asking it again. A plain function it returns unchanged now is added.
    """
    func, args, kwargs, handling = call
    if handling is not None:
        return while_handling(handling, app.ensure_sync(func), args, kwargs)
    if known is None:
        return app.ensure_sync(func)(*args, **kwargs)
    if func in known:
        return func(*args, **kwargs)
    ready = app.ensure_sync(func)
    if ready is func and type(func) is FunctionType and len(known) < KNOWN_LIMIT:
        known.add(func)
    return ready(*args, **kwargs)


def while_handling(
    exc: BaseException,
    func: t.Callable[..., T],
    args: tuple[t.Any, ...],
    kwargs: t.Mapping[str, t.Any],
) -> T:
    """Call ``func`` with ``exc`` as the exception being handled."""
    traceback = exc.__traceback__
    try:
        raise exc
    except BaseException:
        # Raising it only made it current: its traceback stays the one it had.
        exc.__traceback__ = traceback
        return func(*args, **kwargs)


def is_coroutine_function(func: t.Callable[..., t.Any]) -> bool:
    """Whether calling ``func`` makes a coroutine; plain functions are answered without
    :mod:`inspect`'s general (and slower) checks.
    """
    if type(func) is FunctionType:
        return func.__code__.co_flags & CO_COROUTINE != 0 or "_is_coroutine_marker" in (
            func.__dict__
        )
    return iscoroutinefunction(func)
