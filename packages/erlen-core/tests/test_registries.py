"""Registries keep Flask's shapes and report every change through their stamp."""

from __future__ import annotations

import typing as t
from collections import defaultdict

import pytest
from werkzeug.exceptions import NotFound

from erlen_core import Erlen
from erlen_core.sansio.registries import error_handlers
from erlen_core.sansio.registries import find_error_handler
from erlen_core.sansio.registries import HookList
from erlen_core.sansio.registries import scoped_hooks
from erlen_core.sansio.registries import Stamp


def changes(stamp: Stamp, action: t.Callable[[], object]) -> int:
    before = stamp.version
    action()
    return stamp.version - before


@pytest.mark.parametrize(
    "action",
    [
        lambda hooks: hooks.append(3),
        lambda hooks: hooks.extend([3, 4]),
        lambda hooks: hooks.insert(0, 3),
        lambda hooks: hooks.remove(1),
        lambda hooks: hooks.pop(),
        lambda hooks: hooks.clear(),
        lambda hooks: hooks.sort(reverse=True),
        lambda hooks: hooks.reverse(),
        lambda hooks: hooks.__setitem__(0, 9),
        lambda hooks: hooks.__delitem__(0),
        lambda hooks: hooks.__iadd__([5]),
        lambda hooks: hooks.__imul__(2),
    ],
)
def test_every_list_mutation_bumps(action: t.Callable[[HookList[int]], object]) -> None:
    stamp = Stamp()
    hooks = HookList(stamp, [1, 2])
    assert changes(stamp, lambda: action(hooks)) >= 1


def test_reading_does_not_bump() -> None:
    stamp = Stamp()
    registry = scoped_hooks(stamp, {None: [1]})
    assert changes(stamp, lambda: (list(registry[None]), None in registry, registry.get("x"))) == 0
    assert "x" not in registry


def test_scoped_hooks_behave_like_defaultdict_of_lists() -> None:
    stamp = Stamp()
    registry = scoped_hooks(stamp)
    assert changes(stamp, lambda: registry["bp"].append("f")) == 2  # inserted, then appended
    assert registry == {"bp": ["f"]}
    assert isinstance(registry["bp"], list)
    # The blueprint merge idiom: setdefault with a plain list, then extend what it returns.
    assert changes(stamp, lambda: registry.setdefault("bp.child", []).extend(["g"])) == 2
    assert registry["bp.child"] == ["g"]


def test_stored_lists_are_adopted() -> None:
    stamp = Stamp()
    registry = scoped_hooks(stamp)
    given = ["f"]
    registry[None] = given
    assert registry[None] == ["f"]
    assert changes(stamp, lambda: registry[None].append("g")) == 1
    registry.update({"a": [1]}, b=[2])
    assert isinstance(registry["a"], HookList) and isinstance(registry["b"], HookList)
    registry |= {"c": [3]}
    assert registry["c"].stamp is stamp


@pytest.mark.parametrize(
    "action",
    [
        lambda reg: reg.pop("a"),
        lambda reg: reg.popitem(),
        lambda reg: reg.clear(),
        lambda reg: reg.__delitem__("a"),
    ],
)
def test_dict_removals_bump(action: t.Callable[[t.Any], object]) -> None:
    stamp = Stamp()
    registry = scoped_hooks(stamp, {"a": [1]})
    assert changes(stamp, lambda: action(registry)) == 1


def test_error_handler_spec_levels() -> None:
    stamp = Stamp()
    spec = error_handlers(stamp)
    assert changes(stamp, lambda: spec[None][404].__setitem__(NotFound, "h")) == 3
    assert spec == {None: {404: {NotFound: "h"}}}
    with pytest.raises(KeyError):
        spec[None][404][KeyError]
    # A blueprint merging its handlers assigns a plain defaultdict; later edits are seen.
    spec["bp"] = defaultdict(dict, {None: {KeyError: "k"}})
    assert changes(stamp, lambda: spec["bp"][None].__setitem__(ValueError, "v")) == 1


def test_find_error_handler_prefers_code_then_scope_then_mro() -> None:
    class Base(Exception):
        pass

    class Child(Base):
        pass

    spec: dict[t.Any, t.Any] = {
        None: {None: {Base: "app-base", Exception: "app-exc"}, 404: {NotFound: "app-404"}},
        "bp": {None: {Base: "bp-base"}},
    }
    assert find_error_handler(spec, Child, None, ("bp", None)) == "bp-base"
    assert find_error_handler(spec, Child, None, (None,)) == "app-base"
    assert find_error_handler(spec, NotFound, 404, ("bp", None)) == "app-404"
    assert find_error_handler(spec, KeyError, None, ("bp", None)) == "app-exc"
    assert find_error_handler({}, KeyError, None, (None,)) is None


def test_app_registries_assigned_whole_are_adopted(app: Erlen) -> None:
    app.before_request_funcs = {None: [print]}  # type: ignore[assignment]
    assert isinstance(app.before_request_funcs[None], HookList)
    assert app.before_request_funcs[None].stamp is app._stamp
    app.error_handler_spec = {}
    assert changes(app._stamp, lambda: app.error_handler_spec[None][None].update({})) >= 1
