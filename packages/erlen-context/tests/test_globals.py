"""The proxies, ``g`` and the ``has_*_context`` checks."""

from __future__ import annotations

import typing as t

import pytest

import erlen_context
from erlen_context import _AppCtxGlobals
from erlen_context import app_ctx
from erlen_context import current_app
from erlen_context import g
from erlen_context import has_app_context
from erlen_context import has_request_context
from erlen_context import request
from erlen_context import request_ctx
from erlen_context import session


@pytest.mark.parametrize("proxy", [current_app, g, app_ctx], ids=["current_app", "g", "app_ctx"])
def test_app_proxies_unbound(proxy: t.Any) -> None:
    assert not proxy
    assert repr(proxy) == "<LocalProxy unbound>"
    with pytest.raises(RuntimeError) as info:
        proxy._get_current_object()
    message = str(info.value)
    assert message.startswith("Working outside of application context.")
    assert "app.app_context()" in message


@pytest.mark.parametrize(
    "proxy", [request, session, request_ctx], ids=["request", "session", "request_ctx"]
)
def test_request_proxies_unbound(proxy: t.Any) -> None:
    assert not proxy
    with pytest.raises(RuntimeError) as info:
        proxy._get_current_object()
    message = str(info.value)
    assert message.startswith("Working outside of request context.")
    assert "test_request_context()" in message


def test_attribute_access_outside_context_raises() -> None:
    with pytest.raises(RuntimeError, match="application context"):
        current_app.name  # noqa: B018
    with pytest.raises(RuntimeError, match="request context"):
        request.args  # noqa: B018


def test_proxies_resolve_to_current_objects(app: t.Any) -> None:
    assert not has_app_context()
    assert not has_request_context()
    with app.request_context("/?s=x") as ctx:
        assert has_app_context()
        assert has_request_context()
        assert current_app._get_current_object() is app
        assert current_app.name == "fake"
        assert app_ctx._get_current_object() is ctx._cv_tokens[0][1]
        assert g._get_current_object() is app_ctx.g
        assert request_ctx._get_current_object() is ctx
        assert request._get_current_object() is ctx.request
        assert request.args["s"] == "x"
        assert session._get_current_object() is ctx.session
        assert session["s"] == "x"
    assert not has_request_context()


def test_app_context_alone_has_no_request(app: t.Any) -> None:
    with app.app_context():
        assert has_app_context()
        assert not has_request_context()
        assert not request


def test_g_namespace(app: t.Any) -> None:
    with app.app_context():
        assert "x" not in g
        assert g.get("x") is None
        assert g.get("x", 1) == 1
        g.x = 2
        assert "x" in g
        assert g.get("x") == 2
        assert list(g) == ["x"]
        assert g.setdefault("x", 3) == 2
        assert g.setdefault("y", 4) == 4
        assert g.y == 4
        assert g.pop("y") == 4
        assert g.pop("y", "gone") == "gone"
        with pytest.raises(KeyError):
            g.pop("y")
        del g.x
        with pytest.raises(AttributeError, match="x"):
            g.x  # noqa: B018
        with pytest.raises(AttributeError, match="x"):
            del g.x
        assert repr(g) == "<flask.g of 'fake'>"


def test_g_repr_outside_context() -> None:
    ns = _AppCtxGlobals()
    assert repr(ns).startswith("<erlen_context.ctx._AppCtxGlobals object at ")


def test_g_is_per_app_context(app: t.Any) -> None:
    with app.app_context():
        g.value = "outer"
        with app.app_context():
            assert "value" not in g
        assert g.value == "outer"


def test_package_exports() -> None:
    for name in ("AppContext", "RequestContext", "stream_with_context", "ContextApp"):
        assert hasattr(erlen_context, name)
    assert erlen_context.signals.appcontext_pushed is erlen_context.appcontext_pushed


def test_g_subclass_may_compute_attributes_and_defer() -> None:
    class Lazy(_AppCtxGlobals):
        def __getattr__(self, name: str) -> t.Any:
            if name == "answer":
                return 42
            return super().__getattr__(name)

    ns = Lazy()
    assert ns.answer == 42
    ns.set_later = "x"
    assert ns.set_later == "x" and "set_later" in ns
    with pytest.raises(AttributeError, match="missing"):
        ns.missing  # noqa: B018


def test_proxies_are_werkzeug_proxies_forwarding_items_and_attributes(app: t.Any) -> None:
    from werkzeug.local import LocalProxy

    assert isinstance(session, LocalProxy)
    assert isinstance(request, LocalProxy)
    with app.request_context("/?s=x") as ctx:
        assert request.args["s"] == "x"
        assert "s" in request.args
        g.user = "ann"
        assert g.user == "ann"
        assert "user" in g
        assert repr(request) == repr(ctx.request)
        with pytest.raises(AttributeError):
            request.no_such_attribute  # noqa: B018
        real = session._get_current_object()
        session["n"] = 1
        assert real["n"] == 1
        assert session["n"] == 1
        assert "n" in session
        assert "m" not in session
        with pytest.raises(KeyError):
            session["m"]
        assert session.get("m", 2) == 2


def test_item_access_outside_context_raises() -> None:
    with pytest.raises(RuntimeError, match="request context"):
        session["n"]
    with pytest.raises(RuntimeError, match="request context"):
        session["n"] = 1
    with pytest.raises(RuntimeError, match="request context"):
        "n" in session  # noqa: B015
    assert repr(session) == "<LocalProxy unbound>"
