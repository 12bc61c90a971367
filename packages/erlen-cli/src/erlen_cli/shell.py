"""``erlen shell``: an interactive Python shell inside the application's context."""

from __future__ import annotations

import os
import sys
import typing as t

import click

from .discovery import CliApp
from .scriptinfo import ScriptInfo
from .scriptinfo import with_appcontext
from .version import version_lines


def shell_banner(app: CliApp) -> str:
    """Return the banner: Python, erlen and Werkzeug versions, then the app and its instance
    folder when the app has ``import_name`` and ``instance_path``.
    """
    _, *libraries = version_lines()
    lines = [f"Python {sys.version} on {sys.platform}", ", ".join(libraries)]
    import_name = getattr(app, "import_name", None)
    if import_name is not None:
        lines.append(f"App: {import_name}")
    instance_path = getattr(app, "instance_path", None)
    if instance_path is not None:
        lines.append(f"Instance: {instance_path}")
    return "\n".join(lines)


def shell_namespace(app: CliApp) -> dict[str, t.Any]:
    """Build the shell's globals: ``PYTHONSTARTUP`` first, then ``app.make_shell_context()``.

    An app without ``make_shell_context`` contributes ``app`` only.
    """
    namespace: dict[str, t.Any] = {}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup, "rb") as f:
            exec(compile(f.read(), startup, "exec"), namespace)
    make_shell_context = getattr(app, "make_shell_context", None)
    namespace.update(make_shell_context() if make_shell_context else {"app": app})
    return namespace


def _enable_completion(namespace: dict[str, t.Any]) -> None:
    """Run the interpreter's interactive hook, completing names from ``namespace``."""
    hook = getattr(sys, "__interactivehook__", None)
    if hook is None:
        return
    try:
        import readline
        from rlcompleter import Completer
    except ImportError:
        pass
    else:
        # rlcompleter completes from __main__ by default, which is not the shell's namespace.
        readline.set_completer(Completer(namespace).complete)
    hook()


@click.command("shell", short_help="Run a shell in the app context.")
@with_appcontext
def shell_command() -> None:
    """Run an interactive Python shell in the application's context.

    The shell's namespace holds what the app's shell context processors provide, after what
    the PYTHONSTARTUP script defines.
    """
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    namespace = shell_namespace(app)
    _enable_completion(namespace)
    import code  # only the shell needs it: not loaded into every worker

    code.interact(banner=shell_banner(app), local=namespace)
