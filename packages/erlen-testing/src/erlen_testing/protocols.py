"""What the testing helpers need from an application, stated as protocols.

erlen-testing never imports the application class: the client, the environ builder and the
CLI runner accept any object with the members below. An erlen app and a Flask app both qualify.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import MutableMapping
from types import TracebackType
from typing import Any
from typing import Protocol
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from click import Command


class JSONProviderLike(Protocol):
    """The app's JSON provider (``app.json``): used for ``json=`` bodies and ``response.json``."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialize ``obj`` to a JSON string."""
        ...

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Deserialize a JSON document."""
        ...


class RequestContextLike(Protocol):
    """A request context: pushed by ``with``, holding the request it was made for."""

    def __enter__(self) -> Any:
        """Push the context."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Pop the context."""
        ...

    @property
    def request(self) -> Any:
        """The request of this context (a Werkzeug request)."""
        ...


class WSGIApp(Protocol):
    """Any WSGI application."""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Handle one WSGI request."""
        ...


class ConfiguredApp(WSGIApp, Protocol):
    """A WSGI app with a config mapping, as :class:`~erlen_testing.LiveServer` uses it."""

    @property
    def config(self) -> MutableMapping[str, Any]:
        """The app's configuration (``SERVER_NAME``, ``APPLICATION_ROOT`` ...)."""
        ...


class ClientApp(ConfiguredApp, Protocol):
    """What :class:`~erlen_testing.EnvironBuilder` and :class:`~erlen_testing.ErlenClient` use."""

    @property
    def json(self) -> JSONProviderLike:
        """The app's JSON provider."""
        ...

    @property
    def session_interface(self) -> Any:
        """The app's session interface (``open_session``, ``save_session``,
        ``is_null_session``)."""
        ...

    @property
    def response_class(self) -> Any:
        """The response class; :meth:`ErlenClient.session_transaction` saves into one."""
        ...

    def test_request_context(self, *args: Any, **kwargs: Any) -> RequestContextLike:
        """A request context for a simulated request."""
        ...


class CliApp(Protocol):
    """What :class:`~erlen_testing.ErlenCliRunner` uses: the app's command group. An app may
    also name its ``ScriptInfo`` class in a ``script_info_class`` attribute."""

    @property
    def cli(self) -> Command:
        """The app's command group, invoked when no other command is given."""
        ...
