"""What a view returned, turned into what is sent.

Two encoders share this module. :func:`make_response` builds a response object of the app's
``response_class``: Flask's rules for strings, bytes, dicts, lists, iterators, tuples, response
objects and WSGI callables. :func:`encode` is the shortcut the pipeline takes when nothing could
observe that object: for a string, bytes, a dict or list of the default JSON provider, such a
body in a ``(body, status, headers)`` tuple, a buffered response object the view made itself
(``jsonify``, ``redirect``), or an HTTP error rendering werkzeug's standard page, it returns an
:class:`Answer` holding the status line, header list and body the response object would have
sent, byte for byte. Nothing here
knows a protocol; the adapters send an answer.
"""

from __future__ import annotations

import collections.abc as cabc
import sys
import typing as t

from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from erlen_context.globals import request

from .wrappers import bytes_only
from .wrappers import check_header_names
from .wrappers import content_type_of
from .wrappers import header_key
from .wrappers import Response
from .wrappers import sent_headers
from .wrappers import status_line as status_line

if t.TYPE_CHECKING:
    from . import typing as ft
    from .app import Erlen
    from .plan import Plan
    from .typing import HeadersValue

_INVALID_RETURN = (
    "The view function did not return a valid response. The return type must be a string,"
    " dict, list, tuple with headers or status, Response instance, or WSGI callable, but it"
    " was a {}."
)


class Answer:
    """A finished answer without a response object: status line, headers and encoded body.

    :param status: The status line, such as ``"200 OK"``.
    :param headers: The header list, ``Content-Length`` included.
    :param body: The body; a protocol adapter leaves it out for ``HEAD`` requests.
    """

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def split_tuple(rv: tuple[t.Any, ...]) -> tuple[t.Any, t.Any, HeadersValue | None]:
    """Split a view's tuple into ``(body, status, headers)``; a second item that is a mapping
    or a sequence is taken as the headers.
    """
    if len(rv) == 2:
        second = rv[1]
        if isinstance(second, (Headers, dict, tuple, list)):
            return rv[0], None, second
        return rv[0], second, None
    if len(rv) == 3:
        return rv
    raise TypeError(
        "The view function did not return a valid response tuple. The tuple must have the form"
        " (body, status, headers), (body, status), or (body, headers)."
    )


#: The types of a status :meth:`Response._from_text` takes as the constructor does.
_CODES = (int, type(None))


def make_response(app: Erlen, rv: ft.ResponseReturnValue | HTTPException) -> Response:
    """Convert what a view returned into an instance of ``app.response_class``.

    :param app: The application.
    :param rv: The value; see :meth:`erlen_core.Erlen.make_response`.
    :raises TypeError: For ``None`` or an unsupported type.
    """
    status: t.Any = None
    headers: HeadersValue | None = None
    if isinstance(rv, tuple):
        rv, status, headers = split_tuple(rv)
    if rv is None:
        raise TypeError(
            f"The view function for {request.endpoint!r} did not return a valid response."
            " The function either returned None or ended without a return statement."
        )
    response_class = app.response_class
    if isinstance(rv, response_class):
        response = rv
    elif isinstance(rv, (str, bytes, bytearray, cabc.Iterator, cabc.AsyncIterator)):
        # Given status and headers go to the constructor. Without headers, naming the
        # default mimetype spares it a failing (slow) Content-Type lookup.
        mimetype = None if headers else response_class.default_mimetype
        if type(rv) is str and not headers and type(status) in _CODES:
            # Made as jsonify makes its response, when the class can (erlen's Response).
            from_text = getattr(response_class, "_from_text", None)
            if from_text is not None:
                return from_text(rv, mimetype, status)  # type: ignore[no-any-return]
        return response_class(rv, status=status, headers=headers, mimetype=mimetype)  # type: ignore[arg-type]
    elif isinstance(rv, (dict, list)):
        response = t.cast(Response, app.json.response(rv))
    elif isinstance(rv, BaseResponse) or callable(rv):
        response = _coerce(app, rv)
        if isinstance(rv, HTTPException):
            answered(rv)
    else:
        raise TypeError(_INVALID_RETURN.format(type(rv).__name__))
    if status is not None:
        if isinstance(status, (str, bytes, bytearray)):
            response.status = status  # type: ignore[assignment]
        else:
            response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def answered(error: HTTPException) -> None:
    """Let go of what an HTTP error whose response is made no longer needs: its traceback and
    the error it was raised while handling. Both hold the frames of the request, which hold the
    request, which may hold the error (``request.routing_exception``): a cycle that only the
    garbage collector would free, at a cost to whichever request triggers it.
    """
    error.__traceback__ = None
    error.__context__ = None


def _coerce(app: Erlen, rv: t.Any) -> Response:
    """A foreign response object or a WSGI callable as ``app.response_class``."""
    try:
        return t.cast(Response, app.response_class.force_type(rv, request.environ))
    except TypeError as e:
        raise TypeError(f"{e}\n{_INVALID_RETURN.format(type(rv).__name__)}").with_traceback(
            sys.exc_info()[2]
        ) from None


#: Rendered standard error pages, per exception class, code and description.
_error_pages: dict[tuple[type[HTTPException], int, str | None], bytes] = {}
_PAGE_CACHE_SIZE = 256


def _standard_page(error: HTTPException) -> bool:
    """Whether ``error`` renders werkzeug's standard page with its own status and headers."""
    cls = type(error)
    return (
        error.response is None
        and error.code is not None
        and cls.get_response is HTTPException.get_response
        and cls.get_headers is HTTPException.get_headers
    )


def _error_page(error: HTTPException, environ: t.Any) -> bytes:
    """The encoded page of ``error``; cached when it depends only on class, code and
    description (werkzeug's own page methods).
    """
    cls = type(error)
    own_page = (
        cls.get_body is not HTTPException.get_body
        or cls.get_description is not HTTPException.get_description
        or cls.name is not HTTPException.name
    )
    if own_page:
        return error.get_body(environ, None).encode()
    key = (cls, t.cast(int, error.code), error.description)
    page = _error_pages.get(key)
    if page is None:
        page = error.get_body(environ, None).encode()
        if len(_error_pages) < _PAGE_CACHE_SIZE:
            _error_pages[key] = page
    return page


#: Headers whose value werkzeug may rewrite or derive when sending: a tuple naming one takes the
#: response object's path.
_DERIVED_HEADERS = frozenset(("content-type", "content-length", "location", "content-location"))


def _encode_body(app: Erlen, plan: Plan, rv: t.Any) -> tuple[bytes, str] | None:
    """The encoded body and ``Content-Type`` of a string, bytes, or JSON dict or list."""
    kind = type(rv)
    if kind is str:
        return rv.encode(), content_type_of(Response.default_mimetype)
    if kind is bytes:
        return rv, content_type_of(Response.default_mimetype)
    if (kind is dict or kind is list) and plan.encodes_json:
        provider = t.cast(t.Any, app.json)
        return provider._response_text(rv).encode(), content_type_of(provider.mimetype)
    return None


def _tuple_headers(headers: t.Any) -> list[tuple[str, str]] | None:
    """A tuple's headers dict as a header list, when the response object would keep them as
    given: text names and values, no line breaks, no name twice, none werkzeug derives.
    """
    if headers is None:
        return []
    if type(headers) is not dict:
        return None
    items = list(headers.items())
    names = set()
    for name, value in items:
        if (
            type(name) is not str
            or type(value) is not str
            or "\n" in value
            or "\r" in value
            or header_key(name) is None
        ):
            # The response object's path raises the error such a header deserves.
            return None
        names.add(name.lower())
    if len(names) != len(items) or not names.isdisjoint(_DERIVED_HEADERS):
        return None
    return items


def _encode_tuple(app: Erlen, plan: Plan, rv: tuple[t.Any, ...]) -> Answer | None:
    """A ``(body, status, headers)`` tuple of an encodable body, an ``int`` status of a
    response with a body (or none) and plain headers (or none).
    """
    body, status, headers = split_tuple(rv)
    encoded = _encode_body(app, plan, body)
    given = _tuple_headers(headers)
    if encoded is None or given is None:
        return None
    if status is None:
        line = "200 OK"
    elif type(status) is int and 200 <= status < 600 and status not in (204, 304):
        line = status_line(status)
    else:
        return None
    content, content_type = encoded
    own = [("Content-Type", content_type), ("Content-Length", str(len(content)))]
    # A text body's response is made with the headers, then typed and sized; a JSON response
    # is made first and then updated with them.
    return Answer(line, given + own if type(body) in (str, bytes) else own + given, content)


def encode_response(rv: Response, environ: t.Any) -> Answer | None:
    """A response object of the default class holding a buffered body of bytes, with nothing
    to run on close: what calling it would send.
    """
    body = rv.response
    if type(body) is not list or rv.direct_passthrough or rv._on_close:
        return None
    if not bytes_only(body):
        return None
    code = rv._status_code
    empty = 100 <= code < 200 or code in (204, 304)
    headers = None if empty else sent_headers(rv)
    if headers is None:
        # werkzeug would rewrite or add a header when sending: let it.
        headers = rv.get_wsgi_headers(environ).to_wsgi_list()
        check_header_names(headers)
    return Answer(rv._status, headers, b"" if empty else b"".join(body))


def encode(app: Erlen, plan: Plan, rv: t.Any, environ: t.Any) -> Answer | None:
    """Return ``rv`` as an :class:`Answer`, or ``None`` when it needs a response object.

    Only for a plan whose app sends :class:`~erlen_core.wrappers.Response` itself and where
    nothing could observe the response object (:attr:`Plan.observed`).

    :param app: The application.
    :param plan: The request's plan (says whether JSON can be encoded here).
    :param rv: What the view or an error handler returned: a string, bytes, a JSON dict or list,
        such a body in a tuple with a status and headers, a buffered response object of the
        default class (``jsonify``, ``redirect``), or an HTTP error rendering the standard page.
    :param environ: The request's environ, for error pages and headers that read it.
    """
    kind = type(rv)
    if kind is tuple:
        return _encode_tuple(app, plan, rv)
    if kind is Response:
        return encode_response(rv, environ)
    encoded = _encode_body(app, plan, rv)
    if encoded is not None:
        body, content_type = encoded
        status = "200 OK"
    elif isinstance(rv, HTTPException) and _standard_page(rv):
        body = _error_page(rv, environ)
        content_type = content_type_of("text/html")
        status = status_line(t.cast(int, rv.code))
        answered(rv)
    else:
        return None
    return Answer(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], body
    )
