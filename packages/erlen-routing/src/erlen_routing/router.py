"""A router with no application around it.

:class:`Router` registers views with the decorators a Flask app has, matches a path and method to
a view and its arguments, builds URLs, and serves as a WSGI application::

    router = Router()

    @router.get("/users/<int:id>")
    def user(request, id):
        return f"user {id}"

Rules are werkzeug rules in a werkzeug :class:`~werkzeug.routing.Map` (:attr:`Router.url_map`),
so converters, defaults, hosts, subdomains and strict slashes behave as in Flask, and a custom
converter is added with ``router.url_map.converters["name"] = MyConverter``. Rules are tried in
werkzeug's order: static parts before variable parts, more specific converters first, not in
the order they were added.
"""

from __future__ import annotations

import typing as t
from typing import TYPE_CHECKING

from werkzeug.routing import Map as BaseMap
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from .adapters import DEFAULT_CACHE_SIZE
from .adapters import request_binding
from .building import build_url
from .matching import Map
from .registration import create_rule
from .registration import register_view_function
from .wsgi import AdapterFactory
from .wsgi import serve

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: The options of :meth:`Router.build` that :meth:`Router.url_for` takes with a ``_`` prefix.
_BUILD_OPTIONS = ("anchor", "method", "scheme", "external")


class RouteMatch(t.NamedTuple):
    """What :meth:`Router.match` found."""

    #: The view registered for the endpoint, ``None`` if the rule has none.
    view: t.Callable[..., t.Any] | None
    #: The endpoint of the matched rule.
    endpoint: str
    #: The URL arguments, converted, with the rule's defaults.
    args: t.Mapping[str, t.Any]
    #: The matched rule.
    rule: Rule


class Router:
    """Rules, views and URL building, without an application.

    :param server_name: the host (``name:port``) URLs are built for and that subdomains are
        relative to; ``"localhost"`` is used for building when not given.
    :param subdomain_matching: match the ``subdomain`` of rules against the request's host
        below ``server_name``; off, every host is served by the default subdomain's rules.
    :param script_name: the path the router is mounted under, for building URLs outside a
        request.
    :param url_scheme: the scheme of external URLs built outside a request.
    :param provide_automatic_options: answer ``OPTIONS`` for rules that do not list it.
    :param cache_size: how many host bindings to keep (see
        :class:`~erlen_routing.AdapterFactory`).
    :param map_options: passed to the :class:`~werkzeug.routing.Map`: ``host_matching``,
        ``strict_slashes``, ``merge_slashes``, ``redirect_defaults``, ``converters``,
        ``default_subdomain`` ...

    Served as a WSGI application, a view is called with the werkzeug
    :class:`~werkzeug.wrappers.Request` first and the URL arguments as keywords.
    """

    #: The rule class :meth:`add_url_rule` creates.
    url_rule_class: type[Rule] = Rule
    #: The map class of :attr:`url_map`.
    url_map_class: type[BaseMap] = Map
    #: The request class views receive when the router serves WSGI.
    request_class: type[Request] = Request
    #: The response class :meth:`make_response` creates.
    response_class: type[Response] = Response

    def __init__(
        self,
        *,
        server_name: str | None = None,
        subdomain_matching: bool = False,
        script_name: str | None = None,
        url_scheme: str = "http",
        provide_automatic_options: bool = True,
        cache_size: int = DEFAULT_CACHE_SIZE,
        **map_options: t.Any,
    ) -> None:
        #: The werkzeug map holding every rule.
        self.url_map: BaseMap = self.url_map_class(**map_options)
        #: Endpoint name to view function.
        self.view_functions: dict[str, t.Callable[..., t.Any]] = {}
        #: The configured server name, or ``None``.
        self.server_name = server_name
        #: Whether rules match on the subdomain of :attr:`server_name`.
        self.subdomain_matching = subdomain_matching
        #: The mount path used when building URLs outside a request.
        self.script_name = script_name
        #: The scheme of URLs built outside a request.
        self.url_scheme = url_scheme
        #: Whether rules answer ``OPTIONS`` by themselves unless told otherwise.
        self.provide_automatic_options = provide_automatic_options
        #: The cached bindings of :attr:`url_map`.
        self.adapters = AdapterFactory(self.url_map, cache_size)

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: t.Callable[..., t.Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> Rule:
        """Add a rule, and record ``view_func`` as the view of its endpoint.

        The arguments are those of Flask's ``add_url_rule``: ``endpoint`` defaults to the
        view's name; ``options`` go to the rule (``methods``, ``defaults``, ``subdomain``,
        ``host``, ``strict_slashes``, ``merge_slashes``, ``redirect_to``, ``websocket``...).

        A rule without ``view_func`` can be matched and built, but serving a request that
        matches it raises :exc:`KeyError`, unless a view is registered for its endpoint later.

        :return: the rule added.
        :raise AssertionError: if another view already has the endpoint.
        """
        rule_obj = create_rule(
            self.url_rule_class,
            rule,
            endpoint,
            view_func,
            provide_automatic_options,
            automatic_options=self.provide_automatic_options,
            **options,
        )
        register_view_function(self.view_functions, t.cast(str, rule_obj.endpoint), view_func)
        self.url_map.add(rule_obj)
        return rule_obj

    def route(self, rule: str, **options: t.Any) -> t.Callable[[F], F]:
        """Decorate a view to register it for ``rule``; ``options`` as in
        :meth:`add_url_rule`, including ``endpoint``."""

        rule_options = dict(options)
        endpoint = rule_options.pop("endpoint", None)

        def decorator(f: F) -> F:
            self.add_url_rule(rule, endpoint, f, **rule_options)
            return f

        return decorator

    def _method_route(
        self, method: str, rule: str, options: dict[str, t.Any]
    ) -> t.Callable[[F], F]:
        if "methods" in options:
            raise TypeError(f"Use route() to pass 'methods'; {method.lower()}() sets {method}.")
        return self.route(rule, methods=[method], **options)

    def get(self, rule: str, **options: t.Any) -> t.Callable[[F], F]:
        """Shortcut for :meth:`route` with ``methods=["GET"]``."""
        return self._method_route("GET", rule, options)

    def post(self, rule: str, **options: t.Any) -> t.Callable[[F], F]:
        """Shortcut for :meth:`route` with ``methods=["POST"]``."""
        return self._method_route("POST", rule, options)

    def put(self, rule: str, **options: t.Any) -> t.Callable[[F], F]:
        """Shortcut for :meth:`route` with ``methods=["PUT"]``."""
        return self._method_route("PUT", rule, options)

    def patch(self, rule: str, **options: t.Any) -> t.Callable[[F], F]:
        """Shortcut for :meth:`route` with ``methods=["PATCH"]``."""
        return self._method_route("PATCH", rule, options)

    def delete(self, rule: str, **options: t.Any) -> t.Callable[[F], F]:
        """Shortcut for :meth:`route` with ``methods=["DELETE"]``."""
        return self._method_route("DELETE", rule, options)

    def match(
        self,
        path: str,
        method: str = "GET",
        host: str | None = None,
        query_args: t.Mapping[str, t.Any] | str | None = None,
    ) -> RouteMatch:
        """Find the view for a request.

        :param path: the path below the script root, such as ``"/users/3"``.
        :param method: the request method.
        :param host: the request's host, for host and subdomain rules and redirect URLs;
            defaults to :attr:`server_name`, else ``"localhost"``.
        :param query_args: the query string, kept by strict-slash redirects.
        :raise werkzeug.exceptions.NotFound: no rule matches the path.
        :raise werkzeug.exceptions.MethodNotAllowed: rules match the path but not the method;
            its response has an ``Allow`` header.
        :raise werkzeug.routing.RequestRedirect: the canonical URL differs (a missing trailing
            slash, merged slashes, defaults); its ``new_url`` is the place to go.
        """
        server_name, subdomain = request_binding(
            self.url_map, self.server_name, self.subdomain_matching
        )
        adapter = self.adapters.for_host(
            host or self.server_name or "localhost",
            path,
            method,
            query_args,
            url_scheme=self.url_scheme,
            script_name=self.script_name,
            server_name=server_name,
            subdomain=subdomain,
        )
        rule, args = adapter.match(return_rule=True)
        endpoint = t.cast(str, rule.endpoint)
        return RouteMatch(self.view_functions.get(endpoint), endpoint, args, rule)

    def url_adapter(self) -> MapAdapter:
        """The adapter that builds URLs outside a request, from :attr:`server_name`,
        :attr:`script_name` and :attr:`url_scheme`."""
        return self.adapters.bind(
            self.server_name or "localhost", self.script_name or "/", url_scheme=self.url_scheme
        )

    def build(
        self,
        endpoint: str,
        values: t.Mapping[str, t.Any] | None = None,
        *,
        method: str | None = None,
        external: bool = False,
        scheme: str | None = None,
        anchor: str | None = None,
    ) -> str:
        """Build the URL of ``endpoint``; see :func:`~erlen_routing.build_url`.

        :raise werkzeug.routing.BuildError: naming the values or methods that were missing.
        """
        return build_url(
            self.url_adapter(),
            endpoint,
            values,
            method=method,
            scheme=scheme,
            external=external,
            anchor=anchor,
        )

    def url_for(self, endpoint: str, /, **values: t.Any) -> str:
        """Build the URL of ``endpoint`` with ``url_for``'s arguments: rule arguments and
        query arguments as keywords, and :meth:`build`'s options as ``_anchor``, ``_method``,
        ``_scheme`` and ``_external``.

        >>> router.url_for("user", id=3, page=2, _anchor="top")  # doctest: +SKIP
        '/users/3?page=2#top'
        """
        options = {name: values.pop(f"_{name}") for name in _BUILD_OPTIONS if f"_{name}" in values}
        return self.build(endpoint, values, **options)

    def make_response(self, rv: t.Any) -> Response:
        """Turn a view's return value into a response.

        A :class:`~werkzeug.wrappers.Response` is kept; ``str`` or ``bytes`` becomes the body;
        a tuple ``(body, status)``, ``(body, headers)`` or ``(body, status, headers)`` also sets
        the status or headers.

        :raise TypeError: for any other value, such as ``None``.
        """
        status: int | str | None = None
        headers: t.Any = None
        if isinstance(rv, tuple):
            if len(rv) == 3:
                rv, status, headers = rv
            elif len(rv) == 2 and isinstance(rv[1], (int, str)):
                rv, status = rv
            elif len(rv) == 2:
                rv, headers = rv
            else:
                raise TypeError(
                    "A view returned a tuple of the wrong size; return (body, status),"
                    " (body, headers) or (body, status, headers)."
                )
        if isinstance(rv, Response):
            response = rv
        elif isinstance(rv, (str, bytes)):
            response = self.response_class(rv)
        else:
            raise TypeError(
                f"A view returned {type(rv).__name__}; return a str, bytes, Response or"
                " a (body, status, headers) tuple."
            )
        if status is not None:
            response.status = status
        if headers is not None:
            response.headers.update(headers)
        return response

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Serve a WSGI request; see :func:`erlen_routing.wsgi.serve`."""
        return serve(self, environ, start_response)
