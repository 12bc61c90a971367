"""The signal objects of :mod:`erlen_core.signals`."""

from __future__ import annotations

import blinker
import pytest

import erlen_context
import erlen_templating
from erlen_core import signals

REQUEST_SIGNALS = [
    "request_started",
    "request_finished",
    "request_tearing_down",
    "got_request_exception",
    "message_flashed",
]


@pytest.mark.parametrize("attribute", REQUEST_SIGNALS)
def test_each_name_is_bound_to_the_signal_of_that_name(attribute: str) -> None:
    signal = getattr(signals, attribute)
    assert isinstance(signal, blinker.NamedSignal)
    assert signal.name == attribute.replace("_", "-")
    assert signal.__doc__ and signal.__doc__.startswith("Sent with")


def test_signals_are_distinct_objects() -> None:
    assert len({id(getattr(signals, name)) for name in REQUEST_SIGNALS}) == len(REQUEST_SIGNALS)


def test_sibling_signals_are_re_exported_as_the_same_objects() -> None:
    assert signals.appcontext_pushed is erlen_context.appcontext_pushed
    assert signals.appcontext_popped is erlen_context.appcontext_popped
    assert signals.appcontext_tearing_down is erlen_context.appcontext_tearing_down
    assert signals.template_rendered is erlen_templating.template_rendered
    assert signals.before_render_template is erlen_templating.before_render_template
    assert signals.Namespace is blinker.Namespace
