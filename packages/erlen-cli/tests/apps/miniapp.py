"""A small application class that satisfies erlen_cli's CliApp protocol, for the tests."""

from __future__ import annotations

import contextlib
import contextvars
import typing as t

from werkzeug.routing import Map
from werkzeug.routing import Rule

from erlen_cli import AppGroup

#: The app whose context is active, standing in for erlen's ``current_app``.
CURRENT: contextvars.ContextVar[MiniApp] = contextvars.ContextVar("miniapp.current")


class MiniApp:
    """Enough of an application for the command: rules, ``cli``, ``debug`` and a context."""

    def __init__(
        self,
        name: str = "mini",
        rules: t.Iterable[Rule] = (),
        host_matching: bool = False,
    ) -> None:
        self.name = name
        self.import_name = name
        self.instance_path = f"/srv/{name}/instance"
        self.debug = False
        self.url_map = Map(list(rules), host_matching=host_matching)
        self.cli = AppGroup(name)
        #: How many app contexts were entered in total.
        self.pushes = 0

    @contextlib.contextmanager
    def app_context(self) -> t.Iterator[MiniApp]:
        self.pushes += 1
        token = CURRENT.set(self)
        try:
            yield self
        finally:
            CURRENT.reset(token)

    def wsgi_app(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [self.name.encode()]

    def __call__(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
        return self.wsgi_app(environ, start_response)

    def make_shell_context(self) -> dict[str, t.Any]:
        return {"app": self, "answer": 42}


class ReportingApp(MiniApp):
    """A MiniApp that tells whether its own context is active, as erlen's app does."""

    def app_context_active(self) -> bool:
        return CURRENT.get(None) is self


def current() -> MiniApp:
    """The app whose context is active; fails outside one."""
    return CURRENT.get()


class AsgiMiniApp(MiniApp):
    """A MiniApp with an ASGI face, as erlen apps have: ``app.asgi``."""

    async def asgi(
        self,
        scope: dict[str, t.Any],
        receive: t.Callable[[], t.Awaitable[t.Any]],
        send: t.Callable[[t.Any], t.Awaitable[None]],
    ) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send(
            {"type": "http.response.body", "body": f"{self.name} debug={self.debug}".encode()}
        )
