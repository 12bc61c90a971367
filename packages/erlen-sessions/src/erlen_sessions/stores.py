"""Where server-side sessions keep their data.

A store maps a session id to the session's serialized data, an expiry and, optionally, the user
the session belongs to (so every session of one user can be revoked at once). It knows nothing
of cookies, signing or the data's format: :class:`~erlen_sessions.server.ServerSessionInterface`
does that and hands the store text.

Writes replace a record whole and atomically, so two requests saving one session at the same
time never mix their data: the later save wins. A store that cannot answer (its database locked
for too long, its server down) raises :exc:`StoreUnavailable`, which the interface turns into a
``503 Service Unavailable`` answer.

- :class:`SQLiteStore`, the default: one SQLite file, in WAL mode, expired rows removed as it
  goes. Any number of threads and processes on one machine may share the file.
- :class:`MemoryStore`: a dict, for tests and single-process development.
- :class:`~erlen_sessions.redis_store.RedisStore`: Redis, for several machines
  (``pip install erlen-sessions[redis]``).

Another store is any object with the four methods of :class:`SessionStore`.
"""

from __future__ import annotations

import os
import threading
import time
import typing as t

if t.TYPE_CHECKING:
    import sqlite3


class StoreUnavailable(Exception):
    """The store cannot answer now; the message says why. Raised by every store method."""


class SessionStore(t.Protocol):
    """The four operations a server-side session needs from a store. ``sid`` is the session id,
    a random URL-safe string; ``data`` the session's serialized data.
    """

    def load(self, sid: str) -> str | None:
        """The data saved under ``sid``; ``None`` if there is none or it has expired."""

    def save(self, sid: str, data: str, lifetime: int, user: str | None) -> None:
        """Save ``data`` under ``sid`` for ``lifetime`` seconds, replacing what was there, and
        record the session as belonging to ``user`` (``None``: to nobody in particular).
        """

    def delete(self, sid: str) -> None:
        """Forget ``sid``; nothing happens if it is unknown."""

    def revoke(self, user: str) -> int:
        """Forget every session of ``user`` and return how many there were."""


class _Record(t.NamedTuple):
    data: str
    expires: float
    user: str | None


class MemoryStore:
    """A store in a dict of this process, lost when it ends: for tests and development.

    :param clock: The function giving the time in seconds; tests pass their own.
    """

    def __init__(self, clock: t.Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many records there are, expired ones included until they are looked at."""
        return len(self._records)

    def load(self, sid: str) -> str | None:
        record = self._records.get(sid)
        if record is None:
            return None
        if record.expires <= self._clock():
            self.delete(sid)
            return None
        return record.data

    def save(self, sid: str, data: str, lifetime: int, user: str | None) -> None:
        with self._lock:
            self._records[sid] = _Record(data, self._clock() + lifetime, user)

    def delete(self, sid: str) -> None:
        with self._lock:
            self._records.pop(sid, None)

    def revoke(self, user: str) -> int:
        with self._lock:
            doomed = [sid for sid, record in self._records.items() if record.user == user]
            for sid in doomed:
                del self._records[sid]
        return len(doomed)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS erlen_session (
    sid TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires REAL NOT NULL,
    user TEXT
);
CREATE INDEX IF NOT EXISTS erlen_session_expires ON erlen_session (expires);
CREATE INDEX IF NOT EXISTS erlen_session_user ON erlen_session (user) WHERE user IS NOT NULL;
"""

# An update in place when the id exists: cheaper than INSERT OR REPLACE's delete and insert.
_UPSERT = """
INSERT INTO erlen_session (sid, data, expires, user) VALUES (?, ?, ?, ?)
ON CONFLICT (sid) DO UPDATE
SET data = excluded.data, expires = excluded.expires, user = excluded.user
"""
#: Rewrites only the data of a record whose expiry and user stay: its indexes are untouched.
_UPDATE_DATA = """
UPDATE erlen_session SET data = ? WHERE sid = ? AND expires BETWEEN ? AND ? AND user IS ?
"""
#: How much of a lifetime, at most a minute, a save may leave a record's expiry behind.
_RENEWAL_SLACK = 0.01
_RENEWAL_SLACK_MAX = 60.0


class SQLiteStore:
    """Sessions in one SQLite file, the default store.

    The database runs in WAL mode, so reads never wait for a write, with ``synchronous=NORMAL``:
    a power cut may lose the last saves, never the database. Each thread of each process
    gets its own connection, opened on first use (a forked worker opens its own). Expired rows
    are removed by the saves themselves, at most once per ``cleanup_interval`` seconds: no
    separate job is needed. A save soon after the last renewal of a record's expiry (within 1%
    of its lifetime, and at most a minute) rewrites only its data, which costs a third less
    than moving its expiry too: a record may so expire that much before ``lifetime`` seconds
    after its last save.

    :param path: The database file; its folder is created if missing.
    :param timeout: How long, in seconds, an operation waits for a lock before the store counts
        as unavailable.
    :param cleanup_interval: The least time, in seconds, between two removals of expired rows.
    :param clock: The function giving the time in seconds; tests pass their own.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 5.0,
        cleanup_interval: float = 60.0,
        clock: t.Callable[[], float] = time.time,
    ) -> None:
        #: The database file.
        self.path = os.fspath(path)
        self.timeout = timeout
        self.cleanup_interval = cleanup_interval
        self._clock = clock
        self._local = threading.local()
        self._next_cleanup = 0.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            folder = os.path.dirname(self.path)
            if folder:
                os.makedirs(folder, exist_ok=True)
            import sqlite3

            # Autocommit: each statement is its own transaction, and a save is one statement.
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            local.db, local.pid = db, os.getpid()
        return local.db  # type: ignore[no-any-return]

    def _run(self, sql: str, *args: object) -> sqlite3.Cursor:
        # Imported on use: sqlite3 costs a worker about 1 MiB, and most apps never use it.
        import sqlite3

        try:
            return self._connection().execute(sql, args)
        except (sqlite3.Error, OSError) as e:
            raise StoreUnavailable(f"SQLite database {self.path!r}: {e}") from e

    def load(self, sid: str) -> str | None:
        query = "SELECT data FROM erlen_session WHERE sid = ? AND expires > ?"
        row = self._run(query, sid, self._clock()).fetchone()
        return None if row is None else row[0]

    def save(self, sid: str, data: str, lifetime: int, user: str | None) -> None:
        now = self._clock()
        expires = now + lifetime
        slack = min(lifetime * _RENEWAL_SLACK, _RENEWAL_SLACK_MAX)
        if self._run(_UPDATE_DATA, data, sid, expires - slack, expires, user).rowcount != 1:
            self._run(_UPSERT, sid, data, expires, user)
        if now >= self._next_cleanup:
            self._next_cleanup = now + self.cleanup_interval
            self._run("DELETE FROM erlen_session WHERE expires <= ?", now)

    def delete(self, sid: str) -> None:
        self._run("DELETE FROM erlen_session WHERE sid = ?", sid)

    def revoke(self, user: str) -> int:
        return self._run("DELETE FROM erlen_session WHERE user = ?", user).rowcount
