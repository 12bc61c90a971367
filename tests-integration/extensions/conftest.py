"""Every extension test twice: through the WSGI app, and through ``app.asgi`` in process."""

from __future__ import annotations

import asyncio
import typing as t
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import Headers
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_current_url

from erlen_core import Erlen
from erlen_testing import ErlenClient
from erlen_testing.asgi import request


class ASGIClient(ErlenClient):
    """The test client, each request sent to the app's ASGI application instead."""

    def run_wsgi_app(
        self, environ: dict[str, t.Any], buffered: bool = False
    ) -> tuple[t.Iterable[bytes], str, Headers]:
        # The cookie jar's part of Werkzeug's own run_wsgi_app, around the ASGI call.
        self._add_cookies_to_wsgi(environ)
        path = environ["PATH_INFO"].encode("latin-1").decode()
        if environ.get("QUERY_STRING"):
            path += f"?{environ['QUERY_STRING']}"
        sent = [
            (key[5:].replace("_", "-").lower(), value)
            for key, value in environ.items()
            if key.startswith("HTTP_") and key != "HTTP_HOST"
        ]
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                sent.append((key.replace("_", "-").lower(), environ[key]))
        body = environ["wsgi.input"].read()
        host = environ.get("HTTP_HOST", "localhost")
        answer = asyncio.run(
            request(self.application.asgi, environ["REQUEST_METHOD"], path, sent, body, host=host)
        )
        status = f"{answer.status} {HTTP_STATUS_CODES.get(answer.status, 'UNKNOWN').upper()}"
        headers = Headers(answer.headers)
        url = urlsplit(get_current_url(environ))
        cookies = headers.getlist("Set-Cookie")
        self._update_cookies_from_response(url.hostname or "localhost", url.path, cookies)
        return iter(answer.chunks), status, headers


@pytest.fixture(autouse=True, params=["wsgi", "asgi"])
def protocol(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "asgi":
        monkeypatch.setattr(Erlen, "test_client_class", ASGIClient)
    return str(request.param)
