"""Which HTTP methods a rule answers, and whether it answers ``OPTIONS`` by itself.

This is the method logic of ``add_url_rule``: an app and the standalone
:class:`~erlen_routing.Router` both run it before they create a rule, so the two agree on
every rule they register. Werkzeug adds ``HEAD`` to any rule that has ``GET``; this module adds
``OPTIONS`` when automatic options are on.
"""

from __future__ import annotations

import typing as t

#: The methods a rule gets when neither the caller nor the view says otherwise.
DEFAULT_METHODS: tuple[str, ...] = ("GET",)


def rule_methods(
    view_func: t.Callable[..., t.Any] | None,
    methods: t.Iterable[str] | None,
    provide_automatic_options: bool | None,
    *,
    automatic_options: bool = True,
) -> tuple[set[str], bool]:
    """Compute the method set of a new rule and whether it provides automatic ``OPTIONS``.

    :param view_func: the view the rule dispatches to. Its optional attributes ``methods``
        (used when ``methods`` is ``None``), ``required_methods`` (always added) and
        ``provide_automatic_options`` (used when the argument is ``None``) are honoured.
    :param methods: the methods given to ``route`` or ``add_url_rule``; ``None`` means the
        view's ``methods`` attribute, else ``GET`` only. Names are upper-cased.
    :param provide_automatic_options: force automatic ``OPTIONS`` on or off; ``None`` decides
        from the view, then from ``automatic_options``.
    :param automatic_options: the app-wide switch (``PROVIDE_AUTOMATIC_OPTIONS``): when true
        and the rule does not list ``OPTIONS`` itself, the rule answers ``OPTIONS``
        automatically and ``OPTIONS`` is added to its methods.
    :return: ``(methods, provide_automatic_options)``.
    :raise TypeError: if ``methods`` is a single string instead of a collection.
    """
    if methods is None:
        methods = getattr(view_func, "methods", None) or DEFAULT_METHODS
    if isinstance(methods, str):
        raise TypeError(
            "Allowed methods must be a list of strings, for example:"
            f' @app.route(..., methods=["POST"]), not methods={methods!r}.'
        )
    result = {item.upper() for item in methods}
    required: set[str] = set(getattr(view_func, "required_methods", ()))

    if provide_automatic_options is None:
        provide_automatic_options = getattr(view_func, "provide_automatic_options", None)
    if provide_automatic_options is None:
        # Decided on the listed methods only: a view that merely *requires* OPTIONS still
        # gets the automatic answer.
        provide_automatic_options = automatic_options and "OPTIONS" not in result
        if provide_automatic_options:
            required.add("OPTIONS")
    return result | required, bool(provide_automatic_options)
