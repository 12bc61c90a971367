"""Blinker signals sent around template rendering.

They live in this package's own :class:`blinker.Namespace`. Both are sent with the app as
sender and ``template=`` and ``context=`` keyword arguments, and only when they have receivers.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent before a template renders, once the context processors have filled its context.
before_render_template = _signals.signal("before-render-template")
#: Sent after a template rendered; for a stream, after its last chunk.
template_rendered = _signals.signal("template-rendered")
