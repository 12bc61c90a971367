"""Reading, writing, editing and deleting posts, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest

from blog.db import get_db
from blog.posts import excerpt
from blog.posts import PAGE_SIZE


def _count_posts(app: Any) -> int:
    with app.app_context():
        count: int = get_db().execute("SELECT COUNT(*) FROM post").fetchone()[0]
    return count


def test_empty_blog_invites_the_first_post(client: Any, browser: Any) -> None:
    assert "No posts yet." in client.get("/").get_data(as_text=True)
    assert "Write the first one" not in client.get("/").get_data(as_text=True)
    browser.sign_in()
    assert "Write the first one" in client.get("/").get_data(as_text=True)


def test_create_publishes_and_redirects_to_the_post(app: Any, browser: Any) -> None:
    browser.sign_in()
    assert browser.client.get("/posts/new").status_code == 200
    post_id = browser.write("First light", "Hello, blog.\n\nSecond paragraph.")
    page = browser.client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Your post is published." in page
    assert "<h1>First light</h1>" in page
    assert "<p>Second paragraph.</p>" in page
    assert "by ada on " in page
    assert _count_posts(app) == 1


def test_index_lists_posts_newest_first(client: Any, browser: Any) -> None:
    browser.sign_in()
    browser.write("Older", "one")
    browser.write("Newer", "two")
    page = client.get("/").get_data(as_text=True)
    assert page.index("Newer") < page.index("Older")


def test_index_shows_a_page_at_a_time(client: Any, publish_many: Any) -> None:
    publish_many(PAGE_SIZE + 1)
    first = client.get("/").get_data(as_text=True)
    assert first.count('<article class="post">') == PAGE_SIZE
    assert f">Post {PAGE_SIZE}<" in first
    assert ">Post 0<" not in first
    assert 'href="/?page=2">Older posts' in first
    assert "Newer posts" not in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert second.count('<article class="post">') == 1
    assert ">Post 0<" in second
    assert 'href="/?page=1">Newer posts' in second
    assert "Older posts" not in second


@pytest.mark.parametrize("page", ["0", "-1", "3", str(10**30)])
def test_pages_without_posts_are_404(client: Any, publish_many: Any, page: str) -> None:
    publish_many(PAGE_SIZE + 1)
    response = client.get("/", query_string={"page": page})
    assert response.status_code == 404
    assert f"There is no page {page} of posts." in response.get_data(as_text=True)


def test_post_text_is_escaped(browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write("<script>alert(1)</script>", "<b>bold</b>")
    page = browser.client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [("", "text", "A post needs a title."), ("Title", "  ", "A post needs some text.")],
)
def test_create_refuses_empty_fields(
    app: Any, browser: Any, title: str, body: str, message: str
) -> None:
    browser.sign_in()
    response = browser.post("/posts/new", title=title, body=body)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'value="{title}"' in page
    assert _count_posts(app) == 0


def test_edit_saves_changes(browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write("Draft", "first words")
    form = browser.client.get(f"/posts/{post_id}/edit").get_data(as_text=True)
    assert 'value="Draft"' in form
    assert ">first words</textarea>" in form
    response = browser.post(f"/posts/{post_id}/edit", title="Final", body="better words")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/posts/{post_id}"
    page = browser.client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "<h1>Final</h1>" in page
    assert "better words" in page
    assert ", edited " in page


def test_edit_refuses_empty_title_and_keeps_the_post(browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write("Draft", "words")
    response = browser.post(f"/posts/{post_id}/edit", title="", body="new")
    assert response.status_code == 400
    assert "<h1>Draft</h1>" in browser.client.get(f"/posts/{post_id}").get_data(as_text=True)


def test_delete_removes_the_post(app: Any, browser: Any) -> None:
    browser.sign_in()
    post_id = browser.write()
    response = browser.post(f"/posts/{post_id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "The post is deleted." in browser.client.get("/").get_data(as_text=True)
    assert _count_posts(app) == 0
    assert browser.client.get(f"/posts/{post_id}").status_code == 404


@pytest.mark.parametrize("path", ["/posts/new", "/posts/1/edit"])
def test_visitors_are_sent_to_log_in(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_visitors_cannot_delete(app: Any, browser: Any, other: Any) -> None:
    other.write()
    response = browser.post("/posts/1/delete")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert _count_posts(app) == 1


def test_only_the_author_sees_edit_and_delete(browser: Any, other: Any) -> None:
    post_id = other.write()
    assert "Edit</a>" in other.client.get(f"/posts/{post_id}").get_data(as_text=True)
    browser.sign_in()
    page = browser.client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "Edit</a>" not in page
    assert "Delete</button>" not in page


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_others_may_not_change_a_post(app: Any, browser: Any, other: Any, action: str) -> None:
    post_id = other.write("Grace's", "mine")
    browser.sign_in()
    if action == "edit":
        assert browser.client.get(f"/posts/{post_id}/edit").status_code == 403
        response = browser.post(f"/posts/{post_id}/edit", title="Hijacked", body="x")
    else:
        response = browser.post(f"/posts/{post_id}/delete")
    assert response.status_code == 403
    assert "Only the author of a post may change it." in response.get_data(as_text=True)
    page = browser.client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "<h1>Grace&#39;s</h1>" in page


@pytest.mark.parametrize(
    "path", ["/posts/99", "/posts/99/edit", "/posts/not-a-number", "/no/such/page"]
)
def test_missing_pages_are_404_in_the_layout(browser: Any, path: str) -> None:
    browser.sign_in()
    response = browser.client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>404 Not Found</h1>" in page
    assert 'href="/static/style.css"' in page


def test_deleting_a_missing_post_is_404(browser: Any) -> None:
    browser.sign_in()
    assert browser.post("/posts/99/delete").status_code == 404


def test_the_list_keeps_paragraph_breaks_in_excerpts(client: Any, browser: Any) -> None:
    browser.sign_in()
    browser.write("Breaks", "First paragraph.\r\n\r\nSecond paragraph.")
    page = client.get("/").get_data(as_text=True)
    assert "<p>First paragraph.</p>" in page
    assert "<p>Second paragraph.</p>" in page


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("One.\n\nTwo.", 280, ["One.", "Two."]),
        ("one two three four", 9, ["one two …"]),
        ("short\n\nlonger words here", 12, ["short", "longer …"]),
        ("short\n\nunbroken", 8, ["short …"]),
        ("abcdefghij", 4, ["abcd …"]),
        ("\n\n  \n\nonly\n\n", 280, ["only"]),
    ],
)
def test_excerpt_cuts_at_words_and_keeps_paragraphs(
    text: str, length: int, expected: list[str]
) -> None:
    assert excerpt(text, length) == expected


def test_the_site_has_an_icon(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in page
    with client.get("/favicon.ico") as icon, client.get("/static/favicon.svg") as static:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
        assert icon.data == static.data
