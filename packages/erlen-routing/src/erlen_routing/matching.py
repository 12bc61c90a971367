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

from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map as BaseMap
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.routing import Rule
from werkzeug.routing import RuleFactory
from werkzeug.routing import WebsocketMismatch
from werkzeug.routing.converters import AnyConverter
from werkzeug.routing.converters import FloatConverter
from werkzeug.routing.converters import IntegerConverter
from werkzeug.routing.converters import PathConverter
from werkzeug.routing.converters import UnicodeConverter
from werkzeug.routing.converters import UUIDConverter
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
        ones (converters) in weight order, a final one such as ``path`` on everything left;
        return the first rule reached that accepts the request.

        :raise SlashRequired: when only the path with a trailing slash matches a strict rule.
        """
        size = len(parts)
        if index == size:
            return self.end(state, values)

        part = parts[index]
        following = state.static.get(part)
        if following is not None:
            found = self.walk(following, parts, index + 1, values)
            if found is not None:
                return found

        for test_part, following in state.dynamic:
            pattern = self.patterns.get(test_part.content)
            if pattern is None:
                pattern = self.patterns[test_part.content] = _compile(test_part.content)
            if test_part.final:
                match = pattern.regex.match("/".join(parts[index:]))
                rest, rest_index = parts, size
            else:
                match = pattern.regex.match(part)
                rest, rest_index = parts, index + 1
            if match is None:
                continue
            if test_part.suffixed and match.groups()[-1] == "/":
                # The part ended in a slash: what remains is that trailing slash.
                rest, rest_index = [""], 0
            # One converter group is the common case: no list of the groups is made for it.
            groups = pattern.groups
            captured = [match[groups[0]]] if len(groups) == 1 else list(match.group(*groups))
            found = self.walk(following, rest, rest_index, values + captured)
            if found is not None:
                return found

        if index == size - 1 and part == "":
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


#: How many matches :attr:`Matcher.known` holds at most.
KNOWN_LIMIT = 256

#: The converters whose values depend on the URL alone and cannot be changed in place, so
#: that one match serves every request for the same URL (a custom converter may load a model
#: object per request: its matches are never kept).
PURE_CONVERTERS = frozenset(
    (
        UnicodeConverter,
        PathConverter,
        AnyConverter,
        IntegerConverter,
        FloatConverter,
        UUIDConverter,
    )
)

#: A match kept for reuse: the rule and the view arguments to copy.
Known = tuple[Rule, dict[str, t.Any]]


def _static_states(root: State) -> dict[str, dict[str, State]]:
    """The states reached from ``root`` through static transitions alone that hold rules, by
    domain part and then by the path those transitions spell (the parts joined with ``/``).
    """
    table: dict[str, dict[str, State]] = {}

    def visit(state: State, parts: list[str], paths: dict[str, State]) -> None:
        if state.rules:
            paths["/".join(parts)] = state
        for part, following in state.static.items():
            visit(following, [*parts, part], paths)

    for domain, state in root.static.items():
        paths: dict[str, State] = {}
        for part, following in state.static.items():
            visit(following, [part], paths)
        if paths:
            table[domain] = paths
    return table


class Matcher(StateMachineMatcher):
    """Werkzeug's state machine, matched by :class:`_Walk` with compiled patterns kept.

    A path that static transitions alone lead to a state with rules is looked up in a table
    first; when none of that state's rules takes the request, the walk decides as usual.
    """

    def __init__(self, merge_slashes: bool) -> None:
        super().__init__(merge_slashes)
        self._patterns: dict[str, _Pattern] = {}
        self._static: dict[str, dict[str, State]] = {}
        #: Matches made since the last update that any later request for the same URL may
        #: reuse, by what the request said: the bound adapter, and the path and the method as
        #: the WSGI environ holds them. See :meth:`remember`.
        self.known: dict[tuple[t.Any, str | None, str], Known] = {}

    def update(self) -> None:
        super().update()
        self._static = _static_states(self._root)
        self.known = {}

    @staticmethod
    def remember(
        known: dict[tuple[t.Any, str | None, str], Known],
        key: tuple[t.Any, str | None, str],
        rule: Rule,
        values: t.Mapping[str, t.Any],
    ) -> None:
        """Keep the match ``rule, values`` of ``key`` in ``known``, the :attr:`known` read
        before matching (a match of tables an update replaced goes with them), when reusing it
        is safe: the rule's converters are all :data:`PURE_CONVERTERS`. The client chooses
        URLs: past :data:`KNOWN_LIMIT` entries, ``known`` starts afresh.
        """
        if all(type(c) in PURE_CONVERTERS for c in rule._converters.values()):
            if len(known) >= KNOWN_LIMIT:
                known.clear()
            known[key] = (rule, dict(values))

    def match(
        self, domain: str, path: str, method: str, websocket: bool
    ) -> tuple[Rule, t.MutableMapping[str, t.Any]]:
        paths = self._static.get(domain)
        state = None if paths is None else paths.get(path)
        if state is not None:
            # The walk tries static transitions first, so it would reach this state and take
            # its first rule accepting the request, if any.
            for rule in state.rules:
                if (rule.methods is None or method in rule.methods) and (
                    rule.websocket == websocket
                ):
                    if rule.defaults or rule.alias:
                        return rule, self._values(rule, [], set(), False)
                    return rule, {}
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
        return rule, self._values(rule, values, walk.allowed, walk.websocket_mismatch)

    @staticmethod
    def _values(
        rule: Rule, values: list[str], allowed: set[str], websocket_mismatch: bool
    ) -> dict[str, t.Any]:
        """The view arguments of a match: the converted ``values`` and the rule's defaults.

        :raise NoMatch: when a converter refuses its value (with what the walk noted).
        :raise RequestAliasRedirect: when the rule is an alias and the map redirects those.
        """
        result: dict[str, t.Any] = {}
        # One value per converter, in rule order. (zip's strict keyword would cost a keyword
        # parse per match.)
        for (name, converter), value in zip(rule._converters.items(), values):  # noqa: B905
            try:
                result[name] = converter.to_python(value)
            except ValidationError as e:
                raise NoMatch(allowed, websocket_mismatch) from e
        if rule.defaults:
            result.update(rule.defaults)
        if rule.alias and rule.map.redirect_defaults:
            raise RequestAliasRedirect(result, rule.endpoint)
        return result


def _refusal(refused: NoMatch) -> HTTPException:
    """The error a failed match answers with: 405 with the methods rules of the path take, 400
    for a WebSocket request to an HTTP rule (or the reverse), else 404.
    """
    allowed = refused.have_match_for
    if allowed:
        return MethodNotAllowed(list(allowed))
    return WebsocketMismatch() if refused.websocket_mismatch else NotFound()


_Text: t.TypeAlias = "str | None"
#: Query arguments as an adapter keeps them for redirects.
_Query: t.TypeAlias = "t.Mapping[str, t.Any] | str | None"


class RequestAdapter(MapAdapter):
    """The adapter :func:`~erlen_routing.adapters.derive_adapter` hands out for a plain binding
    of a :class:`Map` (its :attr:`Map.request_adapter_class`): a werkzeug
    :class:`~werkzeug.routing.MapAdapter` in every respect, whose :meth:`match` gives
    werkzeug's answers (rule or endpoint and values, redirects, 404, 405) with fewer steps.
    """

    def match(  # type: ignore[override]
        self,
        path_info: _Text = None,
        method: _Text = None,
        return_rule: bool = False,
        query_args: _Query = None,
        websocket: bool | None = None,
    ) -> tuple[str | Rule, t.Mapping[str, t.Any]]:
        """Match a path, as :meth:`MapAdapter.match <werkzeug.routing.MapAdapter.match>`."""
        url_map = self.map
        if url_map._remap:
            url_map.update()
        if path_info is None:
            path_info = self.path_info
        method = (method or self.default_method).upper()
        domain = self.subdomain
        if domain is None or url_map.host_matching:
            domain = self.server_name
        try:
            rule, values = url_map._matcher.match(
                domain,
                f"/{path_info.lstrip('/')}" if path_info else "",
                method,
                self.websocket if websocket is None else websocket,
            )
        except NoMatch as refused:
            raise _refusal(refused) from None
        except (RequestPath, RequestAliasRedirect):
            # Redirects to the canonical URL: werkzeug's own matching words them.
            return super().match(  # type: ignore[call-overload,no-any-return]
                path_info, method, return_rule, query_args, websocket
            )
        if rule.redirect_to is not None:
            return super().match(  # type: ignore[call-overload,no-any-return]
                path_info, method, return_rule, query_args, websocket
            )
        if url_map.redirect_defaults and url_map._rules_by_endpoint[rule.endpoint][0] is not rule:
            # An earlier rule of the endpoint may be the canonical URL of these values.
            if query_args is None:
                query_args = self.query_args or {}
            redirect_url = self.get_default_redirect(rule, method, values, query_args)
            if redirect_url is not None:
                raise RequestRedirect(redirect_url)
        return (rule if return_rule else rule.endpoint), values


class Map(BaseMap):
    """A werkzeug :class:`~werkzeug.routing.Map` matching with :class:`Matcher`; everything
    else (rules, converters, binding, building) is werkzeug's.
    """

    #: The class of the per-request adapters :class:`~erlen_routing.AdapterFactory` derives
    #: from a plain binding of this map.
    request_adapter_class: type[MapAdapter] = RequestAdapter

    def __init__(
        self, rules: t.Iterable[RuleFactory] | None = None, *args: t.Any, **kwargs: t.Any
    ) -> None:
        super().__init__(None, *args, **kwargs)
        self._matcher = Matcher(self.merge_slashes)
        for factory in rules or ():
            self.add(factory)
