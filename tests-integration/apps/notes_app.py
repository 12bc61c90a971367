"""A Flask app with Flask-SQLAlchemy and Flask-Migrate, written for Flask alone: it never
mentions erlen. ``NOTES_DB`` names the SQLite file; ``NOTES_V2=1`` adds a column, as a later
release would.
"""

from __future__ import annotations

import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.environ['NOTES_DB']}"
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)
    if os.environ.get("NOTES_V2"):
        pinned = db.Column(db.Boolean, nullable=False, server_default="0")
