"""The request plan: built once, rebuilt when stale, and overrides replace their steps."""

from __future__ import annotations

import functools
import typing as t

from werkzeug.exceptions import NotFound

from erlen_core import Erlen
from erlen_core.plan import plan_for
from erlen_core.plan import plans_of
from erlen_core.signals import request_finished
from erlen_core.signals import request_started
from erlen_core.signals import request_tearing_down
from erlen_core.wrappers import Request
from erlen_core.wrappers import Response


def hello(app: Erlen) -> Erlen:
    app.add_url_rule("/", "index", lambda: "hello")
    return app


def test_plan_is_reused_until_something_changes(app: Erlen) -> None:
    hello(app)
    first = plan_for(app, None)
    assert plan_for(app, None) is first
    assert app.test_client().get("/").data == b"hello"
    assert plan_for(app, None) is first
    app.teardown_request_funcs[None].append(lambda exc: None)
    assert plan_for(app, None) is not first


def test_plans_follow_the_session_backend_config(app: Erlen) -> None:
    first = plans_of(hello(app))
    assert plans_of(app) is first
    app.config["SESSION_BACKEND"] = "memory"
    second = plans_of(app)
    assert second is not first
    assert not second.shared["cookie_shortcut"]  # the server-side interface is asked


def test_registry_changes_after_the_first_request_are_seen(app: Erlen) -> None:
    client = hello(app).test_client()
    assert client.get("/").data == b"hello"
    app.before_request_funcs[None].append(lambda: "before")
    assert client.get("/").data == b"before"
    app.before_request_funcs[None].clear()
    app.after_request_funcs.setdefault(None, []).append(lambda r: Response("after"))
    assert client.get("/").data == b"after"


def test_error_handler_added_late_is_found(app: Erlen) -> None:
    client = hello(app).test_client()
    assert client.get("/missing").status_code == 404
    app.error_handler_spec[None][404][NotFound] = lambda e: ("handled", 404)
    assert client.get("/missing").data == b"handled"


def test_instance_overrides_replace_their_step(app: Erlen) -> None:
    client = hello(app).test_client()
    assert client.get("/").data == b"hello"
    app.dispatch_request = lambda: "own view"  # type: ignore[method-assign]
    assert client.get("/").data == b"own view"
    app.make_response = lambda rv: Response(f"made {rv}")  # type: ignore[method-assign]
    assert client.get("/").data == b"made own view"
    del app.make_response
    del app.dispatch_request
    assert client.get("/").data == b"hello"


def test_instance_error_step_override(app: Erlen) -> None:
    client = hello(app).test_client()
    app.handle_http_exception = lambda e: f"own {e.code}"  # type: ignore[method-assign,assignment]
    assert client.get("/missing").data == b"own 404"
    app.handle_user_exception = lambda e: "user"  # type: ignore[method-assign,assignment]
    assert client.get("/missing").data == b"user"


def test_class_overrides_are_called_with_super() -> None:
    calls: list[str] = []

    class Own(Erlen):
        def preprocess_request(self) -> t.Any:
            calls.append("preprocess")
            return super().preprocess_request()

        def full_dispatch_request(self) -> Response:
            calls.append("full")
            return super().full_dispatch_request()

        def finalize_request(self, rv: t.Any, from_error_handler: bool = False) -> Response:
            calls.append("finalize")
            return super().finalize_request(rv, from_error_handler)

    app = hello(Own(__name__))
    assert app.test_client().get("/").data == b"hello"
    assert calls == ["full", "preprocess", "finalize"]


def test_a_wrapped_default_still_counts_as_an_override() -> None:
    class Own(Erlen):
        @functools.wraps(Erlen.make_response)
        def make_response(self, rv: t.Any) -> Response:
            return Response(f"wrapped {rv}")

    app = hello(Own(__name__))
    assert app.test_client().get("/").data == b"wrapped hello"


def test_signals_connected_after_the_plan_are_sent(app: Erlen) -> None:
    client = hello(app).test_client()
    client.get("/")
    seen: list[str] = []

    def started(sender: t.Any) -> None:
        seen.append("started")

    def finished(sender: t.Any, response: t.Any) -> None:
        seen.append("finished")

    def tearing_down(sender: t.Any, exc: t.Any) -> None:
        seen.append("teardown")

    with (
        request_started.connected_to(started, app),
        request_finished.connected_to(finished, app),
        request_tearing_down.connected_to(tearing_down, app),
    ):
        assert plan_for(app, None).started_receivers
        client.get("/")
    assert seen == ["started", "finished", "teardown"]
    assert not plan_for(app, None).started_receivers


def test_plans_per_blueprint_chain(app: Erlen) -> None:
    order: list[str] = []
    for scope in (None, "outer", "outer.inner"):
        name = scope or "app"
        app.before_request_funcs.setdefault(scope, []).append(lambda n=name: order.append(n))
        app.after_request_funcs.setdefault(scope, []).append(
            lambda r, n=name: order.append(f"after {n}") or r
        )
    app.add_url_rule("/", "outer.inner.view", lambda: "v")
    assert app.test_client().get("/").data == b"v"
    assert order == ["app", "outer", "outer.inner", "after outer.inner", "after outer", "after app"]
    plan = plan_for(app, "outer.inner")
    assert plan.blueprints == ["outer.inner", "outer"]
    assert plan is not plan_for(app, None)
    assert len(plan_for(app, None).before) == 1


def test_a_request_class_with_its_own_blueprint_chooses_the_plan(app: Erlen) -> None:
    class Routed(Request):
        @property
        def blueprint(self) -> str | None:
            return "chosen"

    app.request_class = Routed
    app.before_request_funcs.setdefault("chosen", []).append(lambda: "from the chosen chain")
    assert hello(app).test_client().get("/").data == b"from the chosen chain"


def test_an_own_ensure_sync_is_asked_for_every_call() -> None:
    asked: list[str] = []

    class Own(Erlen):
        def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
            asked.append(func.__name__)
            return super().ensure_sync(func)

    app = Own(__name__)
    app.add_url_rule("/", "index", lambda: "hello")
    client = app.test_client()
    assert [client.get("/").data for _ in range(3)] == [b"hello"] * 3
    assert asked == ["<lambda>"] * 3


def test_ensure_sync_assigned_after_requests_wraps_the_view(app: Erlen) -> None:
    client = hello(app).test_client()
    assert client.get("/").data == b"hello"  # the view is now known to need no wrapper
    app.ensure_sync = lambda func: lambda **kw: f"wrapped {func()}"  # type: ignore[method-assign]
    assert client.get("/").data == b"wrapped hello"


def test_error_handler_lookup_is_cached_per_class(app: Erlen) -> None:
    handler = app.errorhandler(KeyError)(lambda e: "k")
    plan = plan_for(app, None)
    assert plan.error_handler(KeyError) is handler
    assert plan.error_handler(LookupError) is None
    assert set(plan._handlers) == {KeyError, LookupError}


def test_the_app_is_freed_without_the_garbage_collector() -> None:
    import gc
    import weakref

    gc.disable()
    try:
        app = hello(Erlen(__name__))
        app.test_client().get("/")
        ref = weakref.ref(app)
        del app
        assert ref() is None
    finally:
        gc.enable()
