from __future__ import annotations

import dataclasses
import datetime
import decimal
import gc
import io
import json
import types
import typing as t
import uuid

import flask
import flask.json.provider
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

import erlen_core.json as ejson
from erlen_context.globals import _cv_app
from erlen_core.json import tag
from erlen_core.json.provider import DefaultJSONProvider
from erlen_core.json.provider import JSONProvider
from erlen_core.wrappers import Response


class StubApp:
    """What a JSON provider uses from an app."""

    response_class = Response

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug


#: Providers hold their app weakly, so tests keep one alive here.
APP = StubApp()


@pytest.fixture
def use_app() -> t.Iterator[t.Callable[[t.Any], None]]:
    """Make an object the current app, without an application class."""
    tokens = []

    def push(app: t.Any) -> None:
        tokens.append(_cv_app.set(types.SimpleNamespace(app=app)))  # type: ignore[arg-type]

    yield push
    for token in reversed(tokens):
        _cv_app.reset(token)


@dataclasses.dataclass
class Point:
    x: int
    y: int


class HTMLThing:
    def __html__(self) -> str:
        return "<b>thing</b>"


SPECIAL_VALUES: list[t.Any] = [
    datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    datetime.datetime(2024, 1, 2, 3, 4, 5),
    datetime.date(2024, 1, 2),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    decimal.Decimal("1.10"),
    Point(1, 2),
    Markup("<i>m</i>"),
    HTMLThing(),
    {"b": 1, "a": [1, "é", None, True]},
    "snow ☃",
    [1.5, -2, {"z": {"y": "x"}}],
]


@pytest.mark.parametrize("value", SPECIAL_VALUES)
def test_dumps_matches_flask(value: t.Any) -> None:
    ours = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    theirs = flask.json.provider.DefaultJSONProvider(flask.Flask("oracle"))
    assert ours.dumps(value) == theirs.dumps(value)
    assert ours.dumps(value, indent=2) == theirs.dumps(value, indent=2)


def test_dumps_special_types() -> None:
    provider = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    assert provider.dumps(datetime.date(2024, 1, 2)) == '"Tue, 02 Jan 2024 00:00:00 GMT"'
    assert provider.dumps(decimal.Decimal("0.1")) == '"0.1"'
    assert provider.dumps(Point(1, 2)) == '{"x": 1, "y": 2}'
    assert provider.dumps(HTMLThing()) == '"<b>thing</b>"'
    assert provider.dumps({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'
    assert provider.dumps("é") == '"\\u00e9"'


def test_dumps_unknown_type() -> None:
    provider = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        provider.dumps(object())
    with pytest.raises(TypeError, match="not JSON serializable"):
        provider.dumps(Point)


def test_provider_attributes() -> None:
    class Custom(DefaultJSONProvider):
        ensure_ascii = False
        sort_keys = False

        @staticmethod
        def default(o: t.Any) -> t.Any:
            if isinstance(o, set):
                return sorted(o)
            return DefaultJSONProvider.default(o)

    provider = Custom(APP)  # type: ignore[arg-type]
    assert provider.dumps({"b": "é", "a": {2, 1}}) == '{"b": "é", "a": [1, 2]}'
    # explicit arguments win over the attributes
    assert provider.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a": 2, "b": 1}'
    assert provider.dumps(datetime.date(2000, 1, 1)) == '"Sat, 01 Jan 2000 00:00:00 GMT"'


def test_loads_and_load() -> None:
    provider = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    assert provider.loads('{"a": [1, 2.5]}') == {"a": [1, 2.5]}
    assert provider.loads(b'"\xc3\xa9"') == "é"
    assert provider.loads("1.5", parse_float=decimal.Decimal) == decimal.Decimal("1.5")
    assert provider.load(io.StringIO("[true]")) == [True]
    assert provider.load(io.BytesIO(b"null")) is None


def test_dump() -> None:
    provider = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    out = io.StringIO()
    provider.dump({"b": 1, "a": Point(0, 0)}, out)
    assert out.getvalue() == '{"a": {"x": 0, "y": 0}, "b": 1}'


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((), {}, None),
        ((1,), {}, 1),
        (([1, 2],), {}, [1, 2]),
        ((1, 2, 3), {}, [1, 2, 3]),
        ((), {"a": 1, "b": 2}, {"a": 1, "b": 2}),
        (({"k": "v"},), {}, {"k": "v"}),
    ],
)
def test_response_arguments(
    args: tuple[t.Any, ...], kwargs: dict[str, t.Any], expected: t.Any
) -> None:
    response = DefaultJSONProvider(APP).response(*args, **kwargs)  # type: ignore[arg-type]
    assert isinstance(response, Response)
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == expected


def test_response_rejects_args_and_kwargs() -> None:
    provider = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes either args or kwargs, not both"):
        provider.response(1, a=2)


@pytest.mark.parametrize(
    ("compact", "debug", "body"),
    [
        (None, False, b'{"a":[1,2],"b":null}\n'),
        (None, True, b'{\n  "a": [\n    1,\n    2\n  ],\n  "b": null\n}\n'),
        (True, True, b'{"a":[1,2],"b":null}\n'),
        (False, False, b'{\n  "a": [\n    1,\n    2\n  ],\n  "b": null\n}\n'),
    ],
)
def test_response_layout(compact: bool | None, debug: bool, body: bytes) -> None:
    app = StubApp(debug=debug)
    provider = DefaultJSONProvider(app)  # type: ignore[arg-type]
    provider.compact = compact
    response: t.Any = provider.response(b=None, a=[1, 2])
    assert response.get_data() == body

    oracle = flask.Flask("oracle")
    oracle.debug = debug
    oracle.json.compact = compact  # type: ignore[attr-defined]
    with oracle.app_context():
        assert oracle.json.response(b=None, a=[1, 2]).get_data() == body  # type: ignore[attr-defined]


def test_response_mimetype() -> None:
    provider = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    provider.mimetype = "application/vnd.api+json"
    assert provider.response([]).mimetype == "application/vnd.api+json"


class TextProvider(JSONProvider):
    """A provider implementing only the two required methods."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        return f"<{obj!r}:{sorted(kwargs)}>"

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return ("loaded", s, kwargs)


def test_base_provider_builds_on_dumps_and_loads() -> None:
    provider = TextProvider(APP)  # type: ignore[arg-type]
    out = io.StringIO()
    provider.dump(1, out, indent=1)
    assert out.getvalue() == "<1:['indent']>"
    assert provider.load(io.StringIO("x"), k=1) == ("loaded", "x", {"k": 1})
    response: t.Any = provider.response(a=1)
    assert response.get_data(as_text=True) == "<{'a': 1}:[]>"
    assert response.mimetype == "application/json"
    with pytest.raises(TypeError):
        provider.response(1, a=1)


def test_base_provider_methods_are_abstract() -> None:
    provider = JSONProvider(APP)  # type: ignore[arg-type]
    with pytest.raises(NotImplementedError):
        provider.dumps(1)
    with pytest.raises(NotImplementedError):
        provider.loads("1")


def test_provider_holds_app_weakly() -> None:
    app = StubApp(debug=True)
    provider = DefaultJSONProvider(app)  # type: ignore[arg-type]
    assert provider._app.debug is True
    del app
    gc.collect()
    with pytest.raises(ReferenceError):
        provider._app.debug  # noqa: B018


def test_module_functions_without_app() -> None:
    assert ejson.dumps({"b": 1, "a": decimal.Decimal("2")}) == '{"b": 1, "a": "2"}'
    assert ejson.dumps(Point(1, 2), separators=(",", ":")) == '{"x":1,"y":2}'
    assert ejson.dumps({"b": 1, "a": 2}) == flask.json.dumps({"b": 1, "a": 2})
    out = io.StringIO()
    ejson.dump([datetime.date(2020, 2, 2)], out)
    assert out.getvalue() == '["Sun, 02 Feb 2020 00:00:00 GMT"]'
    assert ejson.loads('{"a": 1}') == {"a": 1}
    assert ejson.load(io.StringIO("[1]")) == [1]
    with pytest.raises(TypeError):
        ejson.dumps(object())


def test_module_functions_use_current_app(use_app: t.Callable[[t.Any], None]) -> None:
    app = StubApp()
    app.json = TextProvider(app)  # type: ignore[attr-defined, arg-type]
    use_app(app)
    assert ejson.dumps(1, indent=2) == "<1:['indent']>"
    out = io.StringIO()
    ejson.dump(2, out)
    assert out.getvalue() == "<2:[]>"
    assert ejson.loads("x", k=1) == ("loaded", "x", {"k": 1})
    assert ejson.load(io.StringIO("y")) == ("loaded", "y", {})
    assert ejson.jsonify(3).get_data(as_text=True) == "<3:[]>"


def test_module_dumps_sorts_keys_in_app(use_app: t.Callable[[t.Any], None]) -> None:
    app = StubApp()
    app.json = DefaultJSONProvider(app)  # type: ignore[attr-defined, arg-type]
    use_app(app)
    assert ejson.dumps({"b": 1, "a": "é"}) == '{"a": "\\u00e9", "b": 1}'


def test_jsonify_needs_app() -> None:
    with pytest.raises(RuntimeError, match="outside of application context"):
        ejson.jsonify(1)


def test_tag_module_reexports_session_serializer() -> None:
    import erlen_sessions.tag

    for name in (
        "JSONTag",
        "TagDict",
        "PassDict",
        "TagTuple",
        "PassList",
        "TagBytes",
        "TagMarkup",
        "TagUUID",
        "TagDateTime",
        "TaggedJSONSerializer",
    ):
        assert getattr(tag, name) is getattr(erlen_sessions.tag, name)
    serializer = tag.TaggedJSONSerializer()
    assert serializer.loads(serializer.dumps((1, b"x"))) == (1, b"x")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_dumps_matches_flask_for_any_json(value: t.Any) -> None:
    ours = DefaultJSONProvider(APP)  # type: ignore[arg-type]
    theirs = flask.json.provider.DefaultJSONProvider(_ORACLE)
    assert ours.dumps(value) == theirs.dumps(value)
    assert ours.loads(ours.dumps(value)) == value


_ORACLE = flask.Flask("oracle")
