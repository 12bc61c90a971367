"""URL adapters and URL building for an app.

:func:`create_url_adapter` binds the app's URL map to a request (matching) or, outside one, to
``SERVER_NAME`` (building); the work of binding is cached per host by erlen-routing's
:class:`~erlen_routing.AdapterFactory`. :func:`url_for` builds a URL with the adapter of the
current request or app context.
"""

from __future__ import annotations

import typing as t

from werkzeug.routing import BuildError
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.wsgi import get_host

from erlen_context import app_context_var
from erlen_context import request_context_var
from erlen_routing import AdapterFactory
from erlen_routing import append_anchor

if t.TYPE_CHECKING:
    from .app import Erlen
    from .wrappers import Request

_NO_ADAPTER = (
    "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also"
    " configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed."
)


def adapter_factory(app: Erlen, warning_module: str) -> AdapterFactory:
    """The adapter cache of ``app.url_map``, replaced when the map itself is replaced."""
    factory = app._adapters
    if factory is None or factory.url_map is not app.url_map:
        factory = AdapterFactory(app.url_map, warning_module=warning_module)
        object.__setattr__(app, "_adapters", factory)
    return factory


def check_host(app: Erlen, request: Request) -> None:
    """Apply ``TRUSTED_HOSTS``: a host not trusted raises SecurityError (400)."""
    trusted = app.config["TRUSTED_HOSTS"]
    if trusted is not None:
        request.trusted_hosts = trusted
    if request.trusted_hosts is not None:
        request.host = get_host(request.environ, request.trusted_hosts)


def create_url_adapter(
    app: Erlen, request: Request | None, warning_module: str
) -> MapAdapter | None:
    """See :meth:`erlen_core.Erlen.create_url_adapter`."""
    config = app.config
    if request is None:
        if config["SERVER_NAME"] is None:
            return None
        return adapter_factory(app, warning_module).bind(
            config["SERVER_NAME"],
            script_name=config["APPLICATION_ROOT"],
            url_scheme=config["PREFERRED_URL_SCHEME"],
        )
    check_host(app, request)
    return adapter_factory(app, warning_module).for_request(
        request, config["SERVER_NAME"], app.subdomain_matching
    )


def raise_routing_exception(app: Erlen, request: Request) -> t.NoReturn:
    """See :meth:`erlen_core.Erlen.raise_routing_exception`."""
    exc = request.routing_exception
    assert exc is not None
    drops_body = (
        isinstance(exc, RequestRedirect)
        and exc.code not in (307, 308)
        and request.method not in ("GET", "HEAD", "OPTIONS")
    )
    if app.debug and drops_body:
        from .debughelpers import FormDataRoutingRedirect

        raise FormDataRoutingRedirect(request)
    raise exc


def _context_adapter(
    app: Erlen, endpoint: str, external: bool | None, scheme: str | None
) -> tuple[MapAdapter, str, bool]:
    """The adapter to build with, the endpoint resolved against the request's blueprint, and
    whether the URL is external by default.
    """
    req_ctx = request_context_var.get(None)
    if req_ctx is not None:
        if endpoint.startswith("."):
            blueprint = req_ctx.request.blueprint
            endpoint = endpoint[1:] if blueprint is None else blueprint + endpoint
        adapter = t.cast(MapAdapter, req_ctx.url_adapter)
        return adapter, endpoint, scheme is not None if external is None else external
    app_ctx = app_context_var.get(None)
    found = app_ctx.url_adapter if app_ctx is not None else app.create_url_adapter(None)
    if found is None:
        raise RuntimeError(_NO_ADAPTER)
    return found, endpoint, True if external is None else external


def url_for(app: Erlen, endpoint: str, values: dict[str, t.Any]) -> str:
    """See :meth:`erlen_core.Erlen.url_for`.

    :param values: The rule arguments and the ``_anchor``, ``_method``, ``_scheme`` and
        ``_external`` controls, which are taken out.
    """
    anchor: str | None = values.pop("_anchor", None)
    method: str | None = values.pop("_method", None)
    scheme: str | None = values.pop("_scheme", None)
    external: bool | None = values.pop("_external", None)
    adapter, endpoint, external = _context_adapter(app, endpoint, external, scheme)
    if scheme is not None and not external:
        raise ValueError("When specifying '_scheme', '_external' must be True.")
    app.inject_url_defaults(endpoint, values)
    try:
        url = adapter.build(
            endpoint, values, method=method, url_scheme=scheme, force_external=external
        )
    except BuildError as error:
        values.update(_anchor=anchor, _method=method, _scheme=scheme, _external=external)
        return app.handle_url_build_error(error, endpoint, values)
    return url if anchor is None else append_anchor(url, anchor)
