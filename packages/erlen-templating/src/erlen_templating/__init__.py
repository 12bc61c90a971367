"""Jinja2 templates for erlen applications.

An application creates its :class:`Environment` with :func:`create_jinja_environment`; the
environment finds templates through a :class:`DispatchingJinjaLoader`, which searches the
application's template folder, then every blueprint's. Views then call::

    from erlen_templating import render_template

    return render_template("hello.html", name=name)

which renders with the current application (see :mod:`erlen_context`), after its context
processors filled in the template context. Templates from files ending in ``.html``, ``.htm``,
``.xml``, ``.xhtml`` or ``.svg``, and template strings, are autoescaped by default.

This package imports no application: :mod:`erlen_templating.protocols` lists what it uses from
one. The template signals live in :mod:`erlen_templating.signals`.
"""

import typing as t

from .rendering import _default_template_ctx_processor as _default_template_ctx_processor
from .rendering import default_template_context as default_template_context
from .rendering import render_template as render_template
from .rendering import render_template_string as render_template_string
from .rendering import stream_template as stream_template
from .rendering import stream_template_string as stream_template_string
from .signals import before_render_template as before_render_template
from .signals import template_rendered as template_rendered

if t.TYPE_CHECKING:
    from .environment import create_jinja_environment as create_jinja_environment
    from .environment import Environment as Environment
    from .loaders import DispatchingJinjaLoader as DispatchingJinjaLoader
    from .loaders import explain_template_loading_attempts as explain_template_loading_attempts

#: The names whose modules are imported on first use, with their module: they import jinja2,
#: which an application that renders no template never needs.
_LAZY = {
    "create_jinja_environment": "environment",
    "Environment": "environment",
    "DispatchingJinjaLoader": "loaders",
    "explain_template_loading_attempts": "loaders",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
