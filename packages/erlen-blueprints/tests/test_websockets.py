"""WebSocket routes on blueprints: prefixes, nesting, the blueprint's own hooks and handlers."""

from __future__ import annotations

import pytest

from erlen_blueprints import Blueprint
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_core.app import Erlen
from erlen_core.helpers import url_for
from erlen_core.websockets import websocket
from erlen_testing.asgi import WebSocketClosed
from erlen_testing.asgi import WebSocketRejected


@pytest.fixture
def live(app: Erlen) -> Erlen:
    api = Blueprint("api", __name__, url_prefix="/api")
    feed = Blueprint("feed", __name__, url_prefix="/feed")

    @feed.before_request
    def tag() -> None:
        g.tag = f"{request.blueprint}:{request.endpoint}"

    @feed.websocket("/<slug>")
    async def stream(slug: str) -> None:
        await websocket.send(f"{slug} {g.tag} {url_for('.stream', slug='x')}")

    @feed.websocket("/broken")
    async def broken() -> None:
        raise LookupError

    @feed.errorhandler(LookupError)
    def missing(e: LookupError) -> tuple[str, int]:
        return "not here", 404

    api.register_blueprint(feed)
    app.register_blueprint(api)
    return app


def test_a_nested_blueprint_serves_its_websocket_route(live: Erlen) -> None:
    with live.test_client().websocket("/api/feed/news") as ws:
        # A WebSocket URL is built with its own scheme.
        assert ws.receive() == "news api.feed:api.feed.stream ws://localhost/api/feed/x"
        with pytest.raises(WebSocketClosed):
            ws.receive()
    assert ws.close_code == 1000


def test_the_blueprints_error_handler_answers_before_accepting(live: Erlen) -> None:
    with pytest.raises(WebSocketRejected) as info:
        with live.test_client().websocket("/api/feed/broken"):
            pass
    assert (info.value.status, info.value.body) == (404, b"not here")


def test_the_route_is_a_websocket_rule(live: Erlen) -> None:
    rule = next(r for r in live.url_map.iter_rules() if r.endpoint == "api.feed.stream")
    assert rule.websocket
    assert live.view_functions["api.feed.stream"].__name__ == "stream"
