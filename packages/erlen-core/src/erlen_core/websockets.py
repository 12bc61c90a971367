"""WebSocket routes: ``@app.websocket("/path")`` (and on blueprints), served by ``app.asgi``.

A WebSocket connection is a request like any other: its URL is matched by the URL map (the
rule is a WebSocket rule, so converters, blueprints and ``url_for`` work), the app and request
contexts are pushed (``g``, ``request.headers``, ``request.args``, the session as sent in the
cookie), URL value preprocessors and ``before_request`` functions run (one that returns a
value, or aborts, rejects the connection), and the handler's exceptions go to the error
handlers. The handler is an ``async def`` function awaited on the server's loop; it talks to
the client through :data:`websocket`::

    @app.websocket("/echo/<name>")
    async def echo(name):
        await websocket.accept()
        async for message in websocket:
            await websocket.send(f"{name}: {message}")

How the connection ends:

- the handler returned after accepting: closed with 1000 (or the code it closed with);
- an unhandled error after accepting: closed with 1011;
- never accepted (a hook or handler returned a response, or aborted): the HTTP response is
  sent when the server supports the ``websocket.http.response`` extension, else the
  connection is refused (the server answers 403).

The session is read-only: changes are not sent (a WebSocket has no response to carry a
cookie). Under a WSGI server a WebSocket request to such a route answers
``426 Upgrade Required`` saying that it needs an ASGI server.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import functools
import io
import typing as t
from contextvars import ContextVar
from inspect import iscoroutinefunction

from werkzeug.exceptions import HTTPException
from werkzeug.local import LocalProxy

from erlen_context.globals import current_app

from .asgi import Connection
from .asgi import environ_for
from .asgi import Exchange

if t.TYPE_CHECKING:
    from .asgi import ASGIApp
    from .asgi import Message
    from .asgi import Receive
    from .asgi import Scope
    from .asgi import Send

_cv_websocket: ContextVar[WebSocket] = ContextVar("erlen.websocket")

#: The WebSocket connection being handled.
websocket: WebSocket = LocalProxy(  # type: ignore[assignment]
    _cv_websocket,
    unbound_message="Working outside of a WebSocket connection: 'websocket' is only available"
    " in the handler of a WebSocket route served by an ASGI server.",
)


class UpgradeRequired(HTTPException):
    """*426 Upgrade Required*: a WebSocket route reached without a WebSocket connection."""

    code = 426
    description = (
        "This URL is a WebSocket endpoint. It needs a WebSocket connection through an ASGI"
        " server: 'erlen run --asgi' in development, or for example 'uvicorn module:app.asgi';"
        " a WSGI server cannot serve it."
    )


class WebSocketDisconnect(Exception):
    """The client closed the connection (raised by :meth:`WebSocket.receive`).

    :param code: The close code the client sent.
    """

    def __init__(self, code: int = 1000) -> None:
        super().__init__(code)
        self.code = code


class WebSocket:
    """One WebSocket connection, as the handler sees it through :data:`websocket`.

    :param scope: The ASGI scope.
    :param receive: The ASGI ``receive`` callable.
    :param send: The ASGI ``send`` callable.
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        #: The subprotocols the client offered.
        self.subprotocols: list[str] = list(scope.get("subprotocols", ()))
        #: Whether the connection has been accepted.
        self.accepted = False
        #: The close code, once the connection is closed.
        self.close_code: int | None = None

    async def accept(
        self, subprotocol: str | None = None, headers: t.Iterable[tuple[str, str]] = ()
    ) -> None:
        """Accept the connection (the other methods do it when needed).

        :param subprotocol: The subprotocol chosen from :attr:`subprotocols`.
        :param headers: Extra headers of the handshake response.
        """
        if self.accepted:
            return
        self.accepted = True
        await self._send(
            {
                "type": "websocket.accept",
                "subprotocol": subprotocol,
                "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
            }
        )

    async def receive(self) -> str | bytes:
        """The next message: ``str`` for a text frame, ``bytes`` for a binary one.

        :raises WebSocketDisconnect: When the client closed the connection.
        """
        await self.accept()
        if self.close_code is not None:
            raise WebSocketDisconnect(self.close_code)
        message = await self._receive()
        if message["type"] == "websocket.disconnect":
            self.close_code = message.get("code", 1005)
            raise WebSocketDisconnect(self.close_code)
        text = message.get("text")
        return text if text is not None else t.cast(bytes, message.get("bytes", b""))

    async def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) message."""
        await self.accept()
        key = "text" if isinstance(data, str) else "bytes"
        await self._send({"type": "websocket.send", key: data})

    async def receive_json(self) -> t.Any:
        """The next message, decoded with the app's JSON provider."""
        return current_app.json.loads(await self.receive())

    async def send_json(self, value: t.Any) -> None:
        """Send ``value`` encoded with the app's JSON provider, as a text message."""
        await self.send(current_app.json.dumps(value))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection with ``code``; closing again does nothing."""
        if self.close_code is not None:
            return
        self.close_code = code
        await self._send({"type": "websocket.close", "code": code, "reason": reason})

    def __aiter__(self) -> cabc.AsyncIterator[str | bytes]:
        return self._messages()

    async def _messages(self) -> cabc.AsyncIterator[str | bytes]:
        """Each message until the client closes."""
        while True:
            try:
                yield await self.receive()
            except WebSocketDisconnect:
                return


HandlerT = t.TypeVar("HandlerT", bound=t.Callable[..., t.Awaitable[t.Any]])


def websocket_view(handler: t.Callable[..., t.Awaitable[t.Any]]) -> t.Callable[..., t.Any]:
    """The view function registered for a WebSocket handler: it awaits the handler when a
    WebSocket connection is being served and answers 426 otherwise.

    :raises TypeError: When ``handler`` is not an ``async def`` function.
    """
    if not iscoroutinefunction(handler):
        raise TypeError(f"The WebSocket handler {handler.__name__!r} must be 'async def'.")

    @functools.wraps(handler)
    def view(**values: t.Any) -> t.Any:
        connection = _cv_websocket.get(None)
        if connection is None:
            raise UpgradeRequired()
        try:
            rv = current_app.ensure_sync(handler)(**values)
        except WebSocketDisconnect:
            rv = None
        # Once accepted, what the handler returns has nowhere to go.
        return "" if rv is None or connection.accepted else rv

    return view


def _close_code(status: str) -> int:
    return 1011 if status.startswith("5") else 1000


async def serve_websocket(adapter: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer an ASGI WebSocket scope through ``app.wsgi_app`` and the pipeline."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    connection = WebSocket(scope, receive, send)
    environ = environ_for(scope, io.BytesIO())
    environ.setdefault("HTTP_UPGRADE", "websocket")
    environ.setdefault("HTTP_CONNECTION", "Upgrade")
    context = adapter.context_for(Connection(asyncio.get_running_loop()))
    context.run(_cv_websocket.set, connection)
    exchange = Exchange(adapter.app, environ)
    try:
        first = await adapter.in_thread(context, exchange.respond)
        body = (first or b"") + await adapter.in_thread(context, exchange.remaining)
    finally:
        if hasattr(exchange.body, "close"):
            await adapter.in_thread(context, exchange.close)
    if connection.accepted:
        await connection.close(_close_code(exchange.status))
    elif "websocket.http.response" in scope.get("extensions", {}):
        await send(_rejection(exchange))
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008})


def _rejection(exchange: Exchange) -> Message:
    return {
        "type": "websocket.http.response.start",
        "status": int(exchange.status[:3]),
        "headers": [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in exchange.headers
        ],
    }
