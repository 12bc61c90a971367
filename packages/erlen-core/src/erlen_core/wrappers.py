"""The request and response classes of an erlen application, on Werkzeug's.

:class:`Request` remembers what URL matching found (:attr:`~Request.url_rule`,
:attr:`~Request.view_args`, :attr:`~Request.routing_exception`) and takes its body size limits
from the current app's config. :class:`Response` defaults to HTML and takes its cookie size limit
from the config. Both decode and encode JSON through :mod:`erlen_core.json`, so through the app's
JSON provider. An app uses subclasses through its ``request_class`` and ``response_class``.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase

from . import json
from .helpers import _app_or_none
from .helpers import _split_blueprint_path

if t.TYPE_CHECKING:
    from werkzeug.routing import Rule


_NO_APP: t.Any = object()


def _app_config(key: str) -> t.Any:
    """The current app's value of a config key, or :data:`_NO_APP` outside an app context."""
    app = _app_or_none()
    if app is None:
        return _NO_APP
    return app.config[key]


class Request(RequestBase):
    """The request object of an erlen application, available as
    :data:`~erlen_context.globals.request` while a request is handled.

    The three body limits (:attr:`max_content_length`, :attr:`max_form_memory_size`,
    :attr:`max_form_parts`) default to the ``MAX_CONTENT_LENGTH``, ``MAX_FORM_MEMORY_SIZE`` and
    ``MAX_FORM_PARTS`` config of the current app; a view may assign a different limit to one
    request before reading its body.
    """

    #: The module :meth:`get_json` decodes with.
    json_module: t.Any = json

    #: The URL rule that matched, or ``None`` before matching or when it failed. With a method
    #: the rule does not allow, the allowed methods are in ``routing_exception.valid_methods``.
    url_rule: Rule | None = None

    #: The arguments matched from the URL, or ``None`` when matching failed.
    view_args: dict[str, t.Any] | None = None

    #: The HTTP exception URL matching raised (e.g. ``NotFound``), raised again on dispatch.
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None

    @property
    def max_content_length(self) -> int | None:
        """The most body bytes this request may read; more raises a 413 error. Defaults to the
        ``MAX_CONTENT_LENGTH`` config, ``None`` meaning no limit. Without a limit, a body of
        unknown length is only read when the server marks the stream as terminated.
        """
        if self._max_content_length is not None:
            return self._max_content_length
        value = _app_config("MAX_CONTENT_LENGTH")
        if value is _NO_APP:
            return super().max_content_length
        return value  # type: ignore[no-any-return]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """The largest size in bytes of a non-file field of a ``multipart/form-data`` body; more
        raises a 413 error. Defaults to the ``MAX_FORM_MEMORY_SIZE`` config; ``None`` means no
        limit.
        """
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        value = _app_config("MAX_FORM_MEMORY_SIZE")
        if value is _NO_APP:
            return super().max_form_memory_size
        return value  # type: ignore[no-any-return]

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property  # type: ignore[override]
    def max_form_parts(self) -> int | None:
        """The most fields a ``multipart/form-data`` body may have; more raises a 413 error.
        Defaults to the ``MAX_FORM_PARTS`` config; ``None`` means no limit.
        """
        if self._max_form_parts is not None:
            return self._max_form_parts
        value = _app_config("MAX_FORM_PARTS")
        if value is _NO_APP:
            return super().max_form_parts
        return value  # type: ignore[no-any-return]

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None`` before matching or when it failed."""
        if self.url_rule is not None:
            return self.url_rule.endpoint  # type: ignore[no-any-return]
        return None

    @property
    def blueprint(self) -> str | None:
        """The registered name of the blueprint handling the request (dotted when nested), or
        ``None`` for an app route or when matching failed.
        """
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    @property
    def blueprints(self) -> list[str]:
        """The registered names of the current blueprint and each parent blueprint, innermost
        first; empty when there is no current blueprint.
        """
        name = self.blueprint
        if name is None:
            return []
        return _split_blueprint_path(name)

    def _load_form_data(self) -> None:
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

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Raise the error for a body that is not valid JSON: a 400 Bad Request. In debug mode
        its description includes the decoding error; otherwise it does not, so clients learn
        nothing about the parser. A wrong ``Content-Type`` raises 415 as in Werkzeug.

        :param e: The decoding error, or ``None`` when the content type was not JSON.
        """
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as error:
            app = _app_or_none()
            if app is not None and app.debug:
                raise
            raise BadRequest("The request body is not valid JSON.") from error


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
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """The ``MAX_COOKIE_SIZE`` config of the current app (read-only), or Werkzeug's default
        outside an app context. A larger cookie triggers a warning when set.
        """
        value = _app_config("MAX_COOKIE_SIZE")
        if value is _NO_APP:
            return super().max_cookie_size
        return value  # type: ignore[no-any-return]
