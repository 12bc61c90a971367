"""``erlen run``: the development server, with its reloader, debugger and TLS options."""

from __future__ import annotations

import collections.abc as cabc
import os
import traceback
import typing as t

import click
from werkzeug.serving import is_running_from_reloader
from werkzeug.serving import run_simple
from werkzeug.utils import import_string

from .environ import debug_flag_from_env
from .options import debug_option
from .scriptinfo import pass_script_info
from .scriptinfo import ScriptInfo

if t.TYPE_CHECKING:
    import ssl

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    # click 8.3 made ParamType generic; older releases cannot be subscripted at run time.
    _ParamType = click.ParamType[t.Any]
else:
    _ParamType = click.ParamType


def show_server_banner(debug: bool | None, app_import_path: str | None) -> None:
    """Print which app is served and whether debug mode is on.

    Printed once: not again in the process the reloader restarts.
    """
    if is_running_from_reloader():
        return
    if app_import_path is not None:
        click.echo(f" * Serving erlen app '{app_import_path}'")
    if debug is not None:
        click.echo(f" * Debug mode: {'on' if debug else 'off'}")


class CertParamType(_ParamType):
    """Type of ``--cert``: an existing certificate file, ``adhoc`` (a throwaway certificate,
    which needs the cryptography library), or the import path of an :class:`ssl.SSLContext`.
    """

    name = "path"

    def __init__(self) -> None:
        #: The type a certificate file is checked with.
        self.path_type = click.Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        """Return the resolved file path, ``"adhoc"`` or the imported ``SSLContext``."""
        try:
            import ssl
        except ImportError:
            raise click.BadParameter(
                "'--cert' needs a Python built with SSL support.", ctx, param
            ) from None

        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            text = click.STRING(value, param, ctx)

        if text.lower() == "adhoc":
            try:
                import cryptography  # noqa: F401
            except ImportError:
                raise click.BadParameter(
                    "An ad-hoc certificate needs the cryptography library"
                    " (pip install cryptography).",
                    ctx,
                    param,
                ) from None
            return "adhoc"

        obj = import_string(text, silent=True)
        if isinstance(obj, ssl.SSLContext):
            return obj
        raise click.BadParameter(
            f"{text!r} is neither an existing file, 'adhoc', nor the import path of an"
            " ssl.SSLContext.",
            ctx,
            param,
        )


def _validate_key(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--key`` against ``--cert`` and pair them as ``(cert, key)``."""
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    try:
        import ssl
    except ImportError:
        is_context = False
    else:
        is_context = isinstance(cert, ssl.SSLContext)

    if value is None:
        if cert and not (is_adhoc or is_context):
            raise click.BadParameter("Required when '--cert' is a file.", ctx, param)
        return value
    if is_adhoc:
        raise click.BadParameter("Not used when '--cert' is 'adhoc'.", ctx, param)
    if is_context:
        raise click.BadParameter("Not used when '--cert' is an SSLContext.", ctx, param)
    if not cert:
        raise click.BadParameter("Needs '--cert' as well.", ctx, param)
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
        convert_one = super().convert
        return [convert_one(item, param, ctx) for item in self.split_envvar_value(value)]


def _failing_app(error: Exception) -> WSGIApplication:
    """A WSGI app that raises ``error``, so the debugger shows why the app did not load."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        raise error from None

    return app


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="The interface to bind to.")
@click.option("--port", "-p", default=5000, help="The port to bind to.")
@click.option(
    "--cert",
    type=CertParamType(),
    is_eager=True,
    help="A certificate file, 'adhoc', or an SSLContext import path, to serve HTTPS.",
)
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The private key file of the '--cert' certificate file.",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    help="Restart the server when code changes. On by default in debug mode.",
)
@click.option(
    "--debugger/--no-debugger",
    default=None,
    help="Show the interactive debugger on errors. On by default in debug mode.",
)
@click.option(
    "--with-threads/--without-threads",
    default=True,
    help="Serve each request in its own thread.",
)
@click.option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    help=f"More files whose change restarts the server, separated by {os.pathsep!r}.",
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    help=(
        "fnmatch patterns of files whose change does not restart the server, separated by"
        f" {os.pathsep!r}."
    ),
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: ssl.SSLContext | tuple[str, str] | t.Literal["adhoc"] | None,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Run a local development server.

    It is meant for development only: it is neither hardened nor fast enough for production,
    use a production WSGI server there. '--debug' turns on the reloader and the debugger.
    """
    try:
        app: WSGIApplication = info.load_app()
    except Exception as e:
        if not is_running_from_reloader():
            raise
        # After a reload, keep serving: show the error now and on every request.
        traceback.print_exc()
        app = _failing_app(e)

    debug = debug_flag_from_env()
    show_server_banner(debug, info.app_import_path)
    run_simple(
        host,
        port,
        app,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


run_command.params.insert(0, debug_option)
