"""The WSGI face of erlen-routing: adapters for an environ, and serving a router.

:class:`AdapterFactory` does what :meth:`Map.bind_to_environ
<werkzeug.routing.Map.bind_to_environ>` does, but reads only a few environ keys per request and
takes the binding from :class:`~erlen_routing.adapters.AdapterCache`. :func:`serve` dispatches a
WSGI request through a :class:`~erlen_routing.Router`. Nothing else in the package touches an
environ.
"""

from __future__ import annotations

import functools
import typing as t
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from .adapters import AdapterCache
from .adapters import Binding
from .adapters import DEFAULT_CACHE_SIZE
from .adapters import derive_adapter
from .adapters import request_binding
from .matching import Matcher

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Map
    from werkzeug.routing import Rule

    from .router import Router


class _HasEnviron(t.Protocol):
    @property
    def environ(self) -> WSGIEnvironment: ...


@t.overload
def wsgi_text(value: str) -> str: ...
@t.overload
def wsgi_text(value: None) -> None: ...
def wsgi_text(value: str | None) -> str | None:
    """Undo the latin-1 transport of a WSGI string such as ``PATH_INFO``, reading its bytes as
    UTF-8 (invalid bytes become U+FFFD), as werkzeug does; ``None`` stays ``None``.
    """
    if value is None or value.isascii():
        return value
    return value.encode("latin1").decode(errors="replace")


def _server(environ: WSGIEnvironment) -> tuple[str, int | None] | None:
    """The server's own ``(name, port)``; the port is ``None`` for a Unix socket."""
    name = environ.get("SERVER_NAME")
    if name is None:
        return None
    try:
        port: int | None = int(environ["SERVER_PORT"])
    except (KeyError, TypeError, ValueError):
        port = None
    return name, port


def _is_websocket(environ: WSGIEnvironment) -> bool:
    """Whether the request asks to be upgraded to a WebSocket."""
    upgrade = environ.get("HTTP_UPGRADE")
    if upgrade is None or upgrade.lower() != "websocket":
        return False
    connection = environ.get("HTTP_CONNECTION", "").lower().split(",")
    return any(token.strip(" \t") == "upgrade" for token in connection)


def _host_of(
    environ: WSGIEnvironment,
) -> tuple[str | None, tuple[str, int | None] | None, str, bool, str | None]:
    """What a binding depends on in an environ: the ``Host`` header, else the server's
    address; the scheme, whether it is a WebSocket upgrade, and ``SCRIPT_NAME``.
    """
    host = environ.get("HTTP_HOST")
    return (
        host,
        _server(environ) if host is None else None,
        environ["wsgi.url_scheme"],
        "HTTP_UPGRADE" in environ and _is_websocket(environ),
        environ.get("SCRIPT_NAME"),
    )


class AdapterFactory(AdapterCache):
    """Per-request map adapters for WSGI environs, bound once per host and reused.

    ``factory.for_environ(environ)`` returns what ``url_map.bind_to_environ(environ)`` returns,
    including the path, method and query string of the request, so ``adapter.match()`` with no
    arguments matches that request, strict-slash redirects keep its query string, and a host
    outside the server name gives the same warning and 404. Only the binding is cached, in a
    bounded LRU keyed by the ``Host`` header (or server address), scheme, WebSocket upgrade,
    ``SCRIPT_NAME``, server name and subdomain.

    :param url_map: the map to bind.
    :param maxsize: how many bindings to keep.
    :param warning_module: the module name server-name warnings are attributed to.
    """

    def __init__(
        self, url_map: Map, maxsize: int = DEFAULT_CACHE_SIZE, *, warning_module: str | None = None
    ) -> None:
        super().__init__(url_map, maxsize, warning_module=warning_module)
        self._request_routes = functools.lru_cache(maxsize)(self._request_route)

    def cache_clear(self) -> None:
        """Drop every cached binding and request route."""
        super().cache_clear()
        self._request_routes.cache_clear()

    def for_environ(
        self,
        environ: WSGIEnvironment | _HasEnviron,
        server_name: str | None = None,
        subdomain: str | None = None,
    ) -> MapAdapter:
        """Return the adapter :meth:`~werkzeug.routing.Map.bind_to_environ` would return.

        :param environ: a WSGI environ, or an object with an ``environ`` attribute such as a
            request.
        :param server_name: the configured server name; ``None`` uses the request's host.
        :param subdomain: the subdomain; ``None`` derives it from the host and ``server_name``.
        """
        return self._adapter(environ, server_name, subdomain)

    def for_request(
        self,
        environ: WSGIEnvironment | _HasEnviron,
        server_name: str | None = None,
        subdomain_matching: bool = False,
    ) -> MapAdapter:
        """Return the adapter a Flask app's ``create_url_adapter`` makes for a request.

        :param environ: a WSGI environ, or an object with an ``environ`` attribute.
        :param server_name: the app's ``SERVER_NAME`` config, or ``None``.
        :param subdomain_matching: the app's ``subdomain_matching``; see
            :func:`~erlen_routing.adapters.request_binding`.
        """
        server_name, subdomain = request_binding(self.url_map, server_name, subdomain_matching)
        return self._adapter(environ, server_name, subdomain)

    def request_route(
        self,
        environ: WSGIEnvironment | _HasEnviron,
        server_name: str | None = None,
        subdomain_matching: bool = False,
    ) -> RequestRoute:
        """Return the binding :meth:`for_request` copies its adapter from, which can also match
        a request itself, so a request that nothing asks the adapter of needs none.

        The arguments are those of :meth:`for_request`. Unlike it, this neither warns nor
        raises: see :attr:`Binding.warning` and :attr:`Binding.template`. Called for every
        request of an app, it is cached by the environ values it reads, as they are.
        """
        env = environ if isinstance(environ, dict) else environ.environ
        url_map = self.url_map
        # The environ's part of the key stays one tuple: cheaper than spreading it out.
        return self._request_routes(
            _host_of(env),
            server_name,
            subdomain_matching,
            url_map.host_matching,
            url_map.default_subdomain,
        )

    def _request_route(
        self,
        host: tuple[str | None, tuple[str, int | None] | None, str, bool, str | None],
        server_name: str | None,
        subdomain_matching: bool,
        host_matching: bool,
        default_subdomain: str,
    ) -> RequestRoute:
        server_name, subdomain = request_binding(self.url_map, server_name, subdomain_matching)
        return self._route(*host, server_name, subdomain)

    def _route(
        self,
        host: str | None,
        server: tuple[str, int | None] | None,
        url_scheme: str,
        websocket: bool,
        script_name: str | None,
        server_name: str | None,
        subdomain: str | None,
    ) -> RequestRoute:
        if script_name is not None and not script_name.isascii():
            script_name = wsgi_text(script_name)
        return self._cached_binding(  # type: ignore[return-value]
            host, server, url_scheme, websocket, script_name, server_name, subdomain
        )

    def _resolve(self, *key: t.Any) -> RequestRoute:
        return RequestRoute(*super()._resolve(*key))

    def _adapter(
        self,
        environ: WSGIEnvironment | _HasEnviron,
        server_name: str | None,
        subdomain: str | None,
    ) -> MapAdapter:
        env: WSGIEnvironment = environ if isinstance(environ, dict) else environ.environ
        binding = self._route(*_host_of(env), server_name, subdomain)
        path, method, query = _target(env)
        if binding.warning is None and binding.template is not None:
            return derive_adapter(binding.template, path, method, query)
        # Warnings are attributed to whoever asked for the adapter, as bind_to_environ's are.
        return binding.adapter(path, method, query, 3, self.warning_module)


def _target(env: WSGIEnvironment) -> tuple[str | None, str, str | None]:
    """The path, method and query string of a request, as text."""
    path = env.get("PATH_INFO")
    if path is not None and not path.isascii():
        path = wsgi_text(path)
    query = env.get("QUERY_STRING")
    if query is not None and not query.isascii():
        query = wsgi_text(query)
    return path, env["REQUEST_METHOD"], query


class RequestRoute(Binding):
    """A :class:`~erlen_routing.adapters.Binding` that matches requests (objects with a WSGI
    ``environ``) and makes their adapters, as :meth:`AdapterFactory.request_route` hands it
    out. Use it only when its binding has neither warning nor error.
    """

    __slots__ = ()

    def match_request(self, request: _HasEnviron) -> tuple[Rule, t.Mapping[str, t.Any]]:
        """Match the request: what ``for_request(request).match(return_rule=True)`` returns
        or raises.
        """
        env = request.environ
        template: MapAdapter = self.template  # type: ignore[assignment]
        key = (template, env.get("PATH_INFO"), env["REQUEST_METHOD"])
        url_map = template.map
        matcher = url_map._matcher
        # An up-to-date map of erlen's knows the matches it may reuse.
        known = matcher.known if type(matcher) is Matcher and not url_map._remap else None
        if known is not None:
            found = known.get(key)
            if found is not None:
                return found[0], found[1].copy()
        path, method, query = _target(env)
        rule, values = template.match(path, method.upper(), True, query)
        if known is not None:
            Matcher.remember(known, key, rule, values)
        return rule, values

    def request_adapter(self, request: _HasEnviron) -> MapAdapter:
        """The adapter of the request: what ``for_request(request)`` returns."""
        path, method, query = _target(request.environ)
        return derive_adapter(t.cast(MapAdapter, self.template), path, method, query)


def serve(
    router: Router, environ: WSGIEnvironment, start_response: StartResponse
) -> t.Iterable[bytes]:
    """Answer one WSGI request with ``router``; :meth:`Router.__call__
    <erlen_routing.Router.__call__>` is this.

    The matched view is called with a :class:`~werkzeug.wrappers.Request` and the URL
    arguments, and its return value goes through :meth:`Router.make_response
    <erlen_routing.Router.make_response>`. Routing errors (404, 405 with ``Allow``, strict-slash
    redirects) and any :class:`~werkzeug.exceptions.HTTPException` a view raises are sent as
    their own responses. ``OPTIONS`` on a rule with automatic options answers with ``Allow``.
    """
    adapter = router.adapters.for_request(environ, router.server_name, router.subdomain_matching)
    response: t.Callable[[WSGIEnvironment, StartResponse], t.Iterable[bytes]]
    try:
        rule, args = adapter.match(return_rule=True)
        if environ["REQUEST_METHOD"] == "OPTIONS" and getattr(
            rule, "provide_automatic_options", False
        ):
            options = router.response_class()
            options.allow.update(adapter.allowed_methods())
            response = options
        else:
            view = router.view_functions[t.cast(str, rule.endpoint)]
            response = router.make_response(view(router.request_class(environ), **args))
    except HTTPException as error:
        response = error
    return response(environ, start_response)
