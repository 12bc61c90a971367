"""The details of Werkzeug's URL matcher that :mod:`erlen_routing.matching` stands on.

Werkzeug documents its routing ``Map`` and ``Rule`` but not the state machine inside them.
:class:`~erlen_routing.Map` walks that state machine itself, which makes a match several times
cheaper (see docs/performance.md), so it relies on a few of its undocumented details. They are
all named here, and checked once when erlen-routing is imported: a Werkzeug release that
reshapes them stops the program at start-up with a message naming the detail and the tested
range, instead of failing deep inside the first request.

The details: the module ``werkzeug.routing.matcher`` with ``StateMachineMatcher`` (its
``_root`` state, built by ``add`` and ``update``), ``State`` (``static``, ``dynamic``,
``rules``) and ``SlashRequired``; the parts in ``State.dynamic`` (``content``, ``final``,
``suffixed``) whose regular expressions name their groups ``__werkzeug_<n>``; ``Rule._converters``;
and ``Map._matcher``.
"""

from __future__ import annotations

import importlib.metadata
import re
import typing as t

from werkzeug.routing import Map as _ProbeMap
from werkzeug.routing import Rule as _ProbeRule


def _tested_range() -> str:
    """The Werkzeug versions erlen-routing's metadata allows: those its CI tests (the lowest and
    the newest release of the range)."""
    for requirement in importlib.metadata.requires("erlen-routing") or ():
        match = re.match(r"werkzeug\s*([<>=!~][^;]*)", requirement, re.IGNORECASE)
        if match:
            return ",".join(sorted(match[1].replace(" ", "").split(","), reverse=True))
    return ""


def __getattr__(name: str) -> str:
    """``TESTED_RANGE``: the Werkzeug versions erlen-routing is tested with, from its metadata,
    e.g. ``>=3.1.8,<3.2``. Read on use, since reading the metadata costs every start-up.
    """
    if name != "TESTED_RANGE":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _tested_range()


#: The prefix Werkzeug gives the regular expression group of each converter.
GROUP_PREFIX = "__werkzeug_"


class IncompatibleWerkzeug(RuntimeError):
    """The installed Werkzeug lacks a detail of its URL matcher that erlen-routing needs."""


def incompatible_werkzeug(package: str, detail: str) -> IncompatibleWerkzeug:
    """The error to raise when the installed Werkzeug lacks ``detail``, which the erlen
    distribution ``package`` relies on: it names both, and the tested range."""
    version = importlib.metadata.version("werkzeug")
    tested = _tested_range()
    return IncompatibleWerkzeug(
        f"{package} needs {detail} from Werkzeug, and Werkzeug {version} does not have it."
        f" erlen is tested with werkzeug{tested}: install a version in that range, for"
        f" example pip install 'werkzeug{tested}'."
    )


def _refuse(detail: str) -> t.NoReturn:
    raise incompatible_werkzeug("erlen-routing", f"{detail} (of its URL matcher)")


try:
    from werkzeug.routing.matcher import SlashRequired as SlashRequired
    from werkzeug.routing.matcher import State as State
    from werkzeug.routing.matcher import StateMachineMatcher as StateMachineMatcher
except ImportError as error:
    _refuse(f"werkzeug.routing.matcher's StateMachineMatcher, State and SlashRequired ({error})")


def _probe() -> None:
    """Build a small map the way Werkzeug does and look at every detail in it."""
    try:
        probe = _ProbeMap([_ProbeRule("/probe/<int:n>", endpoint="probe")])
        probe.update()
    except (AttributeError, TypeError) as error:
        _refuse(f"a state machine it can build ({type(error).__name__}: {error})")
    matcher = getattr(probe, "_matcher", None)
    if not isinstance(matcher, StateMachineMatcher):
        _refuse("Map._matcher, a StateMachineMatcher")
    root = getattr(matcher, "_root", None)
    if not isinstance(root, State):
        _refuse("StateMachineMatcher._root, a State")
    for name in ("static", "dynamic", "rules"):
        if not hasattr(root, name):
            _refuse(f"State.{name}")
    states = [root]
    while states and not any(state.dynamic for state in states):
        states = [following for state in states for following in state.static.values()]
    if not states:
        _refuse("State.dynamic holding the converter parts")
    part, _ = next(dynamic for state in states for dynamic in state.dynamic)
    for name in ("content", "final", "suffixed"):
        if not hasattr(part, name):
            _refuse(f"the rule part attribute {name!r}")
    if not any(name.startswith(GROUP_PREFIX) for name in re.compile(part.content).groupindex):
        _refuse(f"converter groups named {GROUP_PREFIX}<n>")
    rule = next(iter(probe.iter_rules()))
    if not isinstance(getattr(rule, "_converters", None), dict):
        _refuse("Rule._converters, a dict")


_probe()
