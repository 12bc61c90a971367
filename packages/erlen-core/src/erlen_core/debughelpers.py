"""Errors that explain common mistakes while an app runs in debug mode.

They replace a bare ``KeyError`` or a silent redirect with a message saying what went wrong and
how to fix it. :func:`explain_template_loading_attempts` lives in :mod:`erlen_templating` and is
re-exported here because Flask offers it from this module.
"""

from __future__ import annotations

import functools
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
        added_slash = redirect.new_url.partition("?")[0] == f"{request.base_url}/"
        why = (
            " The rule ends with a slash, and a URL without it is redirected to the URL with it."
            if added_slash
            else ""
        )
        super().__init__(
            f"The request to '{request.url}' was redirected by routing to the canonical URL"
            f" '{redirect.new_url}'.{why} Send the request to the canonical URL, or make routing"
            " redirect with 307 or 308; otherwise browsers drop the form data.\n\nThis check"
            " runs only in debug mode."
        )


class _ExplainsMissingFiles:
    """Mixed into the class of one request's ``files``: looking up a key that was sent as a
    form field raises :class:`DebugFilesKeyError` instead of a bare :exc:`KeyError`.
    """

    #: The request whose ``files`` this is, set by :func:`attach_enctype_error_multidict`.
    _erlen_request: Request

    def __getitem__(self, key: str) -> t.Any:
        try:
            return super().__getitem__(key)  # type: ignore[misc]
        except KeyError as e:
            request = self._erlen_request
            if key not in request.form:
                raise
            raise DebugFilesKeyError(request, key).with_traceback(e.__traceback__) from None


@functools.cache
def _explaining_class(files_class: type[t.Any]) -> type[t.Any]:
    """``files_class`` with :class:`_ExplainsMissingFiles` mixed in, under the same name."""
    namespace = {"__module__": files_class.__module__, "__qualname__": files_class.__qualname__}
    return type(files_class.__name__, (_ExplainsMissingFiles, files_class), namespace)


def attach_enctype_error_multidict(request: Request) -> None:
    """Make ``request.files[key]`` raise :class:`DebugFilesKeyError` for form-only keys.

    The ``files`` object of this one request gets a subclass whose item lookup explains the
    missing ``enctype``; other requests are unaffected.

    :param request: The request to change.
    :meta private:
    """
    files = request.files
    files._erlen_request = request  # type: ignore[attr-defined]
    files.__class__ = _explaining_class(type(files))
