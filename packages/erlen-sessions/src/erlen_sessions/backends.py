"""Choosing where sessions live from configuration: ``SESSION_BACKEND``.

=========== ==========================================================================
``cookie``  the default: the data in a signed cookie (:class:`SecureCookieSessionInterface`)
``sqlite``  server-side, in ``SESSION_SQLITE_PATH`` (default: ``sessions.sqlite3`` in the
            instance folder)
``redis``   server-side, in the Redis server at ``SESSION_REDIS_URL`` (needs
            ``erlen-sessions[redis]``)
``memory``  server-side, in this process's memory: for tests
=========== ==========================================================================

``SESSION_USER_KEY`` names the session key that identifies a server-side session's user, for
revoking them all (default ``_user_id``, where Flask-Login keeps it). An application assigns
``app.session_interface`` itself to use anything else.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from .server import ServerSessionInterface
from .sessions import SecureCookieSessionInterface
from .sessions import SessionInterface
from .stores import MemoryStore
from .stores import SessionStore
from .stores import SQLiteStore

#: The configuration keys this module reads, with their defaults.
DEFAULTS: Mapping[str, t.Any] = {
    "SESSION_BACKEND": "cookie",
    "SESSION_SQLITE_PATH": None,
    "SESSION_REDIS_URL": "redis://127.0.0.1:6379/0",
    "SESSION_USER_KEY": "_user_id",
}


def _redis(config: Mapping[str, t.Any]) -> SessionStore:
    from .redis_store import RedisStore

    return RedisStore(url=config.get("SESSION_REDIS_URL", DEFAULTS["SESSION_REDIS_URL"]))


def _sqlite(config: Mapping[str, t.Any]) -> SessionStore | None:
    path = config.get("SESSION_SQLITE_PATH")
    # None: the interface's default, a file in each application's instance folder.
    return None if path is None else SQLiteStore(path)


#: The server-side backends: each makes its store from the configuration.
STORES: Mapping[str, t.Callable[[Mapping[str, t.Any]], SessionStore | None]] = {
    "sqlite": _sqlite,
    "redis": _redis,
    "memory": lambda config: MemoryStore(),
}


def session_interface_for(
    config: Mapping[str, t.Any], cookie: SessionInterface | None = None
) -> SessionInterface:
    """The session interface ``config`` asks for with ``SESSION_BACKEND``.

    :param config: The application's configuration.
    :param cookie: What ``cookie`` means; by default a new
        :class:`SecureCookieSessionInterface`.
    :raise ValueError: For a backend name that is not one of ``cookie``, ``sqlite``, ``redis``
        and ``memory``.
    """
    backend = str(config.get("SESSION_BACKEND") or "cookie").lower()
    if backend == "cookie":
        return SecureCookieSessionInterface() if cookie is None else cookie
    make_store = STORES.get(backend)
    if make_store is None:
        names = ", ".join(repr(name) for name in ("cookie", *STORES))
        raise ValueError(f"SESSION_BACKEND is {backend!r}; it must be one of {names}.")
    user_key = config.get("SESSION_USER_KEY", DEFAULTS["SESSION_USER_KEY"])
    return ServerSessionInterface(make_store(config), user_key=user_key)
