"""Bound map adapters, computed once per host and handed out cheaply per request.

A werkzeug :class:`~werkzeug.routing.MapAdapter` is a :class:`~werkzeug.routing.Map` bound to a
server name, script root, subdomain and URL scheme, plus the path, method and query string of one
request. Everything expensive in binding (host validation, IDNA encoding, working out the
subdomain) depends only on the first group, so :class:`AdapterCache` binds once per such key and
keeps the result in a bounded LRU cache: the ``Host`` header is chosen by the client, so the cache
must not grow with it. Each caller then gets a shallow copy of the cached adapter carrying its own
path, method and query, so nothing a caller does to its adapter leaks into another's.

This module knows nothing about WSGI. :mod:`erlen_routing.wsgi` reads the same inputs from an
environ; :class:`~erlen_routing.Router` feeds them from its arguments.
"""

from __future__ import annotations

import functools
import sys
import typing as t
import warnings

from werkzeug.exceptions import BadHost
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.sansio.utils import get_host

#: The subdomain werkzeug binds to when the request's host is not under the configured server
#: name. Only a rule with a variable subdomain can match it; others answer 404.
INVALID_SUBDOMAIN = "<invalid>"

#: Default number of bindings each cache keeps.
DEFAULT_CACHE_SIZE = 256

#: The ports a URL may leave out, per scheme.
_DEFAULT_PORT_SUFFIX = {"http": ":80", "ws": ":80", "https": ":443", "wss": ":443"}


class Binding(t.NamedTuple):
    """A bound adapter to copy from, and the warning binding produced, if any."""

    #: The adapter bound to one host, script root, subdomain and scheme, never handed out;
    #: ``None`` when the server name is not a valid host name (see :meth:`adapter`).
    template: MapAdapter | None
    #: The server name mismatch message to warn with each time the binding is used.
    warning: str | None

    def adapter(
        self,
        path_info: str | None,
        method: str,
        query_args: t.Mapping[str, t.Any] | str | None,
        stacklevel: int,
        module: str | None = None,
    ) -> MapAdapter:
        """Warn if binding warned, then return a copy of the template for one request.

        :param stacklevel: which caller the warning points at, counted from the caller.
        :param module: the module name warning filters see; by default the caller's.
        :raise werkzeug.exceptions.BadHost: if the server name could not be bound.
        """
        if self.warning is not None:
            if module is None:
                warnings.warn(self.warning, stacklevel=stacklevel + 1)
            else:
                caller = sys._getframe(stacklevel)
                warnings.warn_explicit(
                    self.warning,
                    UserWarning,
                    caller.f_code.co_filename,
                    caller.f_lineno,
                    module=module,
                )
        if self.template is None:
            raise BadHost()
        return derive_adapter(self.template, path_info, method, query_args)


def request_binding(
    url_map: Map, server_name: str | None, subdomain_matching: bool
) -> tuple[str | None, str | None]:
    """Choose the ``server_name`` and ``subdomain`` to bind a request with, as a Flask app does.

    With host matching the configured server name is ignored so the request's own host is
    matched. Without subdomain matching the subdomain is pinned to the map's default, so any
    host is served. Otherwise the subdomain is worked out from the host and ``server_name``.

    :param url_map: the map to bind.
    :param server_name: the configured ``SERVER_NAME``, or ``None``.
    :param subdomain_matching: whether rules match on the subdomain of ``server_name``.
    :return: ``(server_name, subdomain)`` to pass to the binding.
    """
    if url_map.host_matching:
        return None, None
    if not subdomain_matching:
        return server_name, url_map.default_subdomain or ""
    return server_name, None


def resolve_binding(
    url_map: Map,
    host: str,
    url_scheme: str,
    script_name: str | None,
    server_name: str | None,
    subdomain: str | None,
) -> Binding:
    """Bind ``url_map`` for a request that arrived for ``host``.

    A server name that cannot be IDNA encoded gives a binding without template, which
    :meth:`Binding.adapter` turns into :exc:`~werkzeug.exceptions.BadHost` after the warning,
    the order in which werkzeug reports them.

    :param url_map: the map to bind.
    :param host: the request's validated host (``host:port`` unless the port is the default).
    :param url_scheme: the request's scheme, ``ws`` or ``wss`` for a WebSocket upgrade.
    :param script_name: the script root the app is mounted at, or ``None`` for ``/``.
    :param server_name: the configured server name, or ``None`` to use ``host``.
    :param subdomain: the subdomain, or ``None`` to derive it from ``host`` and
        ``server_name``; a host outside ``server_name`` gives :data:`INVALID_SUBDOMAIN` and a
        warning.
    """
    host = host.lower()
    if server_name is None:
        server_name = host
    else:
        server_name = server_name.lower().removesuffix(_DEFAULT_PORT_SUFFIX.get(url_scheme, ""))
    warning = None
    if subdomain is None and not url_map.host_matching:
        labels = host.split(".")
        own_labels = server_name.split(".")
        split = len(labels) - len(own_labels)
        if split < 0 or labels[split:] != own_labels:
            # Common when a server is reached by its IP address.
            warning = (
                f"Current server name {host!r} doesn't match configured server name {server_name!r}"
            )
            subdomain = INVALID_SUBDOMAIN
        else:
            subdomain = ".".join(label for label in labels[:split] if label)
    try:
        template = url_map.bind(server_name, script_name, subdomain, url_scheme)
    except BadHost:
        return Binding(None, warning)
    # The map's own adapter class, so that matching with the template is fast too.
    fast = derive_adapter(
        template, template.path_info, template.default_method, template.query_args
    )
    return Binding(fast, warning)


def derive_adapter(
    template: MapAdapter,
    path_info: str | None,
    method: str,
    query_args: t.Mapping[str, t.Any] | str | None,
) -> MapAdapter:
    """Copy ``template`` with the path, method and query string of one request.

    The copy shares everything else (map, server name, script name, subdomain, scheme), which
    costs an object creation instead of a binding.

    :param path_info: the request path below the script root; ``None`` means ``/``.
    :param method: the request method, the default for :meth:`~werkzeug.routing.MapAdapter.match`.
    :param query_args: the query string, kept on redirects.
    """
    if path_info is None:
        path_info = "/"
    cls: type[MapAdapter] = type(template)
    if cls is MapAdapter:
        # A plain binding of an erlen map: copied into the map's faster adapter class.
        fast: type[MapAdapter] | None = getattr(template.map, "request_adapter_class", None)
        if fast is None:
            # The constructor is the cheapest copy; it only stores what the template holds.
            return MapAdapter(
                template.map,
                template.server_name,
                template.script_name,
                template.subdomain,
                template.url_scheme,
                path_info,
                method,
                query_args,
            )
        cls = fast
    # The template's fields with this request's, without the constructor. An adapter
    # subclass of a map subclass keeps all the state of its own this way too.
    adapter = object.__new__(cls)
    adapter.__dict__ = dict(
        template.__dict__, path_info=path_info, default_method=method, query_args=query_args
    )
    return adapter


def _encodes_as_idna(host: str) -> bool:
    """Whether the name part of ``host:port`` is a host name IDNA can encode."""
    try:
        host.partition(":")[0].encode("idna")
    except UnicodeError:
        return False
    return True


class AdapterCache:
    """Bound adapters of one map, cached per host, script root, scheme and subdomain.

    :param url_map: the map to bind.
    :param maxsize: how many bindings each cache keeps before dropping the least recently used.
    :param warning_module: the module name server-name mismatch warnings are attributed to.

    The map's ``host_matching`` and ``default_subdomain`` are part of every key, so changing
    them later is safe; rules may be added at any time, since adapters look them up in the map.
    """

    def __init__(
        self, url_map: Map, maxsize: int = DEFAULT_CACHE_SIZE, *, warning_module: str | None = None
    ) -> None:
        #: The map this cache binds.
        self.url_map = url_map
        #: The module name server-name mismatch warnings are attributed to, so that warning
        #: filters can name it; ``None`` attributes them to the caller's module.
        self.warning_module = warning_module
        self._binding = functools.lru_cache(maxsize)(self._resolve)
        self._bound = functools.lru_cache(maxsize)(self._bind)

    def _resolve(
        self,
        host_header: str | None,
        server: tuple[str, int | None] | None,
        url_scheme: str,
        websocket: bool,
        script_name: str | None,
        server_name: str | None,
        subdomain: str | None,
        host_matching: bool,
        default_subdomain: str,
    ) -> Binding:
        # The port is stripped by the scheme the request came in with, before a WebSocket
        # upgrade turns it into ws or wss.
        host = get_host(url_scheme, host_header, server)
        if host_header and not host and not _encodes_as_idna(host_header):
            # Werkzeug 3.1.8 reads a Host header that no host name can be as no host at all;
            # HTTP answers such a request 400 (RFC 9112, section 3.2), as Werkzeug 3.1.5 did.
            raise BadHost()
        if websocket:
            url_scheme = "wss" if url_scheme == "https" else "ws"
        return resolve_binding(self.url_map, host, url_scheme, script_name, server_name, subdomain)

    def _bind(
        self,
        server_name: str,
        script_name: str | None,
        subdomain: str | None,
        url_scheme: str,
        host_matching: bool,
        default_subdomain: str,
    ) -> MapAdapter:
        return self.url_map.bind(server_name, script_name, subdomain, url_scheme)

    def _cached_binding(
        self,
        host_header: str | None,
        server: tuple[str, int | None] | None,
        url_scheme: str,
        websocket: bool,
        script_name: str | None,
        server_name: str | None,
        subdomain: str | None,
    ) -> Binding:
        url_map = self.url_map
        return self._binding(
            host_header,
            server,
            url_scheme,
            websocket,
            script_name,
            server_name,
            subdomain,
            url_map.host_matching,
            url_map.default_subdomain,
        )

    def bind(
        self,
        server_name: str,
        script_name: str = "/",
        subdomain: str | None = None,
        url_scheme: str = "http",
    ) -> MapAdapter:
        """Return an adapter like :meth:`Map.bind <werkzeug.routing.Map.bind>`, from the cache.

        This is the adapter for work outside a request, such as building URLs from
        ``SERVER_NAME``, ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``. Its path is ``/`` and
        its method ``GET``.

        :param server_name: the host URLs are built for.
        :param script_name: the path the application is mounted at.
        :param subdomain: the subdomain; ``None`` for the map's ``default_subdomain``.
        :param url_scheme: the scheme of external URLs.
        """
        template = self._bound(
            server_name,
            script_name,
            subdomain,
            url_scheme,
            self.url_map.host_matching,
            self.url_map.default_subdomain,
        )
        return derive_adapter(template, None, "GET", None)

    def for_host(
        self,
        host: str,
        path_info: str | None = None,
        method: str = "GET",
        query_args: t.Mapping[str, t.Any] | str | None = None,
        *,
        url_scheme: str = "http",
        script_name: str | None = None,
        server_name: str | None = None,
        subdomain: str | None = None,
    ) -> MapAdapter:
        """Return an adapter for a request to ``host``, as a request with that ``Host`` header
        would get from :meth:`~erlen_routing.AdapterFactory.for_environ`.

        :param host: the ``Host`` header value. A default port is dropped; a value with
            characters no host has reads as the empty host.
        :param path_info: the request path, ``None`` for ``/``.
        :param method: the request method.
        :param query_args: the query string or arguments.
        :param url_scheme: the scheme, ``ws`` or ``wss`` for WebSocket rules.
        :param script_name: the script root, ``None`` for ``/``.
        :param server_name: the configured server name, ``None`` to use ``host``.
        :param subdomain: the subdomain, ``None`` to derive it from ``host`` and
            ``server_name`` (warning when ``host`` is outside ``server_name``).
        """
        binding = self._cached_binding(
            host, None, url_scheme, False, script_name, server_name, subdomain
        )
        return binding.adapter(path_info, method, query_args, 2, self.warning_module)

    def cache_info(self) -> functools._CacheInfo:
        """Hits, misses and size of the per-host binding cache, as ``functools.lru_cache``
        reports them."""
        return self._binding.cache_info()

    def cache_clear(self) -> None:
        """Drop every cached binding."""
        self._binding.cache_clear()
        self._bound.cache_clear()
