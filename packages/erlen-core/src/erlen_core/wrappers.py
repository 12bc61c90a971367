"""The request and response classes of an erlen application, on Werkzeug's.

:class:`Request` remembers what URL matching found (:attr:`~Request.url_rule`,
:attr:`~Request.view_args`, :attr:`~Request.routing_exception`) and takes its body size limits
from the current app's config. :class:`Response` defaults to HTML and takes its cookie size limit
from the config. Both decode and encode JSON through :mod:`erlen_core.json`, so through the app's
JSON provider. An app uses subclasses through its ``request_class`` and ``response_class``.
"""

from __future__ import annotations

import functools
import re
import typing as t
from http import HTTPStatus
from urllib.parse import parse_qsl

from markupsafe import escape
from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import Headers
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.sansio.http import parse_cookie
from werkzeug.urls import iri_to_uri
from werkzeug.utils import get_content_type
from werkzeug.utils import redirect as _wz_redirect
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase
from werkzeug.wsgi import LimitedStream

from erlen_routing import incompatible_werkzeug
from erlen_routing import wsgi_text

from . import json
from .helpers import _app_or_none
from .helpers import _split_blueprint_path
from .streams import async_app_iter

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Rule


#: The undocumented parts of Werkzeug's request and response classes these subclasses build on:
#: the form loading step Flask's request also overrides, the status fields, the close callbacks,
#: the list a ``Headers`` object keeps its headers in.
WERKZEUG_DETAILS = (
    (RequestBase, "_load_form_data"),
    (ResponseBase, "_clean_status"),
)
#: Instance attributes every Werkzeug response sets in ``__init__``.
WERKZEUG_RESPONSE_FIELDS = ("_status", "_status_code", "_on_close")


def check_werkzeug() -> None:
    """Refuse, at import, a Werkzeug release without the details listed above.

    :raise erlen_routing.IncompatibleWerkzeug: naming the missing detail and the tested range.
    """
    missing = [
        f"{base.__name__}.{name}" for base, name in WERKZEUG_DETAILS if not hasattr(base, name)
    ]
    fields = vars(ResponseBase())
    missing += [f"Response().{name}" for name in WERKZEUG_RESPONSE_FIELDS if name not in fields]
    # The header list responses erlen makes are filled in and copied through.
    if type(vars(Headers()).get("_list")) is not list:
        missing.append("Headers()._list")
    if missing:
        raise incompatible_werkzeug("erlen-core", ", ".join(missing))


check_werkzeug()


class _AppSetting:
    """A request or response attribute whose default is a config key of the current app.

    Read, it gives the value set on this object, else the current app's ``key`` config, else
    (outside an app context) Werkzeug's class default. ``per_object=False`` makes it read-only,
    always the config.
    """

    def __init__(self, key: str, *, per_object: bool = True) -> None:
        self.key = key
        self.per_object = per_object

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        #: Werkzeug's default, from the first base class that is not erlen's.
        self.default = next(vars(base)[name] for base in owner.__mro__[1:] if name in vars(base))

    @t.overload
    def __get__(self, obj: None, owner: type) -> _AppSetting: ...
    @t.overload
    def __get__(self, obj: object, owner: type) -> t.Any: ...
    def __get__(self, obj: object | None, owner: type) -> t.Any:
        if obj is None:
            return self
        if self.per_object:
            value = obj.__dict__.get(self.name)
            if value is not None:
                return value
        app = _app_or_none()
        return self.default if app is None else app.config[self.key]

    def __set__(self, obj: object, value: int | None) -> None:
        if not self.per_object:
            raise AttributeError(f"{self.name} is the {self.key} config; set that instead")
        obj.__dict__[self.name] = value


class _MaxLengthStream(LimitedStream):
    """The body of a request of unknown length (chunked) under ``max_content_length``.

    Werkzeug's stream stops reading at the limit, so reading it whole would silently cut a
    longer body at the limit; this one reads one byte more and refuses such a body with 413.
    """

    def __init__(self, stream: t.IO[bytes], limit: int) -> None:
        super().__init__(stream, limit, is_max=True)
        self._source = stream

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted and self._source.read(1):
            self.on_exhausted()
        return data


def parse_urlencoded(text: str) -> list[tuple[str, str]]:
    """The fields of a urlencoded query string or form body, as werkzeug parses them:
    ``parse_qsl`` with blank values kept and invalid UTF-8 left percent-encoded. Text without
    percent-escapes is split directly (a ``+`` is a space).
    """
    if "%" in text:
        return parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
    pairs = []
    for field in text.replace("+", " ").split("&"):
        if field:
            name, _, value = field.partition("=")
            pairs.append((name, value))
    return pairs


T = t.TypeVar("T")


class _Kept(t.Generic[T]):
    """A request field computed on first read and kept in the request's ``__dict__``, where
    later reads find it without calling anything (werkzeug's ``cached_property`` is called on
    every read). Assigning the attribute replaces the value; deleting it computes it again.
    """

    def __init__(self, compute: t.Callable[[t.Any], T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @t.overload
    def __get__(self, obj: None, owner: type | None = None) -> _Kept[T]: ...
    @t.overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> T | _Kept[T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


class Request(RequestBase):
    """The request object of an erlen application, available as
    :data:`~erlen_context.globals.request` while a request is handled.

    The three body limits (:attr:`max_content_length`, :attr:`max_form_memory_size`,
    :attr:`max_form_parts`) default to the ``MAX_CONTENT_LENGTH``, ``MAX_FORM_MEMORY_SIZE`` and
    ``MAX_FORM_PARTS`` config of the current app; a view may assign a different limit to one
    request before reading its body.

    Creating one only stores the environ and :attr:`method`: :attr:`path`, :attr:`headers` and
    the other values werkzeug reads from the environ up front are read from it when first used, and
    then kept, so a request no view looks at costs almost nothing.
    """

    def __init__(
        self, environ: WSGIEnvironment, populate_request: bool = True, shallow: bool = False
    ) -> None:
        self.environ = environ
        if shallow:
            self.shallow = True
        #: The request method, upper case, such as ``GET``.
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        if populate_request and not shallow:
            environ["werkzeug.request"] = self

    @_Kept
    def scheme(self) -> str:
        """The URL scheme the request came with, such as ``https``."""
        return t.cast(str, self.environ.get("wsgi.url_scheme", "http"))

    @_Kept
    def server(self) -> tuple[str, int | None] | None:
        """The server's ``(host, port)``; ``(path, None)`` on a Unix socket; ``None`` when the
        environ does not say.
        """
        name = self.environ.get("SERVER_NAME")
        if name is None:
            return None
        try:
            port: int | None = int(self.environ.get("SERVER_PORT"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            port = None
        return name, port

    @_Kept
    def root_path(self) -> str:
        """The path the application is mounted at, without a trailing slash."""
        return wsgi_text(self.environ.get("SCRIPT_NAME") or "").rstrip("/")

    @_Kept
    def path(self) -> str:
        """The request path below :attr:`root_path`, starting with ``/``."""
        return "/" + wsgi_text(self.environ.get("PATH_INFO") or "").lstrip("/")

    @_Kept
    def query_string(self) -> bytes:
        """The raw query string, the part of the URL after ``?``."""
        return t.cast(str, self.environ.get("QUERY_STRING", "")).encode("latin1")

    @_Kept
    def headers(self) -> EnvironHeaders:  # type: ignore[override]
        """The request headers, read from the environ."""
        return EnvironHeaders(self.environ)

    @_Kept
    def remote_addr(self) -> str | None:
        """The client's address."""
        return self.environ.get("REMOTE_ADDR")

    #: The module :meth:`get_json` decodes with.
    json_module: t.Any = json

    #: Whether reading the body is refused (``shallow=True``): for code that must not consume
    #: the input stream.
    shallow = False

    #: The URL rule that matched, or ``None`` before matching or when it failed. With a method
    #: the rule does not allow, the allowed methods are in ``routing_exception.valid_methods``.
    url_rule: Rule | None = None

    #: The arguments matched from the URL, or ``None`` when matching failed.
    view_args: dict[str, t.Any] | None = None

    #: The HTTP exception URL matching raised (e.g. ``NotFound``), raised again on dispatch.
    routing_exception: HTTPException | None = None

    #: The most body bytes this request may read; more raises a 413 error. Defaults to the
    #: ``MAX_CONTENT_LENGTH`` config, ``None`` meaning no limit; a view may set it for its own
    #: request before reading the body. Without a limit, a body of unknown length is only read
    #: when the server marks the stream as terminated.
    max_content_length = _AppSetting("MAX_CONTENT_LENGTH")

    #: The largest size in bytes of a non-file field of a ``multipart/form-data`` body, and of
    #: a whole ``application/x-www-form-urlencoded`` body (parsed in memory at once); more
    #: raises a 413 error. Defaults to the ``MAX_FORM_MEMORY_SIZE`` config; settable per request.
    #: Applied to urlencoded bodies whatever the Werkzeug version (3.1.6 and newer stopped
    #: applying it there), bodies of unknown length included.
    max_form_memory_size = _AppSetting("MAX_FORM_MEMORY_SIZE")

    #: The most fields a ``multipart/form-data`` body may have; more raises a 413 error.
    #: Defaults to the ``MAX_FORM_PARTS`` config; settable per request.
    max_form_parts = _AppSetting("MAX_FORM_PARTS")

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None`` before matching or when it failed."""
        rule = self.url_rule
        return None if rule is None else t.cast(str, rule.endpoint)

    @property
    def blueprint(self) -> str | None:
        """The registered name of the blueprint handling the request (dotted when nested), or
        ``None`` for an app route or when matching failed.
        """
        rule = self.url_rule
        if rule is None:
            return None
        return (rule.endpoint or "").rpartition(".")[0] or None

    @property
    def blueprints(self) -> list[str]:
        """The registered names of the current blueprint and each parent blueprint, innermost
        first; empty when there is no current blueprint.
        """
        name = self.blueprint
        return [] if name is None else _split_blueprint_path(name)

    @_Kept
    def stream(self) -> t.IO[bytes]:
        """The body stream, as in Werkzeug: limited to ``Content-Length`` and
        :attr:`max_content_length`. A body of unknown length that the server ends itself
        (``wsgi.input_terminated``) and that is longer than :attr:`max_content_length` raises
        413 when read whole, instead of being cut at the limit.
        """
        stream = super().stream
        limit = self.max_content_length
        if limit is not None and "wsgi.input_terminated" in self.environ:
            return _MaxLengthStream(self.environ["wsgi.input"], limit)  # type: ignore[return-value]
        return stream

    def _query_text(self) -> str:
        """The query string as text. Servers pass its bytes as they came; bytes that are not
        UTF-8 stay percent-encoded instead of failing the request.
        """
        return self.query_string.decode("utf-8", "werkzeug.url_quote")

    @_Kept
    def args(self) -> MultiDict[str, str]:
        """The parsed query string, as in Werkzeug; invalid UTF-8, raw or percent-encoded,
        stays percent-encoded in keys and values.
        """
        return self.parameter_storage_class(parse_urlencoded(self._query_text()))

    @property
    def full_path(self) -> str:
        """The path and the query string, joined by ``?``; see :attr:`args` for invalid
        UTF-8.
        """
        return f"{self.path}?{self._query_text()}"

    def get_json(
        self, force: bool = False, silent: bool = False, cache: bool = True
    ) -> t.Any | None:
        """Parse the body as JSON, as Werkzeug does. A document nested deeper than the parser
        can recurse is invalid JSON like any other (a 400 error, or ``None`` when ``silent``),
        not a server error.
        """
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            return self.on_json_loading_failed(
                ValueError("The JSON document is nested too deeply.")
            )

    @_Kept
    def cookies(self) -> ImmutableMultiDict[str, str]:
        """The cookies the client sent, as in Werkzeug. The session asks for them on every
        request, so the ``Cookie`` header is read straight from the environ (where there is
        only ever one) instead of by looking through every header.
        """
        headers = self.headers
        if type(headers) is EnvironHeaders and headers.environ is self.environ:
            return parse_cookie(  # type: ignore[return-value]
                self.environ.get("HTTP_COOKIE"), cls=self.dict_storage_class
            )
        return super().cookies

    #: Whether the body was parsed as form data, so that uploaded files may need closing.
    _form_loaded = False

    def close(self) -> None:
        """Close the files uploaded with the request, if its form was parsed."""
        if self._form_loaded:
            super().close()

    def _load_form_data(self) -> None:
        self._form_loaded = True
        if "form" not in self.__dict__ and self.mimetype == "application/x-www-form-urlencoded":
            self._limit_urlencoded_body()
            if _parses_forms_as_werkzeug(type(self)):
                self._load_urlencoded_form()
        super()._load_form_data()
        app = _app_or_none()
        # Explain, in debug mode only, a file upload sent without a multipart encoding.
        if (
            app is not None
            and app.debug
            and self.mimetype != "multipart/form-data"
            and not self.files
        ):
            from .debughelpers import attach_enctype_error_multidict

            attach_enctype_error_multidict(self)

    def _limit_urlencoded_body(self) -> None:
        """Hold a urlencoded body to :attr:`max_form_memory_size` before it is read: refuse a
        declared length over the limit at once, and read a body of unknown length through a
        stream that refuses the byte after the limit.
        """
        limit = self.max_form_memory_size
        if limit is None:
            return
        length = self.content_length
        if length is None:
            self.__dict__["stream"] = _MaxLengthStream(self.stream, limit)
        elif length > limit:
            raise RequestEntityTooLarge()

    def _load_urlencoded_form(self) -> None:
        """Parse a urlencoded body as werkzeug's form parser does (a body that is not UTF-8
        gives an empty form), without making the parser and reading its settings first.
        """
        stream = self._get_stream_for_parsing()
        try:
            pairs = parse_urlencoded(stream.read().decode())
        except ValueError:
            pairs = []
        storage = self.parameter_storage_class
        d = self.__dict__
        d["stream"], d["form"], d["files"] = stream, storage(pairs), storage()

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Raise the error for a body that is not valid JSON: a 400 Bad Request with the
        standard description, as Flask sends it; in debug mode the description includes the
        decoding error. A wrong ``Content-Type`` raises 415 as in Werkzeug.

        :param e: The decoding error, or ``None`` when the content type was not JSON.
        """
        app = _app_or_none()
        if e is None or (app is not None and app.debug):
            return super().on_json_loading_failed(e)
        # The standard 400 page, byte for byte as Flask sends it.
        raise BadRequest() from e


#: A header name as HTTP defines it (a token): no spaces, colons, CR or LF.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _parses_forms_as_werkzeug(cls: type[Request]) -> bool:
    """Whether ``cls`` parses a form the way werkzeug's request does: the same parser class,
    made and fed the same way (then :meth:`Request._load_urlencoded_form` may stand in for it).
    """
    return (
        cls.form_data_parser_class is FormDataParser
        and cls.make_form_data_parser is RequestBase.make_form_data_parser
        and cls._get_stream_for_parsing is RequestBase._get_stream_for_parsing
        and cls.want_form_data_parsed is RequestBase.want_form_data_parsed
    )


#: The lower-case form of each name :func:`header_key` found to be a token, so each is matched
#: once; at most :data:`_HEADER_KEYS_KEPT` names, the first ones seen.
_header_keys: dict[str, str] = {}
_HEADER_KEYS_KEPT = 1024


def header_key(name: str) -> str | None:
    """The lower-case form of a header name, or ``None`` when it is not an HTTP token."""
    key = _header_keys.get(name)
    if key is None:
        if _HEADER_NAME.fullmatch(name) is None:
            return None
        key = name.lower()
        if len(_header_keys) < _HEADER_KEYS_KEPT:
            _header_keys[name] = key
    return key


def check_header_names(headers: t.Iterable[tuple[str, str]]) -> None:
    """Refuse header names that are not HTTP tokens. Werkzeug checks header values for line
    breaks but not names, and a name holding CR or LF would let its text be read as more
    headers.

    :raise ValueError: naming the first invalid header name.
    """
    for name, _ in headers:
        if name not in _header_keys and header_key(name) is None:
            raise ValueError(
                f"Invalid response header name {name!r}: a header name may only contain"
                " letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons or line breaks)."
            )


class Response(ResponseBase):
    """The response object of an erlen application: a Werkzeug response whose mimetype defaults
    to ``text/html``, whose :meth:`get_json` uses the app's JSON provider, and whose
    ``Location`` header is sent as given (relative URLs stay relative).
    """

    #: The mimetype used when none is given.
    default_mimetype: str | None = "text/html"

    #: The module :meth:`get_json` decodes with.
    json_module = json

    #: Send relative ``Location`` URLs unchanged, as HTTP allows.
    autocorrect_location_header = False

    @property
    def status(self) -> str:
        """The status line without the protocol, such as ``"200 OK"``. Set it to a code or a
        line, as in Werkzeug; a line containing CR or LF raises :exc:`ValueError`, since it
        would let the text after it be read as headers.
        """
        return self._status

    @status.setter
    def status(self, value: str | int | HTTPStatus) -> None:
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            raise ValueError("The status must not contain newline characters.")
        self._status, self._status_code = self._clean_status(value)

    @classmethod
    def _from_text(
        cls,
        body: str,
        mimetype: str,
        code: int | None = None,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> Response:
        """``cls(body, code, mimetype=mimetype)`` with each ``(name, value)`` of ``extra`` then
        set as a header: how erlen makes the buffered responses of ``jsonify`` and ``redirect``.

        For this class itself the same object is filled in directly (the fields Werkzeug's
        constructor sets, in its order), skipping the generic header, status and body handling
        the constructor goes through; :data:`DIRECT_CONSTRUCTION` says whether it is checked
        to give the same object on this Werkzeug.
        """
        if (
            cls is not Response
            or not DIRECT_CONSTRUCTION
            or type(body) is not str
            or type(mimetype) is not str
            or (code is not None and type(code) is not int)
            or (extra and not all(_plain_value(value) for _, value in extra))
        ):
            response = cls(body, code, mimetype=mimetype)
            for name, value in extra:
                response.headers[name] = value
            return response
        return _filled(body, mimetype, cls.default_status if code is None else code, extra)

    @classmethod
    def _redirect(cls, location: str, code: int = 302) -> Response:
        """What :func:`werkzeug.utils.redirect` returns for this class, made through
        :meth:`_from_text` from Werkzeug's page (:func:`_redirect_page`).
        """
        page = (
            _redirect_page(code)
            if cls is Response and type(code) is int and _plain_value(location)
            else None
        )
        if page is None:
            return t.cast(Response, _wz_redirect(location, code=code, Response=cls))
        before, between, after = page
        html = escape(location)
        return _filled(
            f"{before}{html}{between}{html}{after}", "text/html", code, (("Location", location),)
        )

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        """The headers to send, as in Werkzeug; when they only need copying (and the one
        ``Location`` header turning into a URI), copied without checking each value again.
        """
        code = self._status_code
        items = None if 100 <= code < 200 or code in (204, 304) else sent_headers(self)
        if items is None:
            return super().get_wsgi_headers(environ)
        headers = Headers()
        headers._list = items
        return headers

    def get_app_iter(self, environ: WSGIEnvironment) -> t.Iterable[bytes]:
        """The body to send, as in Werkzeug. A buffered body of bytes with nothing to run on
        close is returned as a list, which servers send at once instead of stepping through
        Werkzeug's closing and encoding iterators. An async iterable body is streamed too
        (:mod:`erlen_core.streams`).
        """
        body = self.response
        if hasattr(body, "__aiter__"):
            # Under ASGI an AsyncBody, which the adapter sends from the loop.
            return t.cast("t.Iterable[bytes]", async_app_iter(self, environ))
        if (
            type(body) is not list
            or self.direct_passthrough
            or self._on_close
            or type(self).iter_encoded is not ResponseBase.iter_encoded
            or type(self).close is not ResponseBase.close
            or not bytes_only(body)
        ):
            return super().get_app_iter(environ)
        status = self._status_code
        if environ["REQUEST_METHOD"] == "HEAD" or 100 <= status < 200 or status in (204, 304):
            return []
        return list(body)

    #: The ``MAX_COOKIE_SIZE`` config of the current app (read-only), or Werkzeug's default
    #: outside an app context. A larger cookie triggers a warning when set.
    max_cookie_size = _AppSetting("MAX_COOKIE_SIZE", per_object=False)


@functools.lru_cache(maxsize=256)
def _sent_location(location: str) -> str:
    """The ``Location`` value werkzeug sends for one a response holds (its IRI as a URI)."""
    return iri_to_uri(location)


#: The header names (in lower case) werkzeug looks for when sending a response.
_SENT_SPECIAL = frozenset(("content-length", "location", "content-location"))


def sent_headers(rv: ResponseBase) -> list[tuple[str, str]] | None:
    """The header list werkzeug's ``get_wsgi_headers`` gives for ``rv`` (a response with a
    body, of a status that has one) when it would only copy its headers (sized, no
    ``Content-Location``) or also turn its one ``Location`` header into a URI; ``None``
    otherwise, and for a header name that is not a token (see :func:`check_header_names`).
    """
    headers = rv.headers
    if type(headers) is not Headers:
        return None
    items = headers._list.copy()
    sized = False
    location = None
    for item in items:
        name, value = item
        if type(value) is not str:
            # werkzeug makes it text when copying.
            return None
        lower = _header_keys.get(name) or header_key(name)
        if lower is None:
            return None
        if lower not in _SENT_SPECIAL:
            continue
        if lower == "content-length":
            sized = True
        elif lower == "content-location" or location is not None or name != "Location":
            # werkzeug merges several into one, named as it names it.
            return None
        else:
            location = item
    if not sized:
        return None
    if location is not None:
        if rv.autocorrect_location_header:
            return None
        items[items.index(location)] = ("Location", _sent_location(location[1]))
    return items


def bytes_only(body: list[t.Any]) -> bool:
    """Whether every chunk of a buffered body is :class:`bytes` (the usual one chunk first)."""
    return (len(body) == 1 and type(body[0]) is bytes) or all(
        type(chunk) is bytes for chunk in body
    )


def _plain_value(value: object) -> bool:
    """Whether a header value is stored as given: text without line breaks."""
    return type(value) is str and "\n" not in value and "\r" not in value


@functools.lru_cache(maxsize=64)
def status_line(code: int) -> str:
    """The status line Werkzeug gives a response of this code (its own text, so case and unknown
    codes match exactly).
    """
    return ResponseBase(status=code).status


@functools.lru_cache(maxsize=64)
def content_type_of(mimetype: str | None) -> str:
    """The ``Content-Type`` Werkzeug sends for a mimetype: text types get ``charset=utf-8``;
    ``None`` is ``text/plain``.
    """
    return get_content_type(mimetype or "text/plain", "utf-8")


@functools.lru_cache(maxsize=64)
def _made_head(mimetype: str, code: int) -> tuple[str, tuple[str, str]]:
    """The status line and the ``Content-Type`` header of a response :func:`_filled` makes."""
    return status_line(code), ("Content-Type", content_type_of(mimetype))


def _filled(body: str, mimetype: str, code: int, extra: tuple[tuple[str, str], ...]) -> Response:
    """A :class:`Response` of a text body made by setting the fields Werkzeug's constructor
    sets, in its order, to what it would give them.
    """
    data = body.encode()
    status, content_type = _made_head(mimetype, code)
    # Without calling Headers.__init__, whose empty list would be replaced at once.
    headers = object.__new__(Headers)
    headers._list = [content_type, ("Content-Length", str(len(data))), *extra]
    response = object.__new__(Response)
    # Set as attributes: reaching for __dict__ would make Python build the dict.
    response.headers = headers
    response._status = status
    response._status_code = code
    response.direct_passthrough = False
    response._on_close = []
    response.response = [data]
    return response


def _same(made: ResponseBase, direct: ResponseBase) -> bool:
    """Whether two responses hold the same fields in the same order, headers alike."""
    fields = vars(made)
    return (
        list(fields) == list(vars(direct))
        and type(made.headers) is Headers
        and vars(made.headers) == vars(direct.headers)
        and all(value == vars(direct)[name] for name, value in fields.items() if name != "headers")
    )


def _constructs_directly() -> bool:
    """Whether :func:`_filled` makes what Werkzeug's constructor makes."""
    made = Response("{}\u00e9", 302, mimetype="application/json")
    made.headers["Location"] = "/x"
    return _same(made, _filled("{}\u00e9", "application/json", 302, (("Location", "/x"),)))


#: A location whose page and header show how Werkzeug escapes and keeps it.
_PROBE_LOCATION = "/a?b=<c>&d='e\"f\u00e9"


@functools.lru_cache(maxsize=16)
def _redirect_page(code: int) -> tuple[str, str, str] | None:
    """Werkzeug's redirect page of a code as the text before, between and after the two places
    it shows the escaped location; ``None`` when the page made from these parts would not be
    Werkzeug's (then :meth:`Response._redirect` calls Werkzeug's function).
    """
    marker = "\x00"
    parts = _wz_redirect(marker, code, Response).get_data(as_text=True).split(marker)
    if not DIRECT_CONSTRUCTION or len(parts) != 3:
        return None
    before, between, after = parts
    html = escape(_PROBE_LOCATION)
    direct = _filled(
        f"{before}{html}{between}{html}{after}",
        "text/html",
        code,
        (("Location", _PROBE_LOCATION),),
    )
    if not _same(_wz_redirect(_PROBE_LOCATION, code, Response), direct):
        return None
    return before, between, after


#: Whether :meth:`Response._from_text` fills in responses directly; checked at import against
#: Werkzeug's constructor (when it is not, that constructor is called).
DIRECT_CONSTRUCTION = _constructs_directly()
