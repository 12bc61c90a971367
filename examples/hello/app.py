"""The smallest erlen app: what ``nox -s serve`` runs until the tutorial blog takes its place."""

from __future__ import annotations

from erlen import Erlen
from erlen import jsonify
from erlen import render_template_string
from erlen import request
from erlen import session

app = Erlen(__name__)
app.secret_key = "only-for-the-local-example"

PAGE = """<!doctype html>
<title>erlen</title>
<h1>Hello from erlen</h1>
<p>You have visited this page {{ visits }} time{{ "s" if visits != 1 }}.</p>
<p><a href="{{ url_for('greet', name='world') }}">a JSON greeting</a></p>
"""


@app.get("/")
def index() -> str:
    session["visits"] = session.get("visits", 0) + 1
    return render_template_string(PAGE, visits=session["visits"])


@app.get("/hello/<name>")
def greet(name: str) -> object:
    return jsonify(hello=name, agent=request.user_agent.string)
