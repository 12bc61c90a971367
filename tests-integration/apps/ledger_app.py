"""An app run as several gunicorn instances behind nginx: shared sessions, durable writes.

``LEDGER_DB`` names the SQLite file every instance writes (WAL mode), ``LEDGER_SECRET`` the
session key they share and ``LEDGER_INSTANCE`` the name each reports in ``X-Instance``. With
``LEDGER_REDIS_URL`` set, sessions live in that Redis server (erlen's server-side sessions) and
``POST /revoke/<user>`` ends every session of a user; otherwise they are signed cookies.
"""

from __future__ import annotations

import os
import sqlite3

from erlen import Erlen
from erlen import g
from erlen import jsonify
from erlen import Response
from erlen import session
from erlen_sessions import ServerSessionInterface
from erlen_sessions.redis_store import RedisStore

app = Erlen(__name__)
app.secret_key = os.environ["LEDGER_SECRET"]
DATABASE = os.environ["LEDGER_DB"]
INSTANCE = os.environ["LEDGER_INSTANCE"]
REDIS_URL = os.environ.get("LEDGER_REDIS_URL")
if REDIS_URL:
    app.session_interface = ServerSessionInterface(RedisStore(url=REDIS_URL), user_key="user")


def database() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE, timeout=10, isolation_level=None)
        g.db.execute("PRAGMA journal_mode=WAL")
        g.db.execute("PRAGMA synchronous=FULL")
        g.db.execute("CREATE TABLE IF NOT EXISTS entry (id TEXT PRIMARY KEY, instance TEXT)")
    return g.db


@app.teardown_appcontext
def close_database(error: BaseException | None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


@app.after_request
def name_instance(response: Response) -> Response:
    response.headers["X-Instance"] = INSTANCE
    return response


@app.get("/health")
def health() -> str:
    return "ok"


@app.post("/login/<user>")
def login(user: str) -> str:
    session["user"] = user
    return user


@app.get("/whoami")
def whoami() -> str:
    return session.get("user", "anonymous")


@app.post("/entries/<entry_id>")
def add_entry(entry_id: str) -> object:
    # The commit returns only once the row is in the WAL on disk: then the 201 may go out.
    database().execute("INSERT INTO entry VALUES (?, ?)", (entry_id, INSTANCE))
    return jsonify(id=entry_id), 201


@app.post("/revoke/<user>")
def revoke(user: str) -> str:
    interface = app.session_interface
    assert isinstance(interface, ServerSessionInterface), "revoking needs server-side sessions"
    return str(interface.revoke(app, user))
