"""Error handling: handlers by code and class, blueprint scope, trapping, propagation, logging."""

from __future__ import annotations

import logging
import typing as t

import pytest
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound

from erlen_context.globals import request
from erlen_core import Erlen


class Parent(Exception):
    pass


class Child(Parent):
    pass


class GrandChild(Child):
    pass


def test_handler_by_code(app: Erlen) -> None:
    @app.errorhandler(404)
    def not_found(e: NotFound) -> tuple[str, int]:
        return f"missing {request.path}", 404

    rv = app.test_client().get("/nowhere")
    assert rv.status_code == 404 and rv.data == b"missing /nowhere"


def test_nearest_class_in_mro_wins(app: Erlen) -> None:
    app.register_error_handler(Parent, lambda e: "parent")
    app.register_error_handler(Child, lambda e: "child")

    def raise_(exc: Exception) -> t.Callable[[], str]:
        def view() -> str:
            raise exc

        return view

    app.add_url_rule("/p", "p", raise_(Parent()))
    app.add_url_rule("/g", "g", raise_(GrandChild()))
    client = app.test_client()
    assert client.get("/p").data == b"parent"
    assert client.get("/g").data == b"child"


def test_blueprint_scoped_handlers(app: Erlen) -> None:
    app.error_handler_spec["bp"][None][Parent] = lambda e: "bp handler"
    app.register_error_handler(Parent, lambda e: "app handler")

    def boom() -> str:
        raise Parent

    app.add_url_rule("/in", "bp.boom", boom)
    app.add_url_rule("/out", "boom", boom)
    client = app.test_client()
    assert client.get("/in").data == b"bp handler"
    assert client.get("/out").data == b"app handler"


def test_unhandled_http_exception_is_its_own_response(app: Erlen) -> None:
    @app.route("/")
    def index() -> str:
        raise Forbidden()

    rv = app.test_client().get("/")
    assert rv.status_code == 403 and b"Forbidden" in rv.data


def test_http_exception_handler_for_base_class(app: Erlen) -> None:
    @app.errorhandler(HTTPException)
    def any_http(e: HTTPException) -> tuple[str, int]:
        return f"http {e.code}", e.code or 500

    @app.route("/")
    def index() -> str:
        raise Forbidden()

    # Routing redirects are never handed to handlers.
    app.add_url_rule("/folder/", "folder", lambda: "folder")
    client = app.test_client()
    assert client.get("/").data == b"http 403"
    assert client.get("/missing").data == b"http 404"
    assert client.get("/folder").status_code == 308


def test_http_exception_without_code_is_returned(app: Erlen) -> None:
    class Codeless(HTTPException):
        pass

    app.register_error_handler(HTTPException, lambda e: "handled")
    with app.test_request_context():
        exc = Codeless()
        assert app.handle_http_exception(exc) is exc


def test_trap_http_exceptions(app: Erlen) -> None:
    app.config["TRAP_HTTP_EXCEPTIONS"] = True

    @app.route("/")
    def index() -> str:
        raise NotFound()

    with pytest.raises(NotFound):
        app.test_client().get("/")


def test_trap_bad_request_key_error_in_debug(app: Erlen) -> None:
    @app.route("/")
    def index() -> str:
        return request.form["missing"]

    client = app.test_client()
    rv = client.get("/")
    assert rv.status_code == 400 and b"missing" not in rv.data

    app.debug = True
    with pytest.raises(KeyError) as info:
        client.get("/")
    assert info.errisinstance(BadRequest)
    assert "missing" in info.value.get_description()  # type: ignore[attr-defined]

    app.config["TRAP_BAD_REQUEST_ERRORS"] = False
    rv = client.get("/")
    assert rv.status_code == 400 and b"missing" in rv.data


def test_propagate_exceptions(app: Erlen) -> None:
    app.add_url_rule("/", "x", lambda: 1 / 0)
    client = app.test_client()
    with pytest.raises(ZeroDivisionError):
        client.get("/")
    app.testing = False
    assert client.get("/").status_code == 500
    app.debug = True
    with pytest.raises(ZeroDivisionError):
        client.get("/")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get("/").status_code == 500


def test_500_handler_gets_internal_server_error(
    app: Erlen, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: list[t.Any] = []

    @app.errorhandler(500)
    def on_500(e: InternalServerError) -> tuple[str, int]:
        seen.append(e.original_exception)
        return "sorry", 500

    @app.route("/")
    def index() -> str:
        raise ValueError("bad value")

    with caplog.at_level(logging.ERROR, logger="erlen_test"):
        rv = app.test_client().get("/")
    assert rv.data == b"sorry"
    assert isinstance(seen[0], ValueError)
    assert "Exception on / [GET]" in caplog.text


def test_500_handler_for_exception_class(app: Erlen) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.register_error_handler(InternalServerError, lambda e: ("ise", 500))
    app.add_url_rule("/", "x", lambda: 1 / 0)
    assert app.test_client().get("/").data == b"ise"


def test_error_in_error_handler_after_request_is_logged(
    app: Erlen, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.after_request
    def broken(response: t.Any) -> t.Any:
        raise RuntimeError("after broke")

    app.add_url_rule("/", "x", lambda: "ok")
    with caplog.at_level(logging.ERROR, logger="erlen_test"):
        rv = app.test_client().get("/")
    assert rv.status_code == 500
    assert "Request finalizing failed" in caplog.text


def test_handle_exception_reraises_given_exception(app: Erlen) -> None:
    with app.test_request_context():
        error = ValueError("not current")
        with pytest.raises(ValueError) as info:
            app.handle_exception(error)
        assert info.value is error


def test_handle_methods_are_instance_overridable(app: Erlen) -> None:
    original_user = app.handle_user_exception
    original = app.handle_exception
    calls: list[str] = []

    def user(e: Exception) -> t.Any:
        calls.append("user")
        return original_user(e)

    def unhandled(e: Exception) -> t.Any:
        calls.append("unhandled")
        return original(e)

    app.handle_user_exception = user  # type: ignore[method-assign]
    app.handle_exception = unhandled  # type: ignore[method-assign]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule("/", "x", lambda: 1 / 0)
    assert app.test_client().get("/").status_code == 500
    assert calls == ["user", "unhandled"]


def test_error_handler_return_value_goes_through_after_request(app: Erlen) -> None:
    app.register_error_handler(Parent, lambda e: ("handled", 409))

    @app.after_request
    def mark(response: t.Any) -> t.Any:
        response.headers["X-After"] = "yes"
        return response

    def view() -> str:
        raise Parent

    app.add_url_rule("/", view_func=view)
    rv = app.test_client().get("/")
    assert rv.status_code == 409 and rv.headers["X-After"] == "yes"


def test_405_and_allow_header(app: Erlen) -> None:
    app.add_url_rule("/", "x", lambda: "ok", methods=["POST"])
    rv = app.test_client().get("/")
    assert rv.status_code == 405
    assert set(rv.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
