"""Static files, templates and resources of blueprints."""

from __future__ import annotations

import datetime
import pathlib
import typing as t

import pytest
from jinja2 import TemplateNotFound
from werkzeug.http import parse_cache_control_header

from erlen_blueprints import Blueprint
from erlen_core.app import Erlen
from erlen_core.helpers import url_for
from erlen_templating import render_template

RESOURCES = pathlib.Path(__file__).parent / "resources"
ADMIN = str(RESOURCES / "admin")


def make_admin(**options: t.Any) -> Blueprint:
    options.setdefault("static_folder", "static")
    return Blueprint(
        "admin",
        __name__,
        url_prefix="/admin",
        template_folder="templates",
        root_path=ADMIN,
        **options,
    )


def test_static_files(app: Erlen, client: t.Any) -> None:
    app.register_blueprint(make_admin())
    with client.get("/admin/static/test.txt") as rv:
        assert rv.data.strip() == b"Admin File"
        assert "max-age" not in rv.headers.get("Cache-Control", "")
    with client.get("/admin/static/css/test.css") as rv:
        assert rv.data.strip() == b"/* nested file */"
    assert client.get("/admin/static/missing.txt").status_code == 404
    assert client.get("/admin/static/../resource.txt").status_code == 404
    with app.test_request_context():
        assert url_for("admin.static", filename="test.txt") == "/admin/static/test.txt"


def test_static_url_path(app: Erlen, client: t.Any) -> None:
    bp = make_admin(static_url_path="/assets/")
    assert bp.static_url_path == "/assets"
    app.register_blueprint(bp)
    with client.get("/admin/assets/test.txt") as rv:
        assert rv.status_code == 200
    assert client.get("/admin/static/test.txt").status_code == 404


def test_no_static_folder(app: Erlen, client: t.Any) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    assert not bp.has_static_folder
    assert bp.static_folder is None and bp.static_url_path is None
    app.register_blueprint(bp)
    assert "bp.static" not in app.view_functions
    with app.test_request_context(), pytest.raises(RuntimeError, match="no static folder"):
        bp.send_static_file("test.txt")


@pytest.mark.parametrize(
    ("config", "expected"), [(3600, 3600), (datetime.timedelta(hours=2), 7200), (None, None)]
)
def test_static_max_age_from_config(
    app: Erlen, client: t.Any, config: t.Any, expected: int | None
) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = config
    bp = make_admin()
    app.register_blueprint(bp)
    with client.get("/admin/static/css/test.css") as rv:
        cc = parse_cache_control_header(rv.headers.get("Cache-Control"))
        assert cc.max_age == expected
    with app.app_context():
        assert bp.get_send_file_max_age("test.txt") == expected


def test_get_send_file_max_age_override(app: Erlen) -> None:
    class MyBlueprint(Blueprint):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 100

    bp = MyBlueprint("bp", __name__, static_folder="static", root_path=ADMIN)
    app.register_blueprint(bp)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    with app.test_request_context():
        with bp.send_static_file("test.txt") as rv:
            assert parse_cache_control_header(rv.headers["Cache-Control"]).max_age == 100


def test_templates_searched_after_the_app(app: Erlen, client: t.Any) -> None:
    bp = make_admin()
    bp.add_url_rule("/", "index", lambda: render_template("admin/index.html", who="Admin"))
    bp.add_url_rule("/shared", "shared", lambda: render_template("shared.html", value=1))
    app.register_blueprint(bp)
    assert client.get("/admin/").data == b"Hello from the Admin"
    # The app's templates folder has a shared.html too; it wins.
    assert client.get("/admin/shared").data == b"app 1"
    assert sorted(app.jinja_env.list_templates()) == [
        "admin/index.html",
        "filter.html",
        "shared.html",
    ]
    with app.test_request_context(), pytest.raises(TemplateNotFound) as exc_info:
        render_template("missing.html")
    assert exc_info.value.name == "missing.html"


def test_blueprint_template_used_when_app_has_none(client: t.Any) -> None:
    app = Erlen("no_templates", root_path=str(RESOURCES), template_folder=None)
    app.register_blueprint(make_admin())
    with app.test_request_context():
        assert render_template("shared.html", value=2) == "admin 2"


def test_jinja_loader() -> None:
    bp = make_admin()
    assert bp.jinja_loader is not None
    assert bp.jinja_loader.get_source(None, "shared.html")[0] == "admin {{ value }}"  # type: ignore[arg-type]
    assert Blueprint("bare", __name__).jinja_loader is None


def test_open_resource() -> None:
    bp = make_admin()
    with bp.open_resource("resource.txt") as f:
        assert f.read() == "résumé\n".encode()
    with bp.open_resource("resource.txt", "r") as f:
        assert f.read() == "résumé\n"
    with bp.open_resource("resource.txt", "rt", encoding="latin-1") as f:
        assert f.read() == "résumé\n".encode().decode("latin-1")


@pytest.mark.parametrize("mode", ["w", "x", "a", "r+", "wb"])
def test_open_resource_refuses_writing(mode: str) -> None:
    with pytest.raises(ValueError, match="only be opened for reading"):
        make_admin().open_resource("resource.txt", mode)  # type: ignore[call-overload]
