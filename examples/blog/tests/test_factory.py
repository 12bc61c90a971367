"""The app factory, its configuration layers, and the database it creates."""

from __future__ import annotations

import sqlite3
import urllib.request
from typing import Any

import pytest

from blog import create_app
from blog.db import create_missing_db
from blog.db import get_db


def test_defaults_put_the_database_in_the_instance_folder(monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app()
    assert not app.testing
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["DATABASE"] == str(tmp_path / "instance" / "blog.sqlite")
    assert app.config["CSRF_ENABLED"] is True


def test_first_run_creates_the_database(monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "instance"))
    create_app()
    database = tmp_path / "instance" / "blog.sqlite"
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"user", "post"} <= tables


def test_first_run_keeps_a_database_another_process_made(monkeypatch: Any, tmp_path: Any) -> None:
    # Workers starting at once: the database appears after this one found it missing.
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "instance"))
    database = tmp_path / "instance" / "blog.sqlite"
    app = create_app()
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO user (username, password_hash) VALUES ('first', 'x')")
    connection.close()
    create_missing_db(app)
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT username FROM user").fetchall() == [("first",)]
    connection.close()
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith(".blog-")) == []


def test_environment_and_instance_config_override_defaults(monkeypatch: Any, tmp_path: Any) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("SECRET_KEY = 'from-file'\nCSRF_ENABLED = False\n")
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("BLOG_DATABASE", str(tmp_path / "elsewhere.sqlite"))
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["CSRF_ENABLED"] is False
    assert app.config["DATABASE"] == str(tmp_path / "elsewhere.sqlite")
    assert (tmp_path / "elsewhere.sqlite").exists()


def test_test_config_replaces_file_and_environment(monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.setenv("BLOG_SECRET_KEY", "from-env")
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    assert app.testing
    assert app.config["SECRET_KEY"] == "dev"


def test_one_connection_per_app_context(app: Any) -> None:
    with app.app_context():
        db = get_db()
        assert get_db() is db
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_connection_enforces_foreign_keys(app_ctx: Any) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        get_db().execute("INSERT INTO post (title, body, author_id) VALUES ('t', 'b', 42)")


def test_database_uses_write_ahead_logging(app_ctx: Any) -> None:
    assert get_db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_init_db_command_starts_over(app: Any, runner: Any, browser: Any) -> None:
    browser.sign_in()
    browser.write()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert f"Initialized the database at {app.config['DATABASE']}" in result.output
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0] == 0
        assert get_db().execute("SELECT COUNT(*) FROM post").fetchone()[0] == 0


def test_static_stylesheet_is_served_and_linked(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/style.css">' in page
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert b"header.site" in response.data


def test_serves_over_http(live_server: Any, browser: Any) -> None:
    browser.sign_in()
    browser.write(title="Over the wire")
    with urllib.request.urlopen(live_server.url("/")) as response:
        assert response.status == 200
        assert "Over the wire" in response.read().decode()
