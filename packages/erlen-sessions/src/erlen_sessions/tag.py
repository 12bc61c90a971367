"""Tagged JSON: lossless JSON for the Python types a session commonly holds.

Plain JSON has no tuples, bytes, UUIDs, datetimes or safe markup, and a dict that happens to look
like a tagged value would be misread. :class:`TaggedJSONSerializer` wraps each such value in a
one-key object whose key is a short *tag* (``" t"`` for a tuple, ``" b"`` for bytes, ...) and
unwraps it when loading. The wire format is Flask's: a cookie written by one reads in the other.

The JSON text itself is produced the way Flask's default JSON provider produces it inside an
application: keys sorted, non-ASCII escaped, no whitespace, and :func:`json_default` for values
JSON cannot hold (dates, decimals, dataclasses, objects with ``__html__``). erlen-sessions cannot
see the application's JSON provider, so an app that replaces it does not change session cookies.

New types are supported by subclassing :class:`JSONTag` and registering the class::

    class TagFrozenSet(JSONTag):
        __slots__ = ()
        key = " fs"

        def check(self, value):
            return isinstance(value, frozenset)

        def to_json(self, value):
            return [self.serializer.tag(item) for item in value]

        def to_python(self, value):
            return frozenset(value)

    session_json_serializer.register(TagFrozenSet)
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import typing as t
import uuid
from base64 import b64decode
from base64 import b64encode
from datetime import date
from datetime import datetime

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

    if hasattr(o, "__html__"):
        return str(o.__html__())

    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class JSONTag:
    """One type that :class:`TaggedJSONSerializer` knows how to store. Subclasses set
    :attr:`key` and implement :meth:`check`, :meth:`to_json` and :meth:`to_python`.

    :param serializer: The serializer the tag belongs to, used to tag nested values.
    """

    __slots__ = ("serializer",)

    #: The key of the one-key object that marks a value of this type. A tag with an empty key
    #: only transforms a value (its children) and leaves no mark.
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """Tell whether this tag handles ``value``."""
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Return a JSON-compatible form of ``value``, without the tag mark."""
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Rebuild the Python value from the form :meth:`to_json` made."""
        raise NotImplementedError

    def tag(self, value: t.Any) -> t.Any:
        """Return ``value`` in JSON-compatible form, wrapped in this tag's mark."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """Protect a one-key dict whose key is a registered tag, so it is not read back as a tagged
    value. The key gets a ``__`` suffix on the wire, removed again when loading.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        return (
            isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in self.serializer.tags
        )

    def to_json(self, value: t.Any) -> t.Any:
        key = next(iter(value))
        return {f"{key}__": self.serializer.tag(value[key])}

    def to_python(self, value: t.Any) -> t.Any:
        key = next(iter(value))
        return {key[:-2]: value[key]}


class PassDict(JSONTag):
    """Tag the values of any other dict; the dict itself needs no mark."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: t.Any) -> t.Any:
        # JSON object keys are always strings, so only the values can need tags.
        return {k: self.serializer.tag(v) for k, v in value.items()}

    tag = to_json


class TagTuple(JSONTag):
    """Store a :class:`tuple` as a marked list."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        return [self.serializer.tag(item) for item in value]

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(JSONTag):
    """Tag the items of a :class:`list`; the list itself needs no mark."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: t.Any) -> t.Any:
        return [self.serializer.tag(item) for item in value]

    tag = to_json


class TagBytes(JSONTag):
    """Store :class:`bytes` as base64 text."""

    __slots__ = ()
    key = " b"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: t.Any) -> t.Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        return b64decode(value)


class TagMarkup(JSONTag):
    """Store any object with an ``__html__`` method as the text that method returns; it always
    loads as :class:`~markupsafe.Markup`.
    """

    __slots__ = ()
    key = " m"

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: t.Any) -> t.Any:
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        return Markup(value)


class TagUUID(JSONTag):
    """Store a :class:`~uuid.UUID` as its 32 hex digits."""

    __slots__ = ()
    key = " u"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, uuid.UUID)

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

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: t.Any) -> t.Any:
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        return parse_date(value)


#: JSON's own scalar types, which none of the default tags takes.
_PLAIN_TYPES: frozenset[type] = frozenset((str, int, float, bool, type(None)))


class TaggedJSONSerializer:
    """Dump and load JSON that keeps :class:`dict`, :class:`tuple`, :class:`bytes`,
    :class:`~markupsafe.Markup`, :class:`~uuid.UUID` and :class:`~datetime.datetime` values
    intact. It has the ``dumps``/``loads`` pair :mod:`itsdangerous` expects of a serializer.
    """

    __slots__ = ("tags", "order", "_untagged_types")

    #: The tag classes every new serializer starts with, in the order they are tried.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        #: The registered tags with a key, by key; used when loading.
        self.tags: dict[str, JSONTag] = {}
        #: Every registered tag, in the order :meth:`tag` tries them.
        self.order: list[JSONTag] = []
        # Types that no registered tag takes, so tag() returns them at once.
        self._untagged_types: frozenset[type] = _PLAIN_TYPES

        for cls in self.default_tags:
            self.register(cls)

    def register(
        self,
        tag_class: type[JSONTag],
        force: bool = False,
        index: int | None = None,
    ) -> None:
        """Add a tag, instantiated with this serializer.

        :param tag_class: The :class:`JSONTag` subclass to add.
        :param force: Replace a tag already registered under the same key instead of failing.
        :param index: Where to insert the tag in :attr:`order`; ``None`` appends it. A tag for
            a special case of a type another tag handles must come before that tag.
        :raise KeyError: If the key is taken and ``force`` is false.
        """
        tag = tag_class(self)
        key = tag.key

        if key:
            if not force and key in self.tags:
                raise KeyError(
                    f"Tag '{key}' is already registered. Pass force=True to replace it,"
                    " or give the new tag class another key."
                )

            self.tags[key] = tag

        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)

        if tag_class not in TaggedJSONSerializer.default_tags:
            # Its check() may take a plain type, so every value goes through the tags again.
            self._untagged_types = frozenset()

    def tag(self, value: t.Any) -> t.Any:
        """Return ``value`` in its JSON-compatible tagged form (unchanged if no tag applies)."""
        if type(value) in self._untagged_types:
            return value

        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)

        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """Rebuild the value a one-key tagged dict stands for; return other dicts unchanged."""
        if len(value) != 1:
            return value

        key = next(iter(value))
        tag = self.tags.get(key)

        if tag is None:
            return value

        return tag.to_python(value[key])

    def _untag_scan(self, value: t.Any) -> t.Any:
        if isinstance(value, dict):
            # Children first: a tag's to_python receives already rebuilt values.
            return self.untag({k: self._untag_scan(v) for k, v in value.items()})

        if isinstance(value, list):
            return [self._untag_scan(item) for item in value]

        return value

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and return it as compact JSON text, byte for byte what Flask writes."""
        return json.dumps(
            self.tag(value),
            default=json_default,
            ensure_ascii=True,
            sort_keys=True,
            separators=(",", ":"),
        )

    def loads(self, value: str | bytes) -> t.Any:
        """Parse JSON text and rebuild every tagged value in it."""
        return self._untag_scan(json.loads(value))
