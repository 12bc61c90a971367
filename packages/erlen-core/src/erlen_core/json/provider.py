"""JSON providers: the object behind ``app.json`` that every JSON operation of an app goes through.

An app creates its provider from :attr:`~erlen_core.sansio.app.App.json_provider_class`, or code
assigns an instance to ``app.json``. To use another JSON library, subclass :class:`JSONProvider`
and implement :meth:`~JSONProvider.dumps` and :meth:`~JSONProvider.loads`; the other methods are
built on those two.
"""

from __future__ import annotations

import functools
import json
import typing as t
import weakref

from erlen_sessions.tag import compact_encoder
from erlen_sessions.tag import json_default

if t.TYPE_CHECKING:
    from werkzeug.sansio.response import Response

    from ..sansio.app import App

#: What :func:`json.dumps` calls for values it cannot encode: dates become HTTP date strings,
#: ``Decimal`` and ``UUID`` their strings, dataclass instances dicts, and objects with
#: ``__html__`` the string that method returns. Any other value raises :exc:`TypeError`.
_default = json_default


@functools.lru_cache(maxsize=32)
def _encoder(
    default: t.Callable[[t.Any], t.Any], ensure_ascii: bool, sort_keys: bool, compact: bool
) -> t.Callable[[t.Any], str]:
    """The function giving what :func:`json.dumps` returns with these options and the compact
    separators or an indent of 2, without building an encoder for each value.
    """
    if compact:
        return compact_encoder(default, ensure_ascii, sort_keys)
    return json.JSONEncoder(
        default=default, ensure_ascii=ensure_ascii, sort_keys=sort_keys, indent=2
    ).encode


class JSONProvider:
    """The JSON operations of one application.

    The app is held through a :func:`weakref.proxy` as :attr:`_app`, so a provider does not keep
    its app alive.

    :param app: The application.
    """

    def __init__(self, app: App) -> None:
        self._app: App = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj`` to a JSON string.

        :param obj: The value to serialize.
        :param kwargs: Options for the underlying JSON library.
        """
        raise NotImplementedError

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Serialize ``obj`` as JSON into a text file.

        :param obj: The value to serialize.
        :param fp: A file open for writing text, preferably UTF-8 encoded.
        :param kwargs: Passed to :meth:`dumps`.
        """
        fp.write(self.dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Parse a JSON document.

        :param s: The document, as text or UTF-8 bytes.
        :param kwargs: Options for the underlying JSON library.
        """
        raise NotImplementedError

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """Parse the JSON document read from a file.

        :param fp: A file open for reading text or UTF-8 bytes.
        :param kwargs: Passed to :meth:`loads`.
        """
        return self.loads(fp.read(), **kwargs)

    def _prepare_response_obj(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
        """Turn :meth:`response` arguments into the one value to serialize: ``None`` for none,
        the value for one, a list for several positional ones, a dict for keyword ones.
        """
        if args and kwargs:
            raise TypeError(
                "app.json.response() takes either args or kwargs, not both: pass the values to"
                " serialize positionally, or as keyword arguments to build an object."
            )
        if len(args) == 1:
            return args[0]
        return args or kwargs or None

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Serialize the arguments with :meth:`dumps` and return an ``application/json``
        response of the app's ``response_class``. :func:`~erlen_core.json.jsonify` calls this.

        :param args: One value to serialize, or several serialized as a list.
        :param kwargs: Serialized as an object. Cannot be combined with ``args``.
        :raise TypeError: If both ``args`` and ``kwargs`` are given.
        """
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self.dumps(obj), mimetype="application/json")


class DefaultJSONProvider(JSONProvider):
    """A provider on the standard library's :mod:`json`.

    Besides what :mod:`json` encodes itself, :attr:`default` handles dates and datetimes (as
    HTTP date strings), :class:`~uuid.UUID`, :class:`~decimal.Decimal`, dataclass instances and
    objects with an ``__html__`` method such as :class:`~markupsafe.Markup`. The class attributes
    below tune the output; set them on a subclass or on ``app.json``.
    """

    #: Called by :func:`json.dumps` for values it cannot encode; returns an encodable value or
    #: raises :exc:`TypeError`.
    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)
    #: Escape non-ASCII characters as ``\\uXXXX``. Turning it off gives shorter output.
    ensure_ascii = True
    #: Sort object keys, which makes output stable (all keys must then be strings). Turning it
    #: off is faster.
    sort_keys = True
    #: Layout of :meth:`response` output: ``True`` for no whitespace, ``False`` for two-space
    #: indentation, ``None`` for indented in debug mode and compact otherwise.
    compact: bool | None = None
    #: The mimetype :meth:`response` sets.
    mimetype = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj`` with :func:`json.dumps`, defaulting its ``default``, ``ensure_ascii``
        and ``sort_keys`` arguments to this provider's attributes.

        :param obj: The value to serialize.
        :param kwargs: Passed to :func:`json.dumps`.
        """
        options = {
            "default": self.default,
            "ensure_ascii": self.ensure_ascii,
            "sort_keys": self.sort_keys,
            **kwargs,
        }
        return json.dumps(obj, **options)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Parse a JSON document with :func:`json.loads`.

        :param s: The document, as text or UTF-8 bytes.
        :param kwargs: Passed to :func:`json.loads`.
        """
        return json.loads(s, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Serialize the arguments and return a response of :attr:`mimetype`, the body ending in
        a newline. The body is laid out as :attr:`compact` says.

        :param args: One value to serialize, or several serialized as a list.
        :param kwargs: Serialized as an object. Cannot be combined with ``args``.
        :raise TypeError: If both ``args`` and ``kwargs`` are given.
        """
        body = self._response_text(self._prepare_response_obj(args, kwargs))
        response_class = self._app.response_class
        from_text = getattr(response_class, "_from_text", None)
        if from_text is None:
            return response_class(body, mimetype=self.mimetype)
        return from_text(body, self.mimetype)  # type: ignore[no-any-return]

    def _response_text(self, obj: t.Any) -> str:
        """The body :meth:`response` sends for ``obj``, laid out as :attr:`compact` says."""
        compact = self.compact
        if compact is None:
            compact = not self._app.debug
        if type(self).dumps is DefaultJSONProvider.dumps:
            try:
                encode = _encoder(self.default, self.ensure_ascii, self.sort_keys, compact)
            except TypeError:  # An unhashable option: json.dumps takes it all the same.
                pass
            else:
                return f"{encode(obj)}\n"
        if compact:
            body = self.dumps(obj, separators=(",", ":"))
        else:
            body = self.dumps(obj, indent=2)
        return f"{body}\n"
