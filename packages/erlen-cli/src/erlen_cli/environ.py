"""Environment variables the command reads, and loading them from ``.env`` files.

``.flaskenv`` holds a project's public settings (``FLASK_APP``, ``FLASK_DEBUG``), ``.env`` the
private ones. Both are read with `python-dotenv`_ when it is installed.

.. _python-dotenv: https://pypi.org/project/python-dotenv/
"""

from __future__ import annotations

import importlib.util
import os

#: Default files, lowest precedence first: ``.env`` overrides ``.flaskenv``.
DEFAULT_ENV_FILES = (".flaskenv", ".env")

_FALSE_WORDS = ("0", "false", "no")


def debug_flag_from_env() -> bool:
    """Read ``FLASK_DEBUG``: any non-empty value but ``0``, ``false`` or ``no`` is true."""
    value = os.environ.get("FLASK_DEBUG", "")
    return bool(value) and value.lower() not in _FALSE_WORDS


def dotenv_enabled(default: bool = True) -> bool:
    """Tell whether default env files should be loaded, honouring ``FLASK_SKIP_DOTENV``.

    :param default: the answer when ``FLASK_SKIP_DOTENV`` is unset or empty.
    """
    value = os.environ.get("FLASK_SKIP_DOTENV")
    if not value:
        return default
    return value.lower() in _FALSE_WORDS


#: Flask's name for :func:`debug_flag_from_env`.
get_debug_flag = debug_flag_from_env
#: Flask's name for :func:`dotenv_enabled`.
get_load_dotenv = dotenv_enabled


def dotenv_available() -> bool:
    """Tell whether python-dotenv is installed (and not hidden by a ``None`` in
    :data:`sys.modules`).
    """
    return importlib.util.find_spec("dotenv") is not None


def load_dotenv(path: str | os.PathLike[str] | None = None, load_defaults: bool = True) -> bool:
    """Set environment variables from dotenv files.

    ``path`` overrides ``.env``, which overrides ``.flaskenv``; the default files are the
    nearest ones found from the current folder upwards. Variables already in
    :data:`os.environ` are never changed, and the current folder stays where it is.

    Without python-dotenv nothing is loaded, and a hint is printed when a dotenv file is there.

    :param path: a file to load; ignored when it is not a file.
    :param load_defaults: whether to look for ``.flaskenv`` and ``.env``.
    :return: whether any file gave at least one variable.
    """
    try:
        import dotenv
    except ImportError:
        if path or any(os.path.isfile(name) for name in DEFAULT_ENV_FILES):
            import click

            click.secho(
                " * Tip: dotenv files are present; install python-dotenv to load them"
                " (pip install python-dotenv).",
                fg="yellow",
                err=True,
            )
        return False

    files: list[str | os.PathLike[str]] = []
    if load_defaults:
        for name in DEFAULT_ENV_FILES:
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                files.append(found)
    if path is not None and os.path.isfile(path):
        files.append(path)

    values: dict[str, str | None] = {}
    for file in files:
        values.update(dotenv.dotenv_values(file, encoding="utf-8"))

    for key, value in values.items():
        if value is not None and key not in os.environ:
            os.environ[key] = value
    return bool(values)
