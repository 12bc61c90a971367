"""The JSON API: reading posts, writing with the session and the CSRF header, JSON errors."""

from __future__ import annotations

from typing import Any

import pytest

from blog.posts import PAGE_SIZE


def _headers(browser: Any) -> dict[str, str]:
    return {"X-CSRF-Token": browser.token()}


def test_lists_posts_newest_first(client: Any, browser: Any) -> None:
    assert client.get("/api/posts").get_json() == {"posts": []}
    browser.sign_in()
    browser.write("Older", "one")
    browser.write("Newer", "two")
    response = client.get("/api/posts")
    assert response.mimetype == "application/json"
    posts = response.get_json()["posts"]
    assert [p["title"] for p in posts] == ["Newer", "Older"]
    assert posts[0]["author"] == "ada"
    assert posts[0]["url"] == "http://localhost/posts/2"
    assert set(posts[0]) == {"id", "title", "body", "created", "updated", "author", "url"}


def test_lists_a_page_at_a_time_with_links(client: Any, publish_many: Any) -> None:
    publish_many(2 * PAGE_SIZE + 1)
    first = client.get("/api/posts")
    assert len(first.get_json()["posts"]) == PAGE_SIZE
    assert first.headers["Link"] == '</api/posts?page=2>; rel="next"'
    second = client.get("/api/posts?page=2")
    assert (
        second.headers["Link"] == '</api/posts?page=1>; rel="prev", </api/posts?page=3>; rel="next"'
    )
    last = client.get("/api/posts?page=3")
    assert [p["title"] for p in last.get_json()["posts"]] == ["Post 0"]
    assert last.headers["Link"] == '</api/posts?page=2>; rel="prev"'
    missing = client.get("/api/posts?page=4")
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "There is no page 4 of posts.", "status": 404}


def test_shows_one_post(client: Any, browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write("Hello", "JSON")
    data = client.get(f"/api/posts/{post_id}").get_json()
    assert data["id"] == post_id
    assert (data["title"], data["body"], data["updated"]) == ("Hello", "JSON", None)


def test_missing_post_is_a_json_404(client: Any) -> None:
    response = client.get("/api/posts/7")
    assert response.status_code == 404
    assert response.get_json() == {"error": "There is no post 7.", "status": 404}


def test_create_needs_a_login(client: Any, browser: Any) -> None:
    response = client.post(
        "/api/posts", json={"title": "t", "body": "b"}, headers=_headers(browser)
    )
    assert response.status_code == 401
    assert response.get_json()["status"] == 401


def test_create_needs_the_csrf_header(browser: Any) -> None:
    browser.sign_in()
    response = browser.client.post("/api/posts", json={"title": "t", "body": "b"})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_json()["error"]


def test_create_publishes_a_post(client: Any, browser: Any) -> None:
    browser.sign_in()
    response = client.post(
        "/api/posts", json={"title": " From a script ", "body": "Hi"}, headers=_headers(browser)
    )
    assert response.status_code == 201
    data = response.get_json()
    assert response.headers["Location"] == f"/api/posts/{data['id']}"
    assert (data["title"], data["author"]) == ("From a script", "ada")
    assert "From a script" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (["not", "an", "object"], "Send a JSON object"),
        ({"body": "b"}, "'title' must be a non-empty string."),
        ({"title": 3, "body": "b"}, "'title' must be a non-empty string."),
        ({"title": "t", "body": ""}, "'body' must be a non-empty string."),
    ],
)
def test_create_refuses_bad_json(browser: Any, payload: Any, message: str) -> None:
    browser.sign_in()
    response = browser.client.post("/api/posts", json=payload, headers=_headers(browser))
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_create_refuses_a_body_that_is_not_json(browser: Any) -> None:
    browser.sign_in()
    response = browser.client.post(
        "/api/posts", data="{oops", content_type="application/json", headers=_headers(browser)
    )
    assert response.status_code == 400
    assert "Send a JSON object" in response.get_json()["error"]


def test_delete_own_post(client: Any, browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write()
    response = client.delete(f"/api/posts/{post_id}", headers=_headers(browser))
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(f"/api/posts/{post_id}").status_code == 404


def test_delete_someone_elses_post_is_403(browser: Any, other: Any) -> None:
    post_id = other.write()
    browser.sign_in()
    response = browser.client.delete(f"/api/posts/{post_id}", headers=_headers(browser))
    assert response.status_code == 403
    assert response.get_json()["error"] == "Only the author of a post may change it."
    assert browser.client.get(f"/api/posts/{post_id}").status_code == 200
