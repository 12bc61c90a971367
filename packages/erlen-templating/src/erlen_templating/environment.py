"""The Jinja environment of an application.

:class:`Environment` is a :class:`jinja2.Environment` that knows its application and, unless
given a loader, loads templates through the application's global loader (by default a
:class:`~erlen_templating.DispatchingJinjaLoader`). :func:`create_jinja_environment` builds the
environment an application uses, with its options, autoescaping, auto-reload, template globals
and JSON policy; filters, tests and globals registered later go into its ``filters``,
``tests`` and ``globals`` dicts as in any Jinja environment.
"""

from __future__ import annotations

import typing as t

import jinja2

from erlen_context.globals import g
from erlen_context.globals import request
from erlen_context.globals import session

if t.TYPE_CHECKING:  # pragma: no cover
    from .protocols import EnvironmentApp
    from .protocols import JinjaApp


class Environment(jinja2.Environment):
    """A Jinja environment bound to an application.

    :param app: The application; when ``options`` has no ``loader``, its
        ``create_global_jinja_loader()`` provides one.
    :param options: Any :class:`jinja2.Environment` option.
    """

    def __init__(self, app: EnvironmentApp, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        #: The application the environment belongs to.
        self.app = app


def create_jinja_environment(app: JinjaApp, **template_globals: t.Any) -> Environment:
    """Create the Jinja environment of ``app``.

    It is an instance of ``app.jinja_environment`` built with ``app.jinja_options``, where
    unset, ``autoescape`` defaults to ``app.select_jinja_autoescape`` and ``auto_reload`` to the
    ``TEMPLATES_AUTO_RELOAD`` config value or, when that is ``None``, to ``app.debug``. Its
    globals are ``template_globals`` followed by ``config``, ``request``, ``session`` and ``g``
    (the proxies, so imported templates see them too); its ``json.dumps_function`` policy, used
    by the ``tojson`` filter, is ``app.json.dumps``.

    :param app: The application.
    :param template_globals: Globals the application provides, such as ``url_for`` and
        ``get_flashed_messages``; they override the defaults above.
    """
    options = dict(app.jinja_options)
    options.setdefault("autoescape", app.select_jinja_autoescape)
    if "auto_reload" not in options:
        auto_reload = app.config["TEMPLATES_AUTO_RELOAD"]
        options["auto_reload"] = app.debug if auto_reload is None else auto_reload
    env = app.jinja_environment(app, **options)
    env.globals.update(template_globals)
    defaults = {"config": app.config, "request": request, "session": session, "g": g}
    for name, value in defaults.items():
        env.globals.setdefault(name, value)
    env.policies["json.dumps_function"] = app.json.dumps
    return env
