"""Errors that explain common mistakes while an app runs in debug mode.

They replace a bare ``KeyError`` or a silent redirect with a message saying what went wrong and
how to fix it. :func:`explain_template_loading_attempts` lives in :mod:`erlen_templating` and is
re-exported here because Flask offers it from this module.
"""

from __future__ import annotations

import typing as t

from werkzeug.routing import RequestRedirect

from erlen_templating import explain_template_loading_attempts as explain_template_loading_attempts

if t.TYPE_CHECKING:
    from .wrappers import Request


class UnexpectedUnicodeError(AssertionError, UnicodeError):
    """Raised where text was given but bytes were expected, or the other way round."""


class DebugFilesKeyError(KeyError, AssertionError):
    """Raised in debug mode by ``request.files[key]`` when the key was sent as a form field.

    That happens when an HTML form uploads a file without ``enctype="multipart/form-data"``: the
    browser then sends only the file name.

    :param request: The request whose ``files`` lookup failed.
    :param key: The missing key.
    """

    def __init__(self, request: Request, key: str) -> None:
        message = (
            f"The key {key!r} is not in request.files. The request's mimetype is"
            f" {request.mimetype!r}, not 'multipart/form-data', which means that no file contents"
            ' were transmitted. Add enctype="multipart/form-data" to the HTML form.'
        )
        sent = request.form.getlist(key)
        if sent:
            names = ", ".join(repr(name) for name in sent)
            message += f"\n\nThe browser sent file names as form data. This was submitted: {names}"
        #: The explanation shown as the error's text.
        self.msg = message

    def __str__(self) -> str:
        return self.msg


class FormDataRoutingRedirect(AssertionError):
    """Raised in debug mode instead of a routing redirect that would lose the request body.

    Browsers turn a 301 or 302 answer to a POST into a GET without the form data. Only 307 and 308
    redirects keep the method and body, so debug mode stops and says so.

    :param request: The request whose ``routing_exception`` is the redirect.
    """

    def __init__(self, request: Request) -> None:
        redirect = request.routing_exception
        assert isinstance(redirect, RequestRedirect)
        parts = [
            f"The request to '{request.url}' was redirected by routing to the canonical URL"
            f" '{redirect.new_url}'."
        ]
        if redirect.new_url.partition("?")[0] == f"{request.base_url}/":
            parts.append(
                " The rule ends with a slash, and a URL without it is redirected to the URL"
                " with it."
            )
        parts.append(
            " Send the request to the canonical URL, or make routing redirect with 307 or 308;"
            " otherwise browsers drop the form data.\n\nThis check runs only in debug mode."
        )
        super().__init__("".join(parts))


def attach_enctype_error_multidict(request: Request) -> None:
    """Make ``request.files[key]`` raise :class:`DebugFilesKeyError` for form-only keys.

    The ``files`` object of this one request gets a subclass whose item lookup explains the
    missing ``enctype``; other requests are unaffected.

    :param request: The request to change.
    :meta private:
    """
    files_class = request.files.__class__

    class ExplainingFiles(files_class):  # type: ignore[valid-type, misc]
        def __getitem__(self, key: str) -> t.Any:
            try:
                return super().__getitem__(key)
            except KeyError as e:
                if key not in request.form:
                    raise
                raise DebugFilesKeyError(request, key).with_traceback(e.__traceback__) from None

    ExplainingFiles.__name__ = files_class.__name__
    ExplainingFiles.__module__ = files_class.__module__
    request.files.__class__ = ExplainingFiles
