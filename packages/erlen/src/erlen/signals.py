"""Signals: erlen's face for ``flask.signals``."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.signals import _signals as _signals
from erlen_core.signals import appcontext_popped as appcontext_popped
from erlen_core.signals import appcontext_pushed as appcontext_pushed
from erlen_core.signals import appcontext_tearing_down as appcontext_tearing_down
from erlen_core.signals import before_render_template as before_render_template
from erlen_core.signals import got_request_exception as got_request_exception
from erlen_core.signals import message_flashed as message_flashed
from erlen_core.signals import Namespace as Namespace
from erlen_core.signals import request_finished as request_finished
from erlen_core.signals import request_started as request_started
from erlen_core.signals import request_tearing_down as request_tearing_down
from erlen_core.signals import template_rendered as template_rendered

adopt(__name__)
