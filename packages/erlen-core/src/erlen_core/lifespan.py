"""Functions that run once when a server starts serving an app and once when it stops.

Register them with ``@app.before_serving`` and ``@app.after_serving`` (sync or ``async def``).
They run with the app context pushed, in registration order:

- under an ASGI server, on the ASGI lifespan protocol's startup and shutdown (async ones on
  the server's loop, sync ones in the adapter's worker threads); a function that raises fails
  the startup, and the server reports it and exits;
- anywhere else (a WSGI server, a script, tests), inside ``with app.lifespan():``, the
  equivalent this module provides; the test client does not run them by itself.
"""

from __future__ import annotations

import contextlib
import typing as t

if t.TYPE_CHECKING:
    import collections.abc as cabc

    from .app import Erlen
    from .asgi import ASGIApp
    from .asgi import Receive
    from .asgi import Send


class ServingFunctions:
    """A list attribute of each app, made on first access (``app.before_serving_funcs``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, app: t.Any, owner: t.Any = None) -> list[t.Callable[[], t.Any]]:
        if app is None:
            return self  # type: ignore[return-value]
        return app.__dict__.setdefault(self.name, [])  # type: ignore[no-any-return]


def run_all(app: Erlen, functions: list[t.Callable[[], t.Any]]) -> None:
    """Call each function through ``app.ensure_sync`` inside an app context."""
    with app.app_context():
        for func in functions:
            app.ensure_sync(func)()


@contextlib.contextmanager
def lifespan(app: Erlen) -> cabc.Iterator[Erlen]:
    """Run the ``before_serving`` functions, yield the app, then the ``after_serving`` ones
    (also when the block raised); this is ``app.lifespan()``.
    """
    run_all(app, app.before_serving_funcs)
    try:
        yield app
    finally:
        run_all(app, app.after_serving_funcs)


async def serve_lifespan(adapter: ASGIApp, receive: Receive, send: Send) -> None:
    """Answer an ASGI lifespan scope: startup, then shutdown."""
    import asyncio

    from .asgi import Connection

    app = adapter.app
    context = adapter.context_for(Connection(asyncio.get_running_loop()))
    phases = {
        "lifespan.startup": app.before_serving_funcs,
        "lifespan.shutdown": app.after_serving_funcs,
    }
    while True:
        message = await receive()
        kind = message["type"]
        try:
            await adapter.in_thread(context, run_all, app, phases[kind])
        except Exception as e:
            app.logger.exception(f"{kind} failed")
            await send({"type": f"{kind}.failed", "message": f"{type(e).__name__}: {e}"})
            return
        await send({"type": f"{kind}.complete"})
        if kind == "lifespan.shutdown":
            adapter.close()
            return
