from __future__ import annotations

import errno
import json
import os
import sys
import textwrap
import typing as t
from datetime import timedelta
from pathlib import Path

import flask
import pytest

from erlen_core.config import Config
from erlen_core.config import ConfigAttribute
from erlen_core.config import DEFAULT_CONFIG

tomllib: t.Any
if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None


def test_default_config_matches_flask() -> None:
    # The same keys and values; the order of keys is not part of the contract.
    assert dict(DEFAULT_CONFIG) == dict(flask.Flask.default_config)


def test_default_config_is_read_only() -> None:
    with pytest.raises(TypeError):
        DEFAULT_CONFIG["DEBUG"] = True


def test_init_and_repr(tmp_path: Path) -> None:
    config = Config(tmp_path, {"A": 1})
    assert config == {"A": 1}
    assert config.root_path == tmp_path
    assert repr(config) == "<Config {'A': 1}>"
    assert Config(tmp_path) == {}

    class Sub(Config):
        pass

    assert repr(Sub(tmp_path)) == "<Sub {}>"


class Settings:
    SECRET_KEY = "dev"
    TEST_KEY = "foo"
    lowercase = "skipped"
    Mixed = "skipped"


def test_from_object_class_and_import_string(tmp_path: Path) -> None:
    config = Config(tmp_path)
    config.from_object(Settings)
    assert config == {"SECRET_KEY": "dev", "TEST_KEY": "foo"}
    config = Config(tmp_path)
    config.from_object(f"{__name__}.Settings")
    assert config == {"SECRET_KEY": "dev", "TEST_KEY": "foo"}


def test_from_object_ignores_dict_keys(tmp_path: Path) -> None:
    config = Config(tmp_path)
    config.from_object({"SECRET_KEY": "x"})
    assert config == {}


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_from_pyfile(tmp_path: Path) -> None:
    _write(
        tmp_path / "settings.cfg",
        """
        import os
        SECRET_KEY = "from file"
        DEBUG_VALUE = 1 + 1
        FILE = __file__
        helper = 3
        """,
    )
    config = Config(tmp_path)
    assert config.from_pyfile("settings.cfg") is True
    assert config["SECRET_KEY"] == "from file"
    assert config["DEBUG_VALUE"] == 2
    assert config["FILE"] == os.path.join(tmp_path, "settings.cfg")
    assert "helper" not in config and "os" not in config
    # an absolute path ignores root_path, and a PathLike works
    other = Config("/nonexistent")
    assert other.from_pyfile(tmp_path / "settings.cfg")
    assert other["SECRET_KEY"] == "from file"


def test_from_pyfile_missing(tmp_path: Path) -> None:
    config = Config(tmp_path)
    with pytest.raises(OSError) as exc_info:
        config.from_pyfile("missing.cfg")
    error = exc_info.value
    assert error.errno == errno.ENOENT
    assert error.strerror is not None
    assert error.strerror.startswith("Unable to load configuration file (")
    assert "missing.cfg" in str(error)
    assert config.from_pyfile("missing.cfg", silent=True) is False
    # a folder and a path through a file also count as missing
    assert config.from_pyfile(".", silent=True) is False
    _write(tmp_path / "file", "")
    assert config.from_pyfile("file/below.cfg", silent=True) is False
    assert config == {}


def test_other_os_errors_are_not_silenced(tmp_path: Path) -> None:
    name = "x" * 5000
    with pytest.raises(OSError, match="Unable to load configuration file") as exc_info:
        Config(tmp_path).from_pyfile(name, silent=True)
    assert exc_info.value.errno == errno.ENAMETOOLONG
    with pytest.raises(OSError, match="Unable to load configuration file"):
        Config(tmp_path).from_file(name, load=json.load, silent=True)


def test_from_pyfile_syntax_error_propagates(tmp_path: Path) -> None:
    _write(tmp_path / "bad.cfg", "A = (")
    with pytest.raises(SyntaxError):
        Config(tmp_path).from_pyfile("bad.cfg", silent=True)


def test_from_envvar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "env.cfg", "SECRET_KEY = 'env'\n")
    monkeypatch.setenv("ERLEN_SETTINGS", str(tmp_path / "env.cfg"))
    config = Config(tmp_path)
    assert config.from_envvar("ERLEN_SETTINGS") is True
    assert config["SECRET_KEY"] == "env"


def test_from_envvar_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ERLEN_SETTINGS", raising=False)
    config = Config(tmp_path)
    with pytest.raises(RuntimeError, match="'ERLEN_SETTINGS' is not set"):
        config.from_envvar("ERLEN_SETTINGS")
    assert config.from_envvar("ERLEN_SETTINGS", silent=True) is False
    monkeypatch.setenv("ERLEN_SETTINGS", "")
    assert config.from_envvar("ERLEN_SETTINGS", silent=True) is False


def test_from_envvar_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERLEN_SETTINGS", "missing.cfg")
    config = Config(tmp_path)
    with pytest.raises(FileNotFoundError, match="Unable to load configuration file"):
        config.from_envvar("ERLEN_SETTINGS")
    assert config.from_envvar("ERLEN_SETTINGS", silent=True) is False


def test_from_file_json(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(
        json.dumps({"SECRET_KEY": "j", "lower": 1, "NESTED": {"a": 1}}), encoding="utf-8"
    )
    config = Config(tmp_path)
    assert config.from_file("c.json", load=json.load) is True
    assert config == {"SECRET_KEY": "j", "NESTED": {"a": 1}}


def test_from_file_text_switch(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text('{"A": 1}', encoding="utf-8")
    seen: list[object] = []

    def load(f: t.IO[t.Any]) -> dict[str, t.Any]:
        data = f.read()
        seen.append(type(data))
        return json.loads(data)  # type: ignore[no-any-return]

    config = Config(tmp_path)
    config.from_file("c.json", load=load)
    config.from_file("c.json", load=load, text=False)
    assert seen == [str, bytes]


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_from_file_toml(tmp_path: Path) -> None:
    _write(tmp_path / "c.toml", 'SECRET_KEY = "t"\nPORT = 8000\n')
    config = Config(tmp_path)
    assert config.from_file("c.toml", load=tomllib.load, text=False)
    assert config == {"SECRET_KEY": "t", "PORT": 8000}


def test_from_file_missing(tmp_path: Path) -> None:
    config = Config(tmp_path)
    with pytest.raises(FileNotFoundError) as exc_info:
        config.from_file("missing.json", load=json.load)
    assert "Unable to load configuration file" in str(exc_info.value)
    assert config.from_file("missing.json", load=json.load, silent=True) is False
    assert config.from_file(".", load=json.load, silent=True) is False


def test_from_mapping(tmp_path: Path) -> None:
    config = Config(tmp_path)
    assert config.from_mapping({"A": 1, "b": 2}, C=3, d=4) is True
    assert config == {"A": 1, "C": 3}
    config.from_mapping([("E", 5)])  # type: ignore[arg-type]
    assert config["E"] == 5
    config.from_mapping({"A": 1}, A=2)
    assert config["A"] == 2
    assert config.from_mapping() is True


#: Environment values and what ``from_prefixed_env`` stores for them by default.
DECODED_VALUES = [
    ("plain words", "plain words"),
    ("false", False),
    ("42", 42),
    ("-0.5", -0.5),
    ('["a", 3]', ["a", 3]),
    ('{"nested": {"n": 1}}', {"nested": {"n": 1}}),
    ("null", None),
    ("{not json", "{not json"),
]


@pytest.mark.parametrize(("raw", "expected"), DECODED_VALUES)
def test_from_prefixed_env_decodes_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str, expected: object
) -> None:
    monkeypatch.setenv("FLASK_SETTING", raw)
    config = Config(tmp_path)
    assert config.from_prefixed_env() is True
    assert config["SETTING"] == expected
    assert type(config["SETTING"]) is type(expected)


def test_from_prefixed_env_takes_only_prefixed_keys_of_any_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_mixedCase", "1")
    monkeypatch.setenv("XFLASK_ALMOST", "1")
    monkeypatch.setenv("FLASKNOUNDERSCORE", "1")
    config = Config(tmp_path)
    config.from_prefixed_env()
    assert config["mixedCase"] == 1
    assert not [key for key in config if key.endswith(("ALMOST", "NOUNDERSCORE"))]


def test_from_prefixed_env_custom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_A", "1")
    monkeypatch.setenv("APP_B", "x")
    monkeypatch.setenv("FLASK_C", "1")
    config = Config(tmp_path)
    config.from_prefixed_env("APP", loads=int)
    assert config == {"A": 1, "B": "x"}


def test_from_prefixed_env_nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_EXIST__ok", "other")
    monkeypatch.setenv("FLASK_EXIST__inner__ik", "2")
    monkeypatch.setenv("FLASK_EXIST__new__more", '{"k": false}')
    monkeypatch.setenv("FLASK_NEW__K", "v")
    config = Config(tmp_path, {"EXIST": {"ok": "value", "flag": True, "inner": {"ik": 1}}})
    config.from_prefixed_env()
    assert config["EXIST"] == {
        "ok": "other",
        "flag": True,
        "inner": {"ik": 2},
        "new": {"more": {"k": False}},
    }
    assert config["NEW"] == {"K": "v"}


def test_from_prefixed_env_nested_through_scalar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY__PART", "x")
    config = Config(tmp_path, {"SECRET_KEY": "abc"})
    with pytest.raises(TypeError, match="'FLASK_SECRET_KEY__PART'.*'SECRET_KEY' is a str"):
        config.from_prefixed_env()


def test_from_prefixed_env_sorted_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the whole dict is set first, then the nested key updates it
    monkeypatch.setenv("FLASK_D__X", "2")
    monkeypatch.setenv("FLASK_D", '{"X": 1, "Y": 1}')
    config = Config(tmp_path)
    config.from_prefixed_env()
    assert config["D"] == {"X": 2, "Y": 1}


def test_get_namespace(tmp_path: Path) -> None:
    config = Config(tmp_path)
    config.update(FOO_OPTION_1="a", FOO_OPTION_2="b", BAR_STUFF_1="c", FOO_Mixed="d")
    assert config.get_namespace("FOO_") == {"option_1": "a", "option_2": "b", "mixed": "d"}
    assert config.get_namespace("FOO_", lowercase=False) == {
        "OPTION_1": "a",
        "OPTION_2": "b",
        "Mixed": "d",
    }
    assert config.get_namespace("BAR_", trim_namespace=False) == {"bar_stuff_1": "c"}
    assert config.get_namespace("BAR_", lowercase=False, trim_namespace=False) == {
        "BAR_STUFF_1": "c"
    }
    assert config.get_namespace("NONE_") == {}


def test_differential_with_flask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "s.cfg", "A = 1\nb = 2\nC = [1, 2]\n")
    monkeypatch.setenv("FLASK_X__Y", "[1]")
    monkeypatch.setenv("FLASK_Z", "{bad json")
    ours, theirs = Config(tmp_path), flask.Config(tmp_path)
    for config in (ours, theirs):
        config.from_pyfile("s.cfg")
        config.from_mapping({"M": 1, "m": 2})
        config.from_object(Settings)
        config.from_prefixed_env()
    assert dict(ours) == dict(theirs)
    assert ours.get_namespace("S") == theirs.get_namespace("S")


class Holder:
    flag = ConfigAttribute[bool]("FLAG")
    seconds = ConfigAttribute[timedelta]("SECONDS", get_converter=lambda v: timedelta(seconds=v))

    def __init__(self) -> None:
        self.config: dict[str, t.Any] = {"FLAG": False, "SECONDS": 5}


def test_config_attribute() -> None:
    holder = Holder()
    assert holder.flag is False
    holder.flag = True
    assert holder.config["FLAG"] is True
    assert holder.flag is True
    assert holder.seconds == timedelta(seconds=5)
    # assignment stores the raw value, read converts it
    holder.seconds = 7
    assert holder.config["SECONDS"] == 7
    assert holder.seconds == timedelta(seconds=7)


def test_config_attribute_on_class() -> None:
    attribute = Holder.__dict__["flag"]
    assert Holder.flag is attribute
    assert attribute.__name__ == "FLAG"
    assert attribute.get_converter is None
    assert Holder.seconds.get_converter is not None


def test_loaders_store_through_setitem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored: list[str] = []

    class Recording(Config):
        def __setitem__(self, key: str, value: t.Any) -> None:
            stored.append(key)
            super().__setitem__(key, value)

    monkeypatch.setenv("FLASK_TREE__LEAF", "1")
    config = Recording(tmp_path)
    config.from_mapping({"A": 1, "b": 2})
    config.from_object(Settings)
    config.from_prefixed_env()
    assert stored[:3] == ["A", "SECRET_KEY", "TEST_KEY"]
    assert "TREE" in stored
    assert config["TREE"] == {"LEAF": 1}
