"""Tagged JSON: erlen's face for ``flask.json.tag`` (owned by erlen-sessions)."""

from __future__ import annotations

from erlen._imported import adopt
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

adopt(__name__)
