"""Keep the request context alive while a streamed response is generated.

A WSGI server iterates a streamed body after the view returned and the request context was
popped. :func:`stream_with_context` captures the active contexts and pushes them again around
the iteration, so the body can still use ``request``, ``session`` and ``g``; popping them at
the end of the stream runs the teardown callbacks a second time, then.
"""

from __future__ import annotations

import typing as t
from functools import update_wrapper

from .ctx import _active_request_context
from .globals import _cv_app


@t.overload
def stream_with_context(generator_or_function: t.Iterator[t.AnyStr]) -> t.Iterator[t.AnyStr]: ...


@t.overload
def stream_with_context(
    generator_or_function: t.Callable[..., t.Iterator[t.AnyStr]],
) -> t.Callable[..., t.Iterator[t.AnyStr]]: ...


def stream_with_context(
    generator_or_function: t.Iterator[t.AnyStr] | t.Callable[..., t.Iterator[t.AnyStr]],
) -> t.Iterator[t.AnyStr] | t.Callable[..., t.Iterator[t.AnyStr]]:
    """Run an iterator, or every iterator a generator function returns, inside the request
    context active now.

    Pass an iterator (``Response(stream_with_context(gen()))``) or decorate a generator
    function. The contexts are captured when the iterator is wrapped; an iterator with a
    ``close`` method is closed when the stream ends.

    :param generator_or_function: An iterable, or a function returning one.
    :raises RuntimeError: When no request context is active at wrapping time.
    """
    try:
        iterator = iter(generator_or_function)  # type: ignore[arg-type]
    except TypeError:
        function = t.cast("t.Callable[..., t.Iterator[t.AnyStr]]", generator_or_function)

        def wrap_result(*args: t.Any, **kwargs: t.Any) -> t.Iterator[t.AnyStr]:
            return stream_with_context(function(*args, **kwargs))

        return update_wrapper(wrap_result, function)

    stream = _run_in_contexts(iterator)
    # Run up to the first yield now: that captures the contexts while they are active.
    next(stream)
    return stream


def _run_in_contexts(iterator: t.Iterator[t.AnyStr]) -> t.Generator[t.AnyStr, None, None]:
    """Capture the current contexts, yield a placeholder, then yield ``iterator``'s items
    with those contexts pushed.
    """
    req_ctx = _active_request_context("stream_with_context")
    app_ctx = _cv_app.get()
    # Pushing happens only once iteration starts: a context variable set here would belong to
    # the caller's context (with an async view, a short-lived event loop's).
    yield None  # type: ignore[misc]
    # The app context goes first so the request context does not push a new one.
    with app_ctx, req_ctx:
        try:
            yield from iterator
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
