"""erlen beside Flask and a raw WSGI callable, in one run: ``nox -s bench``.

Four tables:

1. Per scenario of ``apps.py``, in-process time (each app in its own process, ``one.py``; rounds
   interleave the frameworks so that machine noise falls on all of them alike; medians) and, with
   valgrind present, CPU instructions per request of the measured loop under callgrind, which
   stay stable on a busy machine. Each row says which target of the
   performance issue applies to it and whether this run met it.
2. Keep-alive requests per second through one real server (``servers.py``, granian unless told),
   several wrk runs per app: the median and the range.
3. Resident memory of a worker after importing and building the app and after 10,000 requests
   (``memory.py``).
4. ``python -X importtime -c "import erlen"`` beside ``import flask``: the cumulative µs of the
   top-level import, median of several runs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import servers

from apps import ERLEN_ONLY
from apps import SCENARIOS

HERE = pathlib.Path(__file__).parent
FRAMEWORKS = ("flask", "erlen", "raw")
TOTALS = re.compile(r"^totals:\s*(\d+)", re.MULTILINE)
# Bytecode is written (the first run of each app compiles), so start-up and memory figures are
# those of an installed app, not of compiling it.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONHASHSEED": "0",
}

#: The targets of the performance issue: scenario -> (measure, highest erlen/flask ratio).
TARGETS: dict[str, tuple[str, float]] = {
    "hello": ("instr", 0.15),
    "params": ("instr", 0.20),
    "notfound": ("instr", 0.20),
    "json": ("instr", 0.25),
    "jsonify": ("instr", 0.25),
    "tuple": ("instr", 0.25),
    "redirect": ("instr", 0.30),
    "blueprint": ("instr", 0.30),
    "session": ("time", 0.40),
    "session-sqlite": ("time", 2.0),
    "post-form": ("time", 0.35),
    "template": ("time", 0.55),
    "send-file": ("time", 0.60),
}
#: Keep-alive requests per second: erlen at least this many times Flask's, on hello.
SERVER_TARGET = 4.0


def frameworks_for(scenario: str) -> tuple[str, ...]:
    if scenario in ERLEN_ONLY:
        return ("erlen",)
    return FRAMEWORKS if scenario == "hello" else FRAMEWORKS[:2]


def run_json(script: str, *args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{script} {' '.join(args)} failed:\n{result.stderr}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def run_one(framework: str, scenario: str, requests: int) -> float:
    return run_json("one.py", framework, scenario, str(requests))["seconds_per_request"]


def instructions(framework: str, scenario: str, requests: int) -> int:
    """Instructions per request of ``one.py``'s measured loop for one app."""
    return callgrind([str(HERE / "one.py"), framework, scenario, str(requests)], requests)


def callgrind(arguments: list[str], requests: int) -> int:
    """Instructions per request of a script run under callgrind: it dumps a profile at each of
    the two ``os.getppid()`` calls the script makes around its measured loop of ``requests``
    requests, so the second part is the loop alone.
    """
    with tempfile.TemporaryDirectory(prefix="erlen-callgrind-") as folder:
        out = pathlib.Path(folder) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}",
            sys.executable,
            *arguments,
        ]
        result = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)
        loop = out.with_name(out.name + ".2")
        match = TOTALS.search(loop.read_text()) if loop.exists() else None
        if result.returncode or not match:
            raise SystemExit(f"callgrind {' '.join(arguments)} failed:\n{result.stderr[-2000:]}")
        return int(match[1]) // requests


def ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def verdict(scenario: str, ratios: dict[str, float | None]) -> str:
    measure, highest = TARGETS.get(scenario, ("", 0.0))
    value = ratios.get(measure)
    if value is None:
        return "-"
    return f"{measure} ≤ {highest:.2f}: {'met' if value <= highest else 'MISSED'}"


def scenario_table(args: argparse.Namespace, use_callgrind: bool) -> None:
    print("| scenario | flask µs | erlen µs | raw µs | time ratio |", end="")
    print(" flask instr | erlen instr | instr ratio |" if use_callgrind else "", end="")
    print(" target |")
    print("|---|---|---|---|---|" + ("---|---|---|" if use_callgrind else "") + "---|")
    counts: dict[tuple[str, str], int] = {}
    if use_callgrind:
        # Instruction counts do not depend on what else runs: counted first, in parallel, so
        # that no count runs beside a timed round.
        pairs = [(name, s) for s in args.scenarios for name in frameworks_for(s)]

        def count(pair: tuple[str, str]) -> int:
            return instructions(pair[0], pair[1], args.callgrind_requests)

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            found = pool.map(count, pairs)
            counts = dict(zip(pairs, found, strict=True))
    seen: dict[str, dict[str, float]] = {}
    for scenario in args.scenarios:
        names = frameworks_for(scenario)
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                times[name].append(run_one(name, scenario, args.requests))
        figures = {f"{name} µs": statistics.median(v) * 1e6 for name, v in times.items()}
        for name in names:
            if (name, scenario) in counts:
                figures[f"{name} instr"] = counts[name, scenario]
        seen[scenario] = figures
        # An erlen-only scenario is compared with erlen on the scenario it stands beside.
        base_scenario = ERLEN_ONLY.get(scenario)
        base = seen.get(base_scenario, {}) if base_scenario else figures
        base_name = "erlen" if base_scenario else "flask"
        ratios = {
            "time": ratio(figures["erlen µs"], base.get(f"{base_name} µs")),
            "instr": ratio(figures.get("erlen instr"), base.get(f"{base_name} instr")),
        }
        label = f"{scenario} (ratio to erlen {base_scenario})" if base_scenario else scenario
        cells = [label, *(_cell(figures.get(f"{n} µs"), ".1f") for n in FRAMEWORKS)]
        cells.append(shown(ratios["time"]))
        if use_callgrind:
            cells += [_cell(figures.get(f"{n} instr"), ",.0f") for n in FRAMEWORKS[:2]]
            cells.append(shown(ratios["instr"]))
        cells.append(verdict(scenario, ratios))
        print("| " + " | ".join(cells) + " |", flush=True)


def _cell(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def server_table(server: str, scenarios: list[str], runs: int, seconds: int) -> None:
    """Keep-alive requests per second through ``server``: median and range of ``runs``."""
    if server not in servers.available():
        print(f"\n(no real-server run: install wrk and {server})")
        return
    keep_alive = "keep-alive" if servers.SERVERS[server][1] else "a new connection per request"
    print(f"\n| {server}, 1 worker, {keep_alive} | flask req/s | erlen req/s | raw req/s |", end="")
    print(" erlen/flask |\n|---|---|---|---|---|")
    for scenario in scenarios:
        medians: dict[str, float] = {}
        cells = []
        for framework in frameworks_for(scenario):
            rates = [
                servers.requests_per_second(server, framework, scenario, seconds)
                for _ in range(runs)
            ]
            medians[framework] = statistics.median(rates)
            cells.append(f"{medians[framework]:,.0f} ({min(rates):,.0f}-{max(rates):,.0f})")
        cells += ["-"] * (3 - len(cells))
        value = ratio(medians.get("erlen"), medians.get("flask"))
        met = ""
        if scenario == "hello" and value is not None:
            outcome = "met" if value >= SERVER_TARGET else "MISSED"
            met = f" (target ≥ {SERVER_TARGET:.0f}: {outcome})"
        print(f"| {scenario} | " + " | ".join(cells) + f" | {shown(value)}{met} |", flush=True)


def memory_table(scenarios: list[str], requests: int) -> None:
    print(f"\n| worker memory (RSS, MiB) | after import | after {requests:,} requests |", end="")
    print(" erlen/flask after requests |\n|---|---|---|---|")
    for scenario in scenarios:
        after: dict[str, float] = {}
        for framework in ("flask", "erlen"):
            figures = run_json("memory.py", framework, scenario, str(requests))
            after[framework] = figures["after_requests_kib"]
            print(
                f"| {framework}, {scenario} | {figures['after_import_kib'] / 1024:.1f}"
                f" | {after[framework] / 1024:.1f} |",
                "-" if framework == "flask" else shown(ratio(after["erlen"], after["flask"])),
                "|",
                flush=True,
            )


def import_microseconds(module: str) -> int:
    """The cumulative import time of ``module`` as ``-X importtime`` reports it."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    for line in result.stderr.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise SystemExit(f"no import time for {module}:\n{result.stderr[-2000:]}")


def import_table(runs: int) -> None:
    print("\n| import time (µs, cumulative, median) | flask | erlen | erlen/flask |")
    print("|---|---|---|---|")
    medians = {}
    for module in ("flask", "erlen"):
        import_microseconds(module)  # compiles what was not compiled yet
        medians[module] = statistics.median(import_microseconds(module) for _ in range(runs))
    value = ratio(medians["erlen"], medians["flask"])
    print(
        f"| `import …` | {medians['flask']:,.0f} | {medians['erlen']:,.0f} | {shown(value)} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Five: one process's time moves by 10-30% between runs on a shared virtual machine.
    parser.add_argument("--rounds", type=int, default=5, help="in-process rounds per app")
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    parser.add_argument("--callgrind-requests", type=int, default=300)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--jobs", type=int, default=2, help="callgrind runs at once")
    parser.add_argument("--server", default="granian", choices=sorted(servers.SERVERS))
    parser.add_argument("--server-runs", type=int, default=3, help="wrk runs per app")
    parser.add_argument("--server-seconds", type=int, default=3, help="wrk duration per run")
    parser.add_argument("--no-servers", action="store_true")
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("scenarios", nargs="*", help=f"some of {', '.join(SCENARIOS)} (all)")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.scenarios = args.scenarios or list(SCENARIOS)
    use_callgrind = not args.no_callgrind and shutil.which("valgrind") is not None
    scenario_table(args, use_callgrind)
    if not args.no_servers:
        wanted = [s for s in ("hello", "json") if s in args.scenarios] or ["hello"]
        server_table(args.server, wanted, args.server_runs, args.server_seconds)
    if not args.no_memory:
        memory_table(["hello", "json"], args.memory_requests)
    if not args.no_import:
        import_table(args.import_runs)


if __name__ == "__main__":
    main()
