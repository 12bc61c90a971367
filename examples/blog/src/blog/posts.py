"""The blog's pages: the list of posts, one post, and the forms to write, edit and delete.

Anyone may read. Writing needs a logged-in user, and only a post's author may change or delete
it. Every form follows POST-redirect-GET: a successful POST answers with a redirect, so reloading
the page it lands on never sends the form twice.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from erlen import abort
from erlen import Blueprint
from erlen import flash
from erlen import g
from erlen import redirect
from erlen import render_template
from erlen import request
from erlen import url_for

from .auth import login_required
from .db import get_db

bp = Blueprint("posts", __name__)

#: The columns every page shows, the author's name joined in.
POST_QUERY = (
    "SELECT p.id, p.title, p.body, p.created, p.updated, p.author_id, u.username AS author"
    " FROM post p JOIN user u ON p.author_id = u.id"
)
#: How many posts a page of the list shows. Listing every post on one page would make the front
#: page slower and heavier with each post written.
PAGE_SIZE = 20


#: How many characters of a post the list shows.
EXCERPT_LENGTH = 280


@bp.app_template_filter()
def paragraphs(text: str) -> list[str]:
    """A post's text as its paragraphs: the blocks between blank lines, whatever line endings
    the browser sent."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]


@bp.app_template_filter()
def excerpt(text: str, length: int = EXCERPT_LENGTH) -> list[str]:
    """The first paragraphs of a post, about ``length`` characters in all, the last one cut at
    a word and ended with an ellipsis when the post goes on."""
    shown: list[str] = []
    room = length
    for paragraph in paragraphs(text):
        if len(paragraph) <= room:
            shown.append(paragraph)
            room -= len(paragraph)
            continue
        cut = paragraph[:room].rpartition(" ")[0].rstrip()
        if cut:
            shown.append(f"{cut} …")
        elif shown:
            shown[-1] += " …"
        else:  # a first "word" longer than the excerpt
            shown.append(f"{paragraph[:room]} …")
        break
    return shown


def get_post(post_id: int, *, check_author: bool = True) -> sqlite3.Row:
    """The post ``post_id``; ``404`` if there is none, ``403`` if ``check_author`` is true
    and the logged-in user did not write it.
    """
    post: sqlite3.Row | None = (
        get_db().execute(f"{POST_QUERY} WHERE p.id = ?", (post_id,)).fetchone()
    )
    if post is None:
        abort(404, description=f"There is no post {post_id}.")
    if check_author and (g.user is None or post["author_id"] != g.user["id"]):
        abort(403, description="Only the author of a post may change it.")
    return post


def _submitted() -> tuple[str, str, str | None]:
    """The submitted title and body, and what is wrong with them, if anything."""
    title = request.form.get("title", "").strip()
    body = request.form.get("body", "").strip()
    if not title:
        return title, body, "A post needs a title."
    if not body:
        return title, body, "A post needs some text."
    return title, body, None


def newest_posts() -> tuple[list[sqlite3.Row], int, bool]:
    """The page of posts that ``?page=`` asks for, newest first, its number, and whether older
    posts follow. Page 1, the default, holds the newest :data:`PAGE_SIZE` posts; ``404`` for a
    page that holds none.
    """
    page = request.args.get("page", 1, type=int)
    offset = (page - 1) * PAGE_SIZE
    rows: list[sqlite3.Row] = []
    # Past SQLite's 64-bit integers there are no posts, only an OverflowError.
    if 0 <= offset < 2**63:
        # One row more than the page shows tells whether another page follows.
        query = f"{POST_QUERY} ORDER BY p.created DESC, p.id DESC LIMIT ? OFFSET ?"
        rows = get_db().execute(query, (PAGE_SIZE + 1, offset)).fetchall()
    if not rows and page != 1:
        abort(404, description=f"There is no page {page} of posts.")
    return rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE


@bp.get("/")
def index() -> str:
    """The newest posts, a page at a time: ``?page=2`` shows the ones before."""
    posts, page, more = newest_posts()
    return render_template("posts/index.html", posts=posts, page=page, more=more)


@bp.get("/posts/<int:post_id>")
def detail(post_id: int) -> str:
    """One post."""
    return render_template("posts/detail.html", post=get_post(post_id, check_author=False))


@bp.route("/posts/new", methods=("GET", "POST"))
@login_required
def create() -> Any:
    """The form for a new post; on POST, save it and show it."""
    title = body = ""
    if request.method == "POST":
        title, body, problem = _submitted()
        if problem is None:
            with get_db() as db:
                cursor = db.execute(
                    "INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)",
                    (title, body, g.user["id"]),
                )
            flash("Your post is published.", "success")
            return redirect(url_for("posts.detail", post_id=cursor.lastrowid))
        flash(problem, "error")
    status = 400 if request.method == "POST" else 200
    return render_template("posts/form.html", title=title, body=body, post=None), status


@bp.route("/posts/<int:post_id>/edit", methods=("GET", "POST"))
@login_required
def update(post_id: int) -> Any:
    """The form to change your post; on POST, save the change and show the post."""
    post = get_post(post_id)
    title, body = post["title"], post["body"]
    if request.method == "POST":
        title, body, problem = _submitted()
        if problem is None:
            with get_db() as db:
                db.execute(
                    "UPDATE post SET title = ?, body = ?,"
                    " updated = strftime('%Y-%m-%d %H:%M', 'now') WHERE id = ?",
                    (title, body, post_id),
                )
            flash("Your changes are saved.", "success")
            return redirect(url_for("posts.detail", post_id=post_id))
        flash(problem, "error")
    status = 400 if request.method == "POST" else 200
    return render_template("posts/form.html", title=title, body=body, post=post), status


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete(post_id: int) -> Any:
    """Delete your post and go back to the list."""
    get_post(post_id)
    with get_db() as db:
        db.execute("DELETE FROM post WHERE id = ?", (post_id,))
    flash("The post is deleted.", "info")
    return redirect(url_for("posts.index"))
