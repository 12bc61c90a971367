"""A session store in Redis, for applications served from more than one machine.

Needs redis-py: ``pip install erlen-sessions[redis]``. Each session is one string key with a TTL,
so Redis itself drops expired sessions; each user with sessions has a set of their ids, which
:meth:`RedisStore.revoke` empties.
"""

from __future__ import annotations

import importlib
import typing as t

from .stores import StoreUnavailable


class RedisStore:
    """Sessions in Redis.

    :param client: A ``redis.Redis`` client; by default one is made from ``url``.
    :param url: Where the server is, when no client is given.
    :param prefix: Put before every key the store uses, so several applications can share a
        database.
    """

    def __init__(
        self,
        client: t.Any = None,
        *,
        url: str = "redis://127.0.0.1:6379/0",
        prefix: str = "erlen:session:",
    ) -> None:
        redis = importlib.import_module("redis")
        #: The redis-py client.
        self.client = redis.Redis.from_url(url) if client is None else client
        self.prefix = prefix
        # Every failure of the server or the connection derives from it.
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self.prefix!r})"

    def _user_key(self, user: str) -> str:
        return f"{self.prefix}user:{user}"

    def _call(self, operation: t.Callable[[], t.Any]) -> t.Any:
        try:
            return operation()
        except self._errors as e:
            raise StoreUnavailable(f"Redis: {e}") from e

    def load(self, sid: str) -> str | None:
        data = self._call(lambda: self.client.get(self.prefix + sid))
        return None if data is None else bytes(data).decode()

    def save(self, sid: str, data: str, lifetime: int, user: str | None) -> None:
        def write() -> None:
            pipe = self.client.pipeline()
            pipe.set(self.prefix + sid, data, ex=max(lifetime, 1))
            if user is not None:
                # The set lives as long as the newest of its sessions.
                pipe.sadd(self._user_key(user), sid)
                pipe.expire(self._user_key(user), max(lifetime, 1), gt=True)
                pipe.expire(self._user_key(user), max(lifetime, 1), nx=True)
            pipe.execute()

        self._call(write)

    def delete(self, sid: str) -> None:
        self._call(lambda: self.client.delete(self.prefix + sid))

    def revoke(self, user: str) -> int:
        def drop() -> int:
            sids = self.client.smembers(self._user_key(user))
            keys = [self.prefix + bytes(sid).decode() for sid in sids]
            removed = self.client.delete(*keys) if keys else 0
            self.client.delete(self._user_key(user))
            return int(removed)

        return self._call(drop)  # type: ignore[no-any-return]
