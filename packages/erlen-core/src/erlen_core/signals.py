"""Blinker signals sent while the application handles requests.

Each erlen package owns the signals it sends, in its own :class:`blinker.Namespace`. This module
holds those of the request pipeline and re-exports the context and template signals, so every
signal Flask offers from ``flask.signals`` is importable from one place. A signal without
receivers costs nothing: the app checks ``signal.receivers`` before sending.
"""

from __future__ import annotations

from blinker import Namespace as Namespace

from erlen_context import appcontext_popped as appcontext_popped
from erlen_context import appcontext_pushed as appcontext_pushed
from erlen_context import appcontext_tearing_down as appcontext_tearing_down
from erlen_templating import before_render_template as before_render_template
from erlen_templating import template_rendered as template_rendered

_signals = Namespace()

#: Sent with the app as sender when a request starts, before ``before_request`` functions run.
request_started = _signals.signal("request-started")
#: Sent with ``response=`` after the response is ready to send.
request_finished = _signals.signal("request-finished")
#: Sent with ``exc=`` while the request context tears down, even after an error.
request_tearing_down = _signals.signal("request-tearing-down")
#: Sent with ``exception=`` when an unhandled exception reaches :meth:`handle_exception`.
got_request_exception = _signals.signal("got-request-exception")
#: Sent with ``message=`` and ``category=`` when :func:`erlen_core.helpers.flash` stores a message.
message_flashed = _signals.signal("message-flashed")
