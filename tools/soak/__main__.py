"""The soak test's driver: start the server, run the clients, check and report what happened."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import json
import multiprocessing
import platform
import secrets
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from .client import ClientPlan
from .client import ClientResult
from .client import init_client
from .client import run_client
from .server import Server

#: A worker whose RSS grows this much (in %) between the warm-up and the end fails the run.
RSS_GROWTH_LIMIT = 10.0


@dataclasses.dataclass
class Run:
    """What the clients saw and what the driver measured meanwhile."""

    seconds: float
    results: list[ClientResult]
    #: Worker RSS in KiB by pid, after the warm-up and at the end.
    rss_warm: dict[int, int]
    rss_end: dict[int, int]
    server_died: bool


def drive(server: Server, args: argparse.Namespace) -> Run:
    """Run the clients against ``server``; read worker RSS after the warm-up and at the end."""
    context = multiprocessing.get_context("fork")
    sent = context.Value("q", 0)
    run_id = secrets.token_hex(4)
    deadline = time.monotonic() + args.max_seconds
    plans = [
        ClientPlan(i, run_id, server.port, args.requests, deadline, args.upload_kib * 1024)
        for i in range(args.clients)
    ]
    warm_up_end = args.requests * args.warm_up / 100
    rss_warm: dict[int, int] = {}
    start = time.monotonic()
    with context.Pool(args.clients, initializer=init_client, initargs=(sent,)) as pool:
        pending = pool.map_async(run_client, plans)
        while not pending.ready():
            pending.wait(0.2)
            if not rss_warm and sent.value >= warm_up_end and server.alive:
                rss_warm = server.rss()
        results = pending.get()
        pool.close()
        pool.join()
    seconds = time.monotonic() - start
    rss_end = server.rss() if server.alive else {}
    # A worker that crashed or hung is replaced by the master under a new pid.
    server_died = not server.alive or (bool(rss_warm) and rss_warm.keys() != rss_end.keys())
    return Run(seconds, results, rss_warm, rss_end, server_died)


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted ``ordered`` lies (nearest rank)."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def stored_posts(database: Path) -> dict[int, str]:
    """Every post's title by id, read from the database file."""
    with closing(sqlite3.connect(database)) as db:
        return dict(db.execute("SELECT id, title FROM post"))


def failures(
    run: Run, report: dict[str, Any], missing: list[tuple[int, str]], log: str
) -> list[str]:
    """What went wrong in a run, one sentence each; empty if every check passed."""
    found = []
    if run.server_died:
        found.append(f"the server died, or a worker was replaced:\n{log}")
    if report["requests"] < report["requests_asked"]:
        found.append(f"only {report['requests']:,} of {report['requests_asked']:,} requests")
    if report["status_classes"]["5xx"]:
        found.append(f"{report['status_classes']['5xx']:,} answers were 5xx:\n{log}")
    if report["unexpected"]:
        found.append(f"{report['unexpected']:,} unexpected answers: {report['first_unexpected']}")
    if missing:
        found.append(f"{len(missing):,} acknowledged writes are not stored: {missing[:5]}")
    if not run.rss_warm:
        found.append("the run ended before the warm-up did")
    for worker in report["worker_rss_kib"]:
        if worker["growth_percent"] is not None and worker["growth_percent"] >= RSS_GROWTH_LIMIT:
            found.append(f"worker {worker['pid']} RSS grew {worker['growth_percent']}%")
    return found


def evaluate(
    run: Run, stored: dict[int, str], log: str, args: argparse.Namespace
) -> dict[str, Any]:
    """The report of a run, its ``failures`` listing every check it did not pass."""
    statuses: Counter[int] = Counter()
    for result in run.results:
        statuses.update(result.statuses)
    connection_errors = sum(r.connection_errors for r in run.results)
    total = sum(statuses.values()) + connection_errors
    latencies = sorted(t for r in run.results for t in r.latencies)
    unexpected = [u for r in run.results for u in r.unexpected]
    acknowledged = [a for r in run.results for a in r.acknowledged]
    missing = [(i, t) for i, t in acknowledged if stored.get(i) != t]
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "workers": args.workers,
        "threads": args.threads,
        "clients": args.clients,
        "requests_asked": args.requests,
        "requests": total,
        "seconds": round(run.seconds, 1),
        "requests_per_second": round(total / run.seconds, 1),
        "status_classes": {
            f"{c}xx": sum(n for s, n in statuses.items() if s // 100 == c) for c in range(2, 6)
        },
        "statuses": {str(s): n for s, n in sorted(statuses.items())},
        "connection_errors": connection_errors,
        "unexpected": len(unexpected),
        "first_unexpected": unexpected[:5],
        "latency_ms": {
            "p50": round(1000 * percentile(latencies, 0.50), 2),
            "p99": round(1000 * percentile(latencies, 0.99), 2),
        },
        "worker_rss_kib": [
            {
                "pid": pid,
                "after_warm_up": warm,
                "end": run.rss_end.get(pid),
                "growth_percent": (
                    round(100 * (run.rss_end[pid] - warm) / warm, 2) if pid in run.rss_end else None
                ),
            }
            for pid, warm in run.rss_warm.items()
        ],
        "writes_acknowledged": len(acknowledged),
        "writes_stored": len(acknowledged) - len(missing),
        "posts_stored": len(stored),
    }
    report["failures"] = failures(run, report, missing, log)
    return report


def print_report(report: dict[str, Any]) -> None:
    """The report, for people."""
    latency = report["latency_ms"]
    print(
        f"\n{report['requests']:,} requests in {report['seconds']} s,"
        f" {report['requests_per_second']:,} requests/s from {report['clients']} clients;"
        f" gunicorn {report['gunicorn']}, {report['workers']} gthread workers x"
        f" {report['threads']} threads, Python {report['python']}"
    )
    print("status classes:", ", ".join(f"{c} {n:,}" for c, n in report["status_classes"].items()))
    print(f"unexpected: {report['unexpected']} (connection errors: {report['connection_errors']})")
    print(f"latency: p50 {latency['p50']} ms, p99 {latency['p99']} ms")
    for worker in report["worker_rss_kib"]:
        end = "gone" if worker["end"] is None else f"{worker['end']:,} KiB"
        growth = "" if worker["growth_percent"] is None else f" ({worker['growth_percent']:+}%)"
        print(
            f"worker {worker['pid']} RSS: {worker['after_warm_up']:,} KiB after the warm-up,"
            f" {end} at the end{growth}"
        )
    print(
        f"writes: {report['writes_acknowledged']:,} acknowledged,"
        f" {report['writes_stored']:,} of them stored ({report['posts_stored']:,} posts in all)"
    )
    found = report["failures"]
    print("\n".join(["FAIL:", *(f"- {f}" for f in found)]) if found else "PASS")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.soak",
        description="Soak test of the tutorial blog under gunicorn.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--requests", type=int, default=200_000, help="requests to send")
    parser.add_argument(
        "--max-seconds", type=float, default=900, help="time limit; fewer requests fail the run"
    )
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--upload-kib", type=int, default=100, help="size of each upload")
    parser.add_argument(
        "--warm-up", type=float, default=5, help="%% of the requests before RSS is first read"
    )
    parser.add_argument("--json", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.requests < 20 * args.clients:
        parser.error(f"--requests must be at least 20 per client ({20 * args.clients})")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the soak test; 0 if every check passed, 1 otherwise."""
    args = parse_args(argv)
    # By default SIGTERM would end the driver at once, leaving gunicorn running.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="erlen-soak-") as folder:
        server = Server(Path(folder), args.workers, args.threads)
        print(f"soak: {args.requests:,} requests to the blog at http://127.0.0.1:{server.port}/")
        try:
            server.start()
            run = drive(server, args)
        finally:
            server.stop()
        report = evaluate(run, stored_posts(server.database), server.log_tail(), args)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("soak: interrupted; gunicorn is stopped")
