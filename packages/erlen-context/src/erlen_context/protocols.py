"""What a context needs from the application, as :class:`typing.Protocol` classes.

erlen-context imports no application. An erlen or Flask application satisfies
:class:`ContextApp`; so does any small object with the same members, which is how this
package's tests run without one.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter

    from .ctx import AppContext


class SessionOpener(t.Protocol):
    """The session interface as a request context sees it.

    A class attribute ``lazy_open = True`` on the interface's class lets the context defer
    :meth:`open_session` until the session is first used; set it only when ``open_session`` is
    pure and never raises.
    """

    def open_session(self, app: t.Any, request: t.Any) -> t.Any:
        """Load the request's session, or return ``None`` when sessions cannot work."""

    def make_null_session(self, app: t.Any) -> t.Any:
        """Return the stand-in used when :meth:`open_session` returned ``None``."""


class ContextApp(t.Protocol):
    """The application as :class:`~erlen_context.AppContext` and
    :class:`~erlen_context.RequestContext` see it.
    """

    @property
    def name(self) -> str:
        """The application's name, shown in reprs."""

    @property
    def json(self) -> t.Any:
        """The JSON provider, set as ``request.json_module``."""

    @property
    def request_class(self) -> t.Callable[[WSGIEnvironment], t.Any]:
        """Builds the request object from a WSGI environ."""

    @property
    def app_ctx_globals_class(self) -> t.Callable[[], t.Any]:
        """Builds the :data:`~erlen_context.g` namespace of each app context."""

    @property
    def session_interface(self) -> SessionOpener:
        """Opens the session of each request."""

    def create_url_adapter(self, request: t.Any) -> MapAdapter | None:
        """Return a URL adapter bound to ``request``, or for ``None`` one for building URLs
        outside a request (or ``None`` when that is impossible).
        """

    def app_context(self) -> AppContext:
        """Return a new app context for this application."""

    def do_teardown_request(self, exc: BaseException | None) -> None:
        """Run the request teardown callbacks with the unhandled exception, if any."""

    def do_teardown_appcontext(self, exc: BaseException | None) -> None:
        """Run the app context teardown callbacks with the unhandled exception, if any."""

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Return a synchronous callable for ``func`` (which may be a coroutine function)."""
