"""Server-sent events (erlen only; owned by erlen-core's :mod:`erlen_core.sse`)."""

from __future__ import annotations

from erlen_core.sse import Event as Event
from erlen_core.sse import event_stream as event_stream
from erlen_core.sse import last_event_id as last_event_id
