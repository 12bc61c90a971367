"""Server-sent events: a ``text/event-stream`` response from a sync or async generator.

::

    from erlen_core.sse import Event, event_stream, last_event_id

    @app.route("/ticks")
    def ticks():
        start = int(last_event_id() or 0)

        async def events():
            for n in range(start + 1, start + 100):
                yield Event(n, event="tick", id=str(n))
                await asyncio.sleep(1)

        return event_stream(events(), keep_alive=15)

The generator yields :class:`Event` objects, strings (the data of an unnamed event) or other
values (JSON data, encoded with the app's provider). The same view streams under WSGI and under
ASGI (an async generator runs on the server's loop there, on a loop of its own under WSGI).
While the generator has nothing to say, a comment line goes out every ``keep_alive`` seconds so
that proxies and browsers keep the connection open.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextvars
import queue
import re
import threading
import typing as t
from dataclasses import dataclass

from erlen_context.globals import current_app
from erlen_context.globals import request

if t.TYPE_CHECKING:
    from .wrappers import Response

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
KEEP_ALIVE = b": keep-alive\n\n"


@dataclass(frozen=True)
class Event:
    """One server-sent event.

    :param data: The data: a string (split into one ``data:`` line per line) or a value encoded
        as JSON.
    :param event: The event type (``addEventListener`` name); ``message`` when unset.
    :param id: The event id, which the browser sends back as ``Last-Event-ID`` on reconnecting.
    :param retry: The reconnection delay to set, in milliseconds.
    :param comment: A comment line, ignored by clients.
    """

    data: t.Any = ""
    event: str | None = None
    id: str | None = None
    retry: int | None = None
    comment: str | None = None

    def encode(self, dumps: t.Callable[[t.Any], str] | None = None) -> bytes:
        """The event on the wire, ending with the blank line that dispatches it.

        :param dumps: Encodes non-string data; defaults to the current app's JSON provider.
        :raises ValueError: When ``event`` or ``id`` contains a line break.
        """
        lines = []
        if self.comment is not None:
            lines += [f": {line}" for line in _LINE_BREAK.split(self.comment)]
        for name in ("event", "id"):
            value = getattr(self, name)
            if value is not None:
                if _LINE_BREAK.search(value):
                    raise ValueError(f"An event's {name} cannot contain a line break.")
                lines.append(f"{name}: {value}")
        if self.retry is not None:
            lines.append(f"retry: {int(self.retry)}")
        data = self.data
        if not isinstance(data, str):
            data = (dumps or current_app.json.dumps)(data)
        if data or not lines:
            lines += [f"data: {line}" for line in _LINE_BREAK.split(data)]
        return ("\n".join(lines) + "\n\n").encode()


def last_event_id() -> str | None:
    """The ``Last-Event-ID`` header of the current request: the id of the last event a
    reconnecting client saw.
    """
    value: str | None = request.headers.get("Last-Event-ID")
    return value


def _encode(item: t.Any, dumps: t.Callable[[t.Any], str]) -> bytes:
    event = item if isinstance(item, Event) else Event(item)
    return event.encode(dumps)


async def _async_events(
    events: cabc.AsyncIterable[t.Any], keep_alive: float | None, dumps: t.Callable[[t.Any], str]
) -> cabc.AsyncIterator[bytes]:
    source = events.__aiter__()
    pending: asyncio.Future[t.Any] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(source.__anext__())
            done, _ = await asyncio.wait({pending}, timeout=keep_alive)
            if not done:
                yield KEEP_ALIVE
                continue
            finished, pending = pending, None
            try:
                item = finished.result()
            except StopAsyncIteration:
                return
            yield _encode(item, dumps)
    finally:
        if pending is not None:
            pending.cancel()
            # The generator is closed once its cancelled step has ended.
            await asyncio.wait({pending})
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()


_END = object()


def _sync_events(
    events: cabc.Iterable[t.Any], keep_alive: float | None, dumps: t.Callable[[t.Any], str]
) -> cabc.Iterator[bytes]:
    if keep_alive is None:
        for item in events:
            yield _encode(item, dumps)
        return
    # The generator runs in a thread of its own, so that waiting on it can time out.
    items: queue.Queue[t.Any] = queue.Queue(1)
    stop = threading.Event()

    def produce() -> None:
        iterator = iter(events)
        try:
            for item in iterator:
                items.put(item)
                if stop.is_set():
                    break
        except BaseException as e:
            items.put(_Failure(e))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            items.put(_END)

    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(produce,), daemon=True).start()
    try:
        while True:
            try:
                item = items.get(timeout=keep_alive)
            except queue.Empty:
                yield KEEP_ALIVE
                continue
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield _encode(item, dumps)
    finally:
        stop.set()
        # Let a producer blocked on a full queue see the stop.
        while not items.empty():
            items.get_nowait()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def event_stream(
    events: cabc.Iterable[t.Any] | cabc.AsyncIterable[t.Any],
    keep_alive: float | None = 15.0,
    status: int = 200,
    headers: t.Mapping[str, str] | None = None,
) -> Response:
    """A streamed ``text/event-stream`` response of ``events``; call it in a view.

    :param events: A sync or async iterable of :class:`Event`, ``str`` or JSON values.
    :param keep_alive: Seconds of silence after which a comment line is sent; ``None`` sends
        none.
    :param status: The status code.
    :param headers: Extra headers.
    """
    dumps = current_app.json.dumps
    body: t.Any
    if hasattr(events, "__aiter__"):
        body = _async_events(events, keep_alive, dumps)  # type: ignore[arg-type]
    else:
        body = _sync_events(events, keep_alive, dumps)
    response: Response = current_app.response_class(
        body, status=status, headers=headers, mimetype="text/event-stream"
    )
    response.headers["Cache-Control"] = "no-cache"
    # Tell nginx not to buffer the stream.
    response.headers["X-Accel-Buffering"] = "no"
    return response
