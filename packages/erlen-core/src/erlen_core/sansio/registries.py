"""Registries that remember that they changed.

An app's hooks and handlers live in plain-looking dicts and lists with Flask's shapes
(``before_request_funcs[None]`` is a list, ``error_handler_spec[scope][code][cls]`` a handler),
because extensions write into them directly. Each of them shares one :class:`Stamp` with the
object that owns it, and every change through any mutating method bumps that stamp. The app's
prepared request plan records the stamp it was built at and is rebuilt once the stamp moved, so
reading the registries costs nothing per request.

A value stored in a registry is adopted: a list put under a scope becomes a :class:`HookList`
sharing the stamp (a copy), so later appends to it are seen too.
"""

from __future__ import annotations

import typing as t

K = t.TypeVar("K")
V = t.TypeVar("V")


class Stamp:
    """A version number; the registries of one scaffold share one and bump it on each change."""

    __slots__ = ("version",)

    def __init__(self) -> None:
        #: Incremented by every change of a registry holding this stamp.
        self.version = 0

    def bump(self) -> None:
        """Record a change."""
        self.version += 1


class HookList(list[V]):
    """A list that bumps its :class:`Stamp` whenever it is changed in place."""

    __slots__ = ("stamp",)

    def __init__(self, stamp: Stamp, items: t.Iterable[V] = ()) -> None:
        super().__init__(items)
        #: The stamp this list bumps.
        self.stamp = stamp


def _bumping(base: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """Wrap a mutating method of ``list`` or ``dict`` to bump the owner's stamp afterwards."""

    def method(self: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        result = base(self, *args, **kwargs)
        self.stamp.bump()
        return result

    method.__name__ = base.__name__
    method.__doc__ = base.__doc__
    return method


for _name in (
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "sort",
    "reverse",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
):
    setattr(HookList, _name, _bumping(getattr(list, _name)))


#: Turns a value stored in a registry into the tracked form (``None`` for a new, empty one).
Adopt = t.Callable[[Stamp, t.Any], t.Any]


class TrackedDict(dict[K, V]):
    """A dict that bumps its :class:`Stamp` on every change and adopts the values stored in it.

    :param stamp: The stamp to bump.
    :param adopt: Makes stored values tracked; with it a missing key reads as a new empty value,
        inserted as :class:`collections.defaultdict` would. Without it values are kept as given
        and missing keys raise :exc:`KeyError`.
    :param items: Initial content.
    """

    __slots__ = ("stamp", "adopt")

    def __init__(
        self, stamp: Stamp, adopt: Adopt | None = None, items: t.Mapping[K, V] | None = None
    ) -> None:
        super().__init__()
        #: The stamp this dict bumps.
        self.stamp = stamp
        #: What stored values go through, or ``None``.
        self.adopt = adopt
        if items:
            for key, value in items.items():
                dict.__setitem__(self, key, self._adopted(value))

    def _adopted(self, value: t.Any) -> t.Any:
        return value if self.adopt is None else self.adopt(self.stamp, value)

    def __missing__(self, key: K) -> V:
        if self.adopt is None:
            raise KeyError(key)
        value: V = self.adopt(self.stamp, None)
        self[key] = value
        return value

    def __setitem__(self, key: K, value: V) -> None:
        dict.__setitem__(self, key, self._adopted(value))
        self.stamp.bump()

    def setdefault(self, key: K, default: t.Any = None) -> V:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: t.Any, **kwargs: t.Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: t.Any) -> TrackedDict[K, V]:  # type: ignore[override,misc]
        self.update(other)
        return self


for _name in ("__delitem__", "pop", "popitem", "clear"):
    setattr(TrackedDict, _name, _bumping(getattr(dict, _name)))


def adopt_hooks(stamp: Stamp, value: t.Iterable[t.Any] | None) -> HookList[t.Any]:
    """The :data:`Adopt` of scoped hook lists: ``value`` as a :class:`HookList` on ``stamp``."""
    if isinstance(value, HookList) and value.stamp is stamp:
        return value
    return HookList(stamp, value or ())


def _adopt_handlers(
    stamp: Stamp, value: t.Mapping[t.Any, t.Any] | None
) -> TrackedDict[t.Any, t.Any]:
    if isinstance(value, TrackedDict) and value.stamp is stamp:
        return value
    return TrackedDict(stamp, None, value)


def _adopt_codes(stamp: Stamp, value: t.Mapping[t.Any, t.Any] | None) -> TrackedDict[t.Any, t.Any]:
    if isinstance(value, TrackedDict) and value.stamp is stamp:
        return value
    return TrackedDict(stamp, _adopt_handlers, value)


def scoped_hooks(
    stamp: Stamp, items: t.Mapping[t.Any, t.Any] | None = None
) -> TrackedDict[t.Any, t.Any]:
    """A ``{scope: [function]}`` registry, like ``defaultdict(list)``."""
    return TrackedDict(stamp, adopt_hooks, items)


def error_handlers(
    stamp: Stamp, items: t.Mapping[t.Any, t.Any] | None = None
) -> TrackedDict[t.Any, t.Any]:
    """A ``{scope: {code: {exception class: handler}}}`` registry; the two outer levels fill in
    missing keys like ``defaultdict``.
    """
    return TrackedDict(stamp, _adopt_codes, items)


def find_error_handler(
    spec: t.Mapping[t.Any, t.Mapping[int | None, t.Mapping[type, t.Any]]],
    exc_class: type[BaseException],
    code: int | None,
    scopes: t.Sequence[str | None],
) -> t.Any | None:
    """Look up the handler of an exception class in an ``error_handler_spec``.

    Handlers registered for the status code come before those registered by class only; among
    each, ``scopes`` are tried in the given order (innermost blueprint first, the app as
    ``None`` last), and in a scope the nearest class of the exception's MRO wins.

    :param spec: The registry.
    :param exc_class: The class of the exception.
    :param code: Its HTTP status code, or ``None``.
    :param scopes: The scopes to search, in order.
    """
    mro = exc_class.__mro__
    for key in (code, None) if code is not None else (None,):
        for scope in scopes:
            by_code = spec.get(scope)
            by_class = by_code.get(key) if by_code else None
            if not by_class:
                continue
            found = next((by_class[cls] for cls in mro if cls in by_class), None)
            if found is not None:
                return found
    return None
