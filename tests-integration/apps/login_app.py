"""Sign-in with Flask-Login: a user loader, protected views, remember-me and logout."""

from __future__ import annotations

import flask
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import LoginManager
from flask_login import logout_user
from flask_login import UserMixin


class User(UserMixin):
    def __init__(self, user_id: str, name: str, password: str) -> None:
        self.id = user_id
        self.name = name
        self.password = password


USERS = {"1": User("1", "ada", "lovelace"), "2": User("2", "alan", "turing")}


def create_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "login-test-only"
    manager = LoginManager(app)
    manager.login_view = "login"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        return USERS.get(user_id)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> object:
        if flask.request.method == "GET":
            return "please log in"
        form = flask.request.form
        user = next((u for u in USERS.values() if u.name == form["name"]), None)
        if user is None or user.password != form["password"]:
            return "wrong name or password", 401
        login_user(user, remember=form.get("remember") == "yes")
        return flask.redirect(flask.request.args.get("next") or flask.url_for("profile"))

    @app.get("/profile")
    @login_required
    def profile() -> str:
        return f"hello {current_user.name}"

    @app.get("/whoami")
    def whoami() -> str:
        return current_user.name if current_user.is_authenticated else "anonymous"

    @app.post("/logout")
    @login_required
    def logout() -> object:
        logout_user()
        return flask.redirect(flask.url_for("login"))

    return app
