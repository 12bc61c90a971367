"""One client process of the soak test: a logged-in visitor of the blog on one connection."""

from __future__ import annotations

import dataclasses
import http.client
import random
import re
import secrets
import signal
import time
from collections import Counter
from multiprocessing.sharedctypes import Synchronized
from urllib.parse import urlencode

#: What a client's loop sends, with weights in percent: 55% reads (the front page, single posts,
#: pages that need the login session), 10% JSON API, 10% missing pages, 15% form writes and 10%
#: uploads (the same form as multipart/form-data with an extra file part).
MIX = {
    "front page": 25,
    "post page": 20,
    "session page": 10,
    "api": 10,
    "missing": 10,
    "write": 15,
    "upload": 10,
}
#: Browsers do not keep one connection forever; reconnecting also spreads clients over workers.
REQUESTS_PER_CONNECTION = 1000
#: A client gives up after this many connection failures in a row: the server is gone.
CONNECTION_FAILURE_LIMIT = 3
CSRF_FIELD = re.compile(rb'name="csrf_token" value="([^"]+)"')
OK = frozenset({200})
REDIRECTS = frozenset({302, 303})
MISSING = frozenset({404})


@dataclasses.dataclass(frozen=True)
class ClientPlan:
    """What one client process is told: who it is, where to send, and its limits."""

    index: int
    run_id: str
    port: int
    budget: int
    deadline: float
    upload_bytes: int


@dataclasses.dataclass
class ClientResult:
    """What one client process saw."""

    statuses: Counter[int] = dataclasses.field(default_factory=Counter)
    #: Seconds from sending each request to having read its whole answer.
    latencies: list[float] = dataclasses.field(default_factory=list)
    #: ``(post id, title)`` of every write the server acknowledged with a redirect.
    acknowledged: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    unexpected: list[str] = dataclasses.field(default_factory=list)
    #: Requests whose connection failed before an answer came.
    connection_errors: int = 0


@dataclasses.dataclass(frozen=True)
class Answer:
    """A response, read whole."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes


#: The count of requests sent by all clients, shared by :func:`init_client`.
_sent: Synchronized[int]


def init_client(sent: Synchronized[int]) -> None:
    """Prepare a client process: share the count of requests sent, leave signals to the driver."""
    global _sent
    _sent = sent
    # Ctrl-C reaches the whole process group, but the driver alone handles it and ends the
    # clients with a SIGTERM, which its own handler would turn into a KeyboardInterrupt here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class Browser:
    """A keep-alive connection with a cookie jar that times and checks every request."""

    def __init__(self, plan: ClientPlan, result: ClientResult) -> None:
        self.plan = plan
        self.result = result
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", plan.port, timeout=60)
        self.on_connection = 0
        self.failures_in_a_row = 0

    def claim(self, *, required: bool = False) -> bool:
        """Count one request against the shared budget; false, and not counted, once the budget
        or the time is spent, unless the request is ``required`` to go on at all.
        """
        with _sent.get_lock():
            spent = _sent.value >= self.plan.budget or time.monotonic() >= self.plan.deadline
            if spent and not required:
                return False
            _sent.value += 1
        return True

    @property
    def server_gone(self) -> bool:
        return self.failures_in_a_row >= CONNECTION_FAILURE_LIMIT

    def send(
        self, method: str, path: str, expected: frozenset[int], body: bytes = b"", **headers: str
    ) -> Answer | None:
        """Send a request and read its answer; ``None`` if the connection failed. A status
        outside ``expected`` is recorded as unexpected.
        """
        if self.on_connection == REQUESTS_PER_CONNECTION:
            self.connection.close()
            self.on_connection = 0
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body or None, headers)
            response = self.connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.on_connection = 0
            self.failures_in_a_row += 1
            self.result.connection_errors += 1
            self.result.unexpected.append(f"{method} {path}: {error!r}")
            return None
        self.result.latencies.append(time.perf_counter() - start)
        self.on_connection += 1
        self.failures_in_a_row = 0
        self.result.statuses[answer.status] += 1
        if answer.status not in expected:
            self.result.unexpected.append(f"{method} {path}: {answer.status}")
        for cookie in answer.headers.get_all("Set-Cookie") or ():
            name, _, value = cookie.partition(";")[0].partition("=")
            if value:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return answer


def form(fields: dict[str, str]) -> tuple[bytes, str]:
    """The fields as an ``application/x-www-form-urlencoded`` body, and its content type."""
    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


def multipart(fields: dict[str, str], upload: bytes) -> tuple[bytes, str]:
    """The fields and an ``attachment`` file part as a ``multipart/form-data`` body, and its
    content type.
    """
    boundary = f"soak-{secrets.token_hex(16)}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; '
        f'filename="soak.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + upload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Visitor:
    """A user of the blog, signed up and logged in, doing what :data:`MIX` says."""

    def __init__(self, browser: Browser, rng: random.Random) -> None:
        self.browser = browser
        self.rng = rng
        self.token = ""
        #: The ids of this visitor's posts, in the order written, so ascending.
        self.own_posts: list[int] = []
        self.writes = 0
        self.upload = rng.randbytes(browser.plan.upload_bytes)

    def sign_up(self) -> bool:
        """Register, log in, read the CSRF token and write a first post; false if a step failed.

        These requests count against the budget but are sent whatever is left of it.
        """
        plan = self.browser.plan
        credentials = {"username": f"soak-{plan.run_id}-{plan.index}", "password": "soak-pw"}
        steps: tuple[tuple[str, str, dict[str, str], frozenset[int]], ...] = (
            ("GET", "/auth/register", {}, OK),
            ("POST", "/auth/register", credentials, REDIRECTS),
            ("POST", "/auth/login", credentials, REDIRECTS),
            # Logging in starts a new session, hence a new token, read from a form page.
            ("GET", "/posts/new", {}, OK),
        )
        for method, path, fields, expected in steps:
            self.browser.claim(required=True)
            body, content_type = form({"csrf_token": self.token, **fields})
            headers = {"Content-Type": content_type} if method == "POST" else {}
            answer = self.browser.send(method, path, expected, body, **headers)
            if answer is None or answer.status not in expected:
                return False
            if method == "GET":
                match = CSRF_FIELD.search(answer.body)
                if match is None:
                    self.browser.result.unexpected.append(f"GET {path}: no CSRF field")
                    return False
                self.token = match.group(1).decode()
        self.browser.claim(required=True)
        return self.write(upload=False)

    def write(self, *, upload: bool) -> bool:
        """Publish a post through the form; remember it if the server acknowledges it."""
        plan = self.browser.plan
        self.writes += 1
        title = f"soak {plan.run_id} client {plan.index} post {self.writes}"
        fields = {"csrf_token": self.token, "title": title, "body": f"Body of {title}."}
        body, content_type = multipart(fields, self.upload) if upload else form(fields)
        answer = self.browser.send(
            "POST", "/posts/new", REDIRECTS, body, **{"Content-Type": content_type}
        )
        if answer is None or answer.status not in REDIRECTS:
            return False
        location = answer.headers.get("Location", "")
        post_id = location.rpartition("/")[2]
        if not post_id.isdigit():
            self.browser.result.unexpected.append(f"POST /posts/new: redirect to {location!r}")
            return False
        self.own_posts.append(int(post_id))
        self.browser.result.acknowledged.append((int(post_id), title))
        return True

    def act(self, action: str) -> None:
        """Send the request of one kind of :data:`MIX`."""
        if action in ("write", "upload"):
            self.write(upload=action == "upload")
        elif action == "front page":
            self.browser.send("GET", "/", OK)
        elif action == "post page":
            # Nobody deletes posts and ids only grow: every id up to our latest post exists.
            self.browser.send("GET", f"/posts/{self.rng.randint(1, self.own_posts[-1])}", OK)
        elif action == "session page":
            edit = f"/posts/{self.rng.choice(self.own_posts)}/edit"
            self.browser.send("GET", self.rng.choice(("/posts/new", edit)), OK)
        elif action == "api":
            self.browser.send("GET", "/api/posts", OK)
        else:
            missing = self.rng.choice(("/posts/{}", "/api/posts/{}", "/no/such/page/{}"))
            self.browser.send("GET", missing.format(10**9 + self.rng.randrange(10**9)), MISSING)


def run_client(plan: ClientPlan) -> ClientResult:
    """Sign up, then send requests until the shared budget or the time is spent."""
    result = ClientResult()
    browser = Browser(plan, result)
    visitor = Visitor(browser, random.Random(f"{plan.run_id}-{plan.index}"))
    if visitor.sign_up():
        actions, weights = list(MIX), list(MIX.values())
        while not browser.server_gone and browser.claim():
            visitor.act(visitor.rng.choices(actions, weights)[0])
    browser.connection.close()
    return result
