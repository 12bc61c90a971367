"""Drive an ASGI application in-process: HTTP requests and WebSocket sessions, no server.

:func:`request` is a coroutine for tests that run their own loop (``asyncio.run``);
:class:`WebSocketSession` is blocking, for ordinary tests, and is what
``client.websocket("/path")`` returns. Both work with any ASGI 3 application (``app.asgi`` of
an erlen app).
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import typing as t
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

Message = dict[str, t.Any]
ASGIApp = t.Callable[..., t.Awaitable[None]]


@dataclass
class ASGIResponse:
    """What an ASGI application answered to :func:`request`."""

    #: The status code.
    status: int
    #: The headers, names lower-cased.
    headers: list[tuple[str, str]]
    #: The body chunks as sent.
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        """The whole body."""
        return b"".join(self.chunks)

    def header(self, name: str) -> str | None:
        """The first value of a header, or ``None``."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)


def http_scope(
    method: str,
    url: str,
    headers: t.Iterable[tuple[str, str]] = (),
    kind: str = "http",
    host: str = "localhost",
) -> Message:
    """An ASGI scope for ``url`` (a path with an optional query string)."""
    parts = urlsplit(url)
    return {
        "type": kind,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http" if kind == "http" else "ws",
        "path": parts.path or "/",
        "raw_path": (parts.path or "/").encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [
            (b"host", host.encode("latin-1")),
            *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }


async def request(
    app: ASGIApp,
    method: str = "GET",
    url: str = "/",
    headers: t.Iterable[tuple[str, str]] = (),
    body: bytes | t.Iterable[bytes] = b"",
    disconnect: asyncio.Event | None = None,
    host: str = "localhost",
) -> ASGIResponse:
    """Send one HTTP request to ``app`` and collect its answer.

    :param headers: The headers besides ``Host``.
    :param body: The body, or its chunks (sent as separate messages).
    :param disconnect: When set, the client "goes away": ``receive`` answers
        ``http.disconnect`` once the body is sent and the event is set.
    :param host: The ``Host`` header.
    """
    chunks = [body] if isinstance(body, bytes) else list(body)
    incoming: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    gone = disconnect or asyncio.Event()
    response: ASGIResponse | None = None

    async def receive() -> Message:
        if incoming:
            return incoming.pop(0)
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal response
        if message["type"] == "http.response.start":
            headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]]
            response = ASGIResponse(message["status"], headers)
        elif message["type"] == "http.response.body" and response is not None:
            if message.get("body"):
                response.chunks.append(message["body"])

    await app(http_scope(method, url, headers, host=host), receive, send)
    if response is None:
        raise RuntimeError("The application sent no response.")
    return response


class WebSocketRejected(Exception):
    """The application refused the WebSocket connection.

    :param status: The HTTP status it answered with, or 403 for a plain refusal.
    :param body: The body of that answer.
    """

    def __init__(self, status: int, body: bytes = b"") -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


class WebSocketClosed(Exception):
    """The application closed the WebSocket connection.

    :param code: The close code it sent.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class WebSocketSession:
    """A WebSocket connection to an ASGI application running on a loop in a thread.

    Use it as a context manager: entering connects (and raises :exc:`WebSocketRejected` when
    refused), leaving closes and re-raises what the application raised.

    :param app: The ASGI application.
    :param scope: The ``websocket`` scope.
    :param timeout: How long :meth:`receive` waits for a message.
    """

    def __init__(self, app: ASGIApp, scope: Message, timeout: float = 5.0) -> None:
        self._app = app
        self._scope = scope
        self._timeout = timeout
        self._to_client: queue.Queue[Message] = queue.Queue()
        self._loop = asyncio.new_event_loop()
        self._to_app: asyncio.Queue[Message] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._error: BaseException | None = None
        self._ready = threading.Event()
        #: The close code the application sent, once closed.
        self.close_code: int | None = None
        #: The subprotocol the application accepted.
        self.subprotocol: str | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._to_app = asyncio.Queue()
        self._ready.set()
        try:
            await self._app(self._scope, self._to_app.get, self._from_app)
        except BaseException as e:
            self._error = e
        finally:
            self._to_client.put({"type": "erlen.app.done"})

    async def _from_app(self, message: Message) -> None:
        self._to_client.put(message)

    def _put(self, message: Message) -> None:
        assert self._to_app is not None
        try:
            self._loop.call_soon_threadsafe(self._to_app.put_nowait, message)
        except RuntimeError:
            # The application finished and its loop closed meanwhile: nobody is left to tell.
            if not self._loop.is_closed():
                raise

    def _next(self) -> Message:
        try:
            message = self._to_client.get(timeout=self._timeout)
        except queue.Empty:
            raise TimeoutError("The application sent nothing in time.") from None
        if message["type"] == "erlen.app.done":
            self._raise_error()
            self.close_code = self.close_code or 1006
        return message

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> WebSocketSession:
        self._thread.start()
        self._ready.wait()
        self._put({"type": "websocket.connect"})
        message = self._next()
        if message["type"] == "websocket.accept":
            self.subprotocol = message.get("subprotocol")
            return self
        if message["type"] == "websocket.http.response.start":
            body = b""
            while True:
                part = self._next()
                if part["type"] != "websocket.http.response.body":
                    break
                body += part.get("body", b"")
                if not part.get("more_body"):
                    break
            self._finish()
            raise WebSocketRejected(message["status"], body)
        self._finish()
        raise WebSocketRejected(403)

    def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) message."""
        key = "text" if isinstance(data, str) else "bytes"
        self._put({"type": "websocket.receive", key: data})

    def send_json(self, value: t.Any) -> None:
        """Send ``value`` as JSON text."""
        self.send(json.dumps(value))

    def receive(self) -> str | bytes:
        """The next message from the application.

        :raises WebSocketClosed: When the application closed the connection instead.
        """
        message = self._next()
        if message["type"] == "websocket.send":
            text = message.get("text")
            return text if text is not None else t.cast(bytes, message.get("bytes", b""))
        if message["type"] == "websocket.close":
            self.close_code = message.get("code", 1000)
        raise WebSocketClosed(self.close_code or 1006)

    def receive_json(self) -> t.Any:
        """The next message, decoded from JSON."""
        return json.loads(self.receive())

    def close(self, code: int = 1000) -> None:
        """Close the connection from the client's side and wait for the application."""
        self._put({"type": "websocket.disconnect", "code": code})
        self._finish()

    def _finish(self) -> None:
        self._thread.join(self._timeout)
        while not self._to_client.empty():
            message = self._to_client.get_nowait()
            if message["type"] == "websocket.close":
                self.close_code = message.get("code", 1000)
        self._raise_error()

    def __exit__(self, *exc_info: object) -> None:
        if self._thread.is_alive():
            self.close()
        else:
            self._finish()


def websocket_scope(
    url: str, headers: t.Iterable[tuple[str, str]] = (), host: str = "localhost", **extra: t.Any
) -> Message:
    """An ASGI ``websocket`` scope for ``url``, claiming the ``websocket.http.response``
    extension so that refusals carry their HTTP answer.
    """
    handshake = [("upgrade", "websocket"), ("connection", "Upgrade"), *headers]
    scope = http_scope("GET", url, handshake, kind="websocket", host=host)
    scope["extensions"] = {"websocket.http.response": {}}
    scope.update(extra)
    return scope
