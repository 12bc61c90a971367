"""The example app behind real WSGI servers, spoken to over real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.cookiejar
import json
import sys
import urllib.error
import urllib.request

import pytest

from conftest import EXAMPLES
from conftest import serving

HELLO = EXAMPLES / "hello"

SERVERS = {
    "erlen-run": lambda port: [
        sys.executable,
        "-m",
        "erlen",
        "--app",
        str(HELLO / "app.py"),
        "run",
        "--port",
        str(port),
        "--no-reload",
        "--no-debugger",
    ],
    "gunicorn-sync": lambda port: [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(HELLO),
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "2",
        "app:app",
    ],
    "gunicorn-gthread": lambda port: [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(HELLO),
        "-b",
        f"127.0.0.1:{port}",
        "-k",
        "gthread",
        "--threads",
        "4",
        "app:app",
    ],
    "waitress": lambda port: [
        sys.executable,
        "-m",
        "waitress",
        f"--listen=127.0.0.1:{port}",
        "app:app",
    ],
}


@pytest.fixture(params=sorted(SERVERS))
def base_url(request: pytest.FixtureRequest, port: int):
    command = SERVERS[request.param](port)
    url = f"http://127.0.0.1:{port}"
    env = {"PYTHONPATH": str(HELLO)}
    with serving(command, f"{url}/hello/probe", **env):
        yield url


def test_session_counts_visits_across_requests(base_url: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    first = opener.open(f"{base_url}/").read().decode()
    second = opener.open(f"{base_url}/").read().decode()
    assert "visited this page 1 time." in first
    assert "visited this page 2 times." in second
    assert [cookie.name for cookie in jar] == ["session"]


def test_json_route_with_converter(base_url: str) -> None:
    request = urllib.request.Request(f"{base_url}/hello/ada", headers={"User-Agent": "it/1"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read()) == {"agent": "it/1", "hello": "ada"}


def test_unknown_path_is_a_404_page(base_url: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{base_url}/nope")
    assert caught.value.code == 404
    assert b"Not Found" in caught.value.read()


def test_wrong_method_is_a_405_with_allow(base_url: str) -> None:
    request = urllib.request.Request(f"{base_url}/hello/ada", method="POST", data=b"")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 405
    assert set(caught.value.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
