"""WebSocket routes (erlen only; owned by erlen-core's :mod:`erlen_core.websockets`)."""

from __future__ import annotations

from erlen_core.websockets import UpgradeRequired as UpgradeRequired
from erlen_core.websockets import WebSocket as WebSocket
from erlen_core.websockets import websocket as websocket
from erlen_core.websockets import WebSocketDisconnect as WebSocketDisconnect
