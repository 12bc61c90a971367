"""erlen: a Flask-compatible web framework built from small packages.

This umbrella package is the one API most users import. It holds no logic of its own: every name
comes from the package that owns it (erlen-core, erlen-routing, erlen-context, erlen-sessions,
erlen-templating, erlen-cli, erlen-testing, erlen-blueprints), and its submodules mirror Flask's
module tree (``erlen.app``, ``erlen.globals``, ``erlen.json.provider`` …).

``Erlen`` is the application class; ``Flask`` is the same class under Flask's name.
:func:`install_as_flask` makes ``import flask`` resolve to erlen, so Flask apps, extensions and
their tests run unchanged.
"""

from __future__ import annotations

import typing as t

from erlen_context import after_this_request as after_this_request
from erlen_context import copy_current_request_context as copy_current_request_context
from erlen_context import current_app as current_app
from erlen_context import g as g
from erlen_context import has_app_context as has_app_context
from erlen_context import has_request_context as has_request_context
from erlen_context import request as request
from erlen_context import session as session
from erlen_core import Config as Config
from erlen_core import Erlen as Erlen
from erlen_core import Flask as Flask
from erlen_core import Request as Request
from erlen_core import Response as Response
from erlen_core.helpers import abort as abort
from erlen_core.helpers import flash as flash
from erlen_core.helpers import get_flashed_messages as get_flashed_messages
from erlen_core.helpers import get_template_attribute as get_template_attribute
from erlen_core.helpers import make_response as make_response
from erlen_core.helpers import redirect as redirect
from erlen_core.helpers import send_file as send_file
from erlen_core.helpers import send_from_directory as send_from_directory
from erlen_core.helpers import stream_with_context as stream_with_context
from erlen_core.helpers import url_for as url_for
from erlen_core.json import jsonify as jsonify
from erlen_core.signals import appcontext_popped as appcontext_popped
from erlen_core.signals import appcontext_pushed as appcontext_pushed
from erlen_core.signals import appcontext_tearing_down as appcontext_tearing_down
from erlen_core.signals import before_render_template as before_render_template
from erlen_core.signals import got_request_exception as got_request_exception
from erlen_core.signals import message_flashed as message_flashed
from erlen_core.signals import request_finished as request_finished
from erlen_core.signals import request_started as request_started
from erlen_core.signals import request_tearing_down as request_tearing_down
from erlen_core.signals import template_rendered as template_rendered
from erlen_templating import render_template as render_template
from erlen_templating import render_template_string as render_template_string
from erlen_templating import stream_template as stream_template
from erlen_templating import stream_template_string as stream_template_string

if t.TYPE_CHECKING:
    from erlen_blueprints import Blueprint as Blueprint
    from erlen_core.sse import event_stream as event_stream
    from erlen_core.websockets import websocket as websocket

    from . import json as json
    from ._alias import install_as_flask as install_as_flask

#: Names imported when first read, with their module, so that an app which does not use them
#: does not hold their code: blueprints, ``install_as_flask`` (which loads every face), the
#: ``json`` face (a module, like Flask's ``flask.json``), and the WebSocket and
#: server-sent-event helpers (which bring :mod:`asyncio` and the ASGI adapter).
_ON_FIRST_USE = {
    "Blueprint": "erlen_blueprints",
    "event_stream": "erlen_core.sse",
    "install_as_flask": "erlen._alias",
    "json": "erlen.json",
    "websocket": "erlen_core.websockets",
}


def __getattr__(name: str) -> t.Any:
    """The names of :data:`_ON_FIRST_USE`, imported (and kept) when first read; and
    ``__version__``, deprecated as in Flask 3.1: the version ``importlib.metadata`` reports
    for ``flask`` once :func:`install_as_flask` ran, erlen's own before.
    """
    import importlib
    import sys

    if name in _ON_FIRST_USE:
        module = importlib.import_module(_ON_FIRST_USE[name])
        value = module if module.__name__ == f"{__name__}.{name}" else getattr(module, name)
        # Not globals(): the submodule erlen.globals shadows that name here.
        setattr(sys.modules[__name__], name, value)
        return value
    if name != "__version__":
        raise AttributeError(f"module 'erlen' has no attribute {name!r}")
    import importlib.metadata
    import warnings

    warnings.warn(
        "'__version__' is deprecated, as in Flask 3.1. Read the version with"
        " importlib.metadata.version('flask') (or 'erlen'), or test for the feature you need.",
        DeprecationWarning,
        stacklevel=2,
    )
    installed_as_flask = sys.modules.get("flask") is sys.modules[__name__]
    return importlib.metadata.version("flask" if installed_as_flask else "erlen")
