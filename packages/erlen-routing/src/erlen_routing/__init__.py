"""Routing for erlen, on top of :mod:`werkzeug.routing`, usable with or without an app.

Rules live in a werkzeug :class:`~werkzeug.routing.Map`, so converters (``string``, ``int``,
``float``, ``path``, ``uuid``, ``any`` and custom ones in ``url_map.converters``), defaults,
strict slashes, hosts and subdomains work exactly as werkzeug defines them. This package adds
what a Flask-style framework puts around the map:

- :func:`endpoint_from_view_func`, :func:`rule_methods`, :func:`create_rule` and
  :func:`register_view_function`: the steps of ``add_url_rule``, including automatic ``HEAD``
  (from werkzeug) and ``OPTIONS``.
- :class:`AdapterFactory`: per-request map adapters equal to ``Map.bind_to_environ``'s, with
  the binding computed once per host and kept in a bounded cache
  (:mod:`erlen_routing.adapters` is the pure part, :mod:`erlen_routing.wsgi` the environ part).
- :func:`build_url` and :func:`append_anchor`: ``url_for`` around ``MapAdapter.build``.
- :class:`Map`: a werkzeug map whose matching does less work per request
  (:mod:`erlen_routing.matching`).
- :exc:`IncompatibleWerkzeug`: raised at import when a Werkzeug release lacks a detail of its
  URL matcher that :class:`Map` relies on (:mod:`erlen_routing.internals` names them).
- :class:`Router`: all of the above behind route decorators, ``match``, ``url_for`` and a
  WSGI ``__call__``, for code that has no application.

An application uses the helpers; a script uses the router::

    from erlen_routing import Router

    router = Router()

    @router.get("/hello/<name>")
    def hello(request, name):
        return f"Hello, {name}!"

    assert router.match("/hello/erlen").args == {"name": "erlen"}
"""

from __future__ import annotations

from .adapters import AdapterCache as AdapterCache
from .adapters import request_binding as request_binding
from .building import append_anchor as append_anchor
from .building import build_url as build_url
from .building import check_scheme as check_scheme
from .internals import incompatible_werkzeug as incompatible_werkzeug
from .internals import IncompatibleWerkzeug as IncompatibleWerkzeug
from .matching import Map as Map
from .methods import rule_methods as rule_methods
from .registration import create_rule as create_rule
from .registration import endpoint_from_view_func as endpoint_from_view_func
from .registration import register_view_function as register_view_function
from .router import RouteMatch as RouteMatch
from .router import Router as Router
from .wsgi import AdapterFactory as AdapterFactory
from .wsgi import RequestRoute as RequestRoute
from .wsgi import wsgi_text as wsgi_text
