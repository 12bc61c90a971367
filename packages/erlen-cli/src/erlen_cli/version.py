"""``erlen --version``: the versions of Python, erlen and Werkzeug (and Flask, when erlen is
installed as ``flask``)."""

from __future__ import annotations

import importlib.metadata
import platform
import sys
import typing as t

import click


def erlen_version() -> str:
    """Return the installed version of erlen, or of erlen-cli when only it is installed."""
    try:
        return importlib.metadata.version("erlen")
    except importlib.metadata.PackageNotFoundError:
        return importlib.metadata.version("erlen-cli")


def version_lines() -> list[str]:
    """Return one ``Name version`` line for Python, erlen and Werkzeug, and for Flask when
    erlen was installed as ``flask`` (the Flask version it answers for, as ``flask --version``
    would print it).
    """
    lines = [f"Python {platform.python_version()}", f"Erlen {erlen_version()}"]
    flask = sys.modules.get("flask")
    if flask is not None and flask.__name__ == "erlen":
        lines.append(f"Flask {importlib.metadata.version('flask')} (provided by erlen)")
    lines.append(f"Werkzeug {importlib.metadata.version('werkzeug')}")
    return lines


def get_version(ctx: click.Context, param: click.Parameter | None, value: t.Any) -> None:
    """Callback of ``--version``: print the versions and exit.

    Does nothing when the flag is not given or click is only resolving completions.
    """
    if value and not ctx.resilient_parsing:
        click.echo("\n".join(version_lines()), color=ctx.color)
        ctx.exit()
