"""The request plan: what an app does for a request, worked out once.

Flask walks the blueprint chain and asks every registry on every request. erlen asks once: a
:class:`Plan`, prepared per app and per blueprint chain (the ``request.blueprint`` of a
request), holds

- the steps of :mod:`erlen_core.pipeline` to call, each the pipeline's own function or, when the
  app overrides the public method on its class or instance, a call of that override;
- the hooks in the order Flask runs them, and the error-handler lookup (cached per class);
- which request signals have receivers, whether the session interface allows the cheap
  "no cookie, nothing to save" answer, and whether anything could observe a response object.

:func:`plan_for` hands out the plan of a chain and rebuilds the plans of an app when they are
stale: when the app's registries changed (their shared
:class:`~erlen_core.sansio.registries.Stamp` moved), when one of the attributes the plan reads
was assigned on the app (``app.make_response = f``, ``app.session_interface = ...``), or when a
receiver was connected to or disconnected from a request signal the plan looks at.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import HTTPException

from erlen_sessions import SecureCookieSessionInterface

from .helpers import _split_blueprint_path
from .json.provider import DefaultJSONProvider
from .sansio.registries import find_error_handler
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from .steps import call_of
from .steps import Steps
from .wrappers import Request
from .wrappers import Response

if t.TYPE_CHECKING:
    from .app import Erlen

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: How a step is called: a generator of :mod:`erlen_core.steps` (``yield from step(...)``),
#: a function returning the one :data:`~erlen_core.steps.Call` the step is (``yield step(...)``),
#: or a plain function that calls no application code.
StepKind = t.Literal["steps", "call", "plain"]

#: The public methods the pipeline calls as steps: whether the step's implementation takes the
#: plan after the app (the override of a public method never does), and the step's kind.
STEPS: dict[str, tuple[bool, StepKind]] = {
    "full_dispatch_request": (True, "steps"),
    "preprocess_request": (True, "steps"),
    "dispatch_request": (False, "call"),
    "handle_user_exception": (True, "steps"),
    "handle_http_exception": (True, "steps"),
    "handle_exception": (True, "steps"),
    "make_response": (False, "plain"),
    "process_response": (True, "steps"),
    "finalize_request": (True, "steps"),
}

#: Attributes of an app whose assignment makes its plans stale.
PLAN_INPUTS = frozenset(
    (*STEPS, "session_interface", "response_class", "request_class", "json", "ensure_sync")
)


def implemented_by(impl: t.Callable[..., t.Any]) -> t.Callable[[F], F]:
    """Mark a public method of the app as the face of a pipeline step implemented by ``impl``.

    The plan calls ``impl`` directly as long as the app does not override the method.
    """

    def mark(method: F) -> F:
        method.__erlen_step__ = (impl, method)  # type: ignore[attr-defined]
        return method

    return mark


def _forward(name: str, takes_plan: bool, kind: StepKind) -> t.Callable[..., t.Any]:
    """A step that calls the app's own (overriding) public method ``name``: as a call the
    step asks its driver for, or, for a plain step, directly.
    """
    if kind == "plain":
        return lambda app, *args: getattr(app, name)(*args)
    if kind == "call":
        return lambda app, *args: call_of(getattr(app, name), args[1:] if takes_plan else args)

    def step(app: Erlen, *args: t.Any) -> Steps[t.Any]:
        return (yield call_of(getattr(app, name), args[1:] if takes_plan else args))

    return step


def bound_to(app: Erlen, name: str, func: t.Callable[..., t.Any]) -> bool:
    """Whether ``app.<name>`` is ``func`` bound to ``app``: replaced neither on the app's class
    nor on the app. (Asked without reading ``app.__dict__``, which would slow every attribute
    read on the app down on CPython 3.11.)
    """
    method = getattr(app, name)
    return getattr(method, "__func__", None) is func and method.__self__ is app


def _resolve(
    app: Erlen, name: str, takes_plan: bool, kind: StepKind
) -> tuple[t.Callable[..., t.Any], bool]:
    """The step for public method ``name`` of ``app``, and whether it is the app's override."""
    method = getattr(type(app), name)
    mark = getattr(method, "__erlen_step__", None)
    if mark is not None and mark[1] is method and bound_to(app, name, method):
        return mark[0], False
    return _forward(name, takes_plan, kind), True


class _SignalWatch:
    """Counts connections and disconnections of receivers of the signals a plan looks at."""

    version = 0

    @classmethod
    def changed(cls, *args: t.Any, **kwargs: t.Any) -> None:
        # Sent as (signal, receiver=..., sender=..., ...): all that matters is that it came.
        cls.version += 1


for _signal in (request_started, request_finished, request_tearing_down):
    _signal.receiver_connected.connect(_SignalWatch.changed, weak=False)
    _signal.receiver_disconnected.connect(_SignalWatch.changed, weak=False)

_cookie_should_open_for_save = SecureCookieSessionInterface.should_open_for_save


class Plan:
    """What the pipeline does for requests of one app and blueprint chain.

    :param app: The application.
    :param blueprint: The dotted blueprint name of the requests (``None`` for app routes).
    :param shared: The app-wide part, :attr:`Plans.shared`.
    """

    # The app-wide part, the same in every plan of a generation (Plans.shared).
    full_dispatch_request: t.Callable[..., t.Any]
    preprocess_request: t.Callable[..., t.Any]
    dispatch_request: t.Callable[..., t.Any]
    handle_user_exception: t.Callable[..., t.Any]
    handle_http_exception: t.Callable[..., t.Any]
    make_response: t.Callable[..., t.Any]
    process_response: t.Callable[..., t.Any]
    finalize_request: t.Callable[..., t.Any]
    handle_exception: t.Callable[..., t.Any]
    full_dispatch_overridden: bool
    preprocess_overridden: bool
    started_receivers: bool
    finished_receivers: bool
    tearing_down_receivers: bool
    encodes_json: bool
    observed: bool
    cookie_shortcut: bool
    sync_functions: set[t.Callable[..., t.Any]] | None

    def __init__(self, app: Erlen, blueprint: str | None, shared: dict[str, t.Any]) -> None:
        for name, value in shared.items():
            # Not through __dict__, which would make every attribute read of the plan slower.
            setattr(self, name, value)
        #: The blueprint names of the chain, innermost first.
        self.blueprints = _split_blueprint_path(blueprint) if blueprint else []
        outer_first = (None, *reversed(self.blueprints))
        inner_first = (*self.blueprints, None)

        def in_order(registry: t.Mapping[t.Any, list[t.Any]], reverse: bool) -> tuple[t.Any, ...]:
            scopes = inner_first if reverse else outer_first
            funcs = (registry.get(scope) or () for scope in scopes)
            return tuple(f for fs in funcs for f in (reversed(fs) if reverse else fs))

        #: URL value preprocessors, app first, then outer to inner blueprint.
        self.url_value_preprocessors = in_order(app.url_value_preprocessors, False)
        #: ``before_request`` functions in the same order.
        self.before = in_order(app.before_request_funcs, False)
        #: ``after_request`` functions: inner blueprint to app, each scope newest first.
        self.after = in_order(app.after_request_funcs, True)
        #: ``teardown_request`` functions in the same order.
        self.teardown = in_order(app.teardown_request_funcs, True)
        #: Template context processors, app first.
        self.context_processors = in_order(app.template_context_processors, False)
        #: Whether the ``preprocess_request`` step has anything to do.
        self.preprocess = bool(
            self.preprocess_overridden or self.url_value_preprocessors or self.before
        )
        #: Whether nothing runs before the view: no ``request_started`` receivers, nothing to
        #: preprocess, ``full_dispatch_request`` not overridden.
        self.bare = not (self.full_dispatch_overridden or self.started_receivers or self.preprocess)
        #: Whether a response object could be seen by anything but the server: then the
        #: pipeline always builds one.
        self.observed = bool(self.observed or self.after)
        self._spec = app.error_handler_spec
        self._scopes = inner_first
        self._handlers: dict[type[BaseException], t.Any] = {}

    def error_handler(self, exc_class: type[BaseException]) -> t.Any | None:
        """The registered handler of an exception class for this chain, or ``None``."""
        try:
            return self._handlers[exc_class]
        except KeyError:
            code = exc_class.code if issubclass(exc_class, HTTPException) else None
            found = find_error_handler(self._spec, exc_class, code, self._scopes)
            self._handlers[exc_class] = found
            return found


class Plans:
    """One generation of an app's plans: the app-wide part, the plans per blueprint chain made
    from it so far, and the versions it was made at. A stale generation is replaced whole, so a
    thread still holding the old one never mixes the two.

    :param app: The application.
    """

    def __init__(self, app: Erlen) -> None:
        # Versions first: a change while this is being made leaves the generation stale.
        #: The app's registry stamp when this generation was made.
        self.registry_version = app._stamp.version
        #: The signal watch's count when this generation was made.
        self.signal_version = _SignalWatch.version
        #: The ``SESSION_BACKEND`` config when this generation was made (it chooses the
        #: session interface unless one is assigned).
        self.session_backend = app.config.get("SESSION_BACKEND")
        #: The plans made so far, by ``request.blueprint``.
        self.by_chain: dict[str | None, Plan] = {}
        #: The part of every plan that does not depend on the blueprint chain.
        self.shared = self._app_wide(app)
        #: Whether the session interface opens sessions when first used (``lazy_open``).
        self.lazy_sessions = bool(getattr(type(app.session_interface), "lazy_open", False))
        #: The plans found for requests so far, by the endpoint of their rule; kept while
        #: ``request.blueprint`` is erlen's own, which derives the chain from the endpoint.
        self.by_endpoint: dict[str | None, Plan] | None = (
            {} if app.request_class.blueprint is Request.blueprint else None
        )

    def for_chain(self, app: Erlen, blueprint: str | None) -> Plan:
        """The plan of this generation for the blueprint chain ``blueprint``."""
        plan = self.by_chain.get(blueprint)
        if plan is None:
            plan = self.by_chain[blueprint] = Plan(app, blueprint, self.shared)
        return plan

    def for_request(self, app: Erlen, request: Request) -> Plan:
        """The plan of this generation for ``request``: that of its ``request.blueprint``."""
        by_endpoint = self.by_endpoint
        if by_endpoint is None:
            return self.for_chain(app, request.blueprint)
        rule = request.url_rule
        endpoint = None if rule is None else rule.endpoint
        plan = by_endpoint.get(endpoint)
        if plan is None:
            plan = by_endpoint[endpoint] = self.for_chain(app, request.blueprint)
        return plan

    @staticmethod
    def _app_wide(app: Erlen) -> dict[str, t.Any]:
        shared: dict[str, t.Any] = {}
        overridden = set()
        for name, (takes_plan, kind) in STEPS.items():
            shared[name], replaced = _resolve(app, name, takes_plan, kind)
            if replaced:
                overridden.add(name)
        shared["full_dispatch_overridden"] = "full_dispatch_request" in overridden
        shared["preprocess_overridden"] = "preprocess_request" in overridden
        shared["started_receivers"] = bool(request_started.receivers)
        shared["finished_receivers"] = bool(request_finished.receivers)
        shared["tearing_down_receivers"] = bool(request_tearing_down.receivers)
        shared["observed"] = bool(
            shared["finished_receivers"]
            or not overridden.isdisjoint(("make_response", "process_response", "finalize_request"))
            or app.response_class is not Response
        )
        provider = app.json
        shared["encodes_json"] = type(provider).response is DefaultJSONProvider.response and (
            hasattr(provider, "_response_text")
        )
        interface = app.session_interface
        # Without a Cookie header the default interface never saves: answered before asking.
        shared["cookie_shortcut"] = (
            type(interface).should_open_for_save is _cookie_should_open_for_save
            and app.request_class.cookies is Request.cookies
        )
        from .app import Erlen  # which imports this module

        # While ensure_sync is the app's own, a plain function it returned unchanged once is
        # called directly after (see steps.perform); an override is asked every time.
        own = bound_to(app, "ensure_sync", Erlen.ensure_sync)
        shared["sync_functions"] = set() if own else None
        return shared


def plans_of(app: Erlen) -> Plans:
    """The current generation of plans of ``app``, made anew when the last one is stale."""
    plans = app._plans
    if (
        plans is None
        or plans.registry_version != app._stamp.version
        or plans.signal_version != _SignalWatch.version
        or plans.session_backend is not app.config.get("SESSION_BACKEND")
    ):
        plans = Plans(app)
        object.__setattr__(app, "_plans", plans)
    return plans


def plan_for(app: Erlen, blueprint: str | None) -> Plan:
    """The current plan of ``app`` for requests of the blueprint chain ``blueprint``.

    :param app: The application.
    :param blueprint: ``request.blueprint``: a dotted blueprint name, or ``None``.
    """
    return plans_of(app).for_chain(app, blueprint)


def plan_of_request(app: Erlen, request: Request) -> Plan:
    """The current plan of ``app`` for ``request`` (of its ``request.blueprint``)."""
    return plans_of(app).for_request(app, request)
