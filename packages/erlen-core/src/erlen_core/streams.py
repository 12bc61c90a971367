"""Response bodies that are async iterables (an ``async def`` generator returned by a view).

Under the ASGI adapter such a body is iterated on the server's loop (:class:`AsyncBody`);
under WSGI, where there is no loop, :func:`drive` steps it on a private loop of its own, one
item at a time, so the same view streams under both protocols.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from .wrappers import Response


async def _encoded(items: cabc.AsyncIterable[t.Any]) -> cabc.AsyncIterator[bytes]:
    source = items.__aiter__()
    try:
        async for item in source:
            yield item.encode() if isinstance(item, str) else bytes(item)
    finally:
        # Ending early (the client went away) ends the view's generator too.
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()


class AsyncBody:
    """An async body as the ASGI adapter sends it; closing it closes the response.

    :param items: The body's ``str`` or ``bytes`` items.
    :param close: Called once the body is done or abandoned.
    """

    def __init__(self, items: cabc.AsyncIterable[t.Any], close: t.Callable[[], None]) -> None:
        self._items = _encoded(items)
        self._close = close

    def __aiter__(self) -> cabc.AsyncIterator[bytes]:
        return self._items

    async def aclose(self) -> None:
        try:
            await self._items.aclose()  # type: ignore[attr-defined]
        finally:
            self._close()


def drive(items: cabc.AsyncIterable[t.Any]) -> cabc.Iterator[bytes]:
    """Iterate an async body from sync code, on a loop made for it."""
    import asyncio  # here: a WSGI app that streams no async body never loads it

    loop = asyncio.new_event_loop()
    encoded = _encoded(items)
    try:
        while True:
            try:
                yield loop.run_until_complete(encoded.__anext__())
            except StopAsyncIteration:
                return
    finally:
        try:
            loop.run_until_complete(encoded.aclose())  # type: ignore[attr-defined]
        finally:
            loop.close()


def async_app_iter(
    response: Response, environ: t.Mapping[str, t.Any]
) -> cabc.Iterable[bytes] | AsyncBody:
    """The WSGI body of a response whose body is an async iterable: an :class:`AsyncBody` for
    the ASGI adapter, else a sync iterator over :func:`drive`.
    """
    body: t.Any = response.response
    status = response.status_code
    if environ["REQUEST_METHOD"] == "HEAD" or 100 <= status < 200 or status in (204, 304):
        response.close()
        return []
    if "asgi.scope" in environ:
        return AsyncBody(body, response.close)
    from werkzeug.wsgi import ClosingIterator

    return ClosingIterator(drive(body), response.close)
