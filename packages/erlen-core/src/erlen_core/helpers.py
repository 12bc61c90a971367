"""Functions views call while handling a request: responses, redirects, errors, URLs, message
flashing and file downloads.

Most of them act on the current application (:data:`~erlen_context.globals.current_app`) and
defer to the method of the same name on it, so an app subclass can change what they do.
:func:`abort` and :func:`redirect` also work without an app, falling back to Werkzeug's.
"""

from __future__ import annotations

import importlib.util
import mimetypes
import operator
import os
import sys
import time
import typing as t
from datetime import datetime
from functools import cache

import werkzeug.utils
from werkzeug.datastructures import Headers
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.http import http_date
from werkzeug.utils import redirect as _wz_redirect
from werkzeug.wrappers import Response as BaseResponse
from werkzeug.wsgi import wrap_file

from erlen_cli import get_debug_flag as get_debug_flag
from erlen_cli import get_load_dotenv as get_load_dotenv
from erlen_context import app_context_var
from erlen_context import request_context_var
from erlen_context import stream_with_context as stream_with_context
from erlen_context.globals import current_app
from erlen_context.globals import request
from erlen_context.globals import request_ctx
from erlen_context.globals import session

from .signals import message_flashed

if t.TYPE_CHECKING:
    from .app import Erlen
    from .sansio.app import App
    from .wrappers import Response


def _app_or_none() -> App | None:
    """The application of the active app context, or ``None``."""
    ctx = app_context_var.get(None)
    return None if ctx is None else ctx.app  # type: ignore[return-value]


def make_response(*args: t.Any) -> Response:
    """Turn what a view could return into a response object of the current app, e.g. to add a
    header before returning it::

        response = make_response(render_template("index.html"), 200)
        response.headers["X-Frame-Options"] = "DENY"

    With no arguments, an empty response; with one, that value; with several, the tuple they
    form, each converted by the app's ``make_response``.

    :param args: A view return value, or the items of a view's return tuple.
    """
    if not args:
        return current_app.response_class()  # type: ignore[no-any-return]
    return current_app.make_response(args[0] if len(args) == 1 else args)  # type: ignore[no-any-return]


def url_for(endpoint: str, **values: t.Any) -> str:
    """Build the URL of an endpoint with the current app's
    :meth:`~erlen_core.app.Erlen.url_for`, which takes the same arguments.

    :param endpoint: The endpoint name; a leading ``.`` means the current blueprint's.
    :param values: The rule's variables; others become query arguments. Four names are options
        instead: ``_anchor`` (appended as ``#anchor``), ``_method`` (use the rule for this
        method), ``_scheme`` (the scheme of an external URL) and ``_external`` (force an absolute
        ``True`` or relative ``False`` URL; outside a request URLs are external by default).
    """
    return current_app.url_for(endpoint, **values)  # type: ignore[no-any-return]


def redirect(
    location: str, code: int = 302, Response: type[BaseResponse] | None = None
) -> BaseResponse:
    """Return a response redirecting to ``location``: the current app's ``redirect`` when an app
    context is active, else Werkzeug's.

    :param location: The URL to redirect to.
    :param code: The redirect status code.
    :param Response: Response class used without an app; an app uses its ``response_class``.
    """
    app = _app_or_none()
    if app is not None:
        return app.redirect(location, code=code)
    return _wz_redirect(location, code=code, Response=Response)


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the HTTP exception for a status code, through the current app's ``aborter`` when an
    app context is active (so it knows the app's own exception classes), else Werkzeug's.

    :param code: The status code, or a response to send as is.
    :param args: Passed to the exception.
    :param kwargs: Passed to the exception.
    :raise LookupError: If no exception is registered for ``code``.
    """
    app = _app_or_none()
    if app is not None:
        app.aborter(code, *args, **kwargs)
    _wz_abort(code, *args, **kwargs)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """Return a macro or variable a template exports, e.g. to call a Jinja macro from Python::

        hello = get_template_attribute("_macros.html", "hello")
        return hello("World")

    :param template_name: The template, as for ``render_template``.
    :param attribute: The name of the macro or variable.
    """
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)


def flash(message: str, category: str = "message") -> None:
    """Store a message in the session for a later request to show with
    :func:`get_flashed_messages`, and send the ``message_flashed`` signal.

    :param message: The message.
    :param category: Any string; ``"message"``, ``"error"``, ``"info"`` and ``"warning"`` are
        customary.
    """
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes
    if message_flashed.receivers:
        app = current_app._get_current_object()
        message_flashed.send(
            app, _async_wrapper=app.ensure_sync, message=message, category=category
        )


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """Return the flashed messages and remove them from the session. Later calls during the same
    request return the same messages.

    :param with_categories: Return ``(category, message)`` pairs instead of messages.
    :param category_filter: Return only messages of these categories.
    """
    flashes: list[tuple[str, str]] | None = request_ctx.flashes
    if flashes is None:
        flashes = session.pop("_flashes") if "_flashes" in session else []
        request_ctx.flashes = flashes
    if category_filter:
        flashes = [item for item in flashes if item[0] in category_filter]
    if with_categories:
        return flashes
    return [item[1] for item in flashes]


#: What :func:`send_file` sends: a path, or a binary file object.
FileSource = os.PathLike[str] | os.PathLike[bytes] | str | t.IO[bytes]
#: A modification time: a datetime or a UNIX timestamp.
Timestamp = datetime | int | float
#: Seconds a client may cache a file, or a function of the file name giving them.
MaxAge = int | t.Callable[[str | None], int | None]


def _with_app_settings(send: t.Callable[..., t.Any], *args: t.Any, **options: t.Any) -> Response:
    """Call one of Werkzeug's file senders with the current app's and request's settings added
    to ``options``.
    """
    app = current_app._get_current_object()
    if options.get("max_age") is None:
        options["max_age"] = app.get_send_file_max_age
    settings = {
        "environ": request.environ,
        "use_x_sendfile": app.config["USE_X_SENDFILE"],
        "response_class": app.response_class,
        "_root_path": app.root_path,
    }
    return send(*args, **settings, **options)  # type: ignore[no-any-return]


#: Request headers that can make a file's answer other than its whole content.
_CONDITIONAL_HEADERS = (
    "HTTP_RANGE",
    "HTTP_IF_RANGE",
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
#: The options of :func:`send_file` besides the path and ``max_age`` that a template is for.
_keyed_options = operator.itemgetter(
    "mimetype", "download_name", "as_attachment", "conditional", "etag", "last_modified"
)
#: The fields of the response Werkzeug's ``send_file`` makes for a whole file.
_FILE_RESPONSE_FIELDS = frozenset(
    ("headers", "_status", "_status_code", "direct_passthrough", "_on_close", "response")
)


class _SentFile:
    """What Werkzeug's :func:`~werkzeug.utils.send_file` made for the whole content of one file
    (one path, size, modification time and set of options): the response's field names in
    order, its header list, and where the two headers that depend on the time are in it
    (``Date`` when conditional, ``Expires`` with a ``max_age``; ``-1`` when absent).
    """

    __slots__ = ("fields", "headers", "date", "expires", "max_age")

    def __init__(self, response: Response, conditional: bool, max_age: int | None) -> None:
        self.fields = list(vars(response))
        self.headers = list(response.headers)
        names = [name for name, _ in self.headers]
        self.date = names.index("Date") if conditional else -1
        self.expires = -1 if max_age is None else names.index("Expires")
        self.max_age = max_age

    @classmethod
    def of(cls, response: Response, conditional: bool, max_age: int | None) -> _SentFile | None:
        """The template of ``response``, or ``None`` when it is not of the plain form
        :meth:`response` rebuilds.
        """
        names = [name for name, _ in response.headers]
        if (
            type(response) is not _default_response()
            or type(response.headers) is not Headers
            or set(vars(response)) != _FILE_RESPONSE_FIELDS
            or response._status_code != 200
            or response._on_close
            or response.direct_passthrough is not True
            or names.count("Date") != (1 if conditional else 0)
            or names.count("Expires") != (0 if max_age is None else 1)
        ):
            return None
        return cls(response, conditional, max_age)

    def response(self, body: t.Any) -> Response:
        """A response like the one this was made from, with ``body`` and the time now."""
        headers = self.headers.copy()
        now = time.time()
        if self.date >= 0:
            headers[self.date] = ("Date", _date(int(now)))
        if self.expires >= 0:
            headers[self.expires] = ("Expires", http_date(int(now + t.cast(int, self.max_age))))
        header_object = Headers()
        header_object._list = headers
        values = {
            "headers": header_object,
            "_status": "200 OK",
            "_status_code": 200,
            "direct_passthrough": True,
            "_on_close": [],
            "response": body,
        }
        response = object.__new__(_default_response())
        response.__dict__.update((name, values[name]) for name in self.fields)
        return response


@cache
def _default_response() -> type[Response]:
    """erlen's response class (imported on first use: its module imports this one)."""
    from .wrappers import Response

    return Response


#: Templates of sent files, by path, size, modification time and options.
_sent_files: dict[tuple[t.Any, ...], _SentFile] = {}
_SENT_FILES_SIZE = 256
#: The second last asked for by :func:`_date` and its HTTP date.
_last_date: tuple[int, str] = (0, "")


def _date(second: int) -> str:
    """The HTTP date of a UNIX second, kept for the rest of that second."""
    global _last_date
    if _last_date[0] != second:
        _last_date = (second, http_date(second))
    return _last_date[1]


def _send_path(options: dict[str, t.Any]) -> Response | None:
    """:func:`send_file` of a path answered with its whole content, from the template of an
    earlier answer for the same file and options; ``None`` when Werkzeug's function must run
    as :func:`send_file` calls it. Werkzeug's answer is kept as the template when its form
    allows.

    :param options: The arguments of :func:`send_file`, by name.
    """
    ctx = request_context_var.get(None)
    app_ctx = app_context_var.get(None)
    source = options["path_or_file"]
    if ctx is None or app_ctx is None or not isinstance(source, (str, os.PathLike)):
        return None
    given = os.fspath(source)
    if type(given) is not str:
        return None
    app = t.cast("Erlen", app_ctx.app)
    environ = ctx.request.environ
    conditional = options["conditional"]
    if (
        app.response_class is not _default_response()
        or app.config["USE_X_SENDFILE"]
        or (
            conditional
            and (
                environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
                or any(name in environ for name in _CONDITIONAL_HEADERS)
            )
        )
    ):
        return None
    path = os.path.join(app.root_path, given)
    max_age = options["max_age"]
    if max_age is None:
        max_age = app.get_send_file_max_age
    if callable(max_age):
        max_age = max_age(path)
    stat = os.stat(path)
    mimetype = options["mimetype"]
    download_name = options["download_name"]
    # Guessed each time (as Werkzeug does without a mimetype): mimetypes.add_type may change it.
    guessed = (
        None
        if mimetype is not None
        else mimetypes.guess_type(
            os.path.basename(path) if download_name is None else download_name
        )
    )
    key = (path, stat.st_size, stat.st_mtime, guessed, max_age, _keyed_options(options))
    try:
        template = _sent_files.get(key)
    except TypeError:  # An unhashable option: Werkzeug's function takes it all the same.
        return None
    if template is not None:
        return template.response(wrap_file(environ, open(path, "rb")))
    response = _with_app_settings(werkzeug.utils.send_file, **{**options, "max_age": max_age})
    template = _SentFile.of(response, conditional, max_age)
    if template is not None and len(_sent_files) < _SENT_FILES_SIZE:
        _sent_files[key] = template
    return response


def send_file(
    path_or_file: FileSource,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: Timestamp | None = None,
    max_age: MaxAge | None = None,
) -> Response:
    """Send a file's contents as the response, with Werkzeug's :func:`~werkzeug.utils.send_file`
    and the current app's settings: ``USE_X_SENDFILE``, ``response_class``, and ``max_age`` from
    the app's ``get_send_file_max_age`` (``SEND_FILE_MAX_AGE_DEFAULT``) when not given.

    Never pass a path that comes from the client; use :func:`send_from_directory` for that.

    :param path_or_file: A path (relative to the working directory) or a file open in binary
        mode, positioned at the start of the data.
    :param mimetype: The content type; guessed from the file name when not given.
    :param as_attachment: Ask the browser to save the file instead of showing it.
    :param download_name: The file name the browser proposes; defaults to the path's name.
    :param conditional: Answer conditional and range requests (needs a path or seekable file).
    :param etag: Add an ETag computed from the path, or this string.
    :param last_modified: The modification time to send; read from the path when not given.
    :param max_age: Seconds the client may cache the file, or a function of the path giving
        them. ``None`` means ``no-cache`` (revalidate each time).
    """
    # Every parameter is one of Werkzeug's, by the same name; at this point locals() is just them.
    options = locals()
    sent = _send_path(options)
    if sent is not None:
        return sent
    return _with_app_settings(werkzeug.utils.send_file, **options)


def send_from_directory(
    directory: os.PathLike[str] | str, path: os.PathLike[str] | str, **kwargs: t.Any
) -> Response:
    """Send a file from inside ``directory`` with :func:`send_file`. ``path`` may come from the
    client: one that leads outside the folder, or to no regular file, raises a 404
    :exc:`~werkzeug.exceptions.NotFound`.

    :param directory: The folder, relative to the app's root path. Never client input.
    :param path: The file's path inside ``directory``.
    :param kwargs: Passed to :func:`send_file`.
    """
    return _with_app_settings(werkzeug.utils.send_from_directory, directory, path, **kwargs)


def get_root_path(import_name: str) -> str:
    """Return the folder of a package, or the folder holding a module; the working directory
    when the module cannot be found.

    :param import_name: The module's import name.
    :raise RuntimeError: If the module has no file (a namespace package, or one an import hook
        made), so the root path must be given explicitly.
    :meta private:
    """
    filename: str | None = getattr(sys.modules.get(import_name), "__file__", None)
    if filename is None:
        try:
            spec = importlib.util.find_spec(import_name)
        except (ImportError, ValueError):
            spec = None
        loader = spec.loader if spec is not None else None
        if loader is None:
            return os.getcwd()
        if hasattr(loader, "get_filename"):
            filename = loader.get_filename(import_name)
        else:
            __import__(import_name)
            filename = getattr(sys.modules[import_name], "__file__", None)
            if filename is None:
                raise RuntimeError(
                    f"No root path can be found for the module {import_name!r}: it has no file."
                    " A namespace package, or a module from an import hook that gives no file"
                    " name, needs its root path passed explicitly."
                )
    return os.path.dirname(os.path.abspath(filename))


@cache
def _split_blueprint_path(name: str) -> list[str]:
    """Split a dotted blueprint name into itself and each parent, innermost first:
    ``"a.b.c"`` gives ``["a.b.c", "a.b", "a"]``.
    """
    parts = [name]
    while "." in name:
        name = name.rpartition(".")[0]
        parts.append(name)
    return parts
