"""JSON for erlen applications.

The functions here go through the current application's provider (``current_app.json``, see
:mod:`erlen_core.json.provider`) when an app context is active, so an app that installs another
provider changes them too. Without an app they use the standard library's :mod:`json`, with
:func:`dumps` and :func:`dump` still encoding dates, UUIDs, decimals, dataclasses and HTML
strings. :func:`jsonify` needs an app: it builds a response.

:mod:`erlen_core.json.tag` offers the tagged serializer sessions store their data with.
"""

from __future__ import annotations

import json as _json
import typing as t

from erlen_context import app_context_var
from erlen_context.globals import current_app

from .provider import _default

if t.TYPE_CHECKING:
    from ..wrappers import Response


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Serialize ``obj`` to a JSON string with ``current_app.json``, or :func:`json.dumps` when
    no app context is active.

    :param obj: The value to serialize.
    :param kwargs: Passed on to the provider or to :func:`json.dumps`.
    """
    ctx = app_context_var.get(None)
    if ctx is not None:
        return ctx.app.json.dumps(obj, **kwargs)  # type: ignore[no-any-return]
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Serialize ``obj`` as JSON into a text file with ``current_app.json``, or
    :func:`json.dump` when no app context is active.

    :param obj: The value to serialize.
    :param fp: A file open for writing text, preferably UTF-8 encoded.
    :param kwargs: Passed on to the provider or to :func:`json.dump`.
    """
    ctx = app_context_var.get(None)
    if ctx is not None:
        ctx.app.json.dump(obj, fp, **kwargs)
    else:
        kwargs.setdefault("default", _default)
        _json.dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Parse a JSON document with ``current_app.json``, or :func:`json.loads` when no app
    context is active.

    :param s: The document, as text or UTF-8 bytes.
    :param kwargs: Passed on to the provider or to :func:`json.loads`.
    """
    ctx = app_context_var.get(None)
    if ctx is not None:
        return ctx.app.json.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Parse the JSON document read from a file with ``current_app.json``, or :func:`json.load`
    when no app context is active.

    :param fp: A file open for reading text or UTF-8 bytes.
    :param kwargs: Passed on to the provider or to :func:`json.load`.
    """
    ctx = app_context_var.get(None)
    if ctx is not None:
        return ctx.app.json.load(fp, **kwargs)
    return _json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """Return an ``application/json`` response of the arguments, built by
    ``current_app.json.response()``. Output is indented in debug mode, compact otherwise.

    A view may also return a dict or list, which becomes the same response.

    :param args: One value to serialize, or several serialized as a list.
    :param kwargs: Serialized as an object. Cannot be combined with ``args``.
    :raise RuntimeError: If no application context is active.
    """
    ctx = app_context_var.get(None)
    if ctx is None:
        # The proxy raises the error for code outside an application context.
        return current_app.json.response(*args, **kwargs)  # type: ignore[no-any-return]
    return ctx.app.json.response(*args, **kwargs)  # type: ignore[no-any-return]
