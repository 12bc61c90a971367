"""The WSGI adapter: an environ in, :func:`erlen_core.pipeline.run`, ``start_response`` out.

Everything protocol-specific of a request lives here: making the request context from the
environ, sending an :class:`~erlen_core.responses.Answer` (no body for ``HEAD``) or calling a
response object as a WSGI application, the test client's ``werkzeug.debug.preserve_context``
hook, and popping the context, which runs teardown with the exception that ended the request.
"""

from __future__ import annotations

import typing as t

from erlen_context import app_context_var
from erlen_context import request_context_var

from .errors import from_application_code
from .pipeline import run
from .responses import Answer

if t.TYPE_CHECKING:
    import collections.abc as cabc

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from .app import Erlen


def send(answer: t.Any, environ: WSGIEnvironment, start_response: StartResponse) -> t.Any:
    """Start the WSGI response of an answer or a response object; return its body iterable."""
    if type(answer) is not Answer:
        return answer(environ, start_response)
    start_response(answer.status, answer.headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [answer.body]


def serve(
    app: Erlen, environ: WSGIEnvironment, start_response: StartResponse
) -> cabc.Iterable[bytes]:
    """Handle one WSGI request with ``app``; this is ``app.wsgi_app``.

    :param app: The application.
    :param environ: The WSGI environ.
    :param start_response: The server's ``start_response``.
    """
    ctx = app.request_context(environ)
    error: BaseException | None = None
    try:
        try:
            answer, error = run(app, ctx)
        except BaseException as e:
            error = e
            # What reaches the server (or the debugger) starts with the application's frames.
            from_application_code(e)
            raise e
        return send(answer, environ, start_response)  # type: ignore[no-any-return]
    finally:
        preserve = environ.get("werkzeug.debug.preserve_context")
        if preserve is not None:
            # The test client keeps the contexts for inspection after the request.
            preserve(app_context_var.get())
            preserve(request_context_var.get())
        if error is not None and app.should_ignore_error(error):
            error = None
        ctx.pop(error)
