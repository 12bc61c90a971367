"""Serve one scenario in-process and report its cost: run by ``bench.py``, one process per app.

    python one.py FRAMEWORK SCENARIO REQUESTS

Prints a JSON object with the seconds per request. Every answer of the first and the last
request is checked (status and body), so a broken app never produces a figure. A few requests
warm the caches first; what setup allocated is frozen out of the garbage collector's way.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from typing import Any

from apps import build

#: Requests served before measuring.
WARM_UP = 20


def call(app: Any, environ: dict[str, Any]) -> tuple[int, bytes]:
    status: list[str] = []

    def start_response(s: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        status.append(s)
        return lambda data: None

    iterable = app(environ, start_response)
    try:
        body = b"".join(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    return int(status[0].split()[0]), body


def check(app: Any, make: Any, expected: tuple[int, bytes | None], where: str) -> None:
    code, body = call(app, make())
    want_code, want_body = expected
    if code != want_code or (want_body is not None and body != want_body):
        raise SystemExit(f"{where}: got {code} {body[:200]!r}, expected {want_code} {want_body!r}")


def main() -> None:
    framework, scenario, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    app, make, expected = build(framework, scenario)
    check(app, make, expected, f"{framework}/{scenario} before timing")
    # Caches the first requests fill (compiled patterns, bindings) are not part of the cost.
    for _ in range(WARM_UP):
        call(app, make())
    environs = [make() for _ in range(count)]
    # What setup left behind is frozen, so a full collection during the run (whether one falls
    # in it is chance) does not walk every imported module: counts then repeat run to run.
    gc.collect()
    gc.freeze()
    # getppid marks the measured part for callgrind (bench.py dumps a profile at each call);
    # nothing else in this process calls it.
    os.getppid()
    start = time.perf_counter()
    for environ in environs:
        call(app, environ)
    elapsed = time.perf_counter() - start
    os.getppid()
    check(app, make, expected, f"{framework}/{scenario} after timing")
    print(json.dumps({"seconds_per_request": elapsed / count if count else 0.0}))


if __name__ == "__main__":
    main()
