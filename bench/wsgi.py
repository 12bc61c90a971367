"""The app a real server loads: ``BENCH_FRAMEWORK`` and ``BENCH_SCENARIO`` pick it from apps.py.

BENCH_FRAMEWORK=erlen BENCH_SCENARIO=hello gunicorn wsgi:app
"""

from __future__ import annotations

import os

from apps import build

app = build(os.environ["BENCH_FRAMEWORK"], os.environ.get("BENCH_SCENARIO", "hello"))[0]
