"""erlen's tutorial blog: accounts, posts and a JSON API on an embedded SQLite database.

:func:`create_app` builds the application. The pieces each live in their own module and plug
into the app the same way, through an ``init_app(app)`` function or a blueprint:

- :mod:`blog.db`: the SQLite connection of each request and the ``init-db`` command;
- :mod:`blog.csrf`: the token every form carries, checked on each state-changing request;
- :mod:`blog.auth`: registering, logging in and out, and the :func:`~blog.auth.login_required`
  guard;
- :mod:`blog.posts`: the HTML pages to read, write, edit and delete posts;
- :mod:`blog.api`: the same posts as JSON under ``/api``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from werkzeug.exceptions import HTTPException

from erlen import Erlen
from erlen import render_template
from erlen import Response

from . import api
from . import auth
from . import csrf
from . import db
from . import posts


def create_app(test_config: Mapping[str, Any] | None = None) -> Erlen:
    """Build the blog application.

    Configuration is layered, later layers winning: the defaults below, then ``config.py`` in
    the instance folder and ``BLOG_*`` environment variables (``BLOG_SECRET_KEY=...``), or, when
    given, ``test_config`` alone instead of those two. ``BLOG_INSTANCE_PATH`` moves the instance
    folder, which holds the database by default.

    :param test_config: Settings that replace the instance config file and the environment,
        so that tests see exactly what they ask for.
    """
    app = Erlen(
        __name__,
        instance_path=os.environ.get("BLOG_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    app.config.from_mapping(
        # Good enough on your own machine; a deployment sets a random one (see the docs).
        SECRET_KEY="dev",
        DATABASE=os.path.join(app.instance_path, "blog.sqlite"),
        CSRF_ENABLED=True,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("BLOG")
    else:
        app.config.from_mapping(test_config)

    db.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(posts.bp)
    app.register_blueprint(api.bp)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        """The site's icon: browsers and crawlers ask for this path whatever the page links."""
        return app.send_static_file("favicon.svg")

    # Every HTTP error gets a page in the site's layout; the API's own handler answers in JSON.
    app.register_error_handler(HTTPException, error_page)
    return app


def error_page(error: HTTPException) -> tuple[str, int]:
    """Show an HTTP error in the site's layout, keeping its status code."""
    return render_template("error.html", error=error), error.code or 500
