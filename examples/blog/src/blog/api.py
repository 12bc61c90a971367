"""The posts as JSON, under ``/api``, beside the HTML pages and with the same rules.

========  ======================  ===============================================
method    path                    does
========  ======================  ===============================================
GET       ``/api/posts``          the newest posts, a page at a time
GET       ``/api/posts/<id>``     one post
POST      ``/api/posts``          a new post from ``{"title": ..., "body": ...}``
DELETE    ``/api/posts/<id>``     delete your post
========  ======================  ===============================================

The API shares the browser's login session, so writes need a logged-in user and the CSRF token
in the ``X-CSRF-Token`` header (pages carry it in ``<meta name="csrf-token">``). Errors come back
as ``{"error": ..., "status": ...}`` with the matching HTTP status.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from werkzeug.exceptions import HTTPException

from erlen import abort
from erlen import Blueprint
from erlen import g
from erlen import jsonify
from erlen import request
from erlen import url_for

from .db import get_db
from .posts import get_post
from .posts import newest_posts

bp = Blueprint("api", __name__, url_prefix="/api")


def to_json(post: sqlite3.Row) -> dict[str, Any]:
    """A post row as a JSON object, with the URL of its page."""
    data = {key: post[key] for key in ("id", "title", "body", "created", "updated", "author")}
    data["url"] = url_for("posts.detail", post_id=post["id"], _external=True)
    return data


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException) -> tuple[Any, int]:
    """Answer errors raised by the API's views in JSON, not with an HTML page."""
    code = error.code or 500
    return jsonify(error=error.description, status=code), code


def _require_user() -> None:
    if g.user is None:
        abort(401, description="Log in first; the API uses the browser's session.")


@bp.get("/posts")
def list_posts() -> Any:
    """The newest posts, the same pages as the front page (``?page=2``...), with a ``Link``
    header to the newer (``rel="prev"``) and older (``rel="next"``) pages there are.
    """
    posts, page, more = newest_posts()
    links = []
    if page > 1:
        links.append(f'<{url_for("api.list_posts", page=page - 1)}>; rel="prev"')
    if more:
        links.append(f'<{url_for("api.list_posts", page=page + 1)}>; rel="next"')
    headers = {"Link": ", ".join(links)} if links else {}
    return jsonify(posts=[to_json(row) for row in posts]), headers


@bp.get("/posts/<int:post_id>")
def show_post(post_id: int) -> Any:
    """One post."""
    return jsonify(to_json(get_post(post_id, check_author=False)))


@bp.post("/posts")
def create_post() -> Any:
    """Publish a post from a JSON body; ``201`` with the post and its ``Location``."""
    _require_user()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description='Send a JSON object: {"title": "...", "body": "..."}.')
    title, body = data.get("title"), data.get("body")
    if not isinstance(title, str) or not title.strip():
        abort(400, description="'title' must be a non-empty string.")
    if not isinstance(body, str) or not body.strip():
        abort(400, description="'body' must be a non-empty string.")
    with get_db() as db:
        cursor = db.execute(
            "INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)",
            (title.strip(), body.strip(), g.user["id"]),
        )
    post_id = cursor.lastrowid
    assert post_id is not None
    response = jsonify(to_json(get_post(post_id)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.show_post", post_id=post_id)
    return response


@bp.delete("/posts/<int:post_id>")
def delete_post(post_id: int) -> Any:
    """Delete your post; ``204`` with no body."""
    _require_user()
    get_post(post_id)
    with get_db() as db:
        db.execute("DELETE FROM post WHERE id = ?", (post_id,))
    return "", 204
