"""erlen beside Flask and a raw WSGI callable, in one run: ``nox -s bench``.

Each app runs in its own process (``one.py``); rounds interleave the frameworks so that machine
noise falls on all of them alike; the table reports medians and ratios to Flask. With valgrind
present it also counts CPU instructions per request under callgrind — (a run of N requests minus
a run of 0) / N — which stays stable on a busy machine. With wrk and the servers installed
(``servers.py``) it ends with requests per second through gunicorn and granian on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys

import servers

from apps import SCENARIOS

HERE = pathlib.Path(__file__).parent
FRAMEWORKS = ("flask", "erlen", "raw")
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")
ENV = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}


def frameworks_for(scenario: str) -> tuple[str, ...]:
    return FRAMEWORKS if scenario == "hello" else FRAMEWORKS[:2]


def run_one(framework: str, scenario: str, requests: int) -> float:
    result = subprocess.run(
        [sys.executable, str(HERE / "one.py"), framework, scenario, str(requests)],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{framework}/{scenario} failed:\n{result.stderr}")
    return float(result.stdout.split(":")[1].strip(" }\n"))


def instructions(framework: str, scenario: str, requests: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(HERE / "one.py"),
        framework,
        scenario,
    ]
    totals = []
    for count in (requests, 0):
        result = subprocess.run(
            [*command, str(count)], capture_output=True, text=True, env=ENV, check=False
        )
        match = COLLECTED.search(result.stderr)
        if result.returncode or not match:
            raise SystemExit(f"callgrind {framework}/{scenario} failed:\n{result.stderr[-2000:]}")
        totals.append(int(match[1]))
    return (totals[0] - totals[1]) // requests


def ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value is not None and base else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--callgrind-requests", type=int, default=500)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--server-seconds", type=int, default=5, help="wrk duration per run")
    parser.add_argument("--no-servers", action="store_true")
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    args = parser.parse_args()
    use_callgrind = not args.no_callgrind and shutil.which("valgrind") is not None

    print("| scenario | flask µs | erlen µs | raw µs | erlen/flask time |", end="")
    print(" flask instr | erlen instr | erlen/flask instr |" if use_callgrind else "")
    print("|---|---|---|---|---|" + ("---|---|---|" if use_callgrind else ""))
    for scenario in args.scenarios:
        names = frameworks_for(scenario)
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                times[name].append(run_one(name, scenario, args.requests))
        median = {name: statistics.median(values) * 1e6 for name, values in times.items()}
        raw = f"{median['raw']:.1f}" if "raw" in median else "-"
        row = (
            f"| {scenario} | {median['flask']:.1f} | {median['erlen']:.1f} | {raw}"
            f" | {ratio(median['erlen'], median['flask'])} |"
        )
        if use_callgrind:
            counts = {name: instructions(name, scenario, args.callgrind_requests) for name in names}
            row += (
                f" {counts['flask']:,} | {counts['erlen']:,}"
                f" | {ratio(counts['erlen'], counts['flask'])} |"
            )
        print(row, flush=True)
    if not args.no_servers:
        server_table(servers.available(), args.server_seconds)


def server_table(names: list[str], seconds: int) -> None:
    """Requests per second on ``hello`` through each real server, as a second table."""
    if not names:
        print("\n(no real-server run: install wrk, gunicorn and granian)")
        return
    print("\n| server (hello, 1 worker) | flask req/s | erlen req/s | raw req/s | erlen/flask |")
    print("|---|---|---|---|---|")
    for name in names:
        rates = {fw: servers.requests_per_second(name, fw, "hello", seconds) for fw in FRAMEWORKS}
        kind = "keep-alive" if servers.SERVERS[name][1] else "new connection per request"
        print(
            f"| {name} ({kind}) | {rates['flask']:,.0f} | {rates['erlen']:,.0f}"
            f" | {rates['raw']:,.0f} | {ratio(rates['erlen'], rates['flask'])} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
