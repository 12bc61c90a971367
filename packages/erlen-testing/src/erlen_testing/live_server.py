"""A real HTTP server running an app in a background thread, for tests that need sockets."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any
from typing import TYPE_CHECKING

from werkzeug.serving import make_server

from .protocols import ConfiguredApp

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer

_UNSET: Any = object()


class LiveServer:
    """Serve ``app`` over HTTP from a thread of the test process.

    While it runs, the app's ``SERVER_NAME`` is ``host:port``, so ``url_for(...,
    _external=True)`` outside a request builds URLs that reach this server; :meth:`stop` puts
    the previous value back. Because the app runs in the same process, a test can change the
    app (config, routes, mocks) and the server sees it.

    :param app: the WSGI application, with a ``config`` mapping.
    :param host: the address to listen on.
    :param port: the port to listen on; ``0`` picks a free one when the server starts.
    """

    def __init__(self, app: ConfiguredApp, host: str = "127.0.0.1", port: int = 0) -> None:
        #: The application being served.
        self.app = app
        #: The address the server listens on.
        self.host = host
        #: The port the server listens on; the one actually chosen once started.
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._server_name: Any = _UNSET

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._server is not None

    def start(self) -> None:
        """Bind the socket, point ``SERVER_NAME`` at it and serve requests in a daemon
        thread. The socket listens before this returns, so requests can be sent at once.

        :raises RuntimeError: when the server is already running.
        """
        if self._server is not None:
            raise RuntimeError(f"{self!r} is already running; call stop() first.")

        server = make_server(self.host, self.port, self.app, threaded=True)
        self._server = server
        self.port = server.server_port
        self._server_name = self.app.config.get("SERVER_NAME", _UNSET)
        self.app.config["SERVER_NAME"] = self._netloc()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"erlen-live-server-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, close the socket and restore ``SERVER_NAME``. Does nothing when the
        server is not running."""
        server, thread = self._server, self._thread

        if server is None or thread is None:
            return

        server.shutdown()
        thread.join()
        server.server_close()
        self._server = self._thread = None

        if self._server_name is _UNSET:
            self.app.config.pop("SERVER_NAME", None)
        else:
            self.app.config["SERVER_NAME"] = self._server_name

    def url(self, url: str = "") -> str:
        """Return the absolute URL of ``url`` (a path such as ``"/login"``) on this server.

        :raises RuntimeError: when no port is known yet (port ``0`` and not started).
        """
        if not self.port:
            raise RuntimeError("The live server picks its port when it starts; call start().")

        return f"http://{self._netloc()}{url}"

    def _netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._server is not None else "stopped"
        return f"<LiveServer {self.host}:{self.port} ({state})>"
