"""Sessions: erlen's face for ``flask.sessions`` (owned by erlen-sessions)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_sessions.sessions import NullSession as NullSession
from erlen_sessions.sessions import SecureCookieSession as SecureCookieSession
from erlen_sessions.sessions import SecureCookieSessionInterface as SecureCookieSessionInterface
from erlen_sessions.sessions import session_json_serializer as session_json_serializer
from erlen_sessions.sessions import SessionInterface as SessionInterface
from erlen_sessions.sessions import SessionMixin as SessionMixin

adopt(__name__)
