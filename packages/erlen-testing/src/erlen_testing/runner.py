"""A :class:`click.testing.CliRunner` that invokes an app's commands with the app loaded.

Which ``ScriptInfo``
--------------------
Commands wrapped by ``with_appcontext`` find the app through a ``ScriptInfo`` object in
``click.Context.obj``, looked up by class, so the runner must create an instance of the very
class the app's CLI package defines; erlen-testing cannot import that package. The class is
found, in this order:

1. the app's ``script_info_class`` attribute (an erlen app sets it);
2. a ``ScriptInfo`` attribute of the module that defines the class of ``app.cli`` or one of
   its bases, or of that module's top-level package (``flask.cli.ScriptInfo`` for a Flask app,
   ``erlen_cli.ScriptInfo`` for an app whose ``cli`` group comes from erlen-cli).

It is created as ``ScriptInfo(create_app=lambda: app)``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from click import Command
from click.testing import CliRunner
from click.testing import Result

from .protocols import CliApp


def _script_info_class(app: CliApp) -> type[Any]:
    """Find the ``ScriptInfo`` class that belongs to ``app``'s CLI (see the module docs)."""
    explicit = getattr(app, "script_info_class", None)

    if explicit is not None:
        return explicit  # type: ignore[no-any-return]

    cli = getattr(app, "cli", None)

    for cls in type(cli).__mro__ if cli is not None else ():
        module_name = cls.__module__

        for name in (module_name, module_name.partition(".")[0]):
            found = getattr(sys.modules.get(name), "ScriptInfo", None)

            if isinstance(found, type):
                return found

    raise TypeError(
        f"Cannot tell which ScriptInfo class the CLI of {app!r} uses. Set"
        " 'script_info_class' on the app, or pass 'obj=ScriptInfo(create_app=...)' to"
        " invoke()."
    )


class ErlenCliRunner(CliRunner):
    """Run an app's CLI commands in isolation and capture their output; usually made by
    ``app.test_cli_runner()``.

    :param app: the application whose commands are tested.
    :param kwargs: passed to :class:`click.testing.CliRunner` (``env``, ``charset`` ...).
    """

    def __init__(self, app: CliApp, **kwargs: Any) -> None:
        #: The application whose commands are tested.
        self.app = app
        super().__init__(**kwargs)

    def invoke(
        self,
        cli: Command | None = None,
        args: str | Sequence[str] | None = None,
        *more: Any,
        **kwargs: Any,
    ) -> Result:
        """Invoke a command with the app loaded, returning a :class:`click.testing.Result`.

        :param cli: the command to run; the app's ``cli`` group when not given.
        :param args: the command line arguments, a list of strings (or one string).
        :param more: passed to :meth:`click.testing.CliRunner.invoke`.
        :param kwargs: passed to :meth:`click.testing.CliRunner.invoke` (``input``, ``env``,
            ``catch_exceptions`` ...). Unless ``obj`` is given, it is a ``ScriptInfo``
            whose ``load_app()`` returns :attr:`app`.
        """
        if cli is None:
            cli = self.app.cli

        if "obj" not in kwargs:
            app = self.app
            kwargs["obj"] = _script_info_class(app)(create_app=lambda: app)

        return super().invoke(cli, args, *more, **kwargs)


#: The name Flask uses for :class:`ErlenCliRunner`.
FlaskCliRunner = ErlenCliRunner
