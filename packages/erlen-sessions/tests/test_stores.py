"""Every store keeps the same contract; then what is particular to each."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
import typing as t
from pathlib import Path

import pytest

from erlen_sessions.redis_store import RedisStore
from erlen_sessions.stores import MemoryStore
from erlen_sessions.stores import SessionStore
from erlen_sessions.stores import SQLiteStore
from erlen_sessions.stores import StoreUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class FakeRedis:
    """The few commands RedisStore sends, with TTLs on a clock: enough to test its logic. The
    real server is tested below when ``redis-server`` is installed.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.values: dict[str, t.Any] = {}
        self.expiry: dict[str, float] = {}

    def _live(self, key: str) -> bool:
        if key in self.expiry and self.expiry[key] <= self.clock():
            self.values.pop(key, None)
            del self.expiry[key]
        return key in self.values

    def get(self, key: str) -> bytes | None:
        return self.values[key] if self._live(key) else None

    def set(self, key: str, value: str, ex: int) -> None:
        self.values[key] = value.encode()
        self.expiry[key] = self.clock() + ex

    def delete(self, *keys: str) -> int:
        found = [key for key in keys if self._live(key)]
        for key in found:
            del self.values[key]
            self.expiry.pop(key, None)
        return len(found)

    def sadd(self, key: str, member: str) -> None:
        self._live(key)
        self.values.setdefault(key, set()).add(member.encode())

    def smembers(self, key: str) -> set[bytes]:
        return set(self.values[key]) if self._live(key) else set()

    def expire(self, key: str, seconds: int, gt: bool = False, nx: bool = False) -> None:
        current = self.expiry.get(key)
        new = self.clock() + seconds
        if (gt and current is not None and new > current) or (nx and current is None):
            self.expiry[key] = new

    def pipeline(self) -> FakeRedis:
        return self

    def execute(self) -> None:
        pass


@pytest.fixture(params=["memory", "sqlite", "redis"])
def clocked(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[SessionStore, Clock]:
    clock = Clock()
    if request.param == "memory":
        return MemoryStore(clock=clock), clock
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "s.db", clock=clock), clock
    return RedisStore(FakeRedis(clock)), clock


def test_save_load_replace(clocked: tuple[SessionStore, Clock]) -> None:
    store, _ = clocked
    assert store.load("a") is None
    store.save("a", '{"n":1}', 60, None)
    assert store.load("a") == '{"n":1}'
    store.save("a", '{"n":2}', 60, None)
    assert store.load("a") == '{"n":2}'
    assert store.load("b") is None


def test_records_expire(clocked: tuple[SessionStore, Clock]) -> None:
    store, clock = clocked
    store.save("short", "1", 10, None)
    store.save("long", "2", 100, None)
    clock.now += 10
    assert store.load("short") is None
    assert store.load("long") == "2"
    # Saving again starts the lifetime anew.
    store.save("long", "3", 100, None)
    clock.now += 99
    assert store.load("long") == "3"


def test_delete(clocked: tuple[SessionStore, Clock]) -> None:
    store, _ = clocked
    store.save("a", "1", 60, "u")
    store.delete("a")
    store.delete("never there")
    assert store.load("a") is None


def test_revoke_every_session_of_a_user(clocked: tuple[SessionStore, Clock]) -> None:
    store, _ = clocked
    store.save("phone", "1", 60, "alice")
    store.save("laptop", "2", 60, "alice")
    store.save("other", "3", 60, "bob")
    store.save("anonymous", "4", 60, None)
    assert store.revoke("alice") == 2
    assert store.load("phone") is None and store.load("laptop") is None
    assert store.load("other") == "3" and store.load("anonymous") == "4"
    assert store.revoke("alice") == 0


def test_memory_store_drops_expired_records_when_read() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.save("a", "1", 5, None)
    assert len(store) == 1
    clock.now += 5
    assert store.load("a") is None
    assert len(store) == 0


def rows(path: Path) -> list[tuple[t.Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT sid, user FROM erlen_session ORDER BY sid").fetchall()


def test_sqlite_store_file(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "nested" / "sessions.sqlite3"
    store = SQLiteStore(path)
    assert repr(store) == f"SQLiteStore({str(path)!r})"
    store.save("a", "1", 60, "alice")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert rows(path) == [("a", "alice")]
    # Another store on the same file, another process for instance, sees the same sessions.
    assert SQLiteStore(path).load("a") == "1"


def test_sqlite_store_removes_expired_rows_as_it_saves(tmp_path: Path) -> None:
    clock = Clock()
    store = SQLiteStore(tmp_path / "s.db", clock=clock, cleanup_interval=30)
    store.save("old", "1", 10, None)
    clock.now += 20
    store.save("young", "2", 10, None)
    # The first save cleaned up; the next cleanup waits for the interval.
    assert [sid for sid, _ in rows(tmp_path / "s.db")] == ["old", "young"]
    clock.now += 11
    store.save("newest", "3", 10, None)
    assert [sid for sid, _ in rows(tmp_path / "s.db")] == ["newest"]


def expiry(path: Path, sid: str) -> tuple[t.Any, ...]:
    with sqlite3.connect(path) as db:
        return db.execute(  # type: ignore[no-any-return]
            "SELECT data, expires, user FROM erlen_session WHERE sid = ?", (sid,)
        ).fetchone()


def test_sqlite_store_renews_an_expiry_only_when_it_moved_enough(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "s.db"
    store = SQLiteStore(path, clock=clock)
    start = clock.now
    store.save("a", "1", 1000, None)
    clock.now += 10  # within 1% of the lifetime: only the data is written
    store.save("a", "2", 1000, None)
    assert expiry(path, "a") == ("2", start + 1000, None)
    clock.now += 1  # now more than 1% behind: renewed
    store.save("a", "3", 1000, None)
    assert expiry(path, "a") == ("3", clock.now + 1000, None)
    store.save("a", "4", 1000, "alice")  # a new user is written at once
    assert expiry(path, "a") == ("4", clock.now + 1000, "alice")
    store.save("a", "5", 100, "alice")  # a shorter lifetime shortens the expiry at once
    assert expiry(path, "a") == ("5", clock.now + 100, "alice")
    store.save("a", "6", 10**7, "alice")
    renewed = clock.now
    clock.now += 60  # however long the lifetime, at most a minute passes without renewal
    store.save("a", "7", 10**7, "alice")
    assert expiry(path, "a") == ("7", renewed + 10**7, "alice")
    clock.now += 1
    store.save("a", "8", 10**7, "alice")
    assert expiry(path, "a") == ("8", clock.now + 10**7, "alice")


def test_sqlite_store_one_connection_per_thread(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                store.save(f"{n}-{i}", str(i), 60, str(n))
                assert store.load(f"{n}-{i}") == str(i)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(rows(tmp_path / "s.db")) == 80


def test_sqlite_store_unavailable(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)  # a folder, not a database file

    with pytest.raises(StoreUnavailable, match="SQLite database"):
        store.load("a")

    blocker = tmp_path / "file"
    blocker.write_text("")

    with pytest.raises(StoreUnavailable):
        SQLiteStore(blocker / "s.db").save("a", "1", 60, None)


def test_sqlite_store_locked_for_too_long(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = SQLiteStore(path, timeout=0.05)
    store.save("a", "1", 60, None)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="locked"):
            store.save("a", "2", 60, None)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.save("a", "3", 60, None)
    assert store.load("a") == "3"


class BrokenRedis:
    def __getattr__(self, name: str) -> t.Any:
        def fail(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
            raise ConnectionRefusedError("Connection refused")

        return fail


def test_redis_store_unavailable() -> None:
    store = RedisStore(BrokenRedis(), prefix="app:")
    assert repr(store) == "RedisStore(prefix='app:')"

    for call in (
        lambda: store.load("a"),
        lambda: store.save("a", "1", 60, "u"),
        lambda: store.delete("a"),
        lambda: store.revoke("u"),
    ):
        with pytest.raises(StoreUnavailable, match="Redis: Connection refused"):
            call()


def test_redis_store_client_from_url() -> None:
    store = RedisStore(url="redis://127.0.0.1:1/0")
    assert store.client.connection_pool.connection_kwargs["port"] == 1

    with pytest.raises(StoreUnavailable, match="Redis"):
        store.load("a")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        # .ci/run installs redis-server and says so: there a missing server is a failure.
        if os.environ.get("ERLEN_REQUIRE_TOOLS") == "1":
            pytest.fail("redis-server is not installed, but ERLEN_REQUIRE_TOOLS=1")
        pytest.skip("redis-server is not installed")
    folder = tmp_path_factory.mktemp("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = RedisStore(url=url).client
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except Exception:  # redis.ConnectionError until the server listens
                assert time.monotonic() < deadline
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait()


def test_real_redis(redis_url: str) -> None:
    store = RedisStore(url=redis_url, prefix=f"test{os.getpid()}:")
    store.save("a", "1", 60, "alice")
    store.save("b", "2", 60, "alice")
    assert store.load("a") == "1"
    assert store.client.ttl(store.prefix + "a") > 50
    assert store.revoke("alice") == 2
    assert store.load("b") is None
    store.save("c", "3", 1, None)
    time.sleep(1.1)
    assert store.load("c") is None
