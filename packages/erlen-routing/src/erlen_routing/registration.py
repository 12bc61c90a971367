"""Turning ``add_url_rule`` arguments into a werkzeug rule and a view function entry.

An app's ``add_url_rule`` and :meth:`Router.add_url_rule <erlen_routing.Router.add_url_rule>`
are the same three steps: name the endpoint (:func:`endpoint_from_view_func`), create the rule
with its methods (:func:`create_rule`), and record the view under its endpoint
(:func:`register_view_function`). Each step is here once, for both.
"""

from __future__ import annotations

import typing as t

from werkzeug.routing import Rule

from .methods import rule_methods


def endpoint_from_view_func(view_func: t.Callable[..., t.Any] | None) -> str:
    """Return the endpoint name a view gets when none is given: its ``__name__``.

    :param view_func: the view function.
    :raise AssertionError: if ``view_func`` is ``None``, since then there is nothing to name
        the endpoint after (the exception type Flask raises here).
    """
    if view_func is None:
        raise AssertionError(
            "An endpoint name or a view function is required: pass endpoint='name' or a"
            " view_func to add_url_rule."
        )
    return view_func.__name__


def create_rule(
    rule_class: type[Rule],
    rule: str,
    endpoint: str | None,
    view_func: t.Callable[..., t.Any] | None,
    provide_automatic_options: bool | None = None,
    *,
    automatic_options: bool = True,
    **options: t.Any,
) -> Rule:
    """Create a rule as ``add_url_rule`` does, without adding it to any map.

    The endpoint defaults to the view's name, the methods are computed by
    :func:`~erlen_routing.rule_methods`, and the rule gets a ``provide_automatic_options``
    attribute telling dispatch whether to answer ``OPTIONS`` itself.

    :param rule_class: the :class:`~werkzeug.routing.Rule` class to instantiate.
    :param rule: the rule string, such as ``"/users/<int:id>"``.
    :param endpoint: the endpoint name, or ``None`` for the view's name.
    :param view_func: the view, used for the endpoint name and method attributes.
    :param provide_automatic_options: see :func:`~erlen_routing.rule_methods`.
    :param automatic_options: the app-wide automatic ``OPTIONS`` switch.
    :param options: passed on to the rule (``methods``, ``defaults``, ``subdomain``,
        ``host``, ``strict_slashes``, ``merge_slashes``, ``redirect_to``, ``websocket``...).
    """
    if endpoint is None:
        endpoint = endpoint_from_view_func(view_func)
    methods, provide_automatic_options = rule_methods(
        view_func,
        options.pop("methods", None),
        provide_automatic_options,
        automatic_options=automatic_options,
    )
    rule_obj = rule_class(rule, methods=methods, endpoint=endpoint, **options)
    rule_obj.provide_automatic_options = provide_automatic_options  # type: ignore[attr-defined]
    return rule_obj


def register_view_function(
    view_functions: t.MutableMapping[str, t.Callable[..., t.Any]],
    endpoint: str,
    view_func: t.Callable[..., t.Any] | None,
) -> None:
    """Record ``view_func`` as the view of ``endpoint``; ``None`` records nothing.

    :raise AssertionError: if another function already serves that endpoint. Registering the
        same function again is allowed. Give one of them a different ``endpoint`` to fix it.
    """
    if view_func is None:
        return
    old_func = view_functions.get(endpoint)
    if old_func is not None and old_func != view_func:
        raise AssertionError(
            "View function mapping is overwriting an existing endpoint function:"
            f" {endpoint}. Give the new view another endpoint name."
        )
    view_functions[endpoint] = view_func
