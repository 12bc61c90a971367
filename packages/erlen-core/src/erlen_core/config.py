"""Application configuration: a dict that can fill itself from objects, files and the environment.

:class:`Config` is an ordinary :class:`dict` of settings with loaders for the usual sources. Only
UPPERCASE names are taken from objects, Python files and mappings, so a settings module may hold
lowercase helpers that never reach the app. :data:`DEFAULT_CONFIG` lists every key erlen itself
reads, with the value an application starts with; :class:`ConfigAttribute` exposes one key as an
attribute of the application object.
"""

from __future__ import annotations

import errno
import json
import os
import types
import typing as t
from datetime import timedelta

from werkzeug.datastructures import ImmutableDict
from werkzeug.utils import import_string

T = t.TypeVar("T")
_CA = t.TypeVar("_CA", bound="ConfigAttribute[t.Any]")

#: A file name the file loaders accept.
StrPath = str | os.PathLike[str]
#: A function :meth:`Config.from_file` reads an open data file with.
FileLoader = t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]]


def _prefixed(prefix: str, **settings: t.Any) -> dict[str, t.Any]:
    """A family of settings that share a name prefix, given without it."""
    return {prefix + name: value for name, value in settings.items()}


#: Every configuration key erlen reads and the value a new application starts with (the same keys
#: and values as Flask 3.1), grouped by what reads them. ``DEBUG`` is replaced by the
#: ``FLASK_DEBUG`` environment variable when an app builds its config.
DEFAULT_CONFIG: ImmutableDict[str, t.Any] = ImmutableDict(
    # How the app treats errors, and what it explains while developing.
    DEBUG=None,
    TESTING=False,
    PROPAGATE_EXCEPTIONS=None,
    TRAP_HTTP_EXCEPTIONS=False,
    TRAP_BAD_REQUEST_ERRORS=None,
    EXPLAIN_TEMPLATE_LOADING=False,
    TEMPLATES_AUTO_RELOAD=None,
    # Signing keys and the hosts a request may name.
    SECRET_KEY=None,
    SECRET_KEY_FALLBACKS=None,
    TRUSTED_HOSTS=None,
    # Routing, and URL building outside a request.
    SERVER_NAME=None,
    APPLICATION_ROOT="/",
    PREFERRED_URL_SCHEME="http",
    PROVIDE_AUTOMATIC_OPTIONS=True,
    # The session interface and its cookie.
    PERMANENT_SESSION_LIFETIME=timedelta(days=31),
    SESSION_REFRESH_EACH_REQUEST=True,
    **_prefixed(
        "SESSION_COOKIE_",
        NAME="session",
        DOMAIN=None,
        PATH=None,
        HTTPONLY=True,
        SECURE=False,
        PARTITIONED=False,
        SAMESITE=None,
    ),
    # Limits on what a request and a response may carry.
    **_prefixed("MAX_", CONTENT_LENGTH=None, FORM_MEMORY_SIZE=500_000, FORM_PARTS=1_000),
    MAX_COOKIE_SIZE=4093,
    # send_file and static files.
    USE_X_SENDFILE=False,
    SEND_FILE_MAX_AGE_DEFAULT=None,
)

#: ``errno`` values that mean "there is no file at that path", which ``silent=True`` ignores.
_MISSING_FILE = (errno.ENOENT, errno.EISDIR, errno.ENOTDIR)


class _HasConfig(t.Protocol):
    @property
    def config(self) -> t.MutableMapping[str, t.Any]: ...


class ConfigAttribute(t.Generic[T]):
    """A descriptor that reads and writes one configuration key of the object it sits on.

    ``testing = ConfigAttribute[bool]("TESTING")`` on an app class makes ``app.testing`` the same
    as ``app.config["TESTING"]``, for reading and for assignment.

    :param name: The configuration key.
    :param get_converter: Applied to the stored value on every read, e.g. to turn seconds into a
        :class:`~datetime.timedelta`. Assignment stores the value unconverted.
    """

    def __init__(self, name: str, get_converter: t.Callable[[t.Any], T] | None = None) -> None:
        self.__name__ = name
        #: The function applied to the value on read, or ``None``.
        self.get_converter = get_converter

    @t.overload
    def __get__(self: _CA, obj: None, owner: type[t.Any] | None = None) -> _CA: ...

    @t.overload
    def __get__(self, obj: _HasConfig, owner: type[t.Any] | None = None) -> T: ...

    def __get__(self, obj: _HasConfig | None, owner: type[t.Any] | None = None) -> t.Any:
        if obj is None:
            return self
        value = obj.config[self.__name__]
        if self.get_converter is not None:
            return self.get_converter(value)
        return value

    def __set__(self, obj: _HasConfig, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict):  # type: ignore[type-arg]
    """The settings of an application: a :class:`dict` with loaders.

    Values usually come from a class or module (:meth:`from_object`), a Python file
    (:meth:`from_pyfile`, or one named by an environment variable with :meth:`from_envvar`), a data
    file such as JSON or TOML (:meth:`from_file`), ``FLASK_``-prefixed environment variables
    (:meth:`from_prefixed_env`) or a mapping (:meth:`from_mapping`). Except for the environment
    loader, only UPPERCASE keys are taken::

        app.config.from_object("myapp.default_settings")
        app.config.from_file("config.toml", load=tomllib.load, text=False)
        app.config.from_prefixed_env()

    :param root_path: Relative file names given to the file loaders are relative to this folder
        (the app's root or instance path).
    :param defaults: Initial contents.
    """

    def __init__(self, root_path: StrPath, defaults: dict[str, t.Any] | None = None) -> None:
        super().__init__(defaults or ())
        #: The folder relative file names are resolved against.
        self.root_path = root_path

    def _take_uppercase(self, items: t.Iterable[tuple[str, t.Any]]) -> None:
        """Store the items whose key is UPPERCASE; every loader but the environment's ends here.

        Item by item through ``self[key] = value``, so a subclass's ``__setitem__`` sees each.
        """
        for key, value in items:
            if key.isupper():
                self[key] = value

    def _read(self, filename: StrPath, silent: bool, binary: bool) -> t.IO[t.Any] | None:
        """Open a config file relative to :attr:`root_path`; ``None`` when it is missing and
        ``silent``. Other errors are re-raised with a message naming the config file.
        """
        path = os.path.join(self.root_path, filename)
        try:
            return open(path, "rb" if binary else "r")
        except OSError as e:
            if silent and e.errno in _MISSING_FILE:
                return None
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python config file whose path is in an environment variable, as
        :meth:`from_pyfile` does.

        :param variable_name: The environment variable holding the path.
        :param silent: Return ``False`` instead of raising when the variable is unset or empty,
            or the file does not exist.
        :return: ``True`` if a file was loaded.
        :raise RuntimeError: If the variable is unset or empty and ``silent`` is false.
        """
        path = os.environ.get(variable_name, "")
        if path:
            return self.from_pyfile(path, silent=silent)
        if silent:
            return False
        raise RuntimeError(
            f"The environment variable {variable_name!r} is not set, so no configuration"
            " could be loaded from it. Set it to the path of a configuration file."
        )

    def from_prefixed_env(
        self, prefix: str = "FLASK", *, loads: t.Callable[[str], t.Any] = json.loads
    ) -> bool:
        """Load every environment variable named ``{prefix}_KEY`` as the key ``KEY``.

        Variables are read in sorted order. Each value is passed to ``loads`` so that numbers,
        booleans, ``null``, lists and objects get their JSON types; a value ``loads`` rejects stays
        a string. A double underscore sets a key inside a nested dict, which is created when
        missing: ``FLASK_DB__HOST=x`` sets ``config["DB"]["HOST"]``.

        :param prefix: The prefix, without its trailing underscore.
        :param loads: Turns each string into a value; any exception it raises keeps the string.
        :return: Always ``True``.
        :raise TypeError: If a nested key passes through a value that is not a dict.
        """
        head = f"{prefix}_"
        for name, raw in sorted(os.environ.items()):
            if name.startswith(head):
                self._set_path(name, name[len(head) :].split("__"), _decoded(raw, loads))
        return True

    def _set_path(self, variable: str, path: list[str], value: t.Any) -> None:
        """Store ``value`` under the nested keys ``path``, creating the dicts on the way."""
        *outer, key = path
        target: t.Any = self
        for part in outer:
            if part not in target:
                target[part] = {}
            target = target[part]
            if not isinstance(target, dict):
                raise TypeError(
                    f"Cannot set {variable!r}: the config value at {part!r} is a"
                    f" {type(target).__name__}, not a dict, so it cannot hold nested keys."
                )
        target[key] = value

    def from_pyfile(self, filename: StrPath, silent: bool = False) -> bool:
        """Run a Python file and load its UPPERCASE globals, as :meth:`from_object` would for the
        module it defines.

        :param filename: Absolute, or relative to :attr:`root_path`.
        :param silent: Return ``False`` instead of raising when the file does not exist.
        :return: ``True`` if the file was loaded.
        """
        f = self._read(filename, silent, binary=True)
        if f is None:
            return False
        with f:
            code = compile(f.read(), f.name, "exec")
        module = types.ModuleType("config")
        module.__file__ = f.name
        exec(code, vars(module))
        self.from_object(module)
        return True

    def from_object(self, obj: object | str) -> None:
        """Load the UPPERCASE attributes of an object, usually a module or class.

        A class with properties must be instantiated first. A dict does not work here (its keys
        are not attributes); use :meth:`from_mapping`.

        :param obj: The object, or its import path such as ``"myapp.settings.Production"``.
        """
        source = import_string(obj) if isinstance(obj, str) else obj
        self._take_uppercase((name, getattr(source, name)) for name in dir(source))

    def from_file(
        self, filename: StrPath, load: FileLoader, silent: bool = False, text: bool = True
    ) -> bool:
        """Load a data file with ``load`` and pass the mapping it returns to
        :meth:`from_mapping`::

            app.config.from_file("config.json", load=json.load)
            app.config.from_file("config.toml", load=tomllib.load, text=False)

        :param filename: Absolute, or relative to :attr:`root_path`.
        :param load: Reads an open file and returns a mapping.
        :param silent: Return ``False`` instead of raising when the file does not exist.
        :param text: Open the file in text mode; ``False`` for binary (``tomllib`` needs that).
        :return: ``True`` if the file was loaded.
        """
        f = self._read(filename, silent, binary=not text)
        if f is None:
            return False
        with f:
            return self.from_mapping(load(f))

    def from_mapping(self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any) -> bool:
        """Update the config like :meth:`dict.update`, skipping keys that are not UPPERCASE.

        :param mapping: Items to load (or an iterable of pairs).
        :param kwargs: More items, applied after ``mapping``.
        :return: Always ``True``.
        """
        self._take_uppercase(dict(mapping or (), **kwargs).items())
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, t.Any]:
        """Return the items whose key starts with ``namespace``, e.g. to pass as keyword
        arguments: with ``IMAGE_STORE_PATH`` set, ``get_namespace("IMAGE_STORE_")`` gives
        ``{"path": ...}``.

        :param namespace: The key prefix.
        :param lowercase: Lowercase the returned keys.
        :param trim_namespace: Drop the prefix from the returned keys.
        """
        skip = len(namespace) if trim_namespace else 0
        return {
            (key[skip:].lower() if lowercase else key[skip:]): value
            for key, value in self.items()
            if key.startswith(namespace)
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"


def _decoded(raw: str, loads: t.Callable[[str], t.Any]) -> t.Any:
    """``loads(raw)``, or ``raw`` itself when ``loads`` rejects it."""
    try:
        return loads(raw)
    except Exception:
        return raw
