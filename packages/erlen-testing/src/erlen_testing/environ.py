"""An :class:`~werkzeug.test.EnvironBuilder` that fills its defaults from an application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import werkzeug.test

from .protocols import ClientApp


def _app_base_url(
    config: Mapping[str, Any], path: str, subdomain: str | None, url_scheme: str | None
) -> tuple[str, str]:
    """Split ``path`` into the path to request and the base URL the app is served under.

    A full URL in ``path`` keeps its scheme and host; otherwise they come from the app's
    ``PREFERRED_URL_SCHEME`` and ``SERVER_NAME`` (``localhost`` when unset), and the base URL
    always ends with ``APPLICATION_ROOT``.
    """
    url = urlsplit(path)
    host = config.get("SERVER_NAME") or "localhost"

    if subdomain:
        host = f"{subdomain}.{host}"

    scheme = url.scheme or url_scheme or config.get("PREFERRED_URL_SCHEME") or "http"
    root = str(config.get("APPLICATION_ROOT") or "/").lstrip("/")
    base_url = f"{scheme}://{url.netloc or host}/{root}"
    return (f"{url.path}?{url.query}" if url.query else url.path), base_url


class EnvironBuilder(werkzeug.test.EnvironBuilder):
    """Build a WSGI environ for a request to ``app``.

    Works like Werkzeug's builder, except that the base URL defaults to what the app would be
    served at and ``json=`` bodies are encoded with the app's JSON provider.

    :param app: the application the request is meant for.
    :param path: the path to request, relative to the base URL. A full URL
        (``https://example.test/x``) also sets the scheme and host.
    :param base_url: where the app is served. Built from ``PREFERRED_URL_SCHEME``,
        ``subdomain``, ``SERVER_NAME`` and ``APPLICATION_ROOT`` when not given.
    :param subdomain: prefixed to ``SERVER_NAME`` when building the base URL.
    :param url_scheme: the scheme to use instead of ``PREFERRED_URL_SCHEME``.
    :param args: more positional arguments for :class:`werkzeug.test.EnvironBuilder`.
    :param kwargs: more keyword arguments for :class:`werkzeug.test.EnvironBuilder`
        (``method``, ``query_string``, ``headers``, ``data``, ``json``, ``environ_base`` ...).
    :raises TypeError: when ``subdomain`` or ``url_scheme`` is combined with ``base_url``.
    """

    def __init__(
        self,
        app: ClientApp,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if base_url is not None and (subdomain or url_scheme):
            raise TypeError(
                "'subdomain' and 'url_scheme' are used to build the base URL; pass them"
                " without 'base_url', or put them into 'base_url' yourself."
            )

        if base_url is None:
            path, base_url = _app_base_url(app.config, path, subdomain, url_scheme)

        #: The application this environ is built for.
        self.app = app
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialize ``obj`` with the app's JSON provider (``app.json.dumps``), so the request
        body follows the app's JSON settings.
        """
        return self.app.json.dumps(obj, **kwargs)
