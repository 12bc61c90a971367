"""A form with Flask-WTF: validation, CSRF protection on every POST, one exempt API view."""

from __future__ import annotations

import flask
from flask_wtf import CSRFProtect
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

csrf = CSRFProtect()

PAGE = """<form method="post">{{ form.csrf_token }}{{ form.name() }}</form>
{% for error in form.name.errors %}<p class="error">{{ error }}</p>{% endfor %}"""


class NameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=10)])


def create_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "wtf-test-only"
    csrf.init_app(app)

    @app.route("/name", methods=["GET", "POST"])
    def name() -> object:
        form = NameForm()
        if form.validate_on_submit():
            return f"saved {form.name.data}"
        return flask.render_template_string(PAGE, form=form)

    @app.post("/api/ping")
    @csrf.exempt
    def ping() -> str:
        return "pong"

    return app
