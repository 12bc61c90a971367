"""The app of the subprocess test: self-contained, so it runs in a fresh interpreter."""

import contextlib

from werkzeug.routing import Map
from werkzeug.routing import Rule

from erlen_cli import AppGroup


class ExampleApp:
    debug = False

    def __init__(self) -> None:
        self.url_map = Map(
            [
                Rule("/", endpoint="index", methods=["GET"]),
                Rule("/users/<int:id>", endpoint="user", methods=["GET", "POST"]),
                Rule("/static/<path:filename>", endpoint="static", methods=["GET"]),
            ]
        )
        self.cli = AppGroup()

    def app_context(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()

    def wsgi_app(self, environ, start_response):
        start_response("204 No Content", [])
        return []

    __call__ = wsgi_app


app = ExampleApp()
