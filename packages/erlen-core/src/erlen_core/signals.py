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

#: Each request-pipeline signal's blinker name and what it is sent with (kept as its ``__doc__``),
#: in the order of the names they are bound to below.
_REQUEST_SIGNALS = (
    ("request-started", "Sent with the app as sender when a request starts, before hooks run."),
    ("request-finished", "Sent with ``response=`` after the response is ready to send."),
    ("request-tearing-down", "Sent with ``exc=`` while the request context tears down."),
    ("got-request-exception", "Sent with ``exception=`` when an exception is unhandled."),
    ("message-flashed", "Sent with ``message=`` and ``category=`` when a message is flashed."),
)

(
    request_started,
    request_finished,
    request_tearing_down,
    got_request_exception,
    message_flashed,
) = (_signals.signal(name, doc) for name, doc in _REQUEST_SIGNALS)
