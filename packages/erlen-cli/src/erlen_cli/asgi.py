"""``erlen run --asgi``: the app's ASGI face, ``app.asgi``, served by uvicorn, hypercorn or
granian.

``erlen run`` serves the WSGI app with werkzeug's development server. With ``--asgi`` it
serves ``app.asgi`` instead, with the first installed server of :data:`ASGI_SERVERS`, or the
one ``--asgi-server`` names. Host, port, TLS files, debug mode and the reloader options are
mapped onto that server's own settings (:class:`AsgiRun`).

A server that loads the app in a process of its own (every server's reloader, and granian
always) is given the import string :data:`FACTORY`: :func:`load_asgi_app` loads the app the
way this ``erlen run`` found it, as described by an :class:`AppSpec` the new process inherits in
the environment variable :data:`SPEC_VARIABLE`.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextlib
import dataclasses
import fnmatch
import importlib
import importlib.metadata
import importlib.util
import json
import os
import pathlib
import sys
import tempfile
import traceback
import typing as t

import click
from click.core import ParameterSource

from .environ import dotenv_enabled
from .environ import load_dotenv
from .scriptinfo import ScriptInfo

if t.TYPE_CHECKING:
    from .discovery import CliApp

#: An ASGI 3 application: ``await app(scope, receive, send)``.
AsgiApp = t.Callable[
    [dict[str, t.Any], t.Callable[[], t.Awaitable[t.Any]], t.Callable[[t.Any], t.Awaitable[None]]],
    t.Awaitable[None],
]

#: The import string of :func:`load_asgi_app`, for a server that loads the app itself.
FACTORY = "erlen_cli.asgi:load_asgi_app"
#: The environment variable that carries the :class:`AppSpec` to the server's processes.
SPEC_VARIABLE = "ERLEN_RUN_ASGI"

_INSTALL_HINT = "pip install uvicorn (or hypercorn, or granian)"


def _first_env(*names: str) -> str | None:
    return next((os.environ[name] for name in names if os.environ.get(name)), None)


def _import_path_of(f: t.Callable[..., t.Any]) -> str | None:
    """``module:qualname`` of ``f`` when a new process can import it and get ``f`` back."""
    module, qualname = getattr(f, "__module__", None), getattr(f, "__qualname__", "")
    if module in (None, "__main__") or "<" in qualname:
        return None
    try:
        return f"{module}:{qualname}" if _resolve(f"{module}:{qualname}") is f else None
    except (ImportError, AttributeError):
        return None


def _resolve(path: str) -> t.Any:
    """Import ``module:qualname`` and return the object."""
    module, _, qualname = path.partition(":")
    found: t.Any = importlib.import_module(module)
    for name in qualname.split("."):
        found = getattr(found, name)
    return found


@dataclasses.dataclass(frozen=True)
class AppSpec:
    """How another process loads the app the way ``erlen run`` found it.

    The environment travels with the process (dotenv files loaded, ``FLASK_DEBUG`` set by
    ``--debug``); this holds the rest of the command's :class:`~erlen_cli.ScriptInfo`.
    """

    #: What ``--app`` named; ``None`` to read ``ERLEN_APP`` or ``FLASK_APP``, then look for
    #: ``wsgi.py`` and ``app.py``.
    app_import_path: str | None = None
    #: The ``module:qualname`` of the group's ``create_app`` callable, if it has one.
    create_app: str | None = None
    #: Whether the app's ``debug`` is set from ``FLASK_DEBUG``.
    set_debug_flag: bool = True
    #: Whether ``.flaskenv`` and ``.env`` are loaded first.
    load_dotenv: bool = True
    #: Whether a server's reloader starts the process: a load error is then served, not fatal.
    reloading: bool = False

    @classmethod
    def of(cls, info: ScriptInfo, reloading: bool) -> AppSpec:
        """Describe how ``info`` loads its app.

        :raises click.UsageError: when the app comes from a ``create_app`` callable that another
            process cannot import.
        """
        create_app = None
        if info.create_app is not None:
            create_app = _import_path_of(info.create_app)
            if create_app is None:
                raise click.UsageError(
                    f"The app comes from the callable {info.create_app!r}, which the server's"
                    " own process cannot import. Define it at the top level of an importable"
                    " module, or serve without '--reload' with uvicorn or hypercorn."
                )
        return cls(
            app_import_path=info.app_import_path,
            create_app=create_app,
            set_debug_flag=info.set_debug_flag,
            load_dotenv=info.load_dotenv_defaults,
            reloading=reloading,
        )

    def to_json(self) -> str:
        """The spec as the JSON text :meth:`from_environ` reads."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_environ(cls) -> AppSpec:
        """Read the spec from :data:`SPEC_VARIABLE`; the defaults when it is unset."""
        text = os.environ.get(SPEC_VARIABLE)
        return cls(**json.loads(text)) if text else cls()

    def script_info(self) -> ScriptInfo:
        """A :class:`~erlen_cli.ScriptInfo` that loads the app as described."""
        return ScriptInfo(
            app_import_path=self.app_import_path or _first_env("ERLEN_APP", "FLASK_APP"),
            create_app=_resolve(self.create_app) if self.create_app else None,
            set_debug_flag=self.set_debug_flag,
        )


def asgi_face(app: CliApp) -> AsgiApp:
    """Return ``app.asgi``.

    :raises click.UsageError: when the app has none (a Flask app, for example).
    """
    face = getattr(app, "asgi", None)
    if not callable(face):
        raise click.UsageError(
            f"The app {app!r} has no ASGI application ('app.asgi'): '--asgi' serves erlen apps."
            " Serve this one without '--asgi'."
        )
    return t.cast(AsgiApp, face)


def _failing_asgi_app(error: Exception) -> AsgiApp:
    """An ASGI app that completes the lifespan protocol and raises ``error`` for each
    request, so that the server logs why the app did not load.
    """

    async def app(
        scope: dict[str, t.Any],
        receive: t.Callable[[], t.Awaitable[t.Any]],
        send: t.Callable[[t.Any], t.Awaitable[None]],
    ) -> None:
        if scope["type"] != "lifespan":
            raise error from None
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    return app


def load_asgi_app() -> AsgiApp:
    """Load the app as :data:`SPEC_VARIABLE` describes and return its ``asgi`` application.

    A factory for ASGI servers: ``erlen run --asgi`` hands it to a server that loads the app
    in its own process. Without the variable it finds the app as ``erlen run`` would with no
    options (dotenv files, ``ERLEN_APP``/``FLASK_APP``, ``wsgi.py``, ``app.py``), so that
    ``uvicorn --factory erlen_cli.asgi:load_asgi_app`` works too. In a process started by a
    reloader, an app that fails to load is reported and served as an error, so that the next
    code change can fix it.
    """
    spec = AppSpec.from_environ()
    if dotenv_enabled(spec.load_dotenv):
        load_dotenv()
    try:
        return asgi_face(spec.script_info().load_app())
    except Exception as e:
        if not spec.reloading:
            raise
        traceback.print_exc()
        return _failing_asgi_app(e)


@dataclasses.dataclass(frozen=True)
class AsgiRun:
    """What ``erlen run --asgi`` asks of the server."""

    #: The loaded app's ASGI application, for a server that runs in this process.
    app: AsgiApp
    host: str
    port: int
    #: Whether the server's reloader restarts it when code changes.
    reload: bool
    #: The TLS certificate and key files, or ``None`` to serve HTTP.
    certfile: str | None = None
    keyfile: str | None = None
    #: More files whose change restarts the server (``--extra-files``).
    extra_files: tuple[str, ...] = ()
    #: fnmatch patterns of files whose change does not (``--exclude-patterns``).
    exclude_patterns: tuple[str, ...] = ()

    @property
    def watches_more(self) -> bool:
        """Whether the reloader is asked to watch other files than it would by itself."""
        return self.reload and bool(self.extra_files or self.exclude_patterns)


def _module(name: str) -> t.Any:
    """Import a server's module; the servers are optional, so it is typed ``Any``."""
    return importlib.import_module(name)


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _needs_watchfiles(server: str, what: str) -> None:
    if not _installed("watchfiles"):
        raise click.UsageError(f"{what} with {server} needs watchfiles (pip install watchfiles).")


def _check_uvicorn(run: AsgiRun) -> None:
    if run.watches_more:
        _needs_watchfiles("uvicorn", "'--extra-files' or '--exclude-patterns'")


def _uvicorn(run: AsgiRun) -> None:
    """uvicorn: the app object in this process; the factory under its reloader."""
    uvicorn = _module("uvicorn")
    settings: dict[str, t.Any] = {
        "host": run.host,
        "port": run.port,
        "ssl_certfile": run.certfile,
        "ssl_keyfile": run.keyfile,
    }
    if not run.reload:
        uvicorn.run(run.app, **settings)
        return
    # uvicorn watches folders for names matching patterns: each extra file's folder, its name.
    folders = {os.getcwd(), *(os.path.dirname(f) for f in run.extra_files)}
    uvicorn.run(
        FACTORY,
        factory=True,
        reload=True,
        reload_dirs=sorted(folders),
        reload_includes=[os.path.basename(f) for f in run.extra_files] or None,
        reload_excludes=list(run.exclude_patterns) or None,
        **settings,
    )


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _check_hypercorn(run: AsgiRun) -> None:
    if run.watches_more:
        raise click.UsageError(
            "hypercorn's reloader watches the imported modules only: '--extra-files' and"
            " '--exclude-patterns' need uvicorn or granian."
        )


def _hypercorn(run: AsgiRun) -> None:
    """hypercorn: the app object in this process; the factory under its reloader."""
    config = _module("hypercorn.config").Config()
    config.bind = [_bind(run.host, run.port)]
    config.certfile, config.keyfile = run.certfile, run.keyfile
    config.accesslog = "-"
    if not run.reload:
        asyncio.run(_module("hypercorn.asyncio").serve(run.app, config, mode="asgi"))
        return
    config.use_reloader = True
    config.application_path = f"asgi:{FACTORY}()"
    sys.exit(_module("hypercorn.run").run(config))


def _exclude_filter(patterns: tuple[str, ...]) -> type[t.Any]:
    """A watchfiles filter class that also ignores paths matching fnmatch ``patterns``."""
    default: t.Any = _module("watchfiles").DefaultFilter

    def allows(self: t.Any, change: t.Any, path: str) -> bool:
        if any(fnmatch.fnmatch(path, pattern) for pattern in patterns):
            return False
        return bool(default.__call__(self, change, path))

    return type("ExcludePatterns", (default,), {"__call__": allows})


def _check_granian(run: AsgiRun) -> None:
    if run.reload:
        _needs_watchfiles("granian", "'--reload'")


def _granian(run: AsgiRun) -> None:
    """granian: the factory, always, since its workers are processes of their own."""
    granian = _module("granian")
    interfaces = _module("granian.constants").Interfaces
    server = granian.Granian(
        FACTORY,
        factory=True,
        address=run.host,
        port=run.port,
        interface=interfaces.ASGI,
        log_access=True,
        ssl_cert=pathlib.Path(run.certfile) if run.certfile else None,
        ssl_key=pathlib.Path(run.keyfile) if run.keyfile else None,
        reload=run.reload,
        reload_paths=[pathlib.Path.cwd(), *map(pathlib.Path, run.extra_files)],
        reload_filter=_exclude_filter(run.exclude_patterns) if run.exclude_patterns else None,
    )
    server.serve()


@dataclasses.dataclass(frozen=True)
class AsgiServer:
    """An ASGI server ``erlen run --asgi`` can start."""

    #: The name ``--asgi-server`` takes, also the module and distribution name.
    name: str
    #: Start it; returns when the server stops.
    serve: t.Callable[[AsgiRun], None]
    #: Raise :exc:`click.UsageError` for what it cannot do of a run, before anything starts.
    check: t.Callable[[AsgiRun], None]
    #: Whether it loads the app in a process of its own even without its reloader.
    own_process: bool = False

    def needs_factory(self, run: AsgiRun) -> bool:
        """Whether the server loads the app itself, through :data:`FACTORY`."""
        return run.reload or self.own_process

    def describe(self) -> str:
        """The name and version, as the banner shows them."""
        return f"{self.name} {importlib.metadata.version(self.name)}"


#: The servers ``--asgi`` picks from, first installed first: uvicorn is the most used and
#: serves an app object in process; hypercorn does too; granian always runs worker processes.
ASGI_SERVERS = {
    server.name: server
    for server in (
        AsgiServer("uvicorn", _uvicorn, _check_uvicorn),
        AsgiServer("hypercorn", _hypercorn, _check_hypercorn),
        AsgiServer("granian", _granian, _check_granian, own_process=True),
    )
}


def pick_server(name: str | None) -> AsgiServer:
    """The server named, or the first installed one of :data:`ASGI_SERVERS`.

    :raises click.UsageError: when it is not installed, saying what to install.
    """
    if name is not None:
        if not _installed(name):
            raise click.UsageError(
                f"'--asgi-server {name}' needs {name} installed (pip install {name})."
            )
        return ASGI_SERVERS[name]
    found = next((s for s in ASGI_SERVERS.values() if _installed(s.name)), None)
    if found is None:
        raise click.UsageError(
            f"'--asgi' needs an ASGI server installed: {_INSTALL_HINT}. Looked for"
            f" {', '.join(ASGI_SERVERS)}."
        )
    return found


#: ``run`` options the development server has and ASGI servers do not, with why.
_WSGI_ONLY = {
    "debugger": "the interactive debugger is part of the WSGI development server",
    "with_threads": "the app's thread pool has ASGI_THREADS threads",
}


def _refuse_wsgi_only(ctx: click.Context) -> None:
    for name, why in _WSGI_ONLY.items():
        if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None):
            flag = name.replace("_", "-")
            raise click.UsageError(f"'--{flag}' does not apply with '--asgi': {why}.")


def _tls_files(cert: object, stack: contextlib.ExitStack, host: str) -> tuple[str, str] | None:
    """The certificate and key files of ``--cert``; ``adhoc`` writes a throwaway pair that
    lasts as long as ``stack``.
    """
    if cert is None:
        return None
    if cert == "adhoc":
        from werkzeug.serving import make_ssl_devcert

        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="erlen-adhoc-"))
        return make_ssl_devcert(os.path.join(folder, "adhoc"), host)
    if isinstance(cert, tuple):
        return cert[0], cert[1]
    raise click.UsageError(
        "An SSLContext given to '--cert' is for the WSGI development server; with '--asgi'"
        " give a certificate file with '--key', or 'adhoc'."
    )


@contextlib.contextmanager
def _exported(spec: AppSpec) -> cabc.Iterator[None]:
    """Put ``spec`` in :data:`SPEC_VARIABLE` for the processes the server starts, and take it
    back out when the server stops.
    """
    previous = os.environ.get(SPEC_VARIABLE)
    os.environ[SPEC_VARIABLE] = spec.to_json()
    try:
        yield
    finally:
        if previous is None:
            del os.environ[SPEC_VARIABLE]
        else:
            os.environ[SPEC_VARIABLE] = previous


def serve_asgi(
    info: ScriptInfo,
    app: CliApp,
    server_name: str | None,
    options: cabc.Mapping[str, t.Any],
    banner: t.Callable[[str], None],
) -> None:
    """Serve ``app.asgi`` with an ASGI server, as ``erlen run --asgi`` does.

    :param server_name: what ``--asgi-server`` gave, or ``None`` to pick one.
    :param options: the ``run`` command's other options, ``reload`` already following debug.
    :param banner: prints the banner, given the server's description.
    """
    _refuse_wsgi_only(click.get_current_context())
    server = pick_server(server_name)
    face = asgi_face(app)
    with contextlib.ExitStack() as stack:
        tls = _tls_files(options["cert"], stack, options["host"])
        run = AsgiRun(
            app=face,
            host=options["host"],
            port=options["port"],
            reload=bool(options["reload"]),
            certfile=tls[0] if tls else None,
            keyfile=tls[1] if tls else None,
            extra_files=tuple(options["extra_files"] or ()),
            exclude_patterns=tuple(options["exclude_patterns"] or ()),
        )
        server.check(run)
        if server.needs_factory(run):
            stack.enter_context(_exported(AppSpec.of(info, run.reload)))
        banner(f"{server.describe()}, ASGI (app.asgi)")
        server.serve(run)
