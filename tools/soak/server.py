"""gunicorn serving the blog from a fresh database, and the memory of its workers."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on (gunicorn cannot bind port 0 and say which)."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def rss_kib(pid: int) -> int:
    """The resident set size of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"process {pid} has no VmRSS")


class Server:
    """gunicorn serving the blog, with its database and log in ``folder``."""

    def __init__(self, folder: Path, workers: int, threads: int) -> None:
        self.folder = folder
        self.database = folder / "blog.sqlite"
        self.log = folder / "gunicorn.log"
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Create the database, start gunicorn and wait until every worker is up."""
        env = {
            **os.environ,
            "BLOG_INSTANCE_PATH": str(self.folder),
            "BLOG_DATABASE": str(self.database),
            "BLOG_SECRET_KEY": f"soak-{secrets.token_hex(16)}",
        }
        # Created before the workers start, which would otherwise race to create it.
        init_db = [sys.executable, "-m", "erlen", "--app", "blog", "init-db"]
        subprocess.run(init_db, env=env, check=True, stdout=subprocess.DEVNULL)
        # A keep-alive longer than any pause of a busy client: reused connections stay open.
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", str(self.workers), "--worker-class", "gthread"),
                *("--threads", str(self.threads), "--keep-alive", "30"),
                *("--error-logfile", str(self.log), "--no-control-socket"),
                "blog:create_app()",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not (self.answers() and len(self.worker_pids()) == self.workers):
            if not self.alive or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.log_tail()}")
            time.sleep(0.2)

    def answers(self) -> bool:
        """Whether the front page answers 200."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", "/")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    @property
    def alive(self) -> bool:
        """Whether the gunicorn master runs."""
        return self.process is not None and self.process.poll() is None

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master process."""
        assert self.process is not None
        pid = self.process.pid
        try:
            return sorted(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))
        except FileNotFoundError:
            return []

    def rss(self) -> dict[int, int]:
        """The RSS of each worker in KiB, by pid."""
        return {pid: rss_kib(pid) for pid in self.worker_pids()}

    def stop(self) -> None:
        """Stop gunicorn gracefully, or kill it when it does not stop in time."""
        if not self.alive:
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        """The end of gunicorn's error log."""
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
