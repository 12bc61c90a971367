"""The resident memory of one worker: run by ``bench.py``, one process per app.

    python memory.py FRAMEWORK SCENARIO REQUESTS

Prints a JSON object with the resident set size (``VmRSS``, KiB) after importing the framework
and building the app, and after serving REQUESTS requests through its WSGI callable.
"""

from __future__ import annotations

import json
import sys

from one import call

from apps import build


def resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    framework, scenario, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    app, make, _ = build(framework, scenario)
    after_import = resident_kib()
    for _ in range(count):
        call(app, make())
    figures = {"after_import_kib": after_import, "after_requests_kib": resident_kib()}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
