"""WebSocket routes through the pipeline, driven by the test client's ``websocket()``."""

from __future__ import annotations

import asyncio
import typing as t

import pytest
from werkzeug.exceptions import Forbidden

from erlen_context.globals import g
from erlen_context.globals import request
from erlen_context.globals import session
from erlen_core import Erlen
from erlen_core.websockets import websocket
from erlen_core.websockets import WebSocketDisconnect
from erlen_testing.asgi import websocket_scope
from erlen_testing.asgi import WebSocketClosed
from erlen_testing.asgi import WebSocketRejected
from erlen_testing.asgi import WebSocketSession


@pytest.fixture
def chat(app: Erlen) -> Erlen:
    @app.before_request
    def who() -> None:
        g.user = request.args.get("user", "anon")
        if g.user == "mallory":
            raise Forbidden()

    @app.route("/login")
    def login() -> str:
        session["name"] = "alice"
        return "ok"

    @app.websocket("/room/<int:number>")
    async def room(number: int) -> None:
        await websocket.accept()
        async for message in websocket:
            await websocket.send(f"{number}|{g.user}|{session.get('name')}|{message}")

    return app


def test_messages_flow_both_ways_with_converters_g_and_session(chat: Erlen) -> None:
    client = chat.test_client()
    client.get("/login")
    with client.websocket("/room/5?user=bob") as ws:
        ws.send("hi")
        assert ws.receive() == "5|bob|alice|hi"
        ws.send("again")
        assert ws.receive() == "5|bob|alice|again"


def test_a_hook_that_aborts_refuses_with_its_status(chat: Erlen) -> None:
    with pytest.raises(WebSocketRejected) as info:
        with chat.test_client().websocket("/room/1?user=mallory"):
            pass
    assert info.value.status == 403
    assert b"Forbidden" in info.value.body


def test_an_unknown_path_is_refused_with_404(chat: Erlen) -> None:
    with pytest.raises(WebSocketRejected) as info:
        with chat.test_client().websocket("/nowhere"):
            pass
    assert info.value.status == 404


def test_a_refusal_without_the_http_response_extension_closes(chat: Erlen) -> None:
    scope = websocket_scope("/room/1?user=mallory")
    del scope["extensions"]
    with pytest.raises(WebSocketRejected) as info:
        with WebSocketSession(chat.asgi, scope):
            pass
    assert info.value.status == 403


def test_text_bytes_json_and_a_close_code(app: Erlen) -> None:
    @app.websocket("/kinds")
    async def kinds() -> None:
        assert await websocket.receive() == b"\x00\x01"
        await websocket.send(b"\x02")
        value = await websocket.receive_json()
        await websocket.send_json({"got": value})
        await websocket.close(4001, "bye")
        await websocket.close()

    with app.test_client().websocket("/kinds") as ws:
        ws.send(b"\x00\x01")
        assert ws.receive() == b"\x02"
        ws.send_json([1, "two"])
        assert ws.receive_json() == {"got": [1, "two"]}
        with pytest.raises(WebSocketClosed) as info:
            ws.receive()
    assert info.value.code == 4001 == ws.close_code


def test_subprotocols_and_handshake_headers(app: Erlen) -> None:
    @app.websocket("/proto")
    async def proto() -> None:
        await websocket.accept(websocket.subprotocols[-1], [("X-Hello", "1")])
        await websocket.send(",".join(websocket.subprotocols))

    with app.test_client().websocket("/proto", subprotocols=["a", "b"]) as ws:
        assert ws.subprotocol == "b"
        assert ws.receive() == "a,b"


def test_an_error_after_accepting_closes_with_1011_through_the_handlers(app: Erlen) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    handled: list[str] = []

    @app.errorhandler(KeyError)
    def on_key_error(e: KeyError) -> tuple[str, int]:
        handled.append(e.args[0])
        return "nope", 500

    @app.websocket("/boom")
    async def boom() -> None:
        await websocket.send("first")
        raise KeyError("k")

    with app.test_client().websocket("/boom") as ws:
        assert ws.receive() == "first"
        with pytest.raises(WebSocketClosed) as info:
            ws.receive()
    assert info.value.code == 1011
    assert handled == ["k"]


def test_a_handler_returning_a_response_before_accepting_refuses(app: Erlen) -> None:
    @app.websocket("/teapot")
    async def teapot() -> tuple[str, int]:
        return "short and stout", 418

    with pytest.raises(WebSocketRejected) as info:
        with app.test_client().websocket("/teapot"):
            pass
    assert (info.value.status, info.value.body) == (418, b"short and stout")


def test_the_client_closing_ends_the_handler_and_runs_teardown(app: Erlen) -> None:
    ended: list[t.Any] = []

    @app.websocket("/wait")
    async def wait() -> None:
        await websocket.accept()
        try:
            await websocket.receive()
        except WebSocketDisconnect as e:
            ended.append(e.code)
            raise

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        ended.append(exc)

    with app.test_client().websocket("/wait") as ws:
        ws.close(4000)
    assert ended == [4000, None]


def test_under_wsgi_a_websocket_route_answers_426(chat: Erlen) -> None:
    client = chat.test_client()
    upgrade = client.get("/room/1", headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    assert upgrade.status_code == 426
    assert b"ASGI server" in upgrade.data
    assert b"erlen run --asgi" in upgrade.data
    assert client.get("/room/1").status_code == 400


def test_handlers_must_be_async(app: Erlen) -> None:
    with pytest.raises(TypeError, match="must be 'async def'"):

        @app.websocket("/sync")
        def sync_handler() -> None:  # type: ignore[type-var]
            pass


def test_websocket_outside_a_connection_says_so() -> None:
    with pytest.raises(RuntimeError, match="WebSocket"):
        websocket.accepted  # noqa: B018


def test_an_accepted_handler_may_run_long_on_the_loop(app: Erlen) -> None:
    @app.websocket("/ticks")
    async def ticks() -> None:
        for n in range(3):
            await asyncio.sleep(0.01)
            await websocket.send(str(n))

    with app.test_client().websocket("/ticks") as ws:
        assert [ws.receive() for _ in range(3)] == ["0", "1", "2"]
        with pytest.raises(WebSocketClosed):
            ws.receive()
    assert ws.close_code == 1000


def test_the_test_client_needs_an_asgi_app() -> None:
    from erlen_testing import ErlenClient

    class NoAsgi:
        config: dict[str, t.Any] = {}

    with pytest.raises(TypeError, match="asgi"):
        ErlenClient(NoAsgi()).websocket("/")  # type: ignore[arg-type]
