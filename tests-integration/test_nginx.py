"""Two gunicorn instances of one app behind nginx on loopback: shared sessions, no lost writes.

Sessions are shared twice over: as signed cookies (both instances know the key) and as erlen's
server-side sessions in a Redis server the test starts, which also survive a restart and can be
revoked everywhere at once.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from harness import APPS
from harness import free_port
from harness import require_binary
from harness import require_module
from harness import serving
from harness import stop

pytestmark = pytest.mark.server("nginx+2 gunicorn")

NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream ledger {{
        server 127.0.0.1:{first} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{second} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://ledger;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 10s;
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    url: str
    instances: dict[str, tuple[int, subprocess.Popen[bytes]]]
    database: pathlib.Path
    stack: contextlib.ExitStack
    environ: dict[str, str]

    def restart(self, name: str) -> None:
        """Stop the instance ``name`` and start it again on its port."""
        port, process = self.instances[name]
        stop(process)
        started = gunicorn(name, port, self.database.parent, self.environ)
        self.instances[name] = (port, self.stack.enter_context(started))


@contextlib.contextmanager
def gunicorn(
    name: str, port: int, tmp: pathlib.Path, environ: dict[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "2"]
    command += ["-b", f"127.0.0.1:{port}"]
    env = {
        "PYTHONPATH": str(APPS),
        "LEDGER_DB": str(tmp / "ledger.db"),
        "LEDGER_SECRET": "shared-by-both-instances",
        "LEDGER_INSTANCE": name,
        **environ,
    }
    with serving([*command, "ledger_app:app"], f"http://127.0.0.1:{port}/health", **env) as p:
        yield p


@contextlib.contextmanager
def redis_server(tmp: pathlib.Path) -> Iterator[str]:
    """A Redis server on a free loopback port, for the length of the block; yields its URL."""
    server = require_binary("redis-server", "/usr/bin/redis-server")
    port = free_port()
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert process.poll() is None and time.monotonic() < deadline, "redis did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@contextlib.contextmanager
def running_cluster(tmp_path: pathlib.Path, sessions: str) -> Iterator[Cluster]:
    """Two gunicorn instances behind nginx, sharing sessions as signed cookies or in Redis."""
    nginx = require_binary("nginx", "/usr/sbin/nginx")
    require_module("gunicorn")
    ports = {"a": free_port(), "b": free_port()}
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp_path, first=ports["a"], second=ports["b"], port=port))
    # The database is set up before the instances start, as a deployment would: four workers
    # switching a new database to WAL at once may get "database is locked" at once, whatever
    # the busy timeout (the switch needs an exclusive lock that SQLite does not wait for).
    with contextlib.closing(sqlite3.connect(tmp_path / "ledger.db")) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS entry (id TEXT PRIMARY KEY, instance TEXT)")
    with contextlib.ExitStack() as stack:
        environ = {}
        if sessions == "redis":
            environ["LEDGER_REDIS_URL"] = stack.enter_context(redis_server(tmp_path))
        instances = {
            name: (p, stack.enter_context(gunicorn(name, p, tmp_path, environ)))
            for name, p in ports.items()
        }
        # nginx writes to its default error log before reading the config: -e keeps it in tmp.
        command = [nginx, "-c", str(conf), "-p", str(tmp_path), "-e", str(tmp_path / "early.log")]
        url = f"http://127.0.0.1:{port}"
        stack.enter_context(serving(command, f"{url}/health"))
        yield Cluster(url, instances, tmp_path / "ledger.db", stack, environ)


@pytest.fixture(params=["cookie", "redis"], ids=["cookie-sessions", "redis-sessions"])
def cluster(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[Cluster]:
    with running_cluster(tmp_path, request.param) as running:
        yield running


@pytest.fixture
def redis_cluster(tmp_path: pathlib.Path) -> Iterator[Cluster]:
    """A cluster with server-side sessions in Redis: only those survive restarts and revoking."""
    with running_cluster(tmp_path, "redis") as running:
        yield running


def _open(opener: urllib.request.OpenerDirector, url: str, method: str = "GET") -> tuple[str, str]:
    with opener.open(urllib.request.Request(url, method=method), timeout=15) as response:
        return response.headers["X-Instance"], response.read().decode()


def test_a_session_started_on_one_instance_is_honoured_by_the_other(cluster: Cluster) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    started_on, _ = _open(opener, f"{cluster.url}/login/ada", "POST")
    answers = {_open(opener, f"{cluster.url}/whoami") for _ in range(6)}
    # Round robin: both instances answer, and each knows the user.
    assert answers == {("a", "ada"), ("b", "ada")}
    # Straight to the instance that did not start it, bypassing nginx, with and without cookie.
    other = "b" if started_on == "a" else "a"
    other_url = f"http://127.0.0.1:{cluster.instances[other][0]}/whoami"
    assert _open(opener, other_url) == (other, "ada")
    assert _open(urllib.request.build_opener(), other_url) == (other, "anonymous")


def test_killing_an_instance_mid_run_loses_no_acknowledged_write(cluster: Cluster) -> None:
    clients, per_client = 4, 40
    acknowledged: list[tuple[str, str]] = []
    failed: list[str] = []
    lock = threading.Lock()
    halfway = threading.Event()
    killed = threading.Event()

    def post(entry: str) -> None:
        request = urllib.request.Request(f"{cluster.url}/entries/{entry}", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                assert response.status == 201
                outcome = (entry, response.headers["X-Instance"])
        except urllib.error.HTTPError as e:
            assert e.code in (502, 504), e
            outcome = None
        with lock:
            if outcome is None:
                failed.append(entry)
            else:
                acknowledged.append(outcome)
            if len(acknowledged) == clients * per_client // 2:
                halfway.set()

    def client(number: int) -> None:
        for i in range(per_client):
            post(f"c{number}-{i:03d}-{'after' if killed.is_set() else 'before'}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    assert halfway.wait(timeout=60)
    victim_port, victim = cluster.instances["a"]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    killed.set()
    for thread in threads:
        thread.join(timeout=60)

    with contextlib.closing(sqlite3.connect(cluster.database)) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM entry")}
    assert {entry for entry, _ in acknowledged} <= stored
    # Both served before the kill; after it, the survivor takes every request. Only requests in
    # flight on the killed instance (at most one a client) may fail, and none of them was acked.
    assert {name for entry, name in acknowledged if entry.endswith("before")} == {"a", "b"}
    assert {name for entry, name in acknowledged if entry.endswith("after")} == {"b"}
    assert len(failed) <= clients, failed
    assert len(acknowledged) + len(failed) == clients * per_client
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{victim_port}/health", timeout=2)


def test_a_restarted_instance_loses_no_server_side_session(redis_cluster: Cluster) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    _open(opener, f"{redis_cluster.url}/login/ada", "POST")
    redis_cluster.restart("a")
    for name in ("a", "b"):
        port = redis_cluster.instances[name][0]
        assert _open(opener, f"http://127.0.0.1:{port}/whoami") == (name, "ada")


def test_a_revoked_session_is_refused_by_both_instances(redis_cluster: Cluster) -> None:
    ada = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    bob = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    _open(ada, f"{redis_cluster.url}/login/ada", "POST")
    _open(bob, f"{redis_cluster.url}/login/bob", "POST")
    assert _open(bob, f"{redis_cluster.url}/revoke/ada", "POST")[1] == "1"
    for name, (port, _) in redis_cluster.instances.items():
        assert _open(ada, f"http://127.0.0.1:{port}/whoami") == (name, "anonymous")
        assert _open(bob, f"http://127.0.0.1:{port}/whoami") == (name, "bob")
