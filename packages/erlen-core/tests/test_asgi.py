"""The ASGI adapter: ``app.asgi`` driven in-process by erlen-testing's ASGI driver."""

from __future__ import annotations

import asyncio
import io
import threading
import typing as t

import pytest
from werkzeug.exceptions import NotFound

from erlen_context.globals import g
from erlen_context.globals import request
from erlen_context.streaming import stream_with_context
from erlen_core import Erlen
from erlen_core.asgi import ASGIApp
from erlen_core.asgi import Disconnected
from erlen_core.asgi import environ_for
from erlen_core.helpers import send_file
from erlen_testing.asgi import ASGIResponse
from erlen_testing.asgi import http_scope
from erlen_testing.asgi import request as asgi_request


def call(app: Erlen, method: str = "GET", url: str = "/", **kwargs: t.Any) -> ASGIResponse:
    return asyncio.run(asgi_request(app.asgi, method, url, **kwargs))


def test_app_asgi_is_made_once_and_the_app_stays_wsgi(app: Erlen) -> None:
    assert isinstance(app.asgi, ASGIApp)
    assert app.asgi is app.asgi
    assert app.asgi.app is app


def test_a_sync_view_answers_from_a_worker_thread(app: Erlen) -> None:
    @app.route("/hello/<int:n>")
    def hello(n: int) -> dict[str, t.Any]:
        return {"n": n, "q": request.args["q"], "thread": threading.current_thread().name}

    response = call(app, url="/hello/7?q=x")
    assert response.status == 200
    assert response.header("content-type") == "application/json"
    body = app.json.loads(response.body)
    assert body["n"] == 7 and body["q"] == "x"
    assert body["thread"].startswith("erlen-asgi")


def test_async_view_hook_and_handler_run_on_the_servers_loop(app: Erlen) -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    @app.before_request
    async def before() -> None:
        loops.append(asyncio.get_running_loop())
        g.seen = "hook"

    @app.route("/")
    async def index() -> str:
        loops.append(asyncio.get_running_loop())
        await asyncio.sleep(0)
        raise KeyError(g.seen)

    @app.errorhandler(KeyError)
    async def handle(e: KeyError) -> tuple[str, int]:
        loops.append(asyncio.get_running_loop())
        return f"handled {e.args[0]}", 409

    async def main() -> tuple[ASGIResponse, asyncio.AbstractEventLoop]:
        return await asgi_request(app.asgi), asyncio.get_running_loop()

    response, loop = asyncio.run(main())
    assert (response.status, response.body) == (409, b"handled hook")
    assert loops == [loop, loop, loop]


def test_async_views_overlap_on_one_loop(app: Erlen) -> None:
    @app.route("/")
    async def slow() -> str:
        await asyncio.sleep(0.2)
        return "done"

    async def main() -> list[ASGIResponse]:
        return await asyncio.gather(*(asgi_request(app.asgi) for _ in range(20)))

    loop = asyncio.new_event_loop()
    try:
        started = loop.time()
        responses = loop.run_until_complete(main())
        elapsed = loop.time() - started
    finally:
        loop.close()
    assert [r.body for r in responses] == [b"done"] * 20
    assert elapsed < 1.0


def test_head_and_404_and_automatic_options(app: Erlen) -> None:
    @app.route("/")
    def index() -> str:
        return "body"

    head = call(app, "HEAD")
    assert head.status == 200 and head.body == b"" and head.header("content-length") == "4"
    assert call(app, url="/missing").status == 404
    options = call(app, "OPTIONS")
    assert options.status == 200 and "GET" in (options.header("allow") or "")


def test_the_environ_of_a_scope() -> None:
    scope = http_scope("POST", "/app/p%20x?a=1", [("x-a", "1"), ("x-a", "2"), ("cookie", "a=1")])
    scope["root_path"] = "/app"
    scope["headers"].append((b"cookie", b"b=2"))
    scope["path"] = "/app/p x/\u00e9"
    environ = environ_for(scope, io.BytesIO())
    assert environ["SCRIPT_NAME"] == "/app"
    assert environ["PATH_INFO"] == "/p x/\u00e9".encode().decode("latin-1")
    assert environ["QUERY_STRING"] == "a=1"
    assert environ["HTTP_X_A"] == "1,2"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["REMOTE_ADDR"] == "127.0.0.1"
    assert environ["asgi.scope"] is scope


def test_environs_keep_the_server_scheme_and_version_of_their_own_scope() -> None:
    first = http_scope("GET", "/")
    other = {**http_scope("GET", "/"), "server": ["example.com", 8443], "scheme": "https"}
    other["http_version"] = "2"
    bare = {"type": "http", "path": "/", "headers": []}
    for _ in range(2):
        # The second round takes the entries remembered from the first.
        environ, other_environ, bare_environ = (environ_for(s, None) for s in (first, other, bare))
        assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("localhost", "80")
        assert (environ["wsgi.url_scheme"], environ["SERVER_PROTOCOL"]) == ("http", "HTTP/1.1")
        assert other_environ["SERVER_NAME"] == "example.com"
        assert other_environ["SERVER_PORT"] == "8443"
        assert other_environ["wsgi.url_scheme"] == "https"
        assert other_environ["SERVER_PROTOCOL"] == "HTTP/2"
        assert bare_environ["SERVER_PORT"] == "80" and bare_environ["QUERY_STRING"] == ""
        assert "REMOTE_ADDR" not in bare_environ and bare_environ["REQUEST_METHOD"] == "GET"
    environ["HTTP_X_ADDED"] = "1"
    assert "HTTP_X_ADDED" not in environ_for(first, None)


def test_wsgi_middleware_on_wsgi_app_applies(app: Erlen) -> None:
    @app.route("/")
    def index() -> str:
        return request.environ["X-MIDDLEWARE"]  # type: ignore[no-any-return]

    inner = app.wsgi_app

    def middleware(environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
        environ["X-MIDDLEWARE"] = "yes"
        return inner(environ, start_response)

    app.wsgi_app = middleware  # type: ignore[method-assign]
    assert call(app).body == b"yes"


def test_the_body_is_read_as_the_app_reads_it(app: Erlen) -> None:
    @app.post("/")
    def form() -> dict[str, t.Any]:
        return {"form": request.form.to_dict(), "json": request.get_json(silent=True)}

    chunks = [b"a=1&", b"b=", b"2"]
    headers = [("content-type", "application/x-www-form-urlencoded")]
    response = call(app, "POST", headers=headers, body=chunks)
    assert app.json.loads(response.body) == {"form": {"a": "1", "b": "2"}, "json": None}


def test_an_async_view_reads_the_body_read_ahead(app: Erlen) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 100

    @app.post("/")
    async def echo() -> t.Any:
        return {"json": request.get_json(), "form": request.form.to_dict()}

    json_type = [("content-type", "application/json")]
    response = call(app, "POST", headers=json_type, body=[b"[1,", b" 2]"])
    assert app.json.loads(response.body) == {"json": [1, 2], "form": {}}
    big = [*json_type, ("content-length", "200")]
    assert call(app, "POST", headers=big, body=b"[" + b" " * 198 + b"]").status == 413
    chunked_big = [*json_type, ("transfer-encoding", "chunked")]
    assert call(app, "POST", headers=chunked_big, body=[b"[" + b" " * 150, b"]"]).status == 413


def test_an_async_view_reads_a_body_read_by_a_hook(app: Erlen) -> None:
    @app.before_request
    def read() -> None:
        request.get_data()

    @app.post("/")
    async def echo() -> t.Any:
        return request.get_json()

    response = call(app, "POST", headers=[("content-type", "application/json")], body=b"[1, 2]")
    assert app.json.loads(response.body) == [1, 2]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_max_content_length_answers_413(app: Erlen, chunked: bool) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.post("/")
    def data() -> str:
        return str(len(request.get_data()))

    headers = [] if chunked else [("content-length", "20")]
    big = call(app, "POST", headers=headers, body=[b"x" * 10, b"x" * 10])
    small = call(app, "POST", headers=[] if chunked else [("content-length", "5")], body=b"x" * 5)
    assert big.status == 413
    assert (small.status, small.body) == (200, b"5")


def test_a_limit_answers_before_the_body_is_received(app: Erlen) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10
    received: list[bytes] = []

    @app.post("/")
    def data() -> str:
        return str(len(request.get_data()))

    async def main() -> list[t.Any]:
        sent: list[t.Any] = []

        async def receive() -> dict[str, t.Any]:
            received.append(b"x")
            return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

        async def send(message: dict[str, t.Any]) -> None:
            sent.append(message)

        scope = http_scope("POST", "/", [("content-length", "1000000")])
        await app.asgi(scope, receive, send)
        return sent

    sent = asyncio.run(main())
    assert sent[0]["status"] == 413
    # The adapter read at most its read-ahead, never the announced megabyte.
    assert len(received) <= 6


def test_generators_stream_chunk_by_chunk(app: Erlen) -> None:
    @app.route("/sync")
    def sync_stream() -> t.Any:
        def body() -> t.Iterator[str]:
            yield "a"
            yield ""
            yield request.args["x"]

        return stream_with_context(body())

    @app.route("/async")
    def async_stream() -> t.Any:
        async def body() -> t.AsyncIterator[str]:
            yield "c"
            await asyncio.sleep(0)
            yield b"d"  # type: ignore[misc]

        return body(), {"X-Kind": "async"}

    assert call(app, url="/sync?x=b").chunks == [b"a", b"b"]
    response = call(app, url="/async")
    assert response.chunks == [b"c", b"d"]
    assert response.header("x-kind") == "async"
    assert call(app, "HEAD", "/async").chunks == []


def test_an_async_generator_body_streams_under_wsgi(app: Erlen) -> None:
    @app.route("/")
    def stream() -> t.Any:
        async def body() -> t.AsyncIterator[str]:
            for part in "xyz":
                await asyncio.sleep(0)
                yield part

        return body()

    response = app.test_client().get("/")
    assert response.data == b"xyz"
    assert app.test_client().head("/").data == b""


def test_send_file_streams_in_blocks(app: Erlen, tmp_path: t.Any) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 200)

    @app.route("/")
    def download() -> t.Any:
        return send_file(path)

    response = call(app)
    assert response.body == path.read_bytes()
    assert len(response.chunks) > 1
    assert max(len(c) for c in response.chunks) < len(response.body)


def test_a_disconnect_cancels_an_async_view_and_runs_teardown(app: Erlen) -> None:
    seen: list[t.Any] = []

    @app.route("/")
    async def forever() -> str:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise
        return "never"

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        seen.append(type(exc))

    async def main() -> None:
        gone = asyncio.Event()
        task = asyncio.ensure_future(asgi_request(app.asgi, disconnect=gone))
        await asyncio.sleep(0.2)
        gone.set()
        with pytest.raises(RuntimeError, match="no response"):
            await asyncio.wait_for(task, 5)

    asyncio.run(main())
    assert seen == ["cancelled", Disconnected]


def test_an_unknown_scope_type_is_refused(app: Erlen) -> None:
    async def main() -> None:
        await app.asgi({"type": "telepathy"}, None, None)  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="telepathy"):
        asyncio.run(main())


def test_the_pool_size_comes_from_the_config(app: Erlen) -> None:
    app.config["ASGI_THREADS"] = 3
    adapter = ASGIApp(app)
    assert adapter.pool._max_workers == 3
    adapter.close()
    assert ASGIApp(app, threads=5).pool._max_workers == 5


def test_under_wsgi_async_views_still_run(app: Erlen) -> None:
    pytest.importorskip("asgiref")

    @app.route("/")
    async def index() -> str:
        await asyncio.sleep(0)
        return "wsgi"

    assert app.test_client().get("/").data == b"wsgi"


def test_http_exceptions_from_async_views(app: Erlen) -> None:
    @app.route("/")
    async def index() -> str:
        raise NotFound()

    assert call(app).status == 404


def test_an_async_view_that_answers_at_once_costs_no_thread(app: Erlen) -> None:
    threads: list[threading.Thread] = []

    @app.route("/")
    async def index() -> str:
        threads.append(threading.current_thread())
        return "on the loop"

    response = call(app)
    assert (response.status, response.body) == (200, b"on the loop")
    assert threads == [threading.main_thread()]
    # Nothing needed a worker thread, so the pool was never made.
    assert app.asgi._pool is None


def test_sync_hooks_and_teardown_run_in_threads_around_an_async_view(app: Erlen) -> None:
    seen: list[tuple[str, bool]] = []

    def record(what: str) -> None:
        seen.append((what, threading.current_thread() is threading.main_thread()))

    @app.before_request
    def before() -> None:
        record("before")
        g.user = "ada"

    @app.route("/")
    async def index() -> str:
        record("view")
        return g.user

    @app.after_request
    def after(response: t.Any) -> t.Any:
        record("after")
        response.headers["X-Path"] = request.path
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        record(f"teardown {request.path}")

    @app.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        record(f"teardown app {g.user}")

    response = call(app)
    assert (response.status, response.body, response.header("x-path")) == (200, b"ada", "/")
    # Sync code in worker threads, the async view on the loop; each teardown runs once.
    assert seen == [
        ("before", False),
        ("view", True),
        ("after", False),
        ("teardown /", False),
        ("teardown app ada", False),
    ]


def test_an_overridden_step_runs_in_a_worker_thread() -> None:
    class Custom(Erlen):
        def dispatch_request(self) -> t.Any:
            return threading.current_thread().name

    app = Custom(__name__)
    app.add_url_rule("/", "index", lambda: "unused")
    assert call(app).body.decode().startswith("erlen-asgi")


def test_an_error_handler_on_the_loop_sees_the_exception_being_handled(app: Erlen) -> None:
    @app.route("/")
    async def index() -> str:
        raise KeyError("missing")

    @app.errorhandler(KeyError)
    async def handle(e: KeyError) -> tuple[str, int]:
        import sys

        return type(sys.exc_info()[1]).__name__, 404

    response = call(app)
    assert (response.status, response.body) == (404, b"KeyError")


def test_sync_code_in_worker_threads_awaits_coroutines_on_the_servers_loop(app: Erlen) -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def note() -> str:
        loops.append(asyncio.get_running_loop())
        return "x"

    @app.before_request
    def before() -> None:
        app.ensure_sync(note)()

    @app.route("/")
    def index() -> t.Any:
        def body() -> t.Iterator[str]:
            # Stepped in a worker thread after the request's contexts were popped.
            yield app.ensure_sync(note)()

        return body()

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        app.ensure_sync(note)()

    async def main() -> tuple[ASGIResponse, asyncio.AbstractEventLoop]:
        return await asgi_request(app.asgi), asyncio.get_running_loop()

    response, loop = asyncio.run(main())
    assert response.body == b"x"
    assert loops == [loop, loop, loop]


def test_waiting_for_a_coroutine_on_the_loops_own_thread_is_refused(app: Erlen) -> None:
    app.testing = True

    async def fetch() -> str:
        return "never"

    @app.route("/")
    async def index() -> str:
        # Sync code on the loop cannot block for a coroutine: a clear error, not a hang.
        return t.cast(str, app.ensure_sync(fetch)())

    with pytest.raises(RuntimeError, match="event loop's own thread"):
        call(app)
