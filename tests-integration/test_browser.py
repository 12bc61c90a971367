"""The tutorial blog in a real browser: headless Chromium, driven through chromedriver.

The blog runs under ``python -m erlen run`` with a fresh instance folder, so it creates its
database on start, as on a first ``nox -s serve``. Chromium then does what a first visitor does:
register, log in, publish a post and find it on the front page. The forms carry their CSRF
tokens and every POST answers with a redirect, so this also proves the browser side of both.
The test skips only when Chromium or its driver is not installed.
"""

from __future__ import annotations

import json
import pathlib
import urllib.request
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as when
from selenium.webdriver.support.wait import WebDriverWait

from harness import free_port
from harness import require_binary
from harness import serving

pytestmark = pytest.mark.server("chromium+erlen-run")

#: A quiet, throwaway browser: no GPU, no sandbox (CI runs as root), no calls home.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1000,760",
)
#: The header colour from the blog's style.css, as the browser computes it.
ACCENT = "rgb(47, 111, 94)"


@pytest.fixture
def blog(tmp_path: pathlib.Path, python: str) -> Iterator[str]:
    """The blog served on a free port with a fresh instance folder; yields its base URL."""
    port = free_port()
    command = [
        *(python, "-m", "erlen", "--app", "blog", "run", "--port", str(port)),
        *("--no-reload", "--no-debugger", "--with-threads"),
    ]
    url = f"http://127.0.0.1:{port}"
    env = {"BLOG_INSTANCE_PATH": str(tmp_path / "instance"), "BLOG_SECRET_KEY": "browser-test"}
    with serving(command, f"{url}/", **env):
        yield url


@pytest.fixture
def chromium(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebDriver]:
    """Headless Chromium with a fresh profile, through the system's chromedriver."""
    binary = require_binary("chromium", "/usr/bin/chromium")
    driver_path = require_binary("chromedriver", "/usr/bin/chromedriver")
    # The driver path is given, so Selenium has nothing to look up; offline, it never could.
    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (*CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    service = Service(executable_path=driver_path, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def _submit(driver: WebDriver, **fields: str) -> None:
    """Type into the page's form fields by id, then press its submit button."""
    for name, value in fields.items():
        element = driver.find_element(By.ID, name)
        element.clear()
        element.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()


def _flash(wait: WebDriverWait[WebDriver], text: str) -> None:
    wait.until(when.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), text))


def test_register_log_in_and_publish_in_chromium(
    chromium: WebDriver, blog: str, tmp_path: pathlib.Path
) -> None:
    wait = WebDriverWait(chromium, 15)

    chromium.get(f"{blog}/auth/register")
    assert chromium.title == "Register · erlen blog"
    _submit(chromium, username="ada", password="correct horse")
    # Registering logs the new user in.
    wait.until(when.url_to_be(f"{blog}/"))
    wait.until(when.text_to_be_present_in_element((By.CSS_SELECTOR, ".who"), "ada"))
    _flash(wait, "Welcome, ada!")

    # The browser asked for the site's icon and got it (no 404 in the server's log).
    icon = chromium.execute_script(
        "return fetch('/favicon.ico').then(r => r.status + ' ' + r.headers.get('Content-Type'))"
    )
    assert icon.startswith("200 image/svg+xml")

    chromium.find_element(By.LINK_TEXT, "New post").click()
    wait.until(when.url_to_be(f"{blog}/posts/new"))
    _submit(chromium, title="Hello from Chromium", body="Written by a real browser.")
    wait.until(when.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Hello from Chromium"))
    _flash(wait, "Your post is published.")

    chromium.find_element(By.LINK_TEXT, "← All posts").click()
    wait.until(when.url_to_be(f"{blog}/"))
    titles = [e.text for e in chromium.find_elements(By.CSS_SELECTOR, ".post h2 a")]
    assert titles == ["Hello from Chromium"]
    assert "by ada on " in chromium.find_element(By.CSS_SELECTOR, ".post .meta").text

    # The stylesheet is applied, not just linked.
    header = chromium.find_element(By.CSS_SELECTOR, "header.site")
    colour = chromium.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor", header
    )
    assert colour == ACCENT

    # The JSON API beside the pages sees the same post.
    with urllib.request.urlopen(f"{blog}/api/posts", timeout=10) as response:
        posts = json.load(response)["posts"]
    assert [(p["title"], p["author"]) for p in posts] == [("Hello from Chromium", "ada")]

    screenshot = tmp_path / "blog.png"
    assert chromium.save_screenshot(str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 10_000
