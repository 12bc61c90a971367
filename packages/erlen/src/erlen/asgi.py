"""The ASGI adapter (erlen only; owned by erlen-core's :mod:`erlen_core.asgi`).

Every app's ASGI application is ``app.asgi``: ``uvicorn module:app.asgi``.
"""

from __future__ import annotations

from erlen_core.asgi import ASGIApp as ASGIApp
from erlen_core.asgi import Disconnected as Disconnected
