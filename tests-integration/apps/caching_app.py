"""Flask-Caching: cached views, per-query-string caching and memoized functions."""

from __future__ import annotations

import itertools

import flask
from flask_caching import Cache

cache = Cache()


def create_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=300)
    cache.init_app(app)
    renders = itertools.count(1)
    squares: list[int] = []

    @cache.memoize()
    def square(n: int) -> int:
        squares.append(n)
        return n * n

    @app.get("/clock")
    @cache.cached()
    def clock() -> str:
        return f"render {next(renders)}"

    @app.get("/search")
    @cache.cached(query_string=True)
    def search() -> str:
        return f"{flask.request.args.get('q')} render {next(renders)}"

    @app.get("/square/<int:n>")
    def square_view(n: int) -> object:
        return {"square": square(n), "computed": squares}

    @app.post("/square/<int:n>/forget")
    def forget(n: int) -> str:
        cache.delete_memoized(square, n)
        return "forgotten"

    return app
