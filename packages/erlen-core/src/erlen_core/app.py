"""The WSGI application: :class:`Erlen` (also exported as ``Flask``).

:class:`Erlen` adds to :class:`~erlen_core.sansio.app.App` everything that needs a request, a
context or a server: the dispatch pipeline behind :meth:`Erlen.wsgi_app`, response conversion,
error handling, URL building, static files, templates, the test client and the development
server. The pipeline does no work an app did not ask for: hooks, signals and sessions that are
not in use cost nothing per request.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import os
import sys
import typing as t
import weakref
from datetime import timedelta
from inspect import CO_COROUTINE
from inspect import iscoroutinefunction
from itertools import chain
from types import FunctionType
from types import TracebackType

import click
from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import BuildError
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.routing import RoutingException
from werkzeug.routing import Rule
from werkzeug.serving import is_running_from_reloader
from werkzeug.wrappers import Response as BaseResponse
from werkzeug.wsgi import get_host

from erlen_cli import AppGroup
from erlen_context import AppContext
from erlen_context import RequestContext
from erlen_context.globals import _cv_app
from erlen_context.globals import _cv_request
from erlen_context.globals import current_app
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_routing import AdapterFactory
from erlen_routing import append_anchor
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import SessionInterface
from erlen_sessions import SessionMixin
from erlen_templating import create_jinja_environment as _create_jinja_environment

from . import typing as ft
from .config import DEFAULT_CONFIG
from .direct import direct_response
from .direct import DirectResponse
from .helpers import get_debug_flag
from .helpers import get_flashed_messages
from .helpers import get_load_dotenv
from .helpers import send_from_directory
from .sansio.app import App
from .sansio.scaffold import _sentinel
from .signals import appcontext_tearing_down
from .signals import got_request_exception
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from .wrappers import check_header_names
from .wrappers import Request
from .wrappers import Response

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from erlen_templating import Environment
    from erlen_testing import FlaskClient
    from erlen_testing import FlaskCliRunner

    from .typing import HeadersValue

#: The module name carried by warnings raised on an application's behalf (a request host that
#: does not match ``SERVER_NAME``), for warning filters to name. ``erlen.install_as_flask()``
#: sets it to ``"flask.app"``, the name Flask code filters on.
warning_module = __name__

_cookie_should_open_for_save = SecureCookieSessionInterface.should_open_for_save


@functools.lru_cache(maxsize=32)
def _cookies_from_header(request_class: type[Request]) -> bool:
    """Whether a request class reads its cookies from the ``Cookie`` header as
    :class:`~erlen_core.wrappers.Request` does (cached: class attributes are slow to compare).
    """
    return request_class.cookies is Request.cookies


#: The steps of the pipeline that direct dispatch stands in for or skips when they have nothing
#: to do. An app that overrides any of them, on its class or on the instance, always takes
#: :meth:`~Erlen.full_dispatch_request` and gets a response object.
_FINALIZING = frozenset(
    (
        "full_dispatch_request",
        "preprocess_request",
        "finalize_request",
        "make_response",
        "process_response",
    )
)

_INVALID_RETURN = (
    "The view function did not return a valid response. The return type must be a string,"
    " dict, list, tuple with headers or status, Response instance, or WSGI callable, but it"
    " was a {}."
)


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
    #: Opens and saves sessions; the default stores them in a signed cookie.
    session_interface: SessionInterface = SecureCookieSessionInterface()

    #: Whether this class overrides a step of :data:`_FINALIZING`.
    _finalizing_overridden = False

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._finalizing_overridden = any(
            getattr(cls, name) is not getattr(Erlen, name) for name in _FINALIZING
        )

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_url_path=static_url_path,
            static_folder=static_folder,
            static_host=static_host,
            host_matching=host_matching,
            subdomain_matching=subdomain_matching,
            template_folder=template_folder,
            instance_path=instance_path,
            instance_relative_config=instance_relative_config,
            root_path=root_path,
        )
        #: The click group of the app's commands, shown by the ``erlen`` command.
        self.cli = AppGroup()
        self.cli.name = self.name

        if self.has_static_folder:
            assert bool(static_host) == host_matching, (
                "Invalid static_host/host_matching combination"
            )
            # A weak reference: the rule's view must not keep the app alive.
            app_ref = weakref.ref(self)
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                host=static_host,
                view_func=lambda **kw: app_ref().send_static_file(**kw),  # type: ignore[union-attr]
            )

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
        return _create_jinja_environment(
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
        if request is not None:
            trusted_hosts = self.config["TRUSTED_HOSTS"]
            if trusted_hosts is not None:
                request.trusted_hosts = trusted_hosts
            if request.trusted_hosts is not None:
                request.host = get_host(request.environ, request.trusted_hosts)
            return self._adapter_factory().for_request(
                request, self.config["SERVER_NAME"], self.subdomain_matching
            )
        server_name = self.config["SERVER_NAME"]
        if server_name is None:
            return None
        return self._adapter_factory().bind(
            server_name,
            script_name=self.config["APPLICATION_ROOT"],
            url_scheme=self.config["PREFERRED_URL_SCHEME"],
        )

    def _adapter_factory(self) -> AdapterFactory:
        """The adapter cache of :attr:`url_map`, replaced if the map itself is replaced."""
        factory: AdapterFactory | None = self.__dict__.get("_adapters")
        if factory is None or factory.url_map is not self.url_map:
            factory = AdapterFactory(self.url_map, warning_module=warning_module)
            self._adapters = factory
        return factory

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the routing error stored on the request.

        In debug mode a redirect that would make the browser drop a form body raises
        :class:`~erlen_core.debughelpers.FormDataRoutingRedirect` instead.

        :param request: The request whose ``routing_exception`` is set.
        """
        exc = request.routing_exception
        assert exc is not None
        if (
            not self.debug
            or not isinstance(exc, RequestRedirect)
            or exc.code in {307, 308}
            or request.method in {"GET", "HEAD", "OPTIONS"}
        ):
            raise exc

        from .debughelpers import FormDataRoutingRedirect

        raise FormDataRoutingRedirect(request)

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the values of the context processors of the app and the request's blueprints.

        Values already in ``context`` win over those of the processors.

        :param context: The template context, updated in place.
        """
        scopes: t.Iterable[str | None] = (None,)
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            scopes = chain(scopes, reversed(req_ctx.request.blueprints))
        original = context.copy()
        for scope in scopes:
            if scope in self.template_context_processors:
                for func in self.template_context_processors[scope]:
                    context.update(self.ensure_sync(func)())
        context.update(original)

    def make_shell_context(self) -> dict[str, t.Any]:
        """The names of the ``shell`` command: ``app``, ``g`` and the processors' names."""
        names: dict[str, t.Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            names.update(processor())
        return names

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the app with werkzeug's development server. Not for production.

        Inside the ``erlen run`` command (``FLASK_RUN_FROM_CLI=true``) this does nothing, so a
        module calling ``app.run()`` unguarded does not start a second server.

        :param host: Host to listen on; default from ``SERVER_NAME``, else ``127.0.0.1``.
        :param port: Port; default from ``SERVER_NAME``, else 5000.
        :param debug: Set :attr:`debug`, which turns on the debugger and reloader.
        :param load_dotenv: Load ``.env`` and ``.flaskenv`` files first.
        :param options: Passed to :func:`werkzeug.serving.run_simple`.
        """
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            if not is_running_from_reloader():
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

    def handle_http_exception(self, e: HTTPException) -> HTTPException | ft.ResponseReturnValue:
        """Handle an HTTP exception with its registered handler, or return it as the response.

        Exceptions without a code and routing redirects are returned unhandled.

        :param e: The exception.
        """
        if e.code is None or isinstance(e, RoutingException):
            return e
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_user_exception(self, e: Exception) -> HTTPException | ft.ResponseReturnValue:
        """Handle an exception raised while dispatching; re-raise it when no handler matches.

        HTTP exceptions go to :meth:`handle_http_exception` unless trapped
        (:meth:`trap_http_exception`). In debug mode a ``BadRequestKeyError`` shows which key
        was missing.

        :param e: The exception, being handled in the caller's ``except`` block.
        """
        if isinstance(e, BadRequestKeyError) and (
            self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
        ):
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            raise
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_exception(self, e: Exception) -> Response:
        """Turn an unhandled exception into a 500 response, or re-raise it.

        Sends :data:`~erlen_core.signals.got_request_exception`. The exception propagates when
        ``PROPAGATE_EXCEPTIONS`` is true, or when it is unset and the app is testing or in
        debug mode. Otherwise it is logged and an
        :class:`~werkzeug.exceptions.InternalServerError` wrapping it goes to the 500 handler.

        :param e: The exception, being handled in the caller's ``except`` block.
        """
        exc_info = sys.exc_info()
        if got_request_exception.receivers:
            got_request_exception.send(self, _async_wrapper=self.ensure_sync, exception=e)
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            if exc_info[1] is e:
                raise
            raise e

        self.log_exception(exc_info)
        server_error: InternalServerError | ft.ResponseReturnValue
        server_error = InternalServerError(original_exception=e)
        handler = self._find_error_handler(server_error, request.blueprints)
        if handler is not None:
            server_error = self.ensure_sync(handler)(server_error)
        return self.finalize_request(server_error, from_error_handler=True)

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        """Log an unhandled exception at error level on :attr:`logger`."""
        self.logger.error(f"Exception on {request.path} [{request.method}]", exc_info=exc_info)

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the matched view with the URL values, or answer automatic ``OPTIONS``.

        Raises the routing error instead when matching failed.
        """
        req = _cv_request.get().request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule: Rule = req.url_rule
        if req.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            return self.make_default_options_response()
        view_args: dict[str, t.Any] = req.view_args
        return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)  # type: ignore[no-any-return]

    def full_dispatch_request(self) -> Response:
        """Run the request: ``request_started``, preprocessing, the view, error handling and
        :meth:`finalize_request`.
        """
        return self.finalize_request(self._run_view(always_preprocess=True))

    def _run_view(self, always_preprocess: bool) -> ft.ResponseReturnValue | HTTPException:
        """Send ``request_started``, preprocess, call the view and handle its errors; return
        what the view or an error handler returned. Unless ``always_preprocess``,
        :meth:`preprocess_request` is skipped when it has nothing to run.
        """
        self._got_first_request = True
        rv: ft.ResponseReturnValue | HTTPException | None = None
        try:
            if request_started.receivers:
                request_started.send(self, _async_wrapper=self.ensure_sync)
            if always_preprocess or self.url_value_preprocessors or self.before_request_funcs:
                rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
        return rv

    def _dispatch_direct(
        self, ctx: RequestContext, environ: WSGIEnvironment
    ) -> Response | DirectResponse:
        """:meth:`full_dispatch_request`, answering with a
        :class:`~erlen_core.direct.DirectResponse` when no hook, signal or session could see
        the response object. Only for apps overriding no step of :data:`_FINALIZING`.
        """
        rv = self._run_view(always_preprocess=False)
        if (
            not ctx._after_request_functions
            and not self.after_request_funcs
            and not request_finished.receivers
        ):
            direct = direct_response(self, rv, environ)
            if direct is not None and self._session_needs_no_save(ctx):
                return direct
        return self.finalize_request(rv)

    def _session_needs_no_save(self, ctx: RequestContext) -> bool:
        """Whether :meth:`process_response` would leave the response alone for the session.
        A lazy session that must be opened to be saved is opened here, so that
        :meth:`process_response` does not ask the interface a second time.
        """
        interface = self.session_interface
        if ctx.session_opened:
            return interface.is_null_session(ctx._session)
        if (
            "HTTP_COOKIE" not in ctx.request.environ
            and type(interface).should_open_for_save is _cookie_should_open_for_save
            and _cookies_from_header(ctx.request.__class__)
        ):
            # No cookie, so no session to refresh: what should_open_for_save answers, sooner.
            return True
        if not interface.should_open_for_save(self, ctx.request):
            return True
        return interface.is_null_session(ctx._open_session())

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
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            check_header_names(response.headers)
            if request_finished.receivers:
                request_finished.send(self, _async_wrapper=self.ensure_sync, response=response)
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception("Request finalizing failed with an error while handling an error")
        return response

    def make_default_options_response(self) -> Response:
        """The automatic ``OPTIONS`` response: empty, with ``Allow`` listing the URL's methods."""
        adapter = _cv_request.get().url_adapter
        methods = adapter.allowed_methods()  # type: ignore[union-attr]
        rv = self.response_class()
        rv.allow.update(methods)
        return rv

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Return ``func`` unchanged, or a blocking wrapper when it is a coroutine function.

        :param func: A view, hook or handler.
        """
        # A plain function answers without inspect's general (and slower) checks.
        if (
            type(func) is FunctionType
            and not func.__code__.co_flags & CO_COROUTINE
            and "_is_coroutine_marker" not in func.__dict__
        ):
            return func
        if iscoroutinefunction(func):
            return self.async_to_sync(func)
        return func

    def async_to_sync(
        self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]
    ) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function to run to completion with :mod:`asgiref`.

        :raises RuntimeError: When asgiref is not installed.
        """
        try:
            from asgiref.sync import async_to_sync as asgiref_async_to_sync
        except ImportError:
            raise RuntimeError(
                "Install Flask with the 'async' extra in order to use async views"
                " (erlen: pip install 'erlen-core[async]', which installs asgiref)."
            ) from None
        return asgiref_async_to_sync(func)

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of an endpoint; use :func:`erlen_core.helpers.url_for` in views.

        In a request, URLs are relative unless ``_external`` or ``_scheme`` is given, and an
        endpoint starting with ``.`` is relative to the request's blueprint. Outside a request,
        URLs are external and need ``SERVER_NAME``.

        :param endpoint: The endpoint name.
        :param _anchor: A ``#fragment`` to append.
        :param _method: Choose the rule that accepts this method.
        :param _scheme: The URL scheme; implies an external URL.
        :param _external: Build an absolute URL.
        :param values: Rule arguments; unknown ones become the query string.
        :raises RuntimeError: Outside a request with no ``SERVER_NAME``.
        """
        req_ctx = _cv_request.get(None)
        url_adapter: MapAdapter | None
        if req_ctx is not None:
            url_adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                blueprint_name = req_ctx.request.blueprint
                if blueprint_name is not None:
                    endpoint = f"{blueprint_name}{endpoint}"
                else:
                    endpoint = endpoint[1:]
            if _external is None:
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            if app_ctx is not None:
                url_adapter = app_ctx.url_adapter
            else:
                url_adapter = self.create_url_adapter(None)
            if url_adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request without 'SERVER_NAME'"
                    " configured. Also configure 'APPLICATION_ROOT' and"
                    " 'PREFERRED_URL_SCHEME' as needed."
                )
            if _external is None:
                _external = True

        if _scheme is not None and not _external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")

        self.inject_url_defaults(endpoint, values)
        try:
            rv = url_adapter.build(  # type: ignore[union-attr]
                endpoint,
                values,
                method=_method,
                url_scheme=_scheme,
                force_external=_external,
            )
        except BuildError as error:
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external)
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            rv = append_anchor(rv, _anchor)
        return rv

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
        status: int | str | bytes | bytearray | None = None
        headers: HeadersValue | None = None
        if isinstance(rv, tuple):
            rv, status, headers = _unpack_response_tuple(rv)
        if rv is None:
            raise TypeError(
                f"The view function for {request.endpoint!r} did not return a valid response."
                " The function either returned None or ended without a return statement."
            )

        if not isinstance(rv, self.response_class):
            if isinstance(rv, (str, bytes, bytearray, cabc.Iterator)):
                # The constructor applies status and headers itself. Without headers, naming
                # the default mimetype spares it looking for a Content-Type header (a lookup
                # that fails by raising, which is slow).
                mimetype = None if headers else self.response_class.default_mimetype
                rv = self.response_class(rv, status=status, headers=headers, mimetype=mimetype)  # type: ignore[arg-type]
                status = headers = None
            elif isinstance(rv, (dict, list)):
                rv = self.json.response(rv)
            elif isinstance(rv, BaseResponse) or callable(rv):
                rv = self._coerce_response(rv)
            else:
                raise TypeError(_INVALID_RETURN.format(type(rv).__name__))

        response = t.cast(Response, rv)
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                response.status = status  # type: ignore[assignment]
            else:
                response.status_code = status
        if headers:
            response.headers.update(headers)
        return response

    def _coerce_response(self, rv: t.Any) -> Response:
        """Convert a foreign response or a WSGI callable into :attr:`response_class`."""
        try:
            return t.cast(Response, self.response_class.force_type(rv, request.environ))
        except TypeError as e:
            raise TypeError(f"{e}\n{_INVALID_RETURN.format(type(rv).__name__)}").with_traceback(
                sys.exc_info()[2]
            ) from None

    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """Run the URL value preprocessors, then the ``before_request`` functions, of the app
        and then of the request's blueprints, outer to inner.

        :return: The first non-``None`` value a ``before_request`` function returned; it
            replaces the view's response.
        """
        if not (self.url_value_preprocessors or self.before_request_funcs):
            return None
        req = _cv_request.get().request
        scopes = (None, *reversed(req.blueprints))
        for scope in scopes:
            if scope in self.url_value_preprocessors:
                for url_func in self.url_value_preprocessors[scope]:
                    url_func(req.endpoint, req.view_args)
        for scope in scopes:
            if scope in self.before_request_funcs:
                for before_func in self.before_request_funcs[scope]:
                    rv = self.ensure_sync(before_func)()
                    if rv is not None:
                        return rv  # type: ignore[no-any-return]
        return None

    def process_response(self, response: Response) -> Response:
        """Run ``after_this_request`` functions, then ``after_request`` functions of the
        request's blueprints (inner to outer) and the app, each scope in reverse registration
        order; then save the session.

        The session is saved as Flask saves it. A lazily opened session the request never used
        is opened and saved only when the interface's ``should_open_for_save`` says saving
        could change the response; otherwise it costs no cookie parsing or signing.

        :param response: The response; the functions may replace it.
        """
        ctx = _cv_request.get()
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        if self.after_request_funcs:
            for scope in chain(ctx.request.blueprints, (None,)):
                if scope in self.after_request_funcs:
                    for func in reversed(self.after_request_funcs[scope]):
                        response = self.ensure_sync(func)(response)
        interface = self.session_interface
        if ctx.session_opened:
            current_session = t.cast(SessionMixin, ctx._session)
        else:
            # A lazy session the request never used: open it only if saving could still
            # change the response (a permanent session cookie to refresh).
            if not interface.should_open_for_save(self, ctx.request):
                return response
            current_session = ctx._open_session()
        if not interface.is_null_session(current_session):
            interface.save_session(self, current_session, response)
        return response

    def do_teardown_request(self, exc: BaseException | None = _sentinel) -> None:
        """Run the ``teardown_request`` functions, inner blueprint to app, each scope in
        reverse registration order, then send ``request_tearing_down``.

        :param exc: The unhandled exception, if any; defaults to the one being handled.
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        if self.teardown_request_funcs:
            for scope in chain(request.blueprints, (None,)):
                if scope in self.teardown_request_funcs:
                    for func in reversed(self.teardown_request_funcs[scope]):
                        self.ensure_sync(func)(exc)
        if request_tearing_down.receivers:
            request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def do_teardown_appcontext(self, exc: BaseException | None = _sentinel) -> None:
        """Run the ``teardown_appcontext`` functions in reverse registration order, then send
        ``appcontext_tearing_down``.

        :param exc: The unhandled exception, if any; defaults to the one being handled.
        """
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        for func in reversed(self.teardown_appcontext_funcs):
            self.ensure_sync(func)(exc)
        if appcontext_tearing_down.receivers:
            appcontext_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def app_context(self) -> AppContext:
        """Create an application context; use it as ``with app.app_context():``."""
        return AppContext(self)

    def app_context_active(self) -> bool:
        """Whether the current application context is one of this app's.

        The CLI's :func:`~erlen_cli.with_appcontext` asks before pushing one, so a command of a
        group shares the group's context (and its ``g``).
        """
        ctx = _cv_app.get(None)
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

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """Handle one WSGI request. Wrap this method, not the app, to add middleware while
        keeping a reference to the app: ``app.wsgi_app = Middleware(app.wsgi_app)``.
        """
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                response: Response | DirectResponse
                if self._finalizing_overridden or not self.__dict__.keys().isdisjoint(_FINALIZING):
                    response = self.full_dispatch_request()
                else:
                    response = self._dispatch_direct(ctx, environ)
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except:
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            preserve = environ.get("werkzeug.debug.preserve_context")
            if preserve is not None:
                # The test client keeps the contexts for inspection after the request.
                preserve(_cv_app.get())
                preserve(_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI entry point; calls :meth:`wsgi_app`."""
        return self.wsgi_app(environ, start_response)


def _unpack_response_tuple(
    rv: tuple[t.Any, ...],
) -> tuple[t.Any, t.Any, HeadersValue | None]:
    """Split a view's tuple into ``(body, status, headers)``."""
    if len(rv) == 3:
        return rv
    if len(rv) == 2:
        if isinstance(rv[1], (Headers, dict, tuple, list)):
            return rv[0], None, rv[1]
        return rv[0], rv[1], None
    raise TypeError(
        "The view function did not return a valid response tuple. The tuple must have the form"
        " (body, status, headers), (body, status), or (body, headers)."
    )


#: Flask's name for the application class: the same class object.
Flask = Erlen
