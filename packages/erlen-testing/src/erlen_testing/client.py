"""The test client: Werkzeug's client, aware of the app's config, JSON, sessions and contexts.

Keeping contexts after a request
--------------------------------
Inside ``with client:`` the client adds the environ key ``"werkzeug.debug.preserve_context"``
to every request, holding a callable. The application calls it, just before it pops its
contexts at the end of the request, once per context to keep (the app context, then the
request context), passing the context object itself. After the response is built, the client
enters each of those objects as a context manager, in the order received, so ``request``,
``session`` and ``g`` of the last request stay usable until the next request or the end of the
block, where the client exits them again (last in, first out).
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import AbstractContextManager
from contextlib import closing
from contextlib import contextmanager
from contextlib import ExitStack
from copy import copy
from typing import Any
from typing import TYPE_CHECKING

import werkzeug.test
from werkzeug.test import Client
from werkzeug.wrappers import Request as BaseRequest

from .asgi import websocket_scope
from .asgi import WebSocketSession
from .environ import EnvironBuilder
from .protocols import ClientApp

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.test import TestResponse

#: The environ key through which the app hands its contexts back to the client.
PRESERVE_CONTEXT_KEY = "werkzeug.debug.preserve_context"


@functools.cache
def _user_agent() -> str:
    """The ``User-Agent`` the client sends, naming the installed Werkzeug (read once)."""
    return f"Werkzeug/{importlib.metadata.version('werkzeug')}"


class ErlenClient(Client):
    """A :class:`werkzeug.test.Client` for an erlen (or Flask) app, usually made by
    ``app.test_client()``.

    Requests are built with :class:`~erlen_testing.EnvironBuilder`, so they default to the
    app's ``SERVER_NAME``, ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME`` and encode
    ``json=`` with the app's JSON provider. Responses decode ``response.json`` with it too.
    Cookies persist between requests, ``follow_redirects=True`` fills ``response.history``,
    and ``response.request`` is the request that was sent.

    Used as ``with client:``, the contexts of the last request stay pushed until the next
    request or the end of the block.

    :param args: passed to :class:`werkzeug.test.Client` (the app, ``response_wrapper``,
        ``use_cookies``, ``allow_subdomain_redirects``).
    :param kwargs: as ``args``.
    """

    application: ClientApp

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Whether the client is inside a ``with`` block and keeps request contexts.
        self.preserve_context = False
        self._new_contexts: list[AbstractContextManager[Any]] = []
        self._context_stack = ExitStack()
        #: Values every request's environ starts from. Change it to set, for example, a
        #: different ``REMOTE_ADDR`` for all requests of this client.
        self.environ_base: dict[str, Any] = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": _user_agent(),
        }

    def __enter__(self) -> ErlenClient:
        if self.preserve_context:
            raise RuntimeError("This client is already in a 'with' block; blocks cannot nest.")
        self.preserve_context = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.preserve_context = False
        self._context_stack.close()

    @contextmanager
    def session_transaction(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Open the client's session to read or change it outside a request::

            with client.session_transaction() as session:
                session["user_id"] = 42

        The session is loaded from the client's cookies through the app's session interface
        and, when the block ends, saved back into them the same way.

        :param args: passed to ``app.test_request_context()``, whose request the session
            interface sees (useful when the session depends on the path or host).
        :param kwargs: as ``args``.
        :raises TypeError: when the client was made with ``use_cookies=False``.
        :raises RuntimeError: when the session interface opens no session.
        """
        if self._cookies is None:
            raise TypeError(
                "Cookies are disabled for this client, so it has no session. Create it with"
                " 'use_cookies=True' (the default)."
            )

        app = self.application
        interface = app.session_interface
        ctx = app.test_request_context(*args, **kwargs)
        request = ctx.request
        self._add_cookies_to_wsgi(request.environ)

        with ctx:
            session = interface.open_session(app, request)

        if session is None:
            raise RuntimeError(
                f"Session backend did not open a session: {type(interface).__name__}."
                "open_session() returned None. With cookie sessions this means the app has"
                " no SECRET_KEY."
            )

        yield session

        if interface.is_null_session(session):
            return

        response = app.response_class()

        with ctx:
            interface.save_session(app, session, response)

        self._update_cookies_from_response(
            request.host.partition(":")[0], request.path, response.headers.getlist("Set-Cookie")
        )

    def _copy_environ(self, other: Mapping[str, Any]) -> WSGIEnvironment:
        out = {**self.environ_base, **other}

        if self.preserve_context:
            out[PRESERVE_CONTEXT_KEY] = self._new_contexts.append

        return out

    def _prepare_request(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> BaseRequest:
        """Turn the arguments of :meth:`open` into the request to send."""
        first = args[0] if args else None

        if isinstance(first, werkzeug.test.EnvironBuilder):
            builder = copy(first)
            builder.environ_base = self._copy_environ(builder.environ_base or {})
            return builder.get_request()

        if isinstance(first, dict):
            return EnvironBuilder.from_environ(
                first, app=self.application, environ_base=self._copy_environ({})
            ).get_request()

        if isinstance(first, BaseRequest):
            request = copy(first)
            request.environ = self._copy_environ(request.environ)
            return request

        kwargs["environ_base"] = self._copy_environ(kwargs.get("environ_base", {}))
        with closing(EnvironBuilder(self.application, *args, **kwargs)) as builder:
            return builder.get_request()

    def open(
        self,
        *args: Any,
        buffered: bool = False,
        follow_redirects: bool = False,
        **kwargs: Any,
    ) -> TestResponse:
        """Send a request to the app and return its response.

        :param args: an :class:`~werkzeug.test.EnvironBuilder`, a WSGI environ dict or a
            :class:`~werkzeug.wrappers.Request` to send as it is (plus :attr:`environ_base`);
            otherwise the arguments of :class:`~erlen_testing.EnvironBuilder` (without the
            app): ``path``, ``method``, ``query_string``, ``headers``, ``data``, ``json`` ...
        :param buffered: read the whole response body before returning.
        :param follow_redirects: follow redirects; the intermediate responses are in
            ``response.history``.
        :param kwargs: as ``args``.
        """
        request = self._prepare_request(args, kwargs)

        # Contexts kept from an earlier request, or from the previous hop of a redirect
        # chain, are released: only the last request's contexts stay.
        self._context_stack.close()
        self._new_contexts.clear()

        response = super().open(request, buffered=buffered, follow_redirects=follow_redirects)
        response.json_module = self.application.json  # type: ignore[assignment]

        handed_over, self._new_contexts = self._new_contexts, []
        for context in handed_over:
            self._context_stack.enter_context(context)
        return response

    def websocket(
        self,
        path: str,
        headers: Mapping[str, str] | None = None,
        subprotocols: Iterable[str] = (),
        timeout: float = 5.0,
    ) -> WebSocketSession:
        """Open a WebSocket connection to the app's ASGI application (``app.asgi``), in
        process, sending the client's cookies::

            with client.websocket("/echo") as ws:
                ws.send("hi")
                assert ws.receive() == "hi"

        :param path: The path, with an optional query string.
        :param headers: Extra handshake headers.
        :param subprotocols: The subprotocols to offer.
        :param timeout: How long a receive waits, in seconds.
        :raises erlen_testing.asgi.WebSocketRejected: On entering, when the app refuses.
        """
        asgi = getattr(self.application, "asgi", None)
        if asgi is None:
            raise TypeError("WebSockets need an application with an 'asgi' attribute.")
        with closing(EnvironBuilder(self.application, path, headers=headers)) as builder:
            environ = builder.get_environ()
        self._add_cookies_to_wsgi(environ)
        sent = [(k, v) for k, v in (headers or {}).items() if k.lower() != "host"]
        if "HTTP_COOKIE" in environ:
            sent.append(("cookie", environ["HTTP_COOKIE"]))
        host = environ.get("HTTP_HOST", "localhost")
        scope = websocket_scope(path, sent, host=host, subprotocols=list(subprotocols))
        return WebSocketSession(asgi, scope, timeout)


#: The name Flask uses for :class:`ErlenClient`.
FlaskClient = ErlenClient
