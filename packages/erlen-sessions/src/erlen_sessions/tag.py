"""Tagged JSON: lossless JSON for the Python types a session commonly holds.

JSON has no tuples, bytes, UUIDs, datetimes or safe markup, and a dict that happens to look like a
tagged value would be misread. :class:`TaggedJSONSerializer` stores such a value as a one-key
object whose key is a short *tag* (``" t"`` for a tuple, ``" b"`` for bytes, ...) and rebuilds it
when loading. The wire format is Flask's: a cookie written by one reads in the other.

The serializer is a registry of :class:`JSONTag` objects. Tagging a value asks only the tags that
can take its type, a list worked out once per type; values of JSON's own types, which no default
tag takes, come back at once. Loading lets the JSON decoder hand every object to
:meth:`TaggedJSONSerializer.untag`, innermost first.

The JSON text is written the way Flask's default JSON provider writes it inside an application:
keys sorted, non-ASCII escaped, no whitespace, and :func:`json_default` for values JSON cannot
hold. erlen-sessions cannot see the application's JSON provider, so an app that replaces it does
not change session cookies.

A new type needs a tag with a key, the types it takes, and the two conversions::

    class TagFrozenSet(JSONTag):
        key = " fs"
        types = (frozenset,)

        def to_json(self, value):
            return [self.serializer.tag(item) for item in value]

        def to_python(self, value):
            return frozenset(value)

    session_json_serializer.register(TagFrozenSet)

A tag whose choice depends on more than the type overrides :meth:`JSONTag.check` instead (and
leaves :attr:`~JSONTag.types` unset, or narrows it with :meth:`JSONTag.accepts_type`).
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import typing as t
import uuid
from base64 import b64decode
from base64 import b64encode
from collections.abc import Callable
from datetime import date
from datetime import datetime
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from json.encoder import encode_basestring
from json.encoder import encode_basestring_ascii

from markupsafe import Markup
from werkzeug.http import http_date
from werkzeug.http import parse_date


def json_default(o: t.Any) -> t.Any:
    """Turn a value :mod:`json` cannot encode into one it can, as Flask's default JSON provider
    does: a :class:`~datetime.date` becomes an HTTP date string, a :class:`~decimal.Decimal` or
    :class:`~uuid.UUID` its string, a dataclass instance a dict, and an object with an
    ``__html__`` method the string that method returns.

    :param o: The value :func:`json.dumps` could not encode.
    :raise TypeError: If the value is none of those.
    """
    if isinstance(o, date):
        return http_date(o)
    if isinstance(o, (decimal.Decimal, uuid.UUID)):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    html = _html_method(o)
    if html is None:
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
    return str(html())


def _html_method(value: object) -> t.Callable[[], str] | None:
    """The ``__html__`` method of ``value`` (markup, or an object that renders itself as HTML),
    or ``None`` if it has none.
    """
    method = getattr(value, "__html__", None)
    return method if callable(method) else None


def compact_encoder(
    default: Callable[[t.Any], t.Any], ensure_ascii: bool, sort_keys: bool
) -> Callable[[t.Any], str]:
    """The function giving what :func:`json.dumps` returns with these options and the compact
    separators ``(",", ":")``, reusing the C encoder that function makes for each call.
    """
    if c_make_encoder is None:
        return json.JSONEncoder(
            default=default, ensure_ascii=ensure_ascii, sort_keys=sort_keys, separators=(",", ":")
        ).encode
    strings = encode_basestring_ascii if ensure_ascii else encode_basestring
    # The encoders not in use. Each has a table of the containers it is encoding (for the
    # circular reference check), so one serves one call at a time; a call that fails may leave
    # entries in it, so its encoder is dropped.
    idle: list[t.Any] = []

    def encode(obj: t.Any) -> str:
        try:
            make = idle.pop()
        except IndexError:
            make = c_make_encoder({}, default, strings, None, ":", ",", sort_keys, False, True)
        chunks = make(obj, 0)
        idle.append(make)
        return "".join(chunks)

    return encode


#: Flask's JSON text: what its default provider writes inside an application.
_encode = compact_encoder(json_default, ensure_ascii=True, sort_keys=True)

#: Types whose instances can hold no attributes of their own, so none has an ``__html__``.
_BUILTIN_TYPES: frozenset[type] = frozenset(
    (str, int, float, bool, type(None), list, dict, tuple, bytes)
)


class JSONTag:
    """One kind of value :class:`TaggedJSONSerializer` knows how to store.

    A subclass sets :attr:`key`, implements :meth:`to_json` and :meth:`to_python`, and says which
    values it takes: with :attr:`types`, or by overriding :meth:`check`.

    :param serializer: The serializer the tag belongs to, used to tag nested values.
    """

    __slots__ = ("serializer",)

    #: The key of the one-key object that marks a value of this type. A tag with an empty key is
    #: not used when loading: it only transforms the value (its children) and leaves no mark.
    key: t.ClassVar[str] = ""

    #: The types whose instances (subclasses included) this tag takes. ``None``: :meth:`check`
    #: decides for any value, and the serializer asks it about every value.
    types: t.ClassVar[tuple[type, ...] | None] = None

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        self.serializer = serializer

    def accepts_type(self, cls: type) -> bool:
        """Tell whether values of type ``cls`` may be taken, so :meth:`check` is worth asking.
        The serializer asks once per type and remembers the answer.
        """
        return self.types is None or issubclass(cls, self.types)

    def check(self, value: t.Any) -> bool:
        """Tell whether this tag takes ``value``: by default, whether it is one of :attr:`types`."""
        if self.types is None:
            raise NotImplementedError
        return isinstance(value, self.types)

    def to_json(self, value: t.Any) -> t.Any:
        """Return a JSON-compatible form of ``value``, without the tag's mark."""
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Rebuild the Python value from the form :meth:`to_json` made."""
        raise NotImplementedError

    def tag(self, value: t.Any) -> t.Any:
        """Return ``value`` in JSON-compatible form, wrapped in this tag's mark."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """Protect a one-key dict whose key is a registered tag, so it does not read back as a tagged
    value: the key gets a ``__`` suffix on the wire, dropped again when loading.
    """

    __slots__ = ()
    key = " di"
    types = (dict,)

    def check(self, value: t.Any) -> bool:
        # One key, and one that loading would take for a tag's mark.
        registered = self.serializer.tags.keys()
        return isinstance(value, dict) and len(value) == 1 and value.keys() <= registered

    def to_json(self, value: t.Any) -> t.Any:
        [(key, item)] = value.items()
        return {key + "__": self.serializer.tag(item)}

    def to_python(self, value: t.Any) -> t.Any:
        [(key, item)] = value.items()
        return {key[:-2]: item}


class PassDict(JSONTag):
    """Tag the values of any other dict (JSON keys are strings, so they need none)."""

    __slots__ = ()
    types = (dict,)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return {key: tag(item) for key, item in value.items()}

    # JSON holds a dict as it is: no mark around it.
    tag = to_json


class TagTuple(JSONTag):
    """Store a :class:`tuple` as a marked list."""

    __slots__ = ()
    key = " t"
    types = (tuple,)

    def to_json(self, value: t.Any) -> t.Any:
        return list(map(self.serializer.tag, value))

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(JSONTag):
    """Tag the items of a :class:`list`."""

    __slots__ = ()
    types = (list,)

    def to_json(self, value: t.Any) -> t.Any:
        return list(map(self.serializer.tag, value))

    # JSON holds a list as it is: no mark around it.
    tag = to_json


class TagBytes(JSONTag):
    """Store :class:`bytes` as base64 text."""

    __slots__ = ()
    key = " b"
    types = (bytes,)

    def to_json(self, value: t.Any) -> t.Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        return b64decode(value)


class TagUUID(JSONTag):
    """Store a :class:`~uuid.UUID` as its 32 hex digits."""

    __slots__ = ()
    key = " u"
    types = (uuid.UUID,)

    def to_json(self, value: t.Any) -> t.Any:
        return value.hex

    def to_python(self, value: t.Any) -> t.Any:
        return uuid.UUID(value)


class TagDateTime(JSONTag):
    """Store a :class:`~datetime.datetime` as an HTTP date: whole seconds, loaded back as an
    aware UTC datetime.
    """

    __slots__ = ()
    key = " d"
    types = (datetime,)

    def to_json(self, value: t.Any) -> t.Any:
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        return parse_date(value)


class TagMarkup(JSONTag):
    """Store any object with an ``__html__`` method as the text that method returns; it loads as
    :class:`~markupsafe.Markup`.
    """

    __slots__ = ()
    key = " m"

    def accepts_type(self, cls: type) -> bool:
        return cls not in _BUILTIN_TYPES

    def check(self, value: t.Any) -> bool:
        return _html_method(value) is not None

    def to_json(self, value: t.Any) -> t.Any:
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        return Markup(value)


#: Where the values of one type go: the tags to ask in turn, then the tag that takes whatever they
#: leave (``None``: the value stays as it is).
_Dispatch = tuple[tuple[JSONTag, ...], JSONTag | None]


class TaggedJSONSerializer:
    """Dump and load JSON that keeps :class:`dict`, :class:`tuple`, :class:`bytes`,
    :class:`~markupsafe.Markup`, :class:`~uuid.UUID` and :class:`~datetime.datetime` values
    intact. It has the ``dumps``/``loads`` pair :mod:`itsdangerous` expects of a serializer.
    """

    __slots__ = ("tags", "order", "_by_type", "_decoder")

    #: The tag classes every new serializer starts with, in the order they are asked: the
    #: containers (the one-key dict before any other dict), then the scalars.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [
        *(TagDict, PassDict, TagTuple, PassList),
        *(TagBytes, TagMarkup, TagUUID, TagDateTime),
    ]

    def __init__(self) -> None:
        #: Every registered tag, in the order :meth:`tag` asks them. Change it with
        #: :meth:`register`, which keeps the per-type lists in step.
        self.order: list[JSONTag] = [tag_class(self) for tag_class in self.default_tags]
        #: The registered tags that have a key, by key: how loading finds a tag.
        self.tags: dict[str, JSONTag] = {tag.key: tag for tag in self.order if tag.key}
        # For each type met so far, where its values go (see _Dispatch).
        self._by_type: dict[type, _Dispatch] = {}
        # One decoder for every loads: json.loads would build one per call.
        self._decoder = json.JSONDecoder(object_hook=self.untag)

    def register(
        self, tag_class: type[JSONTag], force: bool = False, index: int | None = None
    ) -> None:
        """Add a tag, instantiated with this serializer.

        :param tag_class: The :class:`JSONTag` subclass to add.
        :param force: Replace the tag registered under the same key instead of failing. The
            replaced tag stays in :attr:`order`; only loading stops using it.
        :param index: Where to insert the tag in :attr:`order`; ``None`` appends it. A tag for a
            special case of a type another tag takes must come before that tag.
        :raise KeyError: If the key is taken and ``force`` is false.
        """
        new = tag_class(self)
        if new.key:
            if new.key in self.tags and not force:
                raise KeyError(
                    f"A tag with the key {new.key!r} is registered already: pass force=True to"
                    " replace it, or give the new tag another key."
                )
            self.tags[new.key] = new
        self.order.insert(len(self.order) if index is None else index, new)
        self._by_type.clear()

    def _dispatch(self, cls: type) -> _Dispatch:
        """Work out, and remember, which tags a value of type ``cls`` goes to."""
        asked: list[JSONTag] = []
        taker = None
        for candidate in self.order:
            if not candidate.accepts_type(cls):
                continue
            if candidate.types is not None and type(candidate).check is JSONTag.check:
                # Its check is the type test, true for every value of cls: no later tag counts.
                taker = candidate
                break
            asked.append(candidate)
        found = self._by_type[cls] = (tuple(asked), taker)
        return found

    def tag(self, value: t.Any) -> t.Any:
        """Return ``value`` in its JSON-compatible tagged form (itself if no tag takes it)."""
        try:
            asked, taker = self._by_type[type(value)]
        except KeyError:
            asked, taker = self._dispatch(type(value))
        for candidate in asked:
            if candidate.check(value):
                return candidate.tag(value)
        return value if taker is None else taker.tag(value)

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """Rebuild the value a one-key object with a registered key stands for; return any other
        object as it is. Its contents must be rebuilt already.
        """
        if len(value) == 1:
            [(key, inner)] = value.items()
            found = self.tags.get(key)
            if found is not None:
                return found.to_python(inner)
        return value

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and return it as compact JSON text, byte for byte what Flask writes."""
        return _encode(self.tag(value))

    def loads(self, value: str | bytes) -> t.Any:
        """Parse JSON text and rebuild every tagged value in it."""
        # The decoder calls the hook on each object once its contents are decoded and rebuilt.
        if type(value) is str and not value.startswith("\ufeff"):
            # The document without whitespace around it, as cookies hold it, read by the
            # decoder's scanner directly; anything else through decode, which explains errors.
            try:
                found, end = self._decoder.scan_once(value, 0)  # type: ignore[attr-defined]
            except StopIteration:
                end = -1
            return found if end == len(value) else self._decoder.decode(value)
        # Bytes, whose encoding json.loads detects, and the byte order mark it refuses.
        return json.loads(value, object_hook=self.untag)
