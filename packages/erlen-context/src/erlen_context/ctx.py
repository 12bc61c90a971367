"""Application and request contexts.

An :class:`AppContext` makes an application current: :data:`~erlen_context.current_app` and
:data:`~erlen_context.g` resolve to it. A :class:`RequestContext` makes a request current and,
when no context of its application is active, pushes an app context of its own. Both are
context managers and may be pushed again while active; only the outermost pop runs the
teardown callbacks. Popping a context that is not the current one raises :exc:`AssertionError`.
"""

from __future__ import annotations

import sys
import typing as t
from contextvars import Token
from functools import cached_property
from functools import update_wrapper

from werkzeug.exceptions import HTTPException

from .globals import _cv_app
from .globals import _cv_request
from .signals import appcontext_popped
from .signals import appcontext_pushed

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter

    from .protocols import ContextApp

#: Default of ``pop(exc)``: take the exception being handled, if any.
_sentinel: t.Any = object()

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
R = t.TypeVar("R", bound=t.Callable[[t.Any], t.Any])


class _AppCtxGlobals:
    """The namespace behind :data:`~erlen_context.g`: a plain object with free attributes.

    Each app context creates one. Besides attribute access it offers a few dict-like helpers,
    ``name in g`` to test for an attribute and ``iter(g)`` over attribute names.
    """

    def __getattr__(self, name: str) -> t.Any:
        # Reached only for attributes that are not set. Defined so that type checkers accept
        # any attribute, and so that subclasses computing some may defer to it with super().
        raise AttributeError(name)

    if t.TYPE_CHECKING:  # pragma: no cover
        # Setting and deleting are the ordinary instance attribute operations at run time;
        # these declarations only tell type checkers that any name is allowed.
        def __setattr__(self, name: str, value: t.Any) -> None: ...
        def __delattr__(self, name: str) -> None: ...

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """Return an attribute, or ``default`` when it is not set.

        :param name: The attribute name.
        :param default: The value returned for a missing attribute.
        """
        return vars(self).get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove an attribute and return its value.

        :param name: The attribute name.
        :param default: Returned for a missing attribute; without it a missing attribute raises
            :exc:`KeyError`.
        """
        attributes = vars(self)
        return attributes.pop(name) if default is _sentinel else attributes.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return an attribute, first setting it to ``default`` when it is not set.

        :param name: The attribute name.
        :param default: The value stored and returned for a missing attribute.
        """
        return vars(self).setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in vars(self)

    def __iter__(self) -> t.Iterator[str]:
        return iter(vars(self))

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        # The Flask spelling, which code written for Flask may compare against.
        return object.__repr__(self) if ctx is None else f"<flask.g of {ctx.app.name!r}>"


#: The public name of the class of ``g`` (Flask calls it ``_AppCtxGlobals``).
AppGlobals = _AppCtxGlobals


def has_app_context() -> bool:
    """Tell whether an app context is active, so :data:`~erlen_context.current_app` and
    :data:`~erlen_context.g` can be used.
    """
    return _cv_app.get(None) is not None


def has_request_context() -> bool:
    """Tell whether a request context is active, so :data:`~erlen_context.request` and
    :data:`~erlen_context.session` can be used.
    """
    return _cv_request.get(None) is not None


def _active_request_context(caller: str) -> RequestContext:
    """Return the active request context, or say that ``caller`` needs one."""
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            f"'{caller}' needs an active request context: call it while a request is handled,"
            " for example in a view function, or inside 'with app.test_request_context():'."
        )
    return ctx


def after_this_request(f: R) -> R:
    """Register ``f`` to run on the response of the current request, before the app's
    ``after_request`` functions. It takes the response and returns it or a replacement.

    :param f: The function; returned unchanged, so this works as a decorator.
    :raises RuntimeError: When no request context is active.
    """
    _active_request_context("after_this_request")._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Bind ``f`` to a copy of the current request context.

    The copy is taken now and pushed around every call of the returned function, so code that
    runs later or elsewhere (a greenlet, a callback) sees the same request and session.
    ``f`` may be a coroutine function; the app's ``ensure_sync`` runs it.

    :param f: The function to wrap.
    :raises RuntimeError: When no request context is active.
    """
    ctx = _active_request_context("copy_current_request_context").copy()

    def call_in_context(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(call_in_context, f)  # type: ignore[return-value]


def _wrong_pop(kind: str, current: object, popped: object) -> AssertionError:
    return AssertionError(
        f"Popped wrong {kind} context. ({current!r} instead of {popped!r}) Contexts must be"
        " popped in the reverse order they were pushed."
    )


def _not_pushed(ctx: object) -> RuntimeError:
    return RuntimeError(f"Cannot pop {ctx!r}: it is not pushed. Every pop() needs a push().")


_Ctx = t.TypeVar("_Ctx", bound="_PushedInBlock")


class _PushedInBlock:
    """``with context:`` pushes the context, and pops it with the exception that ended the block."""

    def push(self) -> None:
        raise NotImplementedError

    def pop(self, exc: BaseException | None = _sentinel) -> None:
        raise NotImplementedError

    def __enter__(self: _Ctx) -> _Ctx:
        self.push()
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.pop(exc)


class AppContext(_PushedInBlock):
    """Makes ``app`` the current application while pushed.

    :param app: The application.
    """

    def __init__(self, app: ContextApp) -> None:
        #: The application.
        self.app = app
        #: One context variable token per active push, newest last.
        self._cv_tokens: list[Token[AppContext]] = []

    @cached_property
    def g(self) -> _AppCtxGlobals:
        """The :data:`~erlen_context.g` namespace, made by ``app.app_ctx_globals_class`` when
        first used; it may be assigned.
        """
        return self.app.app_ctx_globals_class()  # type: ignore[no-any-return]

    @cached_property
    def url_adapter(self) -> MapAdapter | None:
        """Builds URLs when no request is active; ``None`` if the app cannot do that. Made by
        ``app.create_url_adapter(None)`` when first used (a request never uses it); it may be
        assigned.
        """
        return self.app.create_url_adapter(None)

    def push(self) -> None:
        """Make this context current, then send :data:`~erlen_context.appcontext_pushed`."""
        self._cv_tokens.append(_cv_app.set(self))
        if appcontext_pushed.receivers:
            appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = _sentinel) -> None:
        """Undo the latest :meth:`push`, then send :data:`~erlen_context.appcontext_popped`.

        Popping the outermost push first runs ``app.do_teardown_appcontext(exc)``.

        :param exc: The unhandled exception, if any; by default the one being handled.
        :raises AssertionError: When another app context is the current one.
        """
        tokens = self._cv_tokens
        if not tokens:
            raise _not_pushed(self)
        try:
            if len(tokens) == 1:
                self.app.do_teardown_appcontext(sys.exc_info()[1] if exc is _sentinel else exc)
        finally:
            current = _cv_app.get(None)
            _cv_app.reset(tokens.pop())
        if current is not self:
            raise _wrong_pop("app", current, self)
        if appcontext_popped.receivers:
            appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)


class RequestContext(_PushedInBlock):
    """Makes a request current while pushed, with its URL adapter, session and flashes.

    The application normally creates it for each request (``app.request_context(environ)``,
    ``app.test_request_context()``). Pushing it also pushes an app context when none of the
    same application is active; the outermost pop runs ``app.do_teardown_request(exc)``.

    :param app: The application.
    :param environ: The WSGI environ of the request.
    :param request: An existing request object; by default ``app.request_class(environ)``.
    :param session: An existing session; by default the session interface opens one on push.

    When the class of ``app.session_interface`` sets ``lazy_open = True``, the session is opened
    when first used instead of on push, and :attr:`session_opened` tells whether it was.
    """

    # Defaults every request starts from, read from the class until a request sets its own.
    _url_adapter: MapAdapter | None = None
    #: Matches the request while its adapter is not made; see ``ContextApp.url_route``.
    _url_route: t.Any | None = None
    #: Messages flashed for this request, loaded from the session on first read.
    flashes: list[tuple[str, str]] | None = None
    #: Whether :attr:`session` waits for its first use before opening: set on push, or before
    #: the first push by an app that knows its session interface is lazy.
    _session_deferred = False

    def __init__(
        self,
        app: ContextApp,
        environ: WSGIEnvironment,
        request: t.Any | None = None,
        session: t.Any | None = None,
    ) -> None:
        #: The application.
        self.app = app
        if request is None:
            request = app.request_class(environ)
            request.json_module = app.json
        #: The request object.
        self.request: t.Any = request
        try:
            url_route = getattr(app, "url_route", None)
            route = None if url_route is None else url_route(request)
            if route is None:
                self._url_adapter = app.create_url_adapter(request)
            else:
                self._url_route = route
        except HTTPException as e:
            request.routing_exception = e
        self._session_object: t.Any | None = session
        #: Functions registered by :func:`after_this_request`, run before ``after_request``.
        self._after_request_functions: list[t.Callable[[t.Any], t.Any]] = []
        #: One token per active push, with the app context that push created (if any).
        self._cv_tokens: list[tuple[Token[RequestContext], AppContext | None]] = []

    def copy(self) -> RequestContext:
        """Return a new context sharing this one's request and session, to push elsewhere
        (another greenlet). The request object is shared, so the copy is not for use in
        another thread without locking.
        """
        if self._session_deferred:
            # Open now, so the copy and the original share one session object.
            self._open_session()
        return self.__class__(
            self.app,
            environ=self.request.environ,
            request=self.request,
            session=self._session_object,
        )

    @property
    def url_adapter(self) -> MapAdapter | None:
        """The adapter matching this request; ``None`` when creating it failed, in which case
        the error is stored as ``request.routing_exception``. When the app gave a route (see
        ``ContextApp.url_route``), the adapter is made on first use. It may be assigned.
        """
        route = self._url_route
        if route is not None:
            self._url_adapter = route.request_adapter(self.request)
            self._url_route = None
        return self._url_adapter

    @url_adapter.setter
    def url_adapter(self, adapter: MapAdapter | None) -> None:
        self._url_adapter = adapter
        self._url_route = None

    def match_request(self) -> None:
        """Match the request against the URL map, setting ``request.url_rule`` and
        ``request.view_args``, or ``request.routing_exception`` when matching fails. Subclasses
        may override it.
        """
        request = self.request
        try:
            route = self._url_route
            if route is not None:
                request.url_rule, request.view_args = route.match_request(request)
            else:
                result = self.url_adapter.match(return_rule=True)  # type: ignore[union-attr]
                request.url_rule, request.view_args = result
        except HTTPException as e:
            request.routing_exception = e

    @property
    def session(self) -> t.Any:
        """The request's session; reading it sets the session's ``accessed`` flag. It exists
        once the context was pushed (or a session was given).
        """
        session = self._session_object
        if session is None:
            if not self._session_deferred:
                raise AssertionError("The session has not yet been opened: push the context.")
            session = self._open_session()
        session.accessed = True
        return session

    @property
    def _session(self) -> t.Any | None:
        """The session without marking it accessed (Flask's private name, which tests and
        extensions read). A lazy session opens here if it has not yet; before the first push it
        is ``None``.
        """
        if self._session_object is None and self._session_deferred:
            return self._open_session()
        return self._session_object

    @_session.setter
    def _session(self, value: t.Any | None) -> None:
        self._session_object = value
        self._session_deferred = False

    @property
    def session_opened(self) -> bool:
        """Whether this context has a session object, opened or given. ``False`` means a lazy
        session was never used, so nothing needs saving.
        """
        return self._session_object is not None

    def _open_session(self) -> t.Any:
        """Open the session through the app's session interface and keep it."""
        interface = self.app.session_interface
        session = interface.open_session(self.app, self.request)
        if session is None:
            session = interface.make_null_session(self.app)
        self._session_object = session
        self._session_deferred = False
        return session

    def push(self) -> None:
        """Make this context current.

        First pushes an app context unless one of this application is active. The first push
        opens the session (or, for a lazy session interface, arranges to open it on first use);
        then the request is matched.
        """
        app = self.app
        active = _cv_app.get(None)
        app_ctx: AppContext | None = None
        if active is None or active.app is not app:
            app_ctx = app.app_context()
            if type(app_ctx) is AppContext and not appcontext_pushed.receivers:
                # AppContext.push, inline: every request does this.
                app_ctx._cv_tokens.append(_cv_app.set(app_ctx))
            else:
                app_ctx.push()
        self._cv_tokens.append((_cv_request.set(self), app_ctx))

        # The session opens with the context current, so a custom interface may use the
        # request proxy; and before matching, so URL converters may use the session.
        if self._session_object is None and not self._session_deferred:
            if getattr(type(app.session_interface), "lazy_open", False):
                self._session_deferred = True
            else:
                self._open_session()

        if self._url_route is not None or self._url_adapter is not None:
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:
        """Undo the latest :meth:`push`, and pop the app context that push created.

        Popping the outermost push first runs ``app.do_teardown_request(exc)`` and closes the
        request.

        :param exc: The unhandled exception, if any; by default the one being handled.
        :raises AssertionError: When another request context is the current one.
        """
        tokens = self._cv_tokens
        if not tokens:
            raise _not_pushed(self)
        outermost = len(tokens) == 1
        try:
            if outermost:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                close = getattr(self.request, "close", None)
                if close is not None:
                    close()
        finally:
            current = _cv_request.get(None)
            token, app_ctx = tokens.pop()
            _cv_request.reset(token)
            if outermost and current is not None:
                # Break the request <-> environ cycle so the garbage collector is not needed.
                current.request.environ["werkzeug.request"] = None
            if app_ctx is not None:
                app_ctx.pop(exc)
            if current is not self:
                raise _wrong_pop("request", current, self)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.request.url!r} [{self.request.method}]"
            f" of {self.app.name}>"
        )
