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

#: Every configuration key erlen reads and the value a new application starts with (the same keys
#: and values as Flask 3.1). ``DEBUG`` is replaced by the ``FLASK_DEBUG`` environment variable
#: when an app builds its config.
DEFAULT_CONFIG: ImmutableDict[str, t.Any] = ImmutableDict(
    {
        "DEBUG": None,
        "TESTING": False,
        "PROPAGATE_EXCEPTIONS": None,
        "SECRET_KEY": None,
        "SECRET_KEY_FALLBACKS": None,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
        "USE_X_SENDFILE": False,
        "TRUSTED_HOSTS": None,
        "SERVER_NAME": None,
        "APPLICATION_ROOT": "/",
        "SESSION_COOKIE_NAME": "session",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_PARTITIONED": False,
        "SESSION_COOKIE_SAMESITE": None,
        "SESSION_REFRESH_EACH_REQUEST": True,
        "MAX_CONTENT_LENGTH": None,
        "MAX_FORM_MEMORY_SIZE": 500_000,
        "MAX_FORM_PARTS": 1_000,
        "SEND_FILE_MAX_AGE_DEFAULT": None,
        "TRAP_BAD_REQUEST_ERRORS": None,
        "TRAP_HTTP_EXCEPTIONS": False,
        "EXPLAIN_TEMPLATE_LOADING": False,
        "PREFERRED_URL_SCHEME": "http",
        "TEMPLATES_AUTO_RELOAD": None,
        "MAX_COOKIE_SIZE": 4093,
        "PROVIDE_AUTOMATIC_OPTIONS": True,
    }
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

    def __init__(
        self,
        root_path: str | os.PathLike[str],
        defaults: dict[str, t.Any] | None = None,
    ) -> None:
        super().__init__(defaults or {})
        #: The folder relative file names are resolved against.
        self.root_path = root_path

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python config file whose path is in an environment variable, as
        :meth:`from_pyfile` does.

        :param variable_name: The environment variable holding the path.
        :param silent: Return ``False`` instead of raising when the variable is unset or empty,
            or the file does not exist.
        :return: ``True`` if a file was loaded.
        :raise RuntimeError: If the variable is unset or empty and ``silent`` is false.
        """
        path = os.environ.get(variable_name)
        if not path:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set, so no configuration"
                " could be loaded from it. Set it to the path of a configuration file."
            )
        return self.from_pyfile(path, silent=silent)

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
        prefix = f"{prefix}_"
        for env_key in sorted(os.environ):
            if not env_key.startswith(prefix):
                continue
            raw = os.environ[env_key]
            try:
                value = loads(raw)
            except Exception:
                value = raw
            *parents, last = env_key[len(prefix) :].split("__")
            target: dict[str, t.Any] = self
            for part in parents:
                target = target.setdefault(part, {})
                if not isinstance(target, dict):
                    raise TypeError(
                        f"Cannot set {env_key!r}: the config value at {part!r} is a"
                        f" {type(target).__name__}, not a dict, so it cannot hold nested keys."
                    )
            target[last] = value
        return True

    def _open(
        self, filename: str | os.PathLike[str], mode: str, silent: bool
    ) -> t.IO[t.Any] | None:
        """Open a config file relative to :attr:`root_path`; ``None`` if it is missing and
        ``silent``. Other errors are re-raised with a message naming the config file.
        """
        path = os.path.join(self.root_path, filename)
        try:
            return open(path, mode)
        except OSError as e:
            if silent and e.errno in _MISSING_FILE:
                return None
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise

    def from_pyfile(self, filename: str | os.PathLike[str], silent: bool = False) -> bool:
        """Run a Python file and load its UPPERCASE globals, as :meth:`from_object` would for the
        module it defines.

        :param filename: Absolute, or relative to :attr:`root_path`.
        :param silent: Return ``False`` instead of raising when the file does not exist.
        :return: ``True`` if the file was loaded.
        """
        f = self._open(filename, "rb", silent)
        if f is None:
            return False
        with f:
            source = f.read()
        module = types.ModuleType("config")
        module.__file__ = f.name
        exec(compile(source, f.name, "exec"), module.__dict__)
        self.from_object(module)
        return True

    def from_object(self, obj: object | str) -> None:
        """Load the UPPERCASE attributes of an object, usually a module or class.

        A class with properties must be instantiated first. A dict does not work here (its keys
        are not attributes); use :meth:`from_mapping`.

        :param obj: The object, or its import path such as ``"myapp.settings.Production"``.
        """
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
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
        f = self._open(filename, "r" if text else "rb", silent)
        if f is None:
            return False
        with f:
            data = load(f)
        return self.from_mapping(data)

    def from_mapping(self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any) -> bool:
        """Update the config like :meth:`dict.update`, skipping keys that are not UPPERCASE.

        :param mapping: Items to load.
        :param kwargs: More items, applied after ``mapping``.
        :return: Always ``True``.
        """
        items: dict[str, t.Any] = {}
        if mapping is not None:
            items.update(mapping)
        items.update(kwargs)
        for key, value in items.items():
            if key.isupper():
                self[key] = value
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
        rv: dict[str, t.Any] = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            if trim_namespace:
                key = key[len(namespace) :]
            if lowercase:
                key = key.lower()
            rv[key] = value
        return rv

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"
