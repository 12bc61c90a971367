"""Flask-SQLAlchemy, unchanged, on erlen: what an app on a database does."""

from __future__ import annotations

import pathlib

import flask
import pytest
import sqlalchemy_app
from sqlalchemy_app import Author
from sqlalchemy_app import Book
from sqlalchemy_app import db

import erlen

pytestmark = pytest.mark.extension("Flask-SQLAlchemy")


@pytest.fixture
def app(tmp_path: pathlib.Path) -> flask.Flask:
    app = sqlalchemy_app.create_app(f"sqlite:///{tmp_path / 'books.db'}")
    with app.app_context():
        db.create_all()
    return app


def test_the_app_is_an_erlen_app(app: flask.Flask) -> None:
    assert flask.Flask is erlen.Erlen
    assert isinstance(app, erlen.Erlen)
    assert app.extensions["sqlalchemy"] is db


def test_rows_written_by_a_view_are_read_by_the_next_request(app: flask.Flask) -> None:
    client = app.test_client()
    created = client.post("/books", json={"title": "Emma", "author": "Austen"})
    assert created.status_code == 201
    assert client.get(f"/books/{created.json['id']}").json == {
        "title": "Emma",
        "author": "Austen",
    }
    with app.app_context():
        assert db.session.scalars(db.select(Book.title)).all() == ["Emma"]


def test_relationships_and_first_or_404(app: flask.Flask) -> None:
    client = app.test_client()
    for title in ("Persuasion", "Emma"):
        client.post("/books", json={"title": title, "author": "Austen"})
    assert client.get("/authors/Austen").json == {"books": ["Emma", "Persuasion"]}
    assert client.get("/authors/Nobody").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Author.id))) == 1


def test_get_or_404_gives_the_description(app: flask.Flask) -> None:
    response = app.test_client().get("/books/99")
    assert response.status_code == 404
    assert b"No such book." in response.data


def test_paginate_reads_the_page_from_the_query_string(app: flask.Flask) -> None:
    client = app.test_client()
    for title in ("a", "b", "c", "d", "e"):
        client.post("/books", json={"title": title, "author": "x"})
    assert client.get("/books").json == {"titles": ["a", "b"], "pages": 3, "total": 5}
    assert client.get("/books?page=3").json["titles"] == ["e"]
    assert client.get("/books?page=9").status_code == 404


def test_the_session_is_removed_when_the_app_context_ends(app: flask.Flask) -> None:
    with app.app_context():
        db.session.add(Author(name="uncommitted"))
        assert db.session.new
    with app.app_context():
        assert not db.session.new
        assert db.session.scalars(db.select(Author)).all() == []
