"""URL building: what ``url_for`` adds around :meth:`MapAdapter.build
<werkzeug.routing.MapAdapter.build>`.

Werkzeug builds the path, the host for external URLs and the query string from the values no
rule argument takes; its :class:`~werkzeug.routing.BuildError` names the values or methods a
build was missing. This module adds the ``_scheme`` check and the ``#anchor``.
"""

from __future__ import annotations

import typing as t
from urllib.parse import quote

from werkzeug.routing import MapAdapter

#: Characters left as they are in an anchor: those a fragment may hold literally, and ``%``
#: so an anchor that is already quoted stays as it is.
ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def append_anchor(url: str, anchor: str) -> str:
    """Return ``url`` with ``#anchor`` appended, the anchor quoted as ``url_for`` quotes it.

    >>> append_anchor("/docs", "a b")
    '/docs#a%20b'
    """
    return f"{url}#{quote(anchor, safe=ANCHOR_SAFE)}"


def check_scheme(scheme: str | None, external: bool | None) -> None:
    """Refuse a scheme for an internal URL, which would silently drop it.

    :raise ValueError: if ``scheme`` is given and ``external`` is false.
    """
    if scheme is not None and not external:
        raise ValueError("When specifying '_scheme', '_external' must be True.")


def build_url(
    adapter: MapAdapter,
    endpoint: str,
    values: t.Mapping[str, t.Any] | None = None,
    *,
    method: str | None = None,
    scheme: str | None = None,
    external: bool = False,
    anchor: str | None = None,
) -> str:
    """Build the URL of ``endpoint`` as ``url_for`` does, once its defaults are settled.

    :param adapter: the bound adapter, which gives the host, script root and scheme.
    :param endpoint: the endpoint to build.
    :param values: the rule arguments; the others become query arguments (``None`` values are
        left out).
    :param method: build the rule of ``endpoint`` that accepts this method.
    :param scheme: the scheme of an external URL.
    :param external: build an absolute URL with scheme and host.
    :param anchor: appended as ``#anchor``.
    :raise ValueError: if ``scheme`` is given for an internal URL.
    :raise werkzeug.routing.BuildError: if no rule of ``endpoint`` can be built from
        ``values`` and ``method``; its message names what is missing.
    """
    check_scheme(scheme, external)
    url = adapter.build(endpoint, values, method=method, url_scheme=scheme, force_external=external)
    if anchor is not None:
        url = append_anchor(url, anchor)
    return url
