"""RequestContext: request, matching, implicit app context, session, teardown."""

from __future__ import annotations

import json
import typing as t

import pytest
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from erlen_context import app_ctx
from erlen_context import appcontext_pushed
from erlen_context import current_app
from erlen_context import request
from erlen_context import RequestContext
from erlen_context import session


def environ(path: str = "/", **kwargs: t.Any) -> dict[str, t.Any]:
    return EnvironBuilder(path=path, **kwargs).get_environ()


def test_builds_request(app: t.Any) -> None:
    ctx = RequestContext(app, environ("/user/3"))
    assert isinstance(ctx.request, app.request_class)
    assert ctx.request.json_module is json
    assert ctx.request.path == "/user/3"
    assert ctx.url_adapter is not None
    assert ctx.flashes is None
    assert ctx._after_request_functions == []
    assert ctx._cv_tokens == []
    assert repr(ctx) == "<RequestContext 'http://localhost/user/3' [GET] of fake>"


def test_given_request_is_kept(app: t.Any) -> None:
    req = Request(environ())
    ctx = RequestContext(app, req.environ, request=req)
    assert ctx.request is req
    assert "json_module" not in vars(req)


def test_match_on_push(app: t.Any) -> None:
    with app.request_context("/user/3") as ctx:
        assert ctx.request.url_rule.rule == "/user/<int:id>"
        assert ctx.request.view_args == {"id": 3}
        assert ctx.request.routing_exception is None


@pytest.mark.parametrize(
    ("path", "method", "error"), [("/missing", "GET", NotFound), ("/", "DELETE", MethodNotAllowed)]
)
def test_match_failure_stored(app: t.Any, path: str, method: str, error: type) -> None:
    with app.request_context(path, method=method) as ctx:
        assert isinstance(ctx.request.routing_exception, error)
        assert ctx.request.url_rule is None


def test_url_adapter_error_stored(app: t.Any) -> None:
    def refuse(request: t.Any) -> None:
        if request is not None:
            raise BadRequest("untrusted host")

    app.create_url_adapter = refuse
    ctx = RequestContext(app, environ())
    assert ctx.url_adapter is None
    assert isinstance(ctx.request.routing_exception, BadRequest)
    with ctx:
        # No adapter: matching is skipped, the stored error stays.
        assert isinstance(request.routing_exception, BadRequest)


def test_match_request_override(app: t.Any) -> None:
    class Custom(RequestContext):
        def match_request(self) -> None:
            self.request.view_args = {"custom": True}

    with Custom(app, environ("/missing")) as ctx:
        assert ctx.request.view_args == {"custom": True}


def test_push_creates_app_context_when_missing(app: t.Any) -> None:
    ctx = app.request_context()
    ctx.push()
    implicit = ctx._cv_tokens[0][1]
    assert implicit is not None
    assert app_ctx._get_current_object() is implicit
    ctx.pop()
    assert not current_app
    assert app.events == [("request", None), ("app", None)]


def test_push_reuses_active_app_context_of_same_app(app: t.Any) -> None:
    with app.app_context() as actx:
        with app.request_context() as ctx:
            assert ctx._cv_tokens[0][1] is None
            assert app_ctx._get_current_object() is actx
        assert app.events == [("request", None)]
        assert current_app._get_current_object() is app
    assert app.events == [("request", None), ("app", None)]


def test_push_creates_app_context_for_other_app(app: t.Any, make_app: t.Any) -> None:
    other = make_app("other")
    with other.app_context():
        with app.request_context():
            assert current_app._get_current_object() is app
        assert current_app._get_current_object() is other


def test_pop_closes_request_and_breaks_cycle(app: t.Any) -> None:
    with app.request_context() as ctx:
        req = ctx.request
        assert req.environ["werkzeug.request"] is req
    assert req.closed
    assert req.environ["werkzeug.request"] is None


def test_request_without_close(app: t.Any) -> None:
    class Bare:
        def __init__(self, environ: dict[str, t.Any]) -> None:
            self.environ = environ

    env = environ()
    ctx = RequestContext(app, env, request=Bare(env), session=t.cast(t.Any, {}))
    ctx.url_adapter = None
    with ctx:
        pass
    assert env["werkzeug.request"] is None


def test_nested_push_tears_down_once(app: t.Any) -> None:
    ctx = app.request_context()
    with ctx:
        with ctx:
            pass
        assert app.events == []
        assert request._get_current_object() is ctx.request
        assert ctx.request.environ["werkzeug.request"] is ctx.request
    assert app.events == [("request", None), ("app", None)]


def test_exception_reaches_teardowns(app: t.Any) -> None:
    error = ValueError("view failed")
    with pytest.raises(ValueError, match="view failed"):
        with app.request_context():
            raise error
    assert app.events == [("request", error), ("app", error)]


def test_pop_defaults_to_exception_being_handled(app: t.Any) -> None:
    ctx = app.request_context()
    ctx.push()
    try:
        raise KeyError("x")
    except KeyError as e:
        ctx.pop()
        assert app.events == [("request", e), ("app", e)]


def test_failing_teardown_still_pops(app: t.Any) -> None:
    def failing(exc: BaseException | None) -> None:
        raise ZeroDivisionError

    app.do_teardown_request = failing
    ctx = app.request_context()
    ctx.push()
    with pytest.raises(ZeroDivisionError):
        ctx.pop()
    assert not request
    assert not current_app
    assert app.events == [("app", None)]


def test_wrong_pop(app: t.Any) -> None:
    first = app.request_context()
    second = app.request_context()
    first.push()
    second.push()
    with pytest.raises(AssertionError, match="Popped wrong request context"):
        first.pop()
    assert not request
    assert second._cv_tokens != []
    second._cv_tokens.clear()


def test_pop_without_push(app: t.Any) -> None:
    with pytest.raises(RuntimeError, match="not pushed"):
        app.request_context().pop()


def test_eager_session(app: t.Any) -> None:
    ctx = app.request_context("/?s=v")
    with pytest.raises(AssertionError, match="not yet been opened"):
        ctx.session  # noqa: B018
    assert not ctx.session_opened
    with ctx:
        assert app.session_interface.opened == 1
        assert ctx.session_opened
        assert not ctx._session.accessed
        assert session["s"] == "v"
        assert ctx.session.accessed
    # A second push keeps the session (stream_with_context relies on it).
    with ctx:
        assert app.session_interface.opened == 1


def test_null_session(app: t.Any) -> None:
    with app.request_context("/?null=1") as ctx:
        assert type(ctx.session).__name__ == "NullSession"


def test_given_session(app: t.Any) -> None:
    given = {"k": 1}
    ctx = RequestContext(app, environ(), session=t.cast(t.Any, given))
    assert ctx.session_opened
    with ctx:
        assert app.session_interface.opened == 0


def test_session_open_error_leaves_context_poppable(app: t.Any) -> None:
    def failing(app: t.Any, request: t.Any) -> t.NoReturn:
        raise OSError("store down")

    app.session_interface.open_session = failing
    ctx = app.request_context()
    with pytest.raises(OSError, match="store down"):
        ctx.push()
    ctx.pop()
    assert not request
    assert not current_app


def test_lazy_session_opens_on_first_use(lazy_app: t.Any) -> None:
    interface = lazy_app.session_interface
    with lazy_app.request_context("/?s=v") as ctx:
        assert interface.opened == 0
        assert not ctx.session_opened
        assert session["s"] == "v"
        assert interface.opened == 1
        assert ctx.session_opened
        assert session["s"] == "v"
        assert interface.opened == 1


def test_lazy_session_never_used(lazy_app: t.Any) -> None:
    with lazy_app.request_context() as ctx:
        pass
    assert not ctx.session_opened
    assert lazy_app.session_interface.opened == 0


def test_lazy_flag_is_read_from_the_class(app: t.Any) -> None:
    app.session_interface.lazy_open = True
    with app.request_context() as ctx:
        assert ctx.session_opened


def test_lazy_null_session(lazy_app: t.Any) -> None:
    with lazy_app.request_context("/?null=1") as ctx:
        assert type(ctx.session).__name__ == "NullSession"


def test_copy_shares_request_and_session(app: t.Any) -> None:
    with app.request_context("/?s=v") as ctx:
        copy = ctx.copy()
        assert type(copy) is RequestContext
        assert copy.request is ctx.request
        assert copy._session is ctx._session
    assert app.session_interface.opened == 1


def test_copy_opens_lazy_session_to_share_it(lazy_app: t.Any) -> None:
    with lazy_app.request_context("/?s=v") as ctx:
        copy = ctx.copy()
        assert ctx.session_opened
        assert copy._session is ctx._session
        assert not ctx._session.accessed
    assert lazy_app.session_interface.opened == 1


def test_copy_of_subclass(app: t.Any) -> None:
    class Custom(RequestContext):
        pass

    ctx = Custom(app, environ())
    assert type(ctx.copy()) is Custom


def test_private_session_reads_without_marking_accessed(lazy_app: t.Any) -> None:
    ctx = lazy_app.request_context("/?s=v")
    assert ctx._session is None  # not pushed yet: nothing to open
    with ctx:
        assert not ctx.session_opened
        assert ctx._session["s"] == "v"  # opens the lazy session
        assert ctx.session_opened and not ctx._session.accessed
        assert lazy_app.session_interface.opened == 1
        assert ctx.session["s"] == "v"
        assert ctx._session.accessed


def test_private_session_can_be_replaced(lazy_app: t.Any) -> None:
    with lazy_app.request_context() as ctx:
        replacement = {"given": True}
        ctx._session = replacement
        assert ctx.session_opened and ctx._session is replacement
    assert lazy_app.session_interface.opened == 0


class Route:
    """A route as ``app.url_route`` gives one: matches and makes adapters, counting both."""

    def __init__(self, app: t.Any) -> None:
        self.app = app
        self.made = 0

    def match_request(self, request: t.Any) -> t.Any:
        return self.app.url_map.bind_to_environ(request.environ).match(return_rule=True)

    def request_adapter(self, request: t.Any) -> t.Any:
        self.made += 1
        return self.app.url_map.bind_to_environ(request.environ)


def test_a_route_matches_and_the_adapter_is_made_when_asked(app: t.Any) -> None:
    route = Route(app)
    app.url_route = lambda request: route
    app.create_url_adapter = None  # never called while the app gives a route
    with RequestContext(app, environ("/user/3")) as ctx:
        assert (request.url_rule.endpoint, request.view_args) == ("user", {"id": 3})
        assert route.made == 0
        adapter = ctx.url_adapter
        assert adapter is not None and adapter.path_info == "/user/3"
        assert ctx.url_adapter is adapter
        assert route.made == 1
    with RequestContext(app, environ("/missing")):
        assert isinstance(request.routing_exception, NotFound)


def test_an_assigned_adapter_replaces_the_route(app: t.Any) -> None:
    route = Route(app)
    app.url_route = lambda request: route
    ctx = RequestContext(app, environ("/missing"))
    ctx.url_adapter = app.url_map.bind("example.test", path_info="/user/5")
    with ctx:
        assert request.view_args == {"id": 5}
    assert route.made == 0
    ctx = RequestContext(app, environ("/user/5"))
    ctx.url_adapter = None
    with ctx:
        assert request.url_rule is None and request.routing_exception is None


def test_without_a_route_the_adapter_is_created(app: t.Any) -> None:
    app.url_route = lambda request: None
    with RequestContext(app, environ("/user/7")) as ctx:
        assert ctx.url_adapter is not None and request.view_args == {"id": 7}


def test_a_route_error_is_stored(app: t.Any) -> None:
    def refuse(request: t.Any) -> None:
        raise BadRequest("untrusted host")

    app.url_route = refuse
    ctx = RequestContext(app, environ())
    assert ctx.url_adapter is None
    assert isinstance(ctx.request.routing_exception, BadRequest)


def test_the_app_context_a_request_pushes_sends_appcontext_pushed(app: t.Any) -> None:
    sent: list[t.Any] = []

    def receiver(sender: t.Any, **kwargs: t.Any) -> None:
        sent.append(sender)

    appcontext_pushed.connect(receiver)
    try:
        with RequestContext(app, environ()):
            assert current_app._get_current_object() is app
    finally:
        appcontext_pushed.disconnect(receiver)
    assert sent == [app]
