"""The SQLite database: one connection per app context, the schema, and ``init-db``.

The database file is ``app.config["DATABASE"]``. :func:`init_app` creates it with the schema
when it is missing, so a fresh checkout serves the blog at once; ``erlen --app blog init-db``
starts over with empty tables.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile

import click

from erlen import current_app
from erlen import Erlen
from erlen import g
from erlen.cli import with_appcontext


def get_db() -> sqlite3.Connection:
    """The connection of the current app context, opened on first use.

    Rows come back as :class:`sqlite3.Row`, readable by column name, and foreign keys are
    enforced, so deleting a user deletes their posts.
    """
    if "db" not in g:
        connection = sqlite3.connect(current_app.config["DATABASE"])
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        g.db = connection
    db: sqlite3.Connection = g.db
    return db


def close_db(error: BaseException | None = None) -> None:
    """Close the context's connection, if one was opened."""
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def _run_schema(app: Erlen, connection: sqlite3.Connection) -> None:
    with app.open_resource("schema.sql", "r") as schema:
        connection.executescript(schema.read())


def init_db() -> None:
    """Create the tables from ``schema.sql``, dropping any that exist."""
    database = current_app.config["DATABASE"]
    os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
    _run_schema(current_app, get_db())


def create_missing_db(app: Erlen) -> None:
    """Create the database file with its tables unless it exists.

    Several server processes may start at once on a fresh checkout. The database is built
    under a temporary name and then linked into place, which fails for all but the first: no
    process sees a half-made database or drops tables another one already uses.
    """
    database = app.config["DATABASE"]
    folder = os.path.dirname(os.path.abspath(database))
    os.makedirs(folder, exist_ok=True)
    handle, building = tempfile.mkstemp(dir=folder, prefix=".blog-", suffix=".sqlite")
    os.close(handle)
    try:
        connection = sqlite3.connect(building)
        try:
            _run_schema(app, connection)
        finally:
            connection.close()
        try:
            os.link(building, database)
        except FileExistsError:
            pass  # Another process was first; its database is the one to use.
    finally:
        os.unlink(building)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the blog's tables, deleting every user and post."""
    init_db()
    click.echo(f"Initialized the database at {current_app.config['DATABASE']}.")


def init_app(app: Erlen) -> None:
    """Close connections after each context, add ``init-db``, create a missing database."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    if not os.path.exists(app.config["DATABASE"]):
        create_missing_db(app)
