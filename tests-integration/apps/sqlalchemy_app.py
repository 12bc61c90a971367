"""A bookshelf on Flask-SQLAlchemy: models, queries, pagination and ``get_or_404``."""

from __future__ import annotations

import flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True, nullable=False)
    books = db.relationship("Book", back_populates="author", order_by="Book.title")


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author_id = db.Column(db.ForeignKey(Author.id), nullable=False)
    author = db.relationship(Author, back_populates="books")


def create_app(database_uri: str) -> flask.Flask:
    app = flask.Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri
    db.init_app(app)

    @app.post("/books")
    def add_book() -> object:
        data = flask.request.get_json()
        author = db.session.execute(
            db.select(Author).filter_by(name=data["author"])
        ).scalar_one_or_none() or Author(name=data["author"])
        book = Book(title=data["title"], author=author)
        db.session.add(book)
        db.session.commit()
        return {"id": book.id}, 201

    @app.get("/books/<int:book_id>")
    def book(book_id: int) -> object:
        found = db.get_or_404(Book, book_id, description="No such book.")
        return {"title": found.title, "author": found.author.name}

    @app.get("/books")
    def books() -> object:
        page = db.paginate(db.select(Book).order_by(Book.id), per_page=2)
        return {"titles": [b.title for b in page.items], "pages": page.pages, "total": page.total}

    @app.get("/authors/<name>")
    def author(name: str) -> object:
        found = db.first_or_404(db.select(Author).filter_by(name=name))
        return {"books": [b.title for b in found.books]}

    return app
