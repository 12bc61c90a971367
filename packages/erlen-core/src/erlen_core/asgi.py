"""The ASGI adapter: the same app, served by an ASGI server (uvicorn, hypercorn, granian).

``app.asgi`` is an ASGI 3 application (:class:`ASGIApp`) for HTTP, WebSocket and lifespan
scopes. It runs the one request algorithm, :mod:`erlen_core.pipeline`, with its own driver of the
pipeline's steps (:mod:`erlen_core.steps`), on the server's loop:

- every coroutine function the steps ask for (an ``async def`` view, hook or error handler) is
  awaited right there, on the loop: an ``async def`` view answering at once costs no thread, no
  task and no second loop; one that waits makes a disconnect of the client cancel it;
- every other function (sync views, hooks, teardown functions, signal receivers, overriding
  methods, extension code) runs in a worker thread of the adapter's pool with the request's
  contexts carried over (a copy of the loop's :class:`contextvars.Context`); there, a coroutine
  function called through ``app.ensure_sync`` is handed back to the loop and awaited
  (:meth:`Connection.call`);
- the request body is pulled from ``receive`` as a worker thread reads ``wsgi.input`` (a bounded
  queue, so a body nobody reads is not buffered), or read ahead on the loop before the first
  coroutine function runs, within the app's body limits (``MAX_CONTENT_LENGTH`` answers 413
  without reading);
- teardown functions run the same way before the contexts are popped; the response is sent
  afterwards: a buffered body at once, a sync iterator (a generator, ``stream_with_context``,
  ``send_file``'s file wrapper) chunk by chunk from worker threads, an async iterator on the
  loop.

An app whose ``wsgi_app`` was replaced (WSGI middleware) is served through that WSGI callable in a
worker thread instead, with the same streaming and disconnect handling. Lifespan scopes run the
app's ``before_serving`` and ``after_serving`` functions (:mod:`erlen_core.lifespan`); WebSocket
scopes are described in :mod:`erlen_core.websockets`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import io
import sys
import typing as t
from functools import partial

from werkzeug.exceptions import HTTPException

from erlen_context import app_context_var
from erlen_context import request_context_var

from . import pipeline
from .errors import from_application_code
from .plan import plan_of_request
from .responses import Answer
from .signals import appcontext_tearing_down
from .signals import request_tearing_down
from .steps import Call
from .steps import is_coroutine_function
from .steps import NO_KEYWORDS
from .steps import perform
from .steps import Steps
from .steps import TORN_DOWN
from .steps import while_handling
from .wsgi import send as wsgi_send

if t.TYPE_CHECKING:
    import collections.abc as cabc

    from .app import Erlen

T = t.TypeVar("T")
Message = t.MutableMapping[str, t.Any]
Receive = t.Callable[[], t.Awaitable[Message]]
Send = t.Callable[[Message], t.Awaitable[None]]
Scope = t.MutableMapping[str, t.Any]

#: The threads of an app's pool when ``ASGI_THREADS`` is not configured. Each request holds
#: one while it runs, including while an async view awaits on the loop.
DEFAULT_THREADS = 64

#: The request body chunks the adapter reads ahead of the app.
_READ_AHEAD = 4

#: The connection of code that runs outside a request context: lifespan functions, WSGI
#: middleware, a streamed body.
_connection: contextvars.ContextVar[Connection] = contextvars.ContextVar("erlen.asgi")
#: The environ key of the connection of a request, for code the request context is pushed for.
_CONNECTION_KEY = "erlen.asgi.connection"


class Disconnected(asyncio.CancelledError):
    """The client went away while the request was being handled."""


def current_connection() -> Connection | None:
    """The :class:`Connection` of the ASGI request this worker thread handles, if any."""
    connection = _connection.get(None)
    if connection is None:
        ctx = request_context_var.get(None)
        if ctx is not None:
            connection = ctx.request.environ.get(_CONNECTION_KEY)
    return connection


class Connection:
    """One ASGI exchange as its worker thread sees it: the server's loop and what runs on it.

    :param loop: The server's event loop.
    """

    #: Whether the client has gone away.
    gone = False
    #: The request body as ``wsgi.input`` reads it, if the request has one.
    body: _Body | None = None
    _chunks: asyncio.Queue[bytes | None] | None = None
    _reader: asyncio.Task[None] | None = None
    # The tasks awaiting for the worker thread, made with the first; only the loop touches it.
    _tasks: set[asyncio.Task[t.Any]] | None = None

    def __init__(self, loop: asyncio.AbstractEventLoop, receive: Receive | None = None) -> None:
        self.loop = loop
        self._receive = receive

    def call(self, awaitable: t.Awaitable[T]) -> T:
        """Await ``awaitable`` on the server's loop and block this thread until it is done.

        :raises Disconnected: When the client went away before or meanwhile.
        """
        if self.gone or _running_loop() is self.loop:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            if self.gone:
                raise Disconnected
            raise RuntimeError(_AWAIT_ON_LOOP)
        try:
            return asyncio.run_coroutine_threadsafe(self._tracked(awaitable), self.loop).result()
        except concurrent.futures.CancelledError:
            raise Disconnected from None

    async def _tracked(self, awaitable: t.Awaitable[T]) -> T:
        self.listen()
        task = t.cast("asyncio.Task[t.Any]", asyncio.current_task())
        if self._tasks is None:
            self._tasks = set()
        tasks = self._tasks
        tasks.add(task)
        try:
            return await awaitable
        finally:
            tasks.discard(task)

    def start(self, coroutine: t.Coroutine[t.Any, t.Any, T]) -> tuple[bool, t.Any]:
        """Run ``coroutine`` in the calling task, on the loop, up to its first real wait.

        :return: ``(True, value)`` when it finished at once, else ``(False, awaitable)``: the
            awaitable of the rest, which a disconnect cancels.
        """
        try:
            waiting_for = coroutine.send(None)
        except StopIteration as done:
            return True, done.value
        return False, self._tracked(_Resumed(coroutine, waiting_for))

    def start_call(
        self,
        func: t.Callable[..., t.Coroutine[t.Any, t.Any, T]],
        args: tuple[t.Any, ...],
        kwargs: t.Mapping[str, t.Any],
    ) -> tuple[bool, t.Any]:
        """:meth:`start` the coroutine of ``func(*args, **kwargs)``."""
        return self.start(func(*args, **kwargs))

    def blocking(self, func: t.Callable[..., t.Awaitable[T]]) -> t.Callable[..., T]:
        """``func`` as a blocking function that awaits its result on the server's loop; this is
        what ``app.ensure_sync`` returns for a coroutine function during an ASGI request.
        """

        def call(*args: t.Any, **kwargs: t.Any) -> T:
            _read_body_ahead()
            return self.call(func(*args, **kwargs))

        return call

    def listen(self) -> None:
        """Start reading the request body and watching for a disconnect, once; on the loop.

        Not before the request awaits something: a sync view that answers without reading the
        body costs no reading task.
        """
        if self._reader is None and self._receive is not None:
            self._chunks = asyncio.Queue(_READ_AHEAD)
            self._reader = self.loop.create_task(self._read(self._receive, self._chunks))

    async def _read(self, receive: Receive, chunks: asyncio.Queue[bytes | None]) -> None:
        """Feed the body into the chunk queue (``None`` ends it), then wait for a disconnect."""
        more = True
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnect()
                if more:
                    await chunks.put(None)
                return
            if more:
                body = message.get("body", b"")
                if body:
                    await chunks.put(body)
                more = message.get("more_body", False)
                if not more:
                    await chunks.put(None)

    async def next_chunk(self) -> bytes | None:
        """The next chunk of the request body; ``None`` at its end."""
        self.listen()
        assert self._chunks is not None, "a connection without receive has no body"
        return await self._chunks.get()

    def stop(self) -> None:
        """Stop reading; the exchange is over."""
        if self._reader is not None:
            self._reader.cancel()

    def disconnect(self) -> None:
        """Mark the client gone and cancel whatever the request awaits; call it on the loop.
        The worker thread resumes once the awaited code has handled its cancellation.
        """
        self.gone = True
        for task in list(self._tasks or ()):
            task.cancel()


class _Resumed:
    """The rest of a coroutine that was started by hand and is waiting for ``waiting_for``: its
    ``await`` hands each wait to the awaiting task and passes results and errors (a
    cancellation) back in, as awaiting the coroutine itself would have.
    """

    def __init__(self, coroutine: t.Coroutine[t.Any, t.Any, T], waiting_for: t.Any) -> None:
        self._coroutine = coroutine
        self._waiting_for = waiting_for

    def __await__(self) -> t.Generator[t.Any, t.Any, t.Any]:
        coroutine, waiting_for = self._coroutine, self._waiting_for
        resume: t.Callable[[t.Any], t.Any]
        while True:
            try:
                sent = yield waiting_for
            except BaseException as thrown:
                resume, value = coroutine.throw, thrown
            else:
                resume, value = coroutine.send, sent
            try:
                waiting_for = resume(value)
            except StopIteration as done:
                return done.value


_AWAIT_ON_LOOP = (
    "A coroutine function was called through app.ensure_sync on the event loop's own thread,"
    " which would wait for the loop forever. Call it from an async function with await, or"
    " from sync code that runs in a worker thread (a sync view)."
)

_BODY_ON_LOOP = (
    "The request body was read on the event loop before it had arrived. Async views see the"
    " body read ahead, within the app's body limits; read a larger body in a sync view."
)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


#: Methods whose requests carry no body unless they say so.
_BODILESS = frozenset(("GET", "HEAD", "OPTIONS"))


def _has_body(environ: dict[str, t.Any]) -> bool:
    """Whether the request of ``environ`` says it carries a body: only then is its
    ``wsgi.input`` read from the server.
    """
    if "CONTENT_LENGTH" in environ:
        return environ["CONTENT_LENGTH"].strip() not in ("", "0")
    if environ["REQUEST_METHOD"] not in _BODILESS:
        return True
    return "HTTP_TRANSFER_ENCODING" in environ and "chunked" in environ["HTTP_TRANSFER_ENCODING"]


def _read_body_ahead() -> None:
    """Read the current request's body into memory before a coroutine runs on the loop, where
    reading from the server would block the loop. A body over a limit is left unread; reading
    it on the loop raises that limit's error.
    """
    ctx = request_context_var.get(None)
    if ctx is None or type(ctx.request.environ.get("wsgi.input")) is not _Body:
        return
    request = ctx.request
    try:
        request.get_data(cache=True)
    except HTTPException as e:
        body = request.environ.get("wsgi.input")
        if isinstance(body, _Body):
            body.refusal = e


class _Body(io.RawIOBase):
    """``wsgi.input``: the request body as a blocking stream for the worker thread, each read
    taking the next chunk the loop received.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        #: The limit's error when reading ahead stopped at it.
        self.refusal: HTTPException | None = None
        self._pending = b""
        self._done = False
        #: Whether the body was read ahead on the loop.
        self.ahead = False

    def readable(self) -> bool:
        return True

    async def read_ahead(self, limit: int | None) -> None:
        """Read the rest of the body into memory on the loop; with a ``limit``, stop at the
        first chunk past it, so that reading raises the limit's error.
        """
        self.ahead = True
        connection = self._connection
        connection.listen()
        parts = [self._pending]
        size = len(self._pending)
        while not self._done and (limit is None or size <= limit):
            chunk = await connection.next_chunk()
            if chunk is None:
                self._done = True
            else:
                parts.append(chunk)
                size += len(chunk)
        self._pending = b"".join(parts)

    def readinto(self, buffer: t.Any) -> int:
        while not self._pending and not self._done:
            if _running_loop() is self._connection.loop:
                # Waiting for the loop on the loop would never end.
                raise self.refusal or RuntimeError(_BODY_ON_LOOP)
            chunk = self._connection.call(self._connection.next_chunk())
            if chunk is None:
                self._done = True
            else:
                self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def environ_for(scope: Scope, body: t.IO[bytes] | io.RawIOBase | None) -> dict[str, t.Any]:
    """The WSGI environ of an HTTP or WebSocket scope.

    :param scope: The ASGI scope.
    :param body: The stream to give as ``wsgi.input`` (``None``: set it afterwards).
    """
    root = scope.get("root_path", "")
    origin = (scope.get("server"), scope.get("scheme", "http"), scope.get("http_version"), root)
    try:
        environ = _ORIGINS[origin].copy()
    except (KeyError, TypeError):
        environ = _origin_environ(*origin).copy()
    path = scope["path"]
    if root and path.startswith(root):
        path = path[len(root) :]
    environ["REQUEST_METHOD"] = scope.get("method", "GET")
    environ["PATH_INFO"] = path if path.isascii() else _wsgi_text(path)
    query = scope.get("query_string")
    if query:
        environ["QUERY_STRING"] = query.decode("latin-1")
    environ["wsgi.input"] = body
    environ["wsgi.errors"] = sys.stderr
    environ["asgi.scope"] = scope
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = _ENVIRON_NAMES.get(raw_name) or _environ_name(raw_name)
        value = raw_value.decode("latin-1")
        if name in environ:
            value = f"{environ[name]}{'; ' if name == 'HTTP_COOKIE' else ','}{value}"
        environ[name] = value
    return environ


#: The environ entries of the origins seen (server address, scheme, HTTP version, root path),
#: each with every key :func:`environ_for` sets: copying a dict with all its keys is far
#: cheaper than building one key by key.
_ORIGINS: dict[tuple[t.Any, str, str | None, str], dict[str, t.Any]] = {}


def _origin_environ(
    server: t.Any, scheme: str, http_version: str | None, root: str
) -> dict[str, t.Any]:
    """The entries of an origin's environs; kept in ``_ORIGINS`` while it has room."""
    name, port = server or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": _wsgi_text(root) if root else "",
        "PATH_INFO": "",
        "QUERY_STRING": "",
        "SERVER_NAME": str(name),
        "SERVER_PORT": str(port if port is not None else 80),
        "SERVER_PROTOCOL": f"HTTP/{http_version or '1.1'}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": None,
        # The server delimits the body; Werkzeug still applies MAX_CONTENT_LENGTH.
        "wsgi.input_terminated": True,
        "wsgi.errors": None,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "asgi.scope": None,
        _CONNECTION_KEY: None,
    }
    if len(_ORIGINS) < _NAMES_KEPT and (server is None or type(server) is tuple):
        _ORIGINS[server, scheme, http_version, root] = environ
    return environ


def _wsgi_text(text: str) -> str:
    """A path as WSGI gives it: its UTF-8 bytes as latin-1 text."""
    return text if text.isascii() else text.encode().decode("latin-1")


#: Header names (as ASGI gives them) and their environ keys, filled as headers are seen.
_ENVIRON_NAMES: dict[bytes, str] = {}
#: The most header names remembered, so that made-up names cannot grow the table forever.
_NAMES_KEPT = 512


def _environ_name(raw_name: bytes) -> str:
    name = raw_name.decode("latin-1").upper().replace("-", "_")
    if name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        name = f"HTTP_{name}"
    if len(_ENVIRON_NAMES) < _NAMES_KEPT:
        _ENVIRON_NAMES[raw_name] = name
    return name


#: Response header names and their lower-case bytes, filled as headers are sent.
_HEADER_BYTES: dict[str, bytes] = {}


def _start_message(status: str, headers: t.Iterable[tuple[str, str]]) -> Message:
    encoded = []
    for name, value in headers:
        raw_name = _HEADER_BYTES.get(name)
        if raw_name is None:
            raw_name = name.lower().encode("latin-1")
            if len(_HEADER_BYTES) < _NAMES_KEPT:
                _HEADER_BYTES[name] = raw_name
        encoded.append((raw_name, value.encode("latin-1")))
    code = _STATUS_CODES.get(status) or _status_code(status)
    return {"type": "http.response.start", "status": code, "headers": encoded}


#: Status lines and their codes, filled as they are sent (parsing one takes longer).
_STATUS_CODES: dict[str, int] = {}


def _status_code(status: str) -> int:
    code = int(status[:3])
    if len(_STATUS_CODES) < _NAMES_KEPT:
        _STATUS_CODES[status] = code
    return code


class Exchange:
    """The worker-thread half of one HTTP request: call ``app.wsgi_app``, then step through a
    sync body in the request's context.
    """

    #: What ``start_response`` was given; what is sent if it never is.
    status = "500 INTERNAL SERVER ERROR"
    headers: t.Sequence[tuple[str, str]] = ()
    #: The WSGI body.
    body: t.Any = ()
    _chunks: t.Iterator[bytes] = iter(())

    def __init__(self, app: Erlen, environ: dict[str, t.Any]) -> None:
        self.app = app
        self.environ = environ

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> t.Callable[[bytes], object]:
        self.status = status
        self.headers = list(headers)
        return _no_write

    def respond(self) -> bytes | None:
        """Run ``app.wsgi_app``; return the first chunk of a sync body (``None`` when there is
        none).
        """
        return self.accept(self.app.wsgi_app(self.environ, self.start_response))

    def accept(self, body: t.Any) -> bytes | None:
        """Take ``body`` as the response body; return its first chunk if it is a sync iterator
        that is no list (``None`` otherwise).
        """
        self.body = body
        if hasattr(body, "__aiter__"):
            return None
        self._chunks = iter(body)
        if type(body) is list:
            return None
        # A generator may call start_response only when first stepped.
        return self.next_chunk()

    def next_chunk(self) -> bytes | None:
        for chunk in self._chunks:
            if chunk:
                return chunk
        return None

    def remaining(self) -> bytes:
        """The rest of a sync body, joined (an async body gives nothing)."""
        return b"".join(self._chunks)

    def close(self) -> None:
        self.body.close()


def _no_write(data: bytes) -> object:
    raise NotImplementedError("The ASGI adapter does not support the WSGI write() callable.")


class ASGIApp:
    """The ASGI 3 application of an erlen app; ``app.asgi`` makes one per app.

    Serve it with ``uvicorn module:app.asgi`` (or hypercorn, granian). Requests run in a pool of
    ``threads`` worker threads (default: the app's ``ASGI_THREADS`` config, else
    :data:`DEFAULT_THREADS`).

    :param app: The application.
    :param threads: The size of the worker thread pool.
    """

    def __init__(self, app: Erlen, threads: int | None = None) -> None:
        self.app = app
        self._threads = threads
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    @property
    def pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """The worker threads, made on first use."""
        if self._pool is None:
            size = self._threads or self.app.config.get("ASGI_THREADS") or DEFAULT_THREADS
            self._pool = concurrent.futures.ThreadPoolExecutor(size, "erlen-asgi")
        return self._pool

    def close(self) -> None:
        """Let the worker threads end once idle; a later request makes new ones."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._serve_other(scope, receive, send)
            return
        app = self.app
        connection = Connection(asyncio.get_running_loop(), receive)
        environ = environ_for(scope, None)
        if _has_body(environ):
            environ["wsgi.input"] = connection.body = _Body(connection)
        else:
            environ["wsgi.input"] = io.BytesIO()
        environ[_CONNECTION_KEY] = connection
        try:
            if "wsgi_app" in app.__dict__:
                # WSGI middleware wraps the app: only that callable knows how to answer.
                await self._serve_wsgi(send, Exchange(app, environ), connection)
                return
            answer = await self._answer(environ, connection)
            if type(answer) is Answer:
                # The usual answer, sent as it is: nothing to step or close.
                await send(_start_message(answer.status, answer.headers))
                body = b"" if environ["REQUEST_METHOD"] == "HEAD" else answer.body
                await send({"type": "http.response.body", "body": body})
            elif isinstance(answer, Exchange):
                await self._send_body(send, answer, connection)
        finally:
            connection.stop()

    async def _serve_other(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a WebSocket or lifespan scope."""
        kind = scope["type"]
        if kind == "websocket":
            from .websockets import serve_websocket

            await serve_websocket(self, scope, receive, send)
        elif kind == "lifespan":
            from .lifespan import serve_lifespan

            await serve_lifespan(self, receive, send)
        else:
            raise ValueError(f"erlen cannot serve ASGI scopes of type {kind!r}.")

    def context_for(self, connection: Connection) -> contextvars.Context:
        """A fresh context for one exchange, its :class:`Connection` set."""
        context = contextvars.copy_context()
        context.run(_connection.set, connection)
        return context

    def in_thread(
        self, context: contextvars.Context, func: t.Callable[..., T], *args: t.Any
    ) -> asyncio.Future[T]:
        """Run ``func(*args)`` in a worker thread inside ``context``; await the result."""
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self.pool, partial(context.run, func, *args))

    async def _serve_wsgi(self, send: Send, exchange: Exchange, connection: Connection) -> None:
        """Answer through ``app.wsgi_app`` in a worker thread and send its response."""
        context = self.context_for(connection)
        try:
            chunk = await self.in_thread(context, exchange.respond)
        except Disconnected:
            return
        await self._send(send, exchange, chunk, connection, context)

    async def _send_body(self, send: Send, exchange: Exchange, connection: Connection) -> None:
        """Send the WSGI response of a response object, stepping a sync body in threads."""
        context = self.context_for(connection)
        body = exchange.body
        chunk = None
        if type(body) is not list and not hasattr(body, "__aiter__"):
            chunk = await self.in_thread(context, exchange.accept, body)
        await self._send(send, exchange, chunk, connection, context)

    async def _answer(
        self, environ: dict[str, t.Any], connection: Connection
    ) -> Answer | Exchange | None:
        """Answer the request through the pipeline, on the loop, and pop its contexts. Return
        the answer, or the :class:`Exchange` holding the WSGI response of a response object;
        ``None`` when the client went away.
        """
        app = self.app
        ctx = app.request_context(environ)
        active = app_context_var.get(None)
        pushes_app_context = active is None or active.app is not app
        error: BaseException | None = None
        try:
            # What pipeline.run does for WSGI, with this driver making the calls.
            try:
                steps = pipeline.answering(app, pipeline.begin(app, ctx), ctx)
                answer = await self.drive(steps, connection)
            except Exception as e:
                answer = await self.drive(pipeline.failed(app, ctx, e), connection)
                error = e
            if type(answer) is Answer:
                sent: Answer | Exchange = answer
            else:
                # A response object is a WSGI application, called while the contexts are pushed.
                sent = Exchange(app, environ)
                sent.body = wsgi_send(answer, environ, sent.start_response)
        except BaseException as e:
            error = e
            if connection.gone and type(e) is asyncio.CancelledError:
                # The adapter cancelled what the request awaited: teardown sees why.
                error = Disconnected()
            if not connection.gone:
                # What reaches the server starts with the application's frames.
                from_application_code(e)
                raise
        finally:
            if error is not None and app.should_ignore_error(error):
                error = None
            if (
                app.teardown_request_funcs
                or app.teardown_appcontext_funcs
                or request_tearing_down.receivers
                or appcontext_tearing_down.receivers
            ):
                await self._pop(ctx, pushes_app_context, error, connection)
            else:
                ctx.pop(error)
        if connection.gone:
            task = asyncio.current_task()
            if sys.version_info >= (3, 11) and task is not None and task.cancelling():
                # The cancellation was the adapter's own, for the disconnect: it is over.
                task.uncancel()
            return None
        return sent

    async def _pop(
        self,
        ctx: t.Any,
        pushes_app_context: bool,
        error: BaseException | None,
        connection: Connection,
    ) -> None:
        """Run the request's teardown functions and signals as calls of this driver, then pop
        ``ctx`` without running them again.
        """
        app = self.app
        teardowns = []
        if app.teardown_request_funcs or request_tearing_down.receivers:
            plan = plan_of_request(app, ctx.request)
            if plan.teardown or plan.tearing_down_receivers:
                teardowns.append(pipeline.teardown(app, plan, error))
        if pushes_app_context and (
            app.teardown_appcontext_funcs or appcontext_tearing_down.receivers
        ):
            teardowns.append(pipeline.teardown_app(app, error))
        if not teardowns:
            ctx.pop(error)
            return
        for steps in teardowns:
            await self.drive(steps, connection)
        torn_down = TORN_DOWN.set(True)
        try:
            ctx.pop(error)
        finally:
            TORN_DOWN.reset(torn_down)

    async def drive(self, steps: Steps[T], connection: Connection) -> T:
        """Drive the pipeline's ``steps`` on the loop: await coroutine functions here, run the
        others in a worker thread; return the steps' value.
        """
        try:
            call = steps.send(None)
            while True:
                try:
                    done, value = self._perform(call, connection)
                    if not done:
                        value = await value
                except BaseException as e:
                    call = steps.throw(e)
                else:
                    call = steps.send(value)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]

    def _perform(self, call: Call, connection: Connection) -> tuple[bool, t.Any]:
        """Make ``call`` as far as it goes without waiting: ``(True, value)`` when it is done,
        else ``(False, awaitable)``: what to await for its value.
        """
        func, args, kwargs, handling = call
        if not is_coroutine_function(func):
            return False, self.in_thread(contextvars.copy_context(), perform, self.app, call)
        body = connection.body
        if body is not None and not body.ahead:
            return False, self._after_reading(body, call, connection)
        if handling is None:
            return connection.start(func(*args, **kwargs))
        return while_handling(handling, connection.start_call, (func, args, kwargs), NO_KEYWORDS)

    async def _after_reading(self, body: _Body, call: Call, connection: Connection) -> t.Any:
        """Read the request ``body`` ahead, within the app's limits; then make ``call``."""
        await body.read_ahead(request_context_var.get().request.max_content_length)
        done, value = self._perform(call, connection)
        return value if done else await value

    async def _send(
        self,
        send: Send,
        exchange: Exchange,
        chunk: bytes | None,
        connection: Connection,
        context: contextvars.Context,
    ) -> None:
        """Send the response ``exchange`` holds; ``chunk`` is the first of a sync body, which
        is stepped (and closed) in ``context``.
        """
        try:
            await send(_start_message(exchange.status, exchange.headers))
            if type(exchange.body) is list:
                await _send_all(send, exchange.body)
                return
            # A stream ends early when the client goes away.
            connection.listen()
            if hasattr(exchange.body, "__aiter__"):
                await _send_async(send, exchange.body, connection)
                return
            while chunk is not None and not connection.gone:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                chunk = await self.in_thread(context, exchange.next_chunk)
            await send({"type": "http.response.body", "body": b""})
        finally:
            if hasattr(exchange.body, "close") and not hasattr(exchange.body, "__aiter__"):
                await self.in_thread(context, exchange.close)


def _send_all(send: Send, body: list[bytes]) -> t.Awaitable[None]:
    """Send a buffered body; await the result."""
    if len(body) == 1:
        # One message for the usual buffered body, awaited without a coroutine around it.
        return send({"type": "http.response.body", "body": body[0]})
    return _send_chunks(send, body)


async def _send_chunks(send: Send, body: list[bytes]) -> None:
    for chunk in body:
        if chunk:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _send_async(send: Send, body: cabc.AsyncIterable[bytes], conn: Connection) -> None:
    try:
        async for chunk in body:
            if conn.gone:
                break
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        aclose = getattr(body, "aclose", None)
        if aclose is not None:
            await aclose()
