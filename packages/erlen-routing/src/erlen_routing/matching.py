"""A werkzeug :class:`~werkzeug.routing.Map` that matches URLs with less work per request.

Werkzeug's matcher walks a state machine built from the rules: static parts by dictionary
lookup, dynamic parts (converters) by regular expression. Per match it compiles each tried
pattern again (a cache lookup in :mod:`re`), sorts the converter groups of every match by name
and copies the remaining path parts at every step. :class:`Map` keeps werkzeug's state machine
and its answers (rule, values, redirects, 404 and 405) and walks it with patterns compiled once,
group order worked out once, and an index into the path parts. The state machine's details it
relies on are named and checked at import in :mod:`erlen_routing.internals`.
"""

from __future__ import annotations

import re
import typing as t

from werkzeug.routing import Map as BaseMap
from werkzeug.routing import Rule
from werkzeug.routing import RuleFactory
from werkzeug.routing.converters import ValidationError
from werkzeug.routing.exceptions import NoMatch
from werkzeug.routing.exceptions import RequestAliasRedirect
from werkzeug.routing.exceptions import RequestPath

from .internals import GROUP_PREFIX as _GROUP_PREFIX
from .internals import SlashRequired
from .internals import State
from .internals import StateMachineMatcher


class _Pattern(t.NamedTuple):
    regex: re.Pattern[str]
    #: The converter groups in rule order.
    groups: tuple[str, ...]


def _compile(content: str) -> _Pattern:
    regex = re.compile(content)
    names = [name for name in regex.groupindex if name.startswith(_GROUP_PREFIX)]
    names.sort(key=lambda name: int(name[len(_GROUP_PREFIX) :]))
    return _Pattern(regex, tuple(names))


class _Walk:
    """One match: the request's method and WebSocket flag, and what the failed rules allowed."""

    __slots__ = ("method", "websocket", "allowed", "websocket_mismatch", "patterns")

    def __init__(self, method: str, websocket: bool, patterns: dict[str, _Pattern]) -> None:
        self.method = method
        self.websocket = websocket
        #: Methods of rules that matched the path but not the method (for 405).
        self.allowed: set[str] = set()
        self.websocket_mismatch = False
        self.patterns = patterns

    def accepts(self, rule: Rule) -> bool:
        """Whether ``rule`` takes this method and WebSocket flag; note why not."""
        if rule.methods is not None and self.method not in rule.methods:
            self.allowed.update(rule.methods)
            return False
        if rule.websocket != self.websocket:
            self.websocket_mismatch = True
            return False
        return True

    def walk(
        self, state: State, parts: list[str], index: int, values: list[str]
    ) -> tuple[Rule, list[str]] | None:
        """Follow ``parts[index:]`` from ``state``: static transitions first, then the dynamic
        ones in weight order; return the first rule reached that accepts the request.

        :raise SlashRequired: when only the path with a trailing slash matches a strict rule.
        """
        if index == len(parts):
            return self.end(state, values)

        part = parts[index]
        following = state.static.get(part)
        if following is not None:
            found = self.walk(following, parts, index + 1, values)
            if found is not None:
                return found

        if state.dynamic:
            found = self.dynamic(state, parts, index, values)
            if found is not None:
                return found

        if index == len(parts) - 1 and part == "":
            # Only a trailing slash is left: rules without strict slashes match without it.
            for rule in state.rules:
                if not rule.strict_slashes and self.accepts(rule):
                    return rule, values
        return None

    def end(self, state: State, values: list[str]) -> tuple[Rule, list[str]] | None:
        """The whole path was consumed at ``state``: its first accepting rule, or a rule that
        would match with a trailing slash added.
        """
        for rule in state.rules:
            if self.accepts(rule):
                return rule, values
        slash = state.static.get("")
        if slash is not None:
            for rule in slash.rules:
                if rule.websocket == self.websocket and (
                    rule.methods is None or self.method in rule.methods
                ):
                    if rule.strict_slashes:
                        raise SlashRequired()
                    return rule, values
        return None

    def dynamic(
        self, state: State, parts: list[str], index: int, values: list[str]
    ) -> tuple[Rule, list[str]] | None:
        """Try the converter transitions of ``state`` on ``parts[index]`` (a final one, such
        as ``path``, on everything left) and walk on from each that matches.
        """
        for test_part, following in state.dynamic:
            pattern = self.patterns.get(test_part.content)
            if pattern is None:
                pattern = self.patterns[test_part.content] = _compile(test_part.content)
            if test_part.final:
                match = pattern.regex.match("/".join(parts[index:]))
                rest, rest_index = parts, len(parts)
            else:
                match = pattern.regex.match(parts[index])
                rest, rest_index = parts, index + 1
            if match is None:
                continue
            if test_part.suffixed and match.groups()[-1] == "/":
                # The part ended in a slash: what remains is that trailing slash.
                rest, rest_index = [""], 0
            found = self.walk(
                following, rest, rest_index, values + [match[name] for name in pattern.groups]
            )
            if found is not None:
                return found
        return None


class Matcher(StateMachineMatcher):
    """Werkzeug's state machine, matched by :class:`_Walk` with compiled patterns kept."""

    def __init__(self, merge_slashes: bool) -> None:
        super().__init__(merge_slashes)
        self._patterns: dict[str, _Pattern] = {}

    def match(
        self, domain: str, path: str, method: str, websocket: bool
    ) -> tuple[Rule, t.MutableMapping[str, t.Any]]:
        walk = _Walk(method, websocket, self._patterns)
        try:
            found = walk.walk(self._root, [domain, *path.split("/")], 0, [])
        except SlashRequired:
            raise RequestPath(f"{path}/") from None

        if found is None and self.merge_slashes:
            merged = re.sub("/{2,}", "/", path)
            try:
                found = walk.walk(self._root, [domain, *merged.split("/")], 0, [])
            except SlashRequired:
                raise RequestPath(f"{merged}/") from None
            if found is not None and found[0].merge_slashes is not False:
                raise RequestPath(merged)
            raise NoMatch(walk.allowed, walk.websocket_mismatch)
        if found is None:
            raise NoMatch(walk.allowed, walk.websocket_mismatch)

        rule, values = found
        result: dict[str, t.Any] = {}
        for (name, converter), value in zip(rule._converters.items(), values, strict=False):
            try:
                result[str(name)] = converter.to_python(value)
            except ValidationError as e:
                raise NoMatch(walk.allowed, walk.websocket_mismatch) from e
        if rule.defaults:
            result.update(rule.defaults)
        if rule.alias and rule.map.redirect_defaults:
            raise RequestAliasRedirect(result, rule.endpoint)
        return rule, result


class Map(BaseMap):
    """A werkzeug :class:`~werkzeug.routing.Map` matching with :class:`Matcher`; everything
    else (rules, converters, binding, building) is werkzeug's.
    """

    def __init__(
        self, rules: t.Iterable[RuleFactory] | None = None, *args: t.Any, **kwargs: t.Any
    ) -> None:
        super().__init__(None, *args, **kwargs)
        self._matcher = Matcher(self.merge_slashes)
        for factory in rules or ():
            self.add(factory)
