"""Registering blueprints: names, endpoints, URL prefixes and defaults, repeated registration,
recorded setup and the end of setup."""

from __future__ import annotations

import typing as t

import pytest

from erlen_blueprints import Blueprint
from erlen_blueprints import BlueprintSetupState
from erlen_context.globals import request
from erlen_core.app import Erlen
from erlen_core.helpers import url_for


def library() -> Blueprint:
    """A blueprint with a few linked pages, used across these tests."""
    books = Blueprint("books", __name__, url_prefix="/books")

    @books.get("/")
    def shelf() -> str:
        return f"shelf -> {url_for('.book', number=7)}"

    @books.route("/<int:number>", methods=["GET", "PUT"])
    def book(number: int) -> str:
        return f"{request.method} book {number} of {request.blueprint}"

    return books


def test_endpoints_carry_the_blueprint_name(app: Erlen, client: t.Any) -> None:
    app.register_blueprint(library())
    assert {"books.shelf", "books.book"} <= set(app.view_functions)
    assert client.get("/books/").text == "shelf -> /books/7"
    assert client.put("/books/3").text == "PUT book 3 of books"
    assert client.post("/books/").status_code == 405
    with app.test_request_context():
        assert url_for("books.book", number=1) == "/books/1"


def test_one_blueprint_under_two_names(app: Erlen, client: t.Any) -> None:
    books = library()
    app.register_blueprint(books)
    app.register_blueprint(books, name="archive", url_prefix="/old")
    assert app.blueprints == {"books": books, "archive": books}
    # Relative URLs stay inside the registration that serves the request.
    assert client.get("/old/").text == "shelf -> /old/7"
    assert client.get("/old/2").text == "GET book 2 of archive"
    assert client.get("/books/2").text == "GET book 2 of books"


def test_names_must_be_unique(app: Erlen) -> None:
    books = library()
    app.register_blueprint(books)
    with pytest.raises(ValueError, match="'books' is already registered for this blueprint"):
        app.register_blueprint(books)
    with pytest.raises(ValueError, match="for a different blueprint"):
        app.register_blueprint(Blueprint("books", __name__))
    # The failed attempts changed nothing.
    assert list(app.blueprints) == ["books"]


@pytest.mark.parametrize("name", ["", "a.b", ".lead", "trail."])
def test_bad_blueprint_names(name: str) -> None:
    with pytest.raises(ValueError, match="^'name' may"):
        Blueprint(name, __name__)


@pytest.mark.parametrize("name", ["", "x.y"])
def test_bad_registration_names(app: Erlen, name: str) -> None:
    with pytest.raises(ValueError, match="^The 'name' option may"):
        app.register_blueprint(library(), name=name)
    assert app.blueprints == {}


def test_blueprint_cannot_contain_itself() -> None:
    books = library()
    with pytest.raises(ValueError, match="on itself"):
        books.register_blueprint(books)


@pytest.mark.parametrize(
    "late_setup",
    [
        lambda bp: bp.route("/late")(lambda: ""),
        lambda bp: bp.before_request(lambda: None),
        lambda bp: bp.record(lambda state: None),
        lambda bp: bp.register_blueprint(Blueprint("late", __name__)),
        lambda bp: bp.add_app_template_global(len),
    ],
)
def test_setup_ends_with_the_first_registration(
    app: Erlen, late_setup: t.Callable[[Blueprint], t.Any]
) -> None:
    books = library()
    assert books._got_registered_once is False
    app.register_blueprint(books)
    assert books._got_registered_once is True
    with pytest.raises(AssertionError, match="blueprint 'books'. It has already been registered"):
        late_setup(books)


def test_dotted_endpoints_are_refused() -> None:
    books = library()
    with pytest.raises(ValueError, match="'endpoint' may not contain a dot"):
        books.add_url_rule("/x", "shelf.x", lambda: "")

    def view() -> str:
        return ""

    view.__name__ = "shelf.view"
    with pytest.raises(ValueError, match="'view_func' name may not"):
        books.route("/y")(view)
    # Nothing was recorded by the refused calls.
    assert len(books.deferred_functions) == 2


@pytest.mark.parametrize(
    ("bp_prefix", "option", "rule", "url"),
    [
        ("/a", None, "/b", "/a/b"),
        ("/a/", None, "b", "/a/b"),
        ("/a", None, "", "/a"),
        ("/a", "/z/", "/b", "/z/b"),
        (None, "/z", "/", "/z/"),
        (None, None, "/b", "/b"),
        ("/a", "", "/b", "/b"),
    ],
)
def test_url_prefixes(
    app: Erlen, bp_prefix: str | None, option: str | None, rule: str, url: str
) -> None:
    bp = Blueprint("bp", __name__, url_prefix=bp_prefix)
    bp.add_url_rule(rule, "page", lambda: "page")
    app.register_blueprint(bp, url_prefix=option)
    assert [r.rule for r in app.url_map.iter_rules("bp.page")] == [url]


def test_url_defaults_from_blueprint_and_registration(app: Erlen, client: t.Any) -> None:
    pages = Blueprint("pages", __name__, url_defaults={"lang": "en", "size": 10})

    @pages.route("/list")
    def listing(lang: str, size: int) -> str:
        return f"{lang} {size}"

    pages.add_url_rule("/short", "short", listing, defaults={"size": 3})
    app.register_blueprint(pages)
    app.register_blueprint(pages, name="german", url_prefix="/de", url_defaults={"lang": "de"})
    assert client.get("/list").text == "en 10"
    assert client.get("/short").text == "en 3"
    assert client.get("/de/list").text == "de 10"
    assert client.get("/de/short").text == "de 3"
    assert pages.url_values_defaults == {"lang": "en", "size": 10}


def test_endpoint_decorator_names_an_app_endpoint(app: Erlen, client: t.Any) -> None:
    # ``bp.endpoint`` fills the view for an endpoint of that exact name on the app.
    bp = Blueprint("bp", __name__)
    bp.endpoint("health")(lambda: "ok")
    app.add_url_rule("/health", "health")
    app.register_blueprint(bp)
    assert client.get("/health").text == "ok"


def test_rule_without_endpoint_or_view(app: Erlen) -> None:
    bp = Blueprint("bp", __name__)
    bp.add_url_rule("/nowhere")
    with pytest.raises(AssertionError):
        app.register_blueprint(bp)


def test_record_runs_per_registration_and_record_once_per_app() -> None:
    calls: list[tuple[str, str, bool]] = []
    bp = Blueprint("bp", __name__)

    def every(state: BlueprintSetupState) -> None:
        calls.append(("every", state.name, state.first_registration))

    def once(state: BlueprintSetupState) -> None:
        calls.append(("once", state.name, state.first_registration))

    bp.record(every)
    bp.record_once(once)
    assert bp.deferred_functions[0] is every
    assert bp.deferred_functions[1].__name__ == "once"

    first, second = Erlen("first"), Erlen("second")
    first.register_blueprint(bp)
    first.register_blueprint(bp, name="again")
    second.register_blueprint(bp, name="elsewhere")
    assert calls == [
        ("every", "bp", True),
        ("once", "bp", True),
        ("every", "again", False),
        ("every", "elsewhere", True),
        ("once", "elsewhere", True),
    ]


def test_recorded_functions_see_the_options(app: Erlen) -> None:
    seen: list[t.Any] = []
    bp = Blueprint("bp", __name__)
    bp.record(lambda state: seen.append((state.app, state.blueprint, state.options)))
    app.register_blueprint(bp, url_prefix="/p", colour="blue")
    assert seen == [(app, bp, {"url_prefix": "/p", "colour": "blue"})]
