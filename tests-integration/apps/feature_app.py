"""One erlen app using the features a real server has to carry: served by every server test."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from collections.abc import Iterator

from erlen import abort
from erlen import Erlen
from erlen import event_stream
from erlen import jsonify
from erlen import make_response
from erlen import redirect
from erlen import request
from erlen import session
from erlen import stream_with_context
from erlen import url_for
from erlen import websocket
from erlen.sse import Event
from erlen.sse import last_event_id

#: Bodies above this many bytes are refused with 413.
MAX_UPLOAD = 60 * 1024 * 1024

app = Erlen(__name__)
app.config.update(SECRET_KEY="integration-only", MAX_CONTENT_LENGTH=MAX_UPLOAD)


@app.get("/")
def index() -> str:
    return "feature app"


@app.get("/users/<int:user_id>")
def user(user_id: int) -> object:
    return jsonify(id=user_id, url=url_for("user", user_id=user_id, _external=True))


@app.get("/old")
def old() -> object:
    return redirect(url_for("user", user_id=7))


@app.get("/cookie/set")
def set_cookie() -> object:
    response = make_response("set")
    response.set_cookie("flavour", request.args.get("value", "plain"), httponly=True)
    return response


@app.get("/cookie/get")
def get_cookie() -> str:
    return request.cookies.get("flavour", "none")


@app.post("/cart/<item>")
def add_to_cart(item: str) -> object:
    session.setdefault("cart", []).append(item)
    session.modified = True
    return jsonify(cart=session["cart"])


@app.get("/cart")
def cart() -> object:
    return jsonify(cart=session.get("cart", []))


@app.get("/stream")
def stream() -> object:
    @stream_with_context
    def generate() -> Iterator[str]:
        # The request is read inside the generator, after the view has returned.
        count = int(request.args.get("count", "3"))
        for i in range(count):
            yield f"chunk {i} of {request.path}\n"

    return app.response_class(generate(), mimetype="text/plain")


@app.post("/upload")
def upload() -> object:
    digest = hashlib.sha256()
    size = 0
    while chunk := request.stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    return jsonify(size=size, sha256=digest.hexdigest())


@app.route("/items", methods=["GET", "PUT"])
def items() -> str:
    return f"items via {request.method}"


@app.get("/teapot")
def teapot() -> object:
    abort(418)


# -- What needs an ASGI server (and what a WSGI server answers for it) ---------------------------


@app.before_serving
async def started() -> None:
    app.config["SERVING"] = "started"


@app.get("/serving")
def serving() -> str:
    return str(app.config.get("SERVING", "no lifespan"))


@app.get("/slow")
async def slow() -> str:
    await asyncio.sleep(float(request.args.get("seconds", "0.1")))
    return "slept"


@app.get("/events")
def events() -> object:
    start = int(last_event_id() or 0)

    async def ticks() -> AsyncIterator[Event]:
        for n in range(start + 1, start + 4):
            yield Event(f"tick {n}\nof {request_path}", event="tick", id=str(n))
            await asyncio.sleep(0.05)

    request_path = request.path
    return event_stream(ticks(), keep_alive=0.02)


@app.websocket("/ws/<name>")
async def chat(name: str) -> None:
    await websocket.accept()
    async for message in websocket:
        if message == "bye":
            await websocket.close(4000)
            return
        await websocket.send_json({"to": name, "echo": message, "cookie": request.cookies.get("k")})
