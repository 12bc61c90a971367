from __future__ import annotations

import dataclasses
import decimal
import typing as t
import uuid
from datetime import date
from datetime import datetime
from datetime import timezone

import flask
import pytest
from flask.json.tag import TaggedJSONSerializer as FlaskTaggedJSONSerializer
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from erlen_sessions import session_json_serializer
from erlen_sessions.tag import json_default
from erlen_sessions.tag import JSONTag
from erlen_sessions.tag import PassDict
from erlen_sessions.tag import PassList
from erlen_sessions.tag import TagDict
from erlen_sessions.tag import TaggedJSONSerializer
from erlen_sessions.tag import TagUUID


@dataclasses.dataclass
class Point:
    x: int
    when: date


class Html:
    def __html__(self) -> str:
        return "<i>hi</i>"


@pytest.mark.parametrize(
    "value",
    [
        {" t": (1, 2, 3)},
        {" t__": b"a"},
        {" di": " di"},
        {" di": {" t": 1}},
        {"x": (1, 2, 3), "y": 4},
        (1, 2, 3),
        [(1, 2, 3)],
        b"\xff",
        Markup("<html>"),
        uuid.uuid4(),
        datetime.now(tz=timezone.utc).replace(microsecond=0),
        {"nested": [{"deep": (b"", ())}]},
    ],
)
def test_round_trip(value: t.Any) -> None:
    s = TaggedJSONSerializer()
    loaded = s.loads(s.dumps(value))
    assert loaded == value
    assert type(loaded) is type(value)


def test_wire_format() -> None:
    s = TaggedJSONSerializer()
    value = {
        "z": (1, b"\x00"),
        "a": Markup("<b>"),
        "u": uuid.UUID(int=1),
        "d": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "é": "ü",
        "k": {" t": []},
    }
    assert s.dumps(value) == (
        '{"a":{" m":"<b>"},"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},'
        '"k":{" di":{" t__":[]}},"u":{" u":"00000000000000000000000000000001"},'
        '"z":{" t":[1,{" b":"AA=="}]},"\\u00e9":"\\u00fc"}'
    )


def test_markup_tag_takes_any_html_object() -> None:
    s = TaggedJSONSerializer()
    loaded = s.loads(s.dumps(Html()))
    assert type(loaded) is Markup
    assert loaded == "<i>hi</i>"


def test_loads_accepts_bytes() -> None:
    assert TaggedJSONSerializer().loads(b'{" t":[1]}') == (1,)


@pytest.mark.parametrize("text", ['\ufeff{"a":1}', '{"a":', "[1] 2", ""])
def test_loads_refuses_what_json_loads_refuses(text: str) -> None:
    with pytest.raises(ValueError) as ours:
        TaggedJSONSerializer().loads(text)
    with pytest.raises(ValueError) as flasks:
        FlaskTaggedJSONSerializer().loads(text)
    assert str(ours.value) == str(flasks.value)


def test_untag_leaves_other_dicts() -> None:
    s = TaggedJSONSerializer()
    assert s.untag({"a": 1, "b": 2}) == {"a": 1, "b": 2}
    assert s.untag({"unknown": 1}) == {"unknown": 1}
    assert s.untag({" t": [1]}) == (1,)


def test_json_default() -> None:
    assert json_default(date(2020, 1, 2)) == "Thu, 02 Jan 2020 00:00:00 GMT"
    assert json_default(decimal.Decimal("1.50")) == "1.50"
    assert json_default(uuid.UUID(int=2)) == "00000000-0000-0000-0000-000000000002"
    assert json_default(Point(1, date(2020, 1, 2))) == {"x": 1, "when": date(2020, 1, 2)}
    assert json_default(Html()) == "<i>hi</i>"

    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        json_default({1})

    with pytest.raises(TypeError, match="type is not JSON serializable"):
        json_default(Point)


def test_values_without_tag_use_json_default() -> None:
    s = TaggedJSONSerializer()
    assert s.dumps({"p": Point(1, date(2020, 1, 2)), "n": decimal.Decimal("2")}) == (
        '{"n":"2","p":{"when":"Thu, 02 Jan 2020 00:00:00 GMT","x":1}}'
    )

    with pytest.raises(TypeError):
        s.dumps({1, 2})


class Pair(t.NamedTuple):
    left: t.Any
    right: t.Any


class TagPair(JSONTag):
    """A special case of tuple: it only survives if asked before TagTuple."""

    __slots__ = ()
    key = " pair"
    types = (Pair,)

    def to_json(self, value: t.Any) -> t.Any:
        return self.serializer.tag(list(value))

    def to_python(self, value: t.Any) -> t.Any:
        return Pair(*value)


def test_a_registered_tag_is_asked_after_the_defaults() -> None:
    s = TaggedJSONSerializer()
    s.register(TagPair)
    assert s.order[-1].key == " pair"
    # TagTuple takes the pair first: it comes back as a plain tuple.
    assert s.dumps(Pair(1, b"")) == '{" t":[1,{" b":""}]}'
    assert type(s.loads(s.dumps(Pair(1, 2)))) is tuple


def test_index_puts_a_special_case_first() -> None:
    s = TaggedJSONSerializer()
    s.register(TagPair, index=0)
    assert s.dumps(Pair(1, b"")) == '{" pair":[1,{" b":""}]}'
    assert s.loads(s.dumps({"p": Pair((1,), 2)})) == {"p": Pair((1,), 2)}
    assert type(s.loads(s.dumps((1, 2)))) is tuple

    class Keyless(JSONTag):
        __slots__ = ()

    # A negative index counts from the end, as list.insert does.
    s.register(Keyless, index=-1)
    assert [tag.key for tag in s.order[-3:]] == [" u", "", " d"]


def test_a_taken_key_needs_force() -> None:
    class TagUUIDAsInt(TagUUID):
        def to_json(self, value: t.Any) -> t.Any:
            return value.int

        def to_python(self, value: t.Any) -> t.Any:
            return uuid.UUID(int=value)

    s = TaggedJSONSerializer()
    before = list(s.order)

    with pytest.raises(KeyError, match="' u' is registered already"):
        s.register(TagUUIDAsInt)

    assert s.order == before and type(s.tags[" u"]) is TagUUID
    s.register(TagUUIDAsInt, force=True, index=0)
    assert isinstance(s.tags[" u"], TagUUIDAsInt)
    assert s.dumps(uuid.UUID(int=5)) == '{" u":5}'
    assert s.loads('{" u":7}') == uuid.UUID(int=7)
    # The replaced tag is still in the order, behind the new one; loading no longer uses it.
    assert [type(tag) for tag in s.order].count(TagUUID) == 1


def test_loading_ignores_keyless_tags() -> None:
    s = TaggedJSONSerializer()
    keyless = [tag for tag in s.order if not tag.key]
    assert [type(tag) for tag in keyless] == [PassDict, PassList]
    assert "" not in s.tags
    assert s.loads('{"":[1]}') == {"": [1]}
    assert s.untag({" di": {" t__": 1}}) == {" t": 1}
    assert isinstance(s.tags[" di"], TagDict)


class Box:
    def __init__(self, data: t.Any) -> None:
        self.data = data


class TagBox(JSONTag):
    __slots__ = ()
    key = " box"
    types = (Box,)

    def to_json(self, value: t.Any) -> t.Any:
        return self.serializer.tag(value.data)

    def to_python(self, value: t.Any) -> t.Any:
        return Box(value)


def test_a_tag_declared_by_its_types() -> None:
    s = TaggedJSONSerializer()
    s.register(TagBox)
    assert s.dumps([Box((1,))]) == '[{" box":{" t":[1]}}]'
    assert s.loads(s.dumps(Box(Box(b"x")))).data.data == b"x"
    # A one-key dict using the new key is protected like the built-in ones.
    assert s.loads(s.dumps({" box": 1})) == {" box": 1}
    # Subclasses are taken too; other types are not.
    assert s.dumps(type("SmallBox", (Box,), {})(2)) == '{" box":2}'
    assert TagBox(s).check(Box(1)) and not TagBox(s).check((1,))


def test_only_tags_that_accept_the_type_are_asked() -> None:
    asked: list[t.Any] = []

    class Counting(TagBox):
        __slots__ = ()

        def check(self, value: t.Any) -> bool:
            asked.append(value)
            return super().check(value)

    s = TaggedJSONSerializer()
    s.register(Counting, index=0)
    s.dumps({"a": [1, "x", None, (2.5,)], "b": Box(3)})
    assert [type(value) for value in asked] == [Box]


def test_base_tag_is_abstract() -> None:
    tag = JSONTag(TaggedJSONSerializer())
    assert tag.accepts_type(int)

    for method in (tag.check, tag.to_json, tag.to_python):
        with pytest.raises(NotImplementedError):
            method(None)


def test_module_serializer_is_shared() -> None:
    assert isinstance(session_json_serializer, TaggedJSONSerializer)


# -- properties ------------------------------------------------------------------------------

# http_date/parse_date keep whole seconds in UTC and misread years below 100; Flask does too.
datetimes = st.datetimes(
    min_value=datetime(100, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(timezone.utc)
).map(lambda d: d.replace(microsecond=0))
tag_keys = st.sampled_from([" t", " b", " m", " u", " d", " di", " t__", " di__", "x"])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
    | st.uuids()
    | datetimes
    | st.text().map(Markup)
)
tagged_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(), children, max_size=4)
        | st.dictionaries(tag_keys, children, min_size=1, max_size=1)
    ),
    max_leaves=20,
)


def assert_same(a: t.Any, b: t.Any) -> None:
    assert type(a) is type(b)

    if isinstance(a, dict):
        assert a.keys() == b.keys()

        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)

        for x, y in zip(a, b, strict=True):
            assert_same(x, y)
    else:
        assert a == b


@given(tagged_values)
def test_property_round_trip(value: t.Any) -> None:
    s = TaggedJSONSerializer()
    assert_same(s.loads(s.dumps(value)), value)


untagged_extras = (
    st.dates()
    | st.decimals(allow_nan=False)
    | st.builds(Point, st.integers(), st.dates())
    | st.just(Html())
)
flask_values = st.recursive(
    scalars | untagged_extras,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(), children, max_size=4)
        | st.dictionaries(tag_keys, children, min_size=1, max_size=1)
    ),
    max_leaves=20,
)
flask_app = flask.Flask(__name__)
flask_serializer = FlaskTaggedJSONSerializer()


@given(flask_values)
def test_property_same_text_as_flask(value: t.Any) -> None:
    with flask_app.app_context():
        expected = flask_serializer.dumps(value)

    text = TaggedJSONSerializer().dumps(value)
    assert text == expected

    with flask_app.app_context():
        assert_same(TaggedJSONSerializer().loads(expected), flask_serializer.loads(text))


def test_custom_tag_for_a_plain_type_is_applied() -> None:
    # The default tags leave str, int, float, bool and None alone, so the serializer returns
    # them without trying each tag; a registered tag that takes one must still be asked.
    class TagShout(JSONTag):
        __slots__ = ()
        key = " shout"

        def check(self, value: t.Any) -> bool:
            return isinstance(value, str) and value.isupper()

        def to_json(self, value: t.Any) -> t.Any:
            return value.lower()

        def to_python(self, value: t.Any) -> t.Any:
            return value.upper()

    s = TaggedJSONSerializer()
    assert s.dumps({"a": "HI"}) == '{"a":"HI"}'
    s.register(TagShout, index=0)
    assert s.dumps({"a": "HI", "b": "lo"}) == '{"a":{" shout":"hi"},"b":"lo"}'
    assert s.loads(s.dumps({"a": "HI"})) == {"a": "HI"}
    # Other serializers keep their own tags.
    assert TaggedJSONSerializer().dumps("HI") == '"HI"'
