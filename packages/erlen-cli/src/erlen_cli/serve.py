"""``erlen run``: the development server, with its reloader, debugger and TLS options.

The command is werkzeug's :func:`~werkzeug.serving.run_simple` with the app loaded for it: its
options map onto ``run_simple``'s arguments (:data:`RUN_SIMPLE_NAMES`), and ``--reload`` and
``--debugger`` follow debug mode unless given. ``--asgi`` serves the app's ASGI face with an ASGI
server instead (:mod:`~erlen_cli.asgi`).
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import os
import traceback
import types
import typing as t

import click
from werkzeug.serving import is_running_from_reloader
from werkzeug.serving import run_simple
from werkzeug.utils import import_string

from .asgi import ASGI_SERVERS
from .asgi import serve_asgi
from .environ import debug_flag_from_env
from .options import debug_option
from .scriptinfo import pass_script_info
from .scriptinfo import ScriptInfo

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    # click 8.3 made ParamType generic; older releases cannot be subscripted at run time.
    _ParamType = click.ParamType[t.Any]
else:
    _ParamType = click.ParamType


def show_server_banner(
    debug: bool | None, app_import_path: str | None, server: str | None = None
) -> None:
    """Print which app is served, whether debug mode is on and what serves it.

    Printed once: not again in the process the reloader restarts.

    :param server: what serves the app, for the `` * Server:`` line; none without it.
    """
    lines = []
    if app_import_path is not None:
        lines.append(f" * Serving erlen app '{app_import_path}'")
    if debug is not None:
        lines.append(f" * Debug mode: {'on' if debug else 'off'}")
    if server is not None:
        lines.append(f" * Server: {server}")
    if lines and not is_running_from_reloader():
        click.echo("\n".join(lines))


def _ssl() -> types.ModuleType | None:
    """The :mod:`ssl` module, or ``None`` for a Python built without it."""
    try:
        import ssl
    except ImportError:
        return None
    return ssl


class CertParamType(_ParamType):
    """Type of ``--cert``: an existing certificate file, ``adhoc`` (a throwaway certificate,
    which needs the cryptography library), or the import path of an :class:`ssl.SSLContext`.

    Converts to the file's resolved path, ``"adhoc"`` or the ``SSLContext`` itself.
    """

    name = "path"

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        """Return the resolved file path, ``"adhoc"`` or the imported ``SSLContext``."""
        ssl = _ssl()
        if ssl is None:
            self.fail("'--cert' needs a Python built with SSL support.", param, ctx)
        if isinstance(value, ssl.SSLContext):
            return value
        text = os.fspath(value)
        if os.path.isfile(text):
            return os.path.realpath(text)
        if text.lower() == "adhoc":
            if _cryptography_missing():
                self.fail(
                    "An ad-hoc certificate needs the cryptography library"
                    " (pip install cryptography).",
                    param,
                    ctx,
                )
            return "adhoc"
        context = import_string(text, silent=True)
        if not isinstance(context, ssl.SSLContext):
            self.fail(
                f"{text!r} is neither an existing file, 'adhoc', nor the import path of an"
                " ssl.SSLContext.",
                param,
                ctx,
            )
        return context


def _cryptography_missing() -> bool:
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return True
    return False


def _cert_kind(cert: object) -> str | None:
    """Name what ``--cert`` gave: ``"adhoc"``, ``"context"``, ``"file"``, or ``None``."""
    if cert is None or cert == "adhoc":
        return None if cert is None else "adhoc"
    ssl = _ssl()
    return "context" if ssl is not None and isinstance(cert, ssl.SSLContext) else "file"


#: What is wrong with ``--key``, by what ``--cert`` gave and whether a key was given.
_KEY_PROBLEMS = {
    ("file", False): "Required when '--cert' is a file.",
    ("adhoc", True): "Not used when '--cert' is 'adhoc'.",
    ("context", True): "Not used when '--cert' is an SSLContext.",
    (None, True): "Needs '--cert' as well.",
}


def validate_key(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of ``--key``: check it against ``--cert`` (eager, so parsed already), and
    pair a certificate file with its key as ``cert=(cert, key)``.
    """
    cert = ctx.params.get("cert")
    problem = _KEY_PROBLEMS.get((_cert_kind(cert), value is not None))
    if problem is not None:
        raise click.BadParameter(problem, ctx, param)
    if value is not None:
        ctx.params["cert"] = (cert, value)
    return value


class SeparatedPathType(click.Path):
    """A :class:`click.Path` taking several paths joined by :data:`os.pathsep`; converts to a
    list with each item checked on its own.
    """

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        """Split ``value`` and check every part as a path."""
        parts = self.split_envvar_value(value)
        return [click.Path.convert(self, part, param, ctx) for part in parts]


def _failing_app(error: Exception) -> WSGIApplication:
    """A WSGI app that raises ``error``, so the debugger shows why the app did not load."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        raise error from None

    return app


def _app_to_serve(info: ScriptInfo) -> WSGIApplication:
    """Load the app; in a process the reloader restarted, serve a load error instead of
    exiting, so that the next code change can fix it.
    """
    try:
        return info.load_app()
    except Exception as e:
        if not is_running_from_reloader():
            raise
        traceback.print_exc()
        return _failing_app(e)


#: What the banner says serves the app without ``--asgi``.
WSGI_SERVER = "Werkzeug development server (WSGI; '--asgi' for an ASGI server)"

#: ``run``'s options that ``run_simple`` names differently; host and port go first, by position.
RUN_SIMPLE_NAMES = {
    "reload": "use_reloader",
    "debugger": "use_debugger",
    "with_threads": "threaded",
    "cert": "ssl_context",
}


def _run_asgi(info: ScriptInfo, server: str | None, options: dict[str, t.Any]) -> None:
    """``run --asgi``: the reloader follows debug mode, the rest is :func:`serve_asgi`'s."""
    app = info.load_app()
    debug = debug_flag_from_env()
    if options["reload"] is None:
        options["reload"] = debug
    banner = functools.partial(show_server_banner, debug, info.app_import_path)
    serve_asgi(info, app, server, options, banner)


@pass_script_info
def _run(info: ScriptInfo, /, **options: t.Any) -> None:
    """Run a local development server.

    It is meant for development only: it is neither hardened nor fast enough for production,
    use a production WSGI server there. '--debug' turns on the reloader and the debugger.
    '--asgi' serves the app's ASGI application (async views on the server's loop, WebSocket
    routes) with uvicorn, hypercorn or granian, the first installed, instead of the WSGI
    development server.
    """
    asgi_server = options.pop("asgi_server")
    if options.pop("asgi") or asgi_server is not None:
        _run_asgi(info, asgi_server, options)
        return
    app = _app_to_serve(info)
    debug = debug_flag_from_env()
    show_server_banner(debug, info.app_import_path, WSGI_SERVER)
    for follows_debug in ("reload", "debugger"):
        if options[follows_debug] is None:
            options[follows_debug] = debug
    host, port = options.pop("host"), options.pop("port")
    run_simple(host, port, app, **{RUN_SIMPLE_NAMES.get(k, k): v for k, v in options.items()})


def _debug_switch(decl: str, does: str) -> click.Option:
    """An on/off switch left ``None`` unless given, so that :func:`_run` makes it follow debug
    mode.
    """
    return click.Option([decl], default=None, help=f"{does}. On by default in debug mode.")


def _path_list_help(what: str) -> str:
    return f"{what}, separated by {os.pathsep!r}."


_KEY_PATH = click.Path(exists=True, dir_okay=False, resolve_path=True)

#: ``erlen run``.
run_command = click.command(
    "run",
    short_help="Run a development server.",
    params=[
        debug_option,
        click.Option(["--host", "-h"], default="127.0.0.1", help="The interface to bind to."),
        click.Option(["--port", "-p"], default=5000, help="The port to bind to."),
        click.Option(
            ["--cert"],
            type=CertParamType(),
            is_eager=True,
            help="A certificate file, 'adhoc', or an SSLContext import path, to serve HTTPS.",
        ),
        click.Option(
            ["--key"],
            type=_KEY_PATH,
            callback=validate_key,
            expose_value=False,
            help="The private key file of the '--cert' certificate file.",
        ),
        _debug_switch("--reload/--no-reload", "Restart the server when code changes"),
        _debug_switch("--debugger/--no-debugger", "Show the interactive debugger on errors"),
        click.Option(
            ["--with-threads/--without-threads"],
            default=True,
            help="Serve each request in its own thread.",
        ),
        click.Option(
            ["--extra-files"],
            type=SeparatedPathType(),
            help=_path_list_help("More files whose change restarts the server"),
        ),
        click.Option(
            ["--exclude-patterns"],
            type=SeparatedPathType(),
            help=_path_list_help(
                "fnmatch patterns of files whose change does not restart the server"
            ),
        ),
        click.Option(
            ["--asgi"],
            is_flag=True,
            default=False,
            help="Serve the app's ASGI application (app.asgi) with an installed ASGI server:"
            " uvicorn, hypercorn or granian, the first found.",
        ),
        click.Option(
            ["--asgi-server"],
            type=click.Choice(list(ASGI_SERVERS)),
            help="The ASGI server to use; implies '--asgi'.",
        ),
    ],
)(_run)
