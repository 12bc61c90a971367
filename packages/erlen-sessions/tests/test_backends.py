"""SESSION_BACKEND: which session interface the configuration asks for."""

from __future__ import annotations

import pathlib

import pytest

from erlen_sessions import MemoryStore
from erlen_sessions import SecureCookieSessionInterface
from erlen_sessions import ServerSessionInterface
from erlen_sessions import session_interface_for
from erlen_sessions import SQLiteStore
from erlen_sessions.redis_store import RedisStore


def test_cookie_is_the_default() -> None:
    assert type(session_interface_for({})) is SecureCookieSessionInterface
    given = SecureCookieSessionInterface()
    assert session_interface_for({"SESSION_BACKEND": "cookie"}, given) is given


def test_sqlite_in_the_instance_folder_by_default_or_at_a_path(tmp_path: pathlib.Path) -> None:
    default = session_interface_for({"SESSION_BACKEND": "sqlite"})
    assert isinstance(default, ServerSessionInterface) and default.store is None
    path = tmp_path / "s.db"
    chosen = session_interface_for({"SESSION_BACKEND": "SQLite", "SESSION_SQLITE_PATH": path})
    assert isinstance(chosen, ServerSessionInterface)
    assert isinstance(chosen.store, SQLiteStore) and chosen.store.path == str(path)


def test_memory_and_redis_and_the_user_key() -> None:
    memory = session_interface_for({"SESSION_BACKEND": "memory", "SESSION_USER_KEY": "uid"})
    assert isinstance(memory, ServerSessionInterface)
    assert isinstance(memory.store, MemoryStore) and memory.user_key == "uid"
    redis = session_interface_for(
        {"SESSION_BACKEND": "redis", "SESSION_REDIS_URL": "redis://127.0.0.1:7/3"}
    )
    assert isinstance(redis, ServerSessionInterface) and isinstance(redis.store, RedisStore)
    assert redis.user_key == "_user_id"
    assert redis.store.client.connection_pool.connection_kwargs["port"] == 7


def test_an_unknown_backend_names_the_choices() -> None:
    with pytest.raises(ValueError, match="'cookie', 'sqlite', 'redis', 'memory'"):
        session_interface_for({"SESSION_BACKEND": "files"})
