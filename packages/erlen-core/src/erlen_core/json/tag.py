"""The tagged JSON serializer sessions use, under the module path Flask offers it from.

It lives in :mod:`erlen_sessions.tag`, which documents the format and how to register new tags;
this module re-exports its names so ``flask.json.tag`` imports keep working.
"""

from __future__ import annotations

from erlen_sessions.tag import JSONTag as JSONTag
from erlen_sessions.tag import PassDict as PassDict
from erlen_sessions.tag import PassList as PassList
from erlen_sessions.tag import TagBytes as TagBytes
from erlen_sessions.tag import TagDateTime as TagDateTime
from erlen_sessions.tag import TagDict as TagDict
from erlen_sessions.tag import TaggedJSONSerializer as TaggedJSONSerializer
from erlen_sessions.tag import TagMarkup as TagMarkup
from erlen_sessions.tag import TagTuple as TagTuple
from erlen_sessions.tag import TagUUID as TagUUID
