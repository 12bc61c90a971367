"""Blinker signals about the application context.

They live in this package's own :class:`blinker.Namespace`. Senders check
``signal.receivers`` first, so a signal nobody listens to costs nothing.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the app as sender right after an app context is pushed.
appcontext_pushed = _signals.signal("appcontext-pushed")
#: Sent with the app as sender right after an app context is popped.
appcontext_popped = _signals.signal("appcontext-popped")
#: Sent with the app as sender and ``exc=`` while the outermost push of an app context is torn
#: down. The application sends it from ``do_teardown_appcontext``; this package only owns it.
appcontext_tearing_down = _signals.signal("appcontext-tearing-down")
