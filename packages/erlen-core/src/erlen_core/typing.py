"""Type aliases for what views, hooks and handlers may accept and return.

These names match :mod:`flask.typing`, so annotations written for Flask type-check against erlen.
They describe the loose shapes the dispatch pipeline accepts; the checks themselves happen at run
time in :meth:`erlen_core.app.Erlen.make_response`.
"""

# These aliases are evaluated at run time and name some types as strings, which the X | Y
# syntax cannot combine; so they keep typing.Union and typing.Optional.
# ruff: noqa: UP007, UP045

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication  # noqa: F401
    from werkzeug.datastructures import Headers  # noqa: F401
    from werkzeug.sansio.response import Response  # noqa: F401

_T = t.TypeVar("_T")

#: A plain value, or an awaitable of it: what a function that may be a coroutine function gives.
#: Every hook and handler below may be either; the app runs coroutines through ``ensure_sync``.
MaybeAwaitable = t.Union[_T, t.Awaitable[_T]]

# --- what a view returns ---------------------------------------------------------------------

#: A body sent at once: text or bytes.
_WholeBody = t.Union[str, bytes]
#: A body sent in pieces, from a sync or an async iterator.
_StreamedBody = t.Union[
    t.Iterator[str], t.Iterator[bytes], cabc.AsyncIterable[str], cabc.AsyncIterable[bytes]
]
#: A body serialized as JSON.
_JSONBody = t.Union[list[t.Any], t.Mapping[str, t.Any]]

#: A response body a view may return on its own, or a response object.
ResponseValue = t.Union["Response", _WholeBody, _StreamedBody, _JSONBody]

#: One header value: a string or several strings.
HeaderValue = t.Union[str, list[str], tuple[str, ...]]

#: Headers in any form :class:`~werkzeug.datastructures.Headers` can be updated from.
HeadersValue = t.Union["Headers", t.Mapping[str, HeaderValue], t.Sequence[tuple[str, HeaderValue]]]

#: Everything a view, a ``before_request`` hook or an error handler may return: a value, a WSGI
#: application, or a value with a status or headers or both (``(body, status, headers)``).
ResponseReturnValue = t.Union[
    ResponseValue,
    tuple[ResponseValue, t.Union[int, HeadersValue]],
    tuple[ResponseValue, int, HeadersValue],
    "WSGIApplication",
]

# --- what the registries hold ----------------------------------------------------------------

#: The response class an ``after_request`` function receives and returns.
ResponseClass = t.TypeVar("ResponseClass", bound="Response")

#: The key of the per-scope registries: a blueprint name, or ``None`` for the app.
AppOrBlueprintKey = t.Optional[str]

#: A view function; URL variables arrive as keyword arguments.
RouteCallable = t.Callable[..., MaybeAwaitable[ResponseReturnValue]]
#: An error handler; it receives the exception, whose type depends on what it was registered for.
ErrorHandlerCallable = t.Callable[[t.Any], MaybeAwaitable[ResponseReturnValue]]

#: Request hooks, in the order they run.
BeforeFirstRequestCallable = t.Callable[[], MaybeAwaitable[None]]
BeforeRequestCallable = t.Callable[[], MaybeAwaitable[t.Optional[ResponseReturnValue]]]
AfterRequestCallable = t.Callable[[ResponseClass], MaybeAwaitable[ResponseClass]]
TeardownCallable = t.Callable[[t.Optional[BaseException]], MaybeAwaitable[None]]

#: URL processors: ``url_defaults`` fills values in before building, ``url_value_preprocessor``
#: takes them out of the matched ones.
URLDefaultCallable = t.Callable[[str, dict[str, t.Any]], None]
URLValuePreprocessorCallable = t.Callable[[t.Optional[str], t.Optional[dict[str, t.Any]]], None]

#: Template and shell extensions.
TemplateContextProcessorCallable = t.Callable[[], MaybeAwaitable[dict[str, t.Any]]]
TemplateFilterCallable = t.Callable[..., t.Any]
TemplateGlobalCallable = t.Callable[..., t.Any]
TemplateTestCallable = t.Callable[..., bool]
ShellContextProcessorCallable = t.Callable[[], dict[str, t.Any]]
