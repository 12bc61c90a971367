"""The application class: :class:`Erlen` (also exported as ``Flask``).

:class:`Erlen` adds to :class:`~erlen_core.sansio.app.App` everything that needs a request, a
context or a server. Its Flask-named request methods (:meth:`~Erlen.wsgi_app`,
:meth:`~Erlen.full_dispatch_request`, :meth:`~Erlen.make_response`,
:meth:`~Erlen.handle_exception` ...) are thin faces of the steps in :mod:`erlen_core.pipeline`,
:mod:`erlen_core.responses`, :mod:`erlen_core.errors` and :mod:`erlen_core.urls`; overriding one
on a subclass or an instance replaces that step (see :mod:`erlen_core.plan`).
"""

from __future__ import annotations

import collections.abc as cabc
import os
import sys
import typing as t
from datetime import timedelta
from itertools import chain
from types import TracebackType

from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter
from werkzeug.serving import is_running_from_reloader
from werkzeug.utils import cached_property

from erlen_context import app_context_var
from erlen_context import AppContext
from erlen_context import request_context_var
from erlen_context import RequestContext
from erlen_context.globals import current_app
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_routing import RequestRoute
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import SessionInterface

from . import errors
from . import lifespan as serving
from . import pipeline
from . import responses
from . import urls
from . import wsgi
from .config import DEFAULT_CONFIG
from .helpers import get_debug_flag
from .helpers import get_flashed_messages
from .helpers import get_load_dotenv
from .helpers import send_from_directory
from .plan import implemented_by
from .plan import plan_for
from .plan import PLAN_INPUTS
from .plan import plan_of_request
from .plan import Plans
from .sansio.app import App
from .sansio.scaffold import _sentinel
from .signals import appcontext_tearing_down
from .signals import request_tearing_down
from .steps import complete
from .steps import is_coroutine_function
from .steps import perform
from .steps import TORN_DOWN
from .wrappers import Request
from .wrappers import Response

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from erlen_routing import AdapterFactory
    from erlen_templating import Environment
    from erlen_testing import FlaskClient
    from erlen_testing import FlaskCliRunner

    from . import typing as ft
    from .asgi import ASGIApp

#: The module name carried by warnings raised on an application's behalf (a request host that
#: does not match ``SERVER_NAME``), for warning filters to name. ``erlen.install_as_flask()``
#: sets it to ``"flask.app"``, the name Flask code filters on.
warning_module = __name__

T_serving = t.TypeVar("T_serving", bound=t.Callable[[], t.Any])


#: The session interface of every app that neither assigns one nor asks for another backend.
COOKIE_SESSIONS = SecureCookieSessionInterface()


class Erlen(App):
    """A WSGI application: the central object of an erlen project.

    Create one in your main module or package, register views on it, and serve it with any
    WSGI server::

        from erlen_core import Erlen

        app = Erlen(__name__)

        @app.route("/")
        def index():
            return "Hello"

    The parameters are those of :class:`~erlen_core.sansio.app.App`. When a static folder is
    set, a ``static`` endpoint serves it at :attr:`static_url_path`.
    """

    #: Every configuration key with its default.
    default_config = DEFAULT_CONFIG

    #: Class of ``request`` objects.
    request_class: type[Request] = Request
    #: Class of the responses :meth:`make_response` creates.
    response_class: type[Response] = Response
    _plan_inputs = App._plan_inputs | PLAN_INPUTS

    #: The current generation of request plans; see :func:`erlen_core.plan.plan_for`.
    _plans: Plans | None = None
    # What the app made or was given, read on every request as attributes and written with
    # object.__setattr__ (no plan to make stale). Never through ``__dict__``: on CPython 3.11,
    # once an object's ``__dict__`` is read, every attribute read on it costs several times more.
    _adapters: AdapterFactory | None = None
    _session_interface: SessionInterface | None = None
    _configured_sessions: tuple[str, SessionInterface] | None = None

    @property
    def session_interface(self) -> SessionInterface:
        """Opens and saves sessions. Unless one is assigned (on a subclass or on the app), the
        ``SESSION_BACKEND`` config chooses: signed cookies (``"cookie"``, the default) or
        server-side sessions in ``"sqlite"``, ``"redis"`` or ``"memory"``; see
        :mod:`erlen_sessions.backends` for their settings.
        """
        assigned = self._session_interface
        if assigned is not None:
            return assigned
        backend = self.config.get("SESSION_BACKEND") or "cookie"
        if backend == "cookie":
            return COOKIE_SESSIONS
        configured = self._configured_sessions
        if configured is None or configured[0] != backend:
            # Server-side sessions are imported by the first app that configures them.
            from erlen_sessions import session_interface_for

            configured = (backend, session_interface_for(self.config, COOKIE_SESSIONS))
            object.__setattr__(self, "_configured_sessions", configured)
        return configured[1]

    @session_interface.setter
    def session_interface(self, interface: SessionInterface) -> None:
        object.__setattr__(self, "_session_interface", interface)

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """The ``max_age`` :func:`~erlen_core.helpers.send_file` uses when none is given.

        Reads ``SEND_FILE_MAX_AGE_DEFAULT`` of the current app; ``None`` (the default) lets the
        browser revalidate with conditional requests.

        :param filename: The file being sent; unused here, for subclasses.
        """
        value = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if isinstance(value, timedelta):
            return int(value.total_seconds())
        return value  # type: ignore[no-any-return]

    def send_static_file(self, filename: str) -> Response:
        """The view of the ``static`` route: send a file from :attr:`static_folder`.

        :param filename: The path below the static folder.
        """
        if not self.has_static_folder:
            raise RuntimeError("'static_folder' must be set to serve static_files.")
        max_age = self.get_send_file_max_age(filename)
        return send_from_directory(t.cast(str, self.static_folder), filename, max_age=max_age)

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = None
    ) -> t.IO[t.AnyStr]:
        """Open a file relative to :attr:`root_path` for reading.

        :param resource: The path relative to :attr:`root_path`.
        :param mode: ``"rb"`` (default), ``"r"`` or ``"rt"``.
        :param encoding: The text encoding; ignored in binary mode.
        :raises ValueError: For a mode that writes.
        """
        if mode not in {"r", "rt", "rb"}:
            raise ValueError("Resources can only be opened for reading.")
        path = os.path.join(self.root_path, resource)
        if mode == "rb":
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    def open_instance_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.AnyStr]:
        """Open a file relative to :attr:`instance_path`; unlike :meth:`open_resource` it may
        also be opened for writing.

        :param resource: The path relative to the instance folder.
        :param mode: Any :func:`open` mode.
        :param encoding: The text encoding; ignored in binary mode.
        """
        path = os.path.join(self.instance_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    def create_jinja_environment(self) -> Environment:
        """Create the Jinja environment from :attr:`jinja_options` and the config.

        Autoescaping follows :meth:`select_jinja_autoescape`; auto-reload follows
        ``TEMPLATES_AUTO_RELOAD`` or, when unset, :attr:`debug`. Templates see ``url_for``,
        ``get_flashed_messages``, ``config``, ``request``, ``session`` and ``g``.
        """
        from erlen_templating import create_jinja_environment

        return create_jinja_environment(
            self, url_for=self.url_for, get_flashed_messages=get_flashed_messages
        )

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Return a URL adapter for a request, or for building URLs outside one.

        With a request, the adapter matches that request; ``TRUSTED_HOSTS`` is checked first,
        and an untrusted host fails the request with 400. Without one, an adapter exists only
        when ``SERVER_NAME`` is set, using ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.
        Binding work is cached per host, so this is cheap to call per request.

        :param request: The request to match, or ``None``.
        """
        return urls.create_url_adapter(self, request, warning_module)

    #: Whether ``create_url_adapter`` is not erlen's own, replaced on a subclass or assigned on
    #: the app: :meth:`url_route` then leaves matching to it. (Asked on every request; a flag
    #: is cheaper than looking the method up.)
    _own_url_adapter = False

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.create_url_adapter is not Erlen.create_url_adapter:
            cls._own_url_adapter = True

    def __setattr__(self, name: str, value: t.Any) -> None:
        if name == "create_url_adapter":
            object.__setattr__(self, "_own_url_adapter", True)
        super().__setattr__(name, value)

    def url_route(self, request: Request) -> RequestRoute | None:
        """Return what a request context matches ``request`` with instead of making its URL
        adapter up front: the cached binding of its host, which makes the adapter only when
        something asks for it. ``None`` when the context is to call
        :meth:`create_url_adapter`: when a subclass or the app overrides that, or when binding
        warns or fails. ``TRUSTED_HOSTS`` is checked as there.

        :param request: The request to match.
        """
        if self._own_url_adapter:
            return None
        config = self.config
        if config["TRUSTED_HOSTS"] is not None or request.trusted_hosts is not None:
            urls.check_host(self, request)
        factory = self._adapters
        if factory is None or factory.url_map is not self.url_map:
            factory = urls.adapter_factory(self, warning_module)
        route = factory.request_route(
            request.environ, config["SERVER_NAME"], self.subdomain_matching
        )
        # A binding that warns or fails does so where create_url_adapter is called.
        return route if route.warning is None and route.template is not None else None

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the routing error stored on the request.

        In debug mode a redirect that would make the browser drop a form body raises
        :class:`~erlen_core.debughelpers.FormDataRoutingRedirect` instead.

        :param request: The request whose ``routing_exception`` is set.
        """
        urls.raise_routing_exception(self, request)

    def url_for(self, /, endpoint: str, **values: t.Any) -> str:
        """Build the URL of an endpoint; use :func:`erlen_core.helpers.url_for` in views.

        In a request, URLs are relative unless ``_external`` or ``_scheme`` is given, and an
        endpoint starting with ``.`` is relative to the request's blueprint. Outside a request,
        URLs are external and need ``SERVER_NAME``.

        :param endpoint: The endpoint name.
        :param values: Rule arguments; unknown ones become the query string. Four keys steer
            the building instead: ``_anchor`` (a ``#fragment`` to append), ``_method`` (choose
            the rule accepting it), ``_scheme`` (the URL scheme; implies an external URL) and
            ``_external`` (build an absolute URL).
        :raises RuntimeError: Outside a request with no ``SERVER_NAME``.
        """
        return urls.url_for(self, endpoint, values)

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the values of the context processors of the app and the request's blueprints.

        Values already in ``context`` win over those of the processors.

        :param context: The template context, updated in place.
        """
        req_ctx = request_context_var.get(None)
        plan = plan_for(self, None) if req_ctx is None else plan_of_request(self, req_ctx.request)
        given = dict(context)
        for processor in plan.context_processors:
            context.update(self.ensure_sync(processor)())
        context.update(given)

    def make_shell_context(self) -> dict[str, t.Any]:
        """The names of the ``shell`` command: ``app``, ``g`` and the processors' names."""
        given = (processor().items() for processor in self.shell_context_processors)
        return dict(chain([("app", self), ("g", g)], *given))

    def run(
        self,
        host: str | None = None,
        port: int | str | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the app with werkzeug's development server. Not for production.

        Inside the ``erlen run`` command (``FLASK_RUN_FROM_CLI=true``) this does nothing, so a
        module calling ``app.run()`` unguarded does not start a second server.

        :param host: Host to listen on; default from ``SERVER_NAME``, else ``127.0.0.1``.
        :param port: Port, a number or its string; default from ``SERVER_NAME``, else 5000.
        :param debug: Set :attr:`debug`, which turns on the debugger and reloader.
        :param load_dotenv: Load ``.env`` and ``.flaskenv`` files first.
        :param options: Passed to :func:`werkzeug.serving.run_simple`.
        """
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            if not is_running_from_reloader():
                import click

                click.secho(
                    " * Ignoring a call to 'app.run()' that would block the current 'flask'"
                    " CLI command.\n   Only call 'app.run()' in an 'if __name__ =="
                    ' "__main__"\' guard.',
                    fg="red",
                )
            return

        if get_load_dotenv(load_dotenv):
            from erlen_cli import load_dotenv as _load_dotenv

            _load_dotenv()
            if "FLASK_DEBUG" in os.environ:
                self.debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)

        sn_host, _, sn_port = (self.config.get("SERVER_NAME") or "").partition(":")
        host = host or sn_host or "127.0.0.1"
        if port or port == 0:
            port = int(port)
        else:
            port = int(sn_port) if sn_port else 5000
        options.setdefault("use_reloader", self.debug)
        options.setdefault("use_debugger", self.debug)
        options.setdefault("threaded", True)

        from werkzeug.serving import run_simple

        from erlen_cli import show_server_banner

        show_server_banner(self.debug, self.name)
        try:
            run_simple(host, port, self, **options)
        finally:
            # The reloader may restart the server in this process; allow setup again.
            self._got_first_request = False

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """Create a test client of :attr:`test_client_class` for this app.

        :param use_cookies: Keep cookies between requests.
        :param kwargs: Passed to the client class.
        """
        cls = self.test_client_class
        if cls is None:
            from erlen_testing import FlaskClient

            cls = FlaskClient
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: t.Any) -> FlaskCliRunner:
        """Create a CLI runner of :attr:`test_cli_runner_class` for this app's commands."""
        cls = self.test_cli_runner_class
        if cls is None:
            from erlen_testing import FlaskCliRunner

            cls = FlaskCliRunner
        return cls(self, **kwargs)

    @implemented_by(errors.handle_http_exception)
    def handle_http_exception(self, e: HTTPException) -> HTTPException | ft.ResponseReturnValue:
        """Handle an HTTP exception with its registered handler, or return it as the response.

        Exceptions without a code and routing redirects are returned unhandled.

        :param e: The exception.
        """
        return complete(self, errors.handle_http_exception(self, pipeline.current_plan(self), e))

    @implemented_by(errors.handle_user_exception)
    def handle_user_exception(self, e: Exception) -> HTTPException | ft.ResponseReturnValue:
        """Handle an exception raised while dispatching; re-raise it when no handler matches.

        HTTP exceptions go to :meth:`handle_http_exception` unless trapped
        (:meth:`trap_http_exception`). In debug mode a ``BadRequestKeyError`` shows which key
        was missing.

        :param e: The exception, being handled in the caller's ``except`` block.
        """
        return complete(self, errors.handle_user_exception(self, pipeline.current_plan(self), e))

    @implemented_by(errors.handle_exception)
    def handle_exception(self, e: Exception) -> Response:
        """Turn an unhandled exception into a 500 response, or re-raise it.

        Sends :data:`~erlen_core.signals.got_request_exception`. The exception propagates when
        ``PROPAGATE_EXCEPTIONS`` is true, or when it is unset and the app is testing or in
        debug mode. Otherwise it is logged and an
        :class:`~werkzeug.exceptions.InternalServerError` wrapping it goes to the 500 handler.

        :param e: The exception, being handled in the caller's ``except`` block.
        """
        return complete(self, errors.handle_exception(self, pipeline.current_plan(self), e))

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        """Log an unhandled exception at error level on :attr:`logger`."""
        self.logger.error(f"Exception on {request.path} [{request.method}]", exc_info=exc_info)

    @implemented_by(pipeline.view_call)
    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the matched view with the URL values, or answer automatic ``OPTIONS``.

        Raises the routing error instead when matching failed.
        """
        return perform(self, pipeline.view_call(self))  # type: ignore[no-any-return]

    @implemented_by(pipeline.full_dispatch)
    def full_dispatch_request(self) -> Response:
        """Run the request: ``request_started``, preprocessing, the view, error handling and
        :meth:`finalize_request`.
        """
        return complete(self, pipeline.full_dispatch(self, pipeline.current_plan(self)))

    @implemented_by(pipeline.preprocess)
    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """Run the URL value preprocessors, then the ``before_request`` functions, of the app
        and then of the request's blueprints, outer to inner.

        :return: The first non-``None`` value a ``before_request`` function returned; it
            replaces the view's response.
        """
        return complete(self, pipeline.preprocess(self, pipeline.current_plan(self)))

    @implemented_by(responses.make_response)
    def make_response(self, rv: ft.ResponseReturnValue | HTTPException) -> Response:
        """Convert what a view returned into a :attr:`response_class` instance.

        Accepted: a response object; ``str``, ``bytes`` or ``bytearray`` (the body); a
        ``dict`` or ``list`` (JSON via :attr:`json`); an iterator or generator (streamed
        body); any other WSGI callable or werkzeug response (coerced); or a tuple
        ``(body, status, headers)``, ``(body, status)`` or ``(body, headers)``, where status is
        an int or a string like ``"404 Not Found"`` and headers a dict, list or
        :class:`~werkzeug.datastructures.Headers`.

        :param rv: The value to convert.
        :raises TypeError: For ``None`` or any other type, saying what is accepted.
        """
        return responses.make_response(self, rv)

    @implemented_by(pipeline.process_response)
    def process_response(self, response: Response) -> Response:
        """Run ``after_this_request`` functions, then ``after_request`` functions of the
        request's blueprints (inner to outer) and the app, each scope in reverse registration
        order; then save the session.

        A lazily opened session the request never used is opened and saved only when the
        interface's ``should_open_for_save`` says saving could change the response.

        :param response: The response; the functions may replace it.
        """
        plan = pipeline.current_plan(self)
        return complete(self, pipeline.process_response(self, plan, response))

    @implemented_by(pipeline.finalize)
    def finalize_request(
        self,
        rv: ft.ResponseReturnValue | HTTPException,
        from_error_handler: bool = False,
    ) -> Response:
        """Make the response, run :meth:`process_response` and send ``request_finished``.

        :param rv: What the view or handler returned.
        :param from_error_handler: Log errors of this step instead of raising them, because an
            error is already being handled.
        """
        plan = pipeline.current_plan(self)
        return complete(self, pipeline.finalize(self, plan, rv, from_error_handler))

    def make_default_options_response(self) -> Response:
        """The automatic ``OPTIONS`` response: empty, with ``Allow`` listing the URL's methods."""
        adapter = t.cast(MapAdapter, request_context_var.get().url_adapter)
        response = self.response_class()
        response.allow.update(adapter.allowed_methods())
        return response

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Return ``func`` unchanged, or a blocking wrapper when it is a coroutine function.

        :param func: A view, hook or handler.
        """
        return self.async_to_sync(func) if is_coroutine_function(func) else func

    def async_to_sync(
        self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]
    ) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function to run to completion and return its result.

        During a request served by :attr:`asgi` the coroutine is awaited on the server's loop
        (the calling worker thread waits); elsewhere it runs with :mod:`asgiref`.

        :raises RuntimeError: When asgiref is needed and not installed.
        """
        # The ASGI adapter (and asyncio) is loaded when first served; before, no connection.
        from .asgi import current_connection

        connection = current_connection()
        if connection is not None:
            return connection.blocking(func)
        try:
            from asgiref.sync import async_to_sync as asgiref_async_to_sync
        except ImportError:
            raise RuntimeError(
                "Install Flask with the 'async' extra in order to use async views"
                " (erlen: pip install 'erlen-core[async]', which installs asgiref)."
            ) from None
        return asgiref_async_to_sync(func)

    def do_teardown_request(self, exc: BaseException | None = _sentinel) -> None:
        """Run the ``teardown_request`` functions, inner blueprint to app, each scope in
        reverse registration order, then send ``request_tearing_down``.

        :param exc: The unhandled exception, if any; defaults to the one being handled.
        """
        if (
            not self.teardown_request_funcs and not request_tearing_down.receivers
        ) or TORN_DOWN.get():
            return
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        plan = plan_of_request(self, request_context_var.get().request)
        if plan.teardown or plan.tearing_down_receivers:
            complete(self, pipeline.teardown(self, plan, exc))

    def do_teardown_appcontext(self, exc: BaseException | None = _sentinel) -> None:
        """Run the ``teardown_appcontext`` functions in reverse registration order, then send
        ``appcontext_tearing_down``.

        :param exc: The unhandled exception, if any; defaults to the one being handled.
        """
        if (
            not self.teardown_appcontext_funcs and not appcontext_tearing_down.receivers
        ) or TORN_DOWN.get():
            return
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        complete(self, pipeline.teardown_app(self, exc))

    def app_context(self) -> AppContext:
        """Create an application context; use it as ``with app.app_context():``."""
        return AppContext(self)

    def app_context_active(self) -> bool:
        """Whether the current application context is one of this app's.

        The CLI's :func:`~erlen_cli.with_appcontext` asks before pushing one, so a command of a
        group shares the group's context (and its ``g``).
        """
        ctx = app_context_var.get(None)
        return ctx is not None and ctx.app is self

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """Create a request context for a WSGI environ; :meth:`wsgi_app` pushes one per
        request.
        """
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """Create a request context for a made-up request, for tests and the shell.

        Takes the arguments of :class:`erlen_testing.EnvironBuilder` (``path``, ``base_url``,
        ``subdomain``, ``url_scheme``, ``method``, ``data``, ``json``, ...); URLs default to
        ``SERVER_NAME``, ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.
        """
        from erlen_testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    #: Functions run once when a server starts serving the app; see :mod:`erlen_core.lifespan`.
    before_serving_funcs = serving.ServingFunctions()
    #: Functions run once when a server stops serving the app.
    after_serving_funcs = serving.ServingFunctions()

    def before_serving(self, f: T_serving) -> T_serving:
        """Register a function (sync or ``async def``) to run, with the app context pushed,
        once when a server starts serving the app: at ASGI lifespan startup, or on entering
        :meth:`lifespan`.
        """
        self.before_serving_funcs.append(f)
        return f

    def after_serving(self, f: T_serving) -> T_serving:
        """Register a function to run once when a server stops serving the app: at ASGI
        lifespan shutdown, or on leaving :meth:`lifespan`.
        """
        self.after_serving_funcs.append(f)
        return f

    def lifespan(self) -> t.ContextManager[Erlen]:
        """Serve the app's lifespan outside an ASGI server: ``with app.lifespan():`` runs the
        ``before_serving`` functions on entry and the ``after_serving`` ones on exit. Use it
        around a WSGI server, a script or a test session.
        """
        return serving.lifespan(self)

    @cached_property
    def asgi(self) -> ASGIApp:
        """The ASGI 3 application of this app (HTTP, WebSocket, lifespan), made once: serve
        it with ``uvicorn module:app.asgi``. The app itself stays the WSGI application.
        Reading it first loads the adapter and :mod:`asyncio`; a WSGI app never does.
        """
        from .asgi import ASGIApp

        return ASGIApp(self)

    #: Handle one WSGI request: the WSGI adapter, :func:`erlen_core.wsgi.serve`, as a method.
    #: Wrap it, not the app, to add middleware while keeping a reference to the app:
    #: ``app.wsgi_app = Middleware(app.wsgi_app)``.
    wsgi_app = wsgi.serve

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI entry point; calls :meth:`wsgi_app`."""
        return self.wsgi_app(environ, start_response)


#: Flask's name for the application class: the same class object.
Flask = Erlen
