"""What a blueprint reads from disk: static files, templates and resources."""

from __future__ import annotations

import datetime
import pathlib
import re
import typing as t

import pytest
from jinja2 import TemplateNotFound
from werkzeug.http import parse_cache_control_header

from erlen_blueprints import Blueprint
from erlen_core.app import Erlen
from erlen_core.helpers import url_for
from erlen_templating import render_template

RESOURCES = pathlib.Path(__file__).parent / "resources"
SHOP = str(RESOURCES / "shop")


def shop(**settings: t.Any) -> Blueprint:
    """The ``shop`` blueprint rooted in ``resources/shop``, with its static folder."""
    settings = {"static_folder": "static", "template_folder": "templates", **settings}
    return Blueprint("shop", __name__, url_prefix="/shop", root_path=SHOP, **settings)


def max_age(response: t.Any) -> int | None:
    return parse_cache_control_header(response.headers.get("Cache-Control")).max_age


def test_static_route_serves_the_folder(app: Erlen, client: t.Any) -> None:
    app.register_blueprint(shop())
    with client.get("/shop/static/logo.txt") as response:
        assert response.data == b"logo bytes\n"
        assert max_age(response) is None
    with client.get("/shop/static/css/site.css") as response:
        assert response.mimetype == "text/css"
    for outside in ("/shop/static/nothing.txt", "/shop/static/../resource.txt"):
        assert client.get(outside).status_code == 404
    with app.test_request_context():
        assert url_for("shop.static", filename="css/site.css") == "/shop/static/css/site.css"


def test_static_url_path_moves_the_route(app: Erlen, client: t.Any) -> None:
    bp = shop(static_url_path="/files/")
    assert bp.static_url_path == "/files"
    app.register_blueprint(bp)
    with client.get("/shop/files/logo.txt") as response:
        assert response.status_code == 200
    assert client.get("/shop/static/logo.txt").status_code == 404


def test_without_static_folder_there_is_no_route(app: Erlen) -> None:
    bp = Blueprint("plain", __name__)
    assert (bp.has_static_folder, bp.static_folder, bp.static_url_path) == (False, None, None)
    app.register_blueprint(bp)
    assert "plain.static" not in app.view_functions
    with app.test_request_context(), pytest.raises(RuntimeError, match="'plain' has no static"):
        bp.send_static_file("logo.txt")


@pytest.mark.parametrize(
    ("setting", "seconds"), [(60, 60), (datetime.timedelta(minutes=5), 300), (None, None)]
)
def test_cache_age_follows_the_config(app: Erlen, setting: t.Any, seconds: int | None) -> None:
    bp = shop()
    app.register_blueprint(bp)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = setting
    with app.test_client().get("/shop/static/logo.txt") as response:
        assert max_age(response) == seconds
    with app.app_context():
        assert bp.get_send_file_max_age("logo.txt") == seconds


def test_cache_age_can_be_chosen_per_file(app: Erlen, client: t.Any) -> None:
    class LongLivedCss(Blueprint):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 86400 if filename and filename.endswith(".css") else 0

    bp = LongLivedCss("assets", __name__, static_folder="static", root_path=SHOP)
    app.register_blueprint(bp, url_prefix="/assets")
    with client.get("/assets/static/css/site.css") as css:
        with client.get("/assets/static/logo.txt") as logo:
            assert (max_age(css), max_age(logo)) == (86400, 0)


def test_templates_come_after_the_apps(app: Erlen, client: t.Any) -> None:
    bp = shop()
    bp.add_url_rule("/page", "page", lambda: render_template("shop/page.html", who="you"))
    bp.add_url_rule("/shared", "shared", lambda: render_template("shared.html", value=3))
    app.register_blueprint(bp)
    assert client.get("/shop/page").text == "Page for you"
    assert client.get("/shop/shared").text == "app 3"
    assert sorted(app.jinja_env.list_templates()) == [
        "backwards.html",
        "shared.html",
        "shop/page.html",
    ]
    with app.test_request_context(), pytest.raises(TemplateNotFound, match="absent.html"):
        render_template("absent.html")


def test_blueprint_templates_fill_in_for_the_app() -> None:
    app = Erlen("bare", root_path=str(RESOURCES), template_folder=None)
    app.register_blueprint(shop())
    with app.test_request_context():
        assert render_template("shared.html", value=4) == "shop 4"


def test_jinja_loader_exists_only_with_a_template_folder() -> None:
    loader = shop().jinja_loader
    assert loader is not None
    assert loader.get_source(t.cast(t.Any, None), "shared.html")[0] == "shop {{ value }}"
    assert Blueprint("none", __name__).jinja_loader is None


def test_open_resource_reads_bytes_or_text() -> None:
    bp = shop()
    with bp.open_resource("resource.txt") as binary:
        assert binary.read() == "résumé\n".encode()
    with bp.open_resource("resource.txt", "r") as text:
        assert text.read() == "résumé\n"
    with bp.open_resource("resource.txt", "rt", encoding="latin-1") as latin:
        assert latin.read() == "résumé\n".encode().decode("latin-1")


@pytest.mark.parametrize("mode", ["w", "wb", "a", "r+", "x"])
def test_open_resource_never_writes(mode: str) -> None:
    with pytest.raises(
        ValueError, match=re.escape(f"opened for reading: use mode 'rb', 'r' or 'rt', not '{mode}'")
    ):
        shop().open_resource("resource.txt", mode)  # type: ignore[call-overload]
