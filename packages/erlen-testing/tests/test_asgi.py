"""The in-process ASGI driver against small raw ASGI applications."""

from __future__ import annotations

import asyncio
import typing as t

import pytest

from erlen_testing import ErlenClient
from erlen_testing.asgi import request
from erlen_testing.asgi import websocket_scope
from erlen_testing.asgi import WebSocketClosed
from erlen_testing.asgi import WebSocketRejected
from erlen_testing.asgi import WebSocketSession

Message = dict[str, t.Any]


async def echo_http(scope: Message, receive: t.Any, send: t.Any) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = [(b"x-path", scope["path"].encode()), (b"x-query", scope["query_string"])]
    await send({"type": "http.response.start", "status": 201, "headers": headers})
    await send({"type": "http.response.body", "body": body[:3], "more_body": True})
    await send({"type": "http.response.body", "body": body[3:]})


def test_request_sends_chunks_and_collects_the_answer() -> None:
    response = asyncio.run(request(echo_http, "POST", "/p?q=1", body=[b"abc", b"def"]))
    assert response.status == 201
    assert response.chunks == [b"abc", b"def"] and response.body == b"abcdef"
    assert response.header("X-Path") == "/p" and response.header("x-query") == "q=1"
    assert response.header("missing") is None


def test_an_app_that_never_answers_is_reported() -> None:
    async def silent(scope: Message, receive: t.Any, send: t.Any) -> None:
        pass

    with pytest.raises(RuntimeError, match="no response"):
        asyncio.run(request(silent))


async def echo_ws(scope: Message, receive: t.Any, send: t.Any) -> None:
    assert (await receive())["type"] == "websocket.connect"
    if scope["path"] == "/refuse":
        await send({"type": "websocket.close", "code": 1008})
        return
    if scope["path"] == "/http":
        await send({"type": "websocket.http.response.start", "status": 401, "headers": []})
        await send({"type": "websocket.http.response.body", "body": b"who", "more_body": True})
        await send({"type": "websocket.http.response.body", "body": b"?"})
        return
    await send({"type": "websocket.accept", "subprotocol": scope["subprotocols"][0]})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") == "close":
            await send({"type": "websocket.close", "code": 4321})
            return
        if message.get("text") == "raise":
            raise LookupError("app failed")
        await send({"type": "websocket.send", **{k: v for k, v in message.items() if k != "type"}})


def session(path: str) -> WebSocketSession:
    return WebSocketSession(echo_ws, websocket_scope(path, subprotocols=["chat"]), timeout=2)


def test_a_session_echoes_text_bytes_and_json() -> None:
    with session("/") as ws:
        assert ws.subprotocol == "chat"
        ws.send("t")
        assert ws.receive() == "t"
        ws.send(b"b")
        assert ws.receive() == b"b"
        ws.send_json({"a": 1})
        assert ws.receive_json() == {"a": 1}
        ws.send("close")
        with pytest.raises(WebSocketClosed) as info:
            ws.receive()
    assert info.value.code == 4321 == ws.close_code


@pytest.mark.parametrize(
    ("path", "status", "body"), [("/refuse", 403, b""), ("/http", 401, b"who?")]
)
def test_refusals(path: str, status: int, body: bytes) -> None:
    with pytest.raises(WebSocketRejected) as info:
        with session(path):
            pass
    assert (info.value.status, info.value.body) == (status, body)


def test_the_apps_error_is_raised_in_the_test() -> None:
    with pytest.raises(LookupError, match="app failed"):
        with session("/") as ws:
            ws.send("raise")
            ws.receive()


def test_receive_times_out() -> None:
    with session("/") as ws:
        ws._timeout = 0.05
        with pytest.raises(TimeoutError):
            ws.receive()


def test_the_client_sends_its_cookies_and_host(app: t.Any) -> None:
    seen: list[Message] = []

    async def record(scope: Message, receive: t.Any, send: t.Any) -> None:
        seen.append(scope)
        await receive()
        await send({"type": "websocket.accept"})
        await receive()

    app.asgi = record
    client = ErlenClient(app)
    client.set_cookie("flavour", "oat", domain="localhost")
    with client.websocket("/ws?x=1", headers={"X-Token": "t"}) as ws:
        ws.close()
    headers = dict(seen[0]["headers"])
    assert headers[b"cookie"] == b"flavour=oat"
    assert headers[b"x-token"] == b"t"
    assert headers[b"host"] == b"localhost"
    assert seen[0]["path"] == "/ws" and seen[0]["query_string"] == b"x=1"
