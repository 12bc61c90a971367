"""Answers sent without a response object.

Most views return a string, bytes, a dict or a list, and most failed requests end in an
unhandled :class:`~werkzeug.exceptions.HTTPException` such as a 404. When nothing can see or
change the response (no ``after_request`` or ``after_this_request`` function, no
``request_finished`` receiver, no session to save), :meth:`~erlen_core.Erlen.wsgi_app` sends such
a value as a :class:`DirectResponse`: the status line, headers and body that the app's
:class:`~erlen_core.wrappers.Response` would have sent, byte for byte, without building one.
Anything else, or an app whose response class or JSON provider changes how responses are made,
goes through :meth:`~erlen_core.Erlen.finalize_request` as before.
"""

from __future__ import annotations

import functools
import typing as t

from werkzeug.exceptions import HTTPException
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Response as BaseResponse

from .json.provider import DefaultJSONProvider
from .wrappers import Response

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from .sansio.app import App


class DirectResponse:
    """A finished answer: a WSGI application sending one status, headers and body.

    Like a response object, it sends no body to a ``HEAD`` request but keeps its
    ``Content-Length``.

    :param status: The status line, such as ``"200 OK"``.
    :param headers: The header list, ``Content-Length`` included.
    :param body: The encoded body.
    """

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        start_response(self.status, self.headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            return []
        return [self.body]


@functools.lru_cache(maxsize=64)
def _status_line(code: int) -> str:
    # Made by werkzeug itself, so the text (case, unknown codes) matches exactly.
    return BaseResponse(status=code).status


@functools.lru_cache(maxsize=64)
def _content_type(mimetype: str | None) -> str:
    return get_content_type(mimetype or "text/plain", "utf-8")


def _plain_http_exception(rv: object) -> bool:
    """Whether ``rv`` is an HTTP error that renders the standard error page."""
    if not isinstance(rv, HTTPException):
        return False
    cls = type(rv)
    return (
        rv.response is None
        and rv.code is not None
        and cls.get_response is HTTPException.get_response
        and cls.get_headers is HTTPException.get_headers
    )


#: Rendered standard error pages, per exception class, code and description.
_error_pages: dict[tuple[type[HTTPException], int, str | None], bytes] = {}


def _error_page(error: HTTPException, environ: WSGIEnvironment) -> bytes:
    """The encoded error page of ``error``, rendered once per class, code and description
    when the page depends on nothing else (werkzeug's own page methods).
    """
    cls = type(error)
    if (
        cls.get_body is not HTTPException.get_body
        or cls.get_description is not HTTPException.get_description
        or cls.name is not HTTPException.name
    ):
        return error.get_body(environ, None).encode()
    key = (cls, t.cast(int, error.code), error.description)
    page = _error_pages.get(key)
    if page is None:
        page = error.get_body(environ, None).encode()
        if len(_error_pages) < 256:
            _error_pages[key] = page
    return page


def direct_response(app: App, rv: t.Any, environ: WSGIEnvironment) -> DirectResponse | None:
    """Return ``rv`` as a :class:`DirectResponse`, or ``None`` when it needs a response object.

    Handled: ``str`` and ``bytes`` (HTML, status 200), ``dict`` and ``list`` through an
    unchanged :class:`~erlen_core.json.provider.DefaultJSONProvider`, and HTTP exceptions that
    render werkzeug's standard error page. Only for an app whose ``response_class`` is
    :class:`~erlen_core.wrappers.Response` itself.

    :param app: The application.
    :param rv: What the view (or an error handler) returned.
    :param environ: The request's WSGI environ.
    """
    if app.response_class is not Response:
        return None
    cls = type(rv)
    status = "200 OK"
    if cls is str:
        body = rv.encode()
        content_type = _content_type(Response.default_mimetype)
    elif cls is bytes:
        body = rv
        content_type = _content_type(Response.default_mimetype)
    elif cls is dict or cls is list:
        provider = app.json
        if type(provider).response is not DefaultJSONProvider.response:
            return None
        body = provider._response_text(rv).encode()  # type: ignore[attr-defined]
        content_type = _content_type(provider.mimetype)  # type: ignore[attr-defined]
    elif _plain_http_exception(rv):
        body = _error_page(rv, environ)
        content_type = _content_type("text/html")
        status = _status_line(rv.code)
    else:
        return None
    return DirectResponse(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], body
    )
