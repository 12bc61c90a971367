"""Cross-origin rules with Flask-CORS: an API open to one origin, one decorated view."""

from __future__ import annotations

import flask
from flask_cors import CORS
from flask_cors import cross_origin

ALLOWED = "https://shop.example"


def create_app() -> flask.Flask:
    app = flask.Flask(__name__)
    CORS(app, resources={r"/api/*": {"origins": [ALLOWED], "expose_headers": ["X-Total"]}})

    @app.route("/api/items", methods=["GET", "POST"])
    def items() -> object:
        return {"items": ["tea", "cake"]}, 200, {"X-Total": "2"}

    @app.get("/private")
    def private() -> str:
        return "same origin only"

    @app.get("/widget")
    @cross_origin(origins="*", supports_credentials=False, max_age=600)
    def widget() -> str:
        return "embeddable"

    return app
