"""Accounts: register, log in, log out, and the guard for pages that need a user.

Passwords are stored only as salted hashes from :func:`werkzeug.security.generate_password_hash`.
The session remembers who is logged in by user id; :func:`load_user` puts that user's row on
``g.user`` before every request, or ``None`` for a visitor.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from erlen import Blueprint
from erlen import flash
from erlen import g
from erlen import redirect
from erlen import render_template
from erlen import request
from erlen import session
from erlen import url_for

from .db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")

F = TypeVar("F", bound=Callable[..., Any])


@bp.before_app_request
def load_user() -> None:
    """Set ``g.user`` to the logged-in user's row, or to ``None``."""
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        g.user = get_db().execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()


def login_required(view: F) -> F:
    """Send visitors to the login page, and back to where they were going afterwards."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            flash("Log in to do that.", "info")
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def _credentials() -> tuple[str, str, str | None]:
    """The submitted username and password, and what is wrong with them, if anything."""
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username:
        return username, password, "Choose a username."
    if not password:
        return username, password, "Choose a password."
    return username, password, None


@bp.route("/register", methods=("GET", "POST"))
def register() -> Any:
    """Show the sign-up form; on POST, create the account, log its owner in, and go to the
    posts."""
    if request.method == "POST":
        username, password, problem = _credentials()
        if problem is None:
            try:
                with get_db() as db:
                    created = db.execute(
                        "INSERT INTO user (username, password_hash) VALUES (?, ?)",
                        (username, generate_password_hash(password)),
                    )
            except sqlite3.IntegrityError:
                problem = f"The name {username!r} is taken; choose another."
            else:
                _start_session(created.lastrowid)
                flash(f"Welcome, {username}! You are logged in and can start writing.", "success")
                return redirect(url_for("posts.index"))
        flash(problem, "error")
        return render_template("auth/register.html", username=username), 400
    return render_template("auth/register.html")


def _start_session(user_id: int | None) -> None:
    """Log ``user_id`` in with a fresh session, so that a token planted before is worth nothing
    after."""
    session.clear()
    session["user_id"] = user_id


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site, never to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("posts.index")


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    """Show the login form; on POST, check the password and start a fresh session."""
    if request.method == "POST":
        username, password, problem = _credentials()
        user = get_db().execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()
        if (
            problem is None
            and user is not None
            and check_password_hash(user["password_hash"], password)
        ):
            _start_session(user["id"])
            flash(f"Logged in as {user['username']}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong username or password.", "error")
        return render_template("auth/login.html", username=username), 400
    return render_template("auth/login.html")


@bp.post("/logout")
def logout() -> Any:
    """End the session. A POST with the CSRF token, so no other site can log you out."""
    session.clear()
    flash("Logged out.", "info")
    return redirect(url_for("posts.index"))
