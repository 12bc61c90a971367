"""DispatchingJinjaLoader and explain_template_loading_attempts."""

from __future__ import annotations

import logging
import typing as t

import pytest
from jinja2 import BaseLoader
from jinja2 import DictLoader
from jinja2 import TemplateNotFound

from erlen_templating import explain_template_loading_attempts
from erlen_templating import render_template


def source(app: t.Any, name: str) -> tuple[str, str | None]:
    text, filename, _uptodate = app.jinja_env.loader.get_source(app.jinja_env, name)
    return text, filename


def test_app_folder_first(app: t.Any, blueprints: t.Any) -> None:
    text, filename = source(app, "shared.html")
    assert text == "from app"
    assert filename == str(app.root / "templates" / "shared.html")


def test_blueprints_in_registration_order(app: t.Any, blueprints: t.Any) -> None:
    assert source(app, "both.html")[0] == "both from first"
    assert source(app, "second.html")[0] == "second only"
    blueprints.reverse()
    assert source(app, "both.html")[0] == "both from second"


def test_app_without_folder(app: t.Any, blueprints: t.Any) -> None:
    app.template_folder = None
    assert source(app, "shared.html")[0] == "from first"


def test_missing_template(app: t.Any, blueprints: t.Any) -> None:
    with pytest.raises(TemplateNotFound, match="nowhere.html"):
        source(app, "nowhere.html")
    with app.app_context(), pytest.raises(TemplateNotFound, match="nowhere.html"):
        render_template("nowhere.html")


def test_list_templates(app: t.Any, blueprints: t.Any) -> None:
    names = app.jinja_env.list_templates()
    assert sorted(names) == [
        "both.html",
        "first.html",
        "hello.html",
        "hello.txt",
        "macros.html",
        "second.html",
        "shared.html",
    ]


def test_list_templates_without_folders(app: t.Any) -> None:
    app.template_folder = None
    assert app.jinja_env.list_templates() == []


def explained(app: t.Any, caplog: pytest.LogCaptureFixture, name: str) -> str:
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    with caplog.at_level(logging.INFO, logger="fakeapp"):
        try:
            source(app, name)
        finally:
            records = [r for r in caplog.records if r.name == "fakeapp"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    return records[0].getMessage()


def test_explain_single_match(
    app: t.Any, blueprints: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    text = explained(app, caplog, "second.html")
    folder = app.root / "templates"
    lines = text.splitlines()
    assert lines[:8] == [
        "Locating template 'second.html':",
        "    1: trying loader of application 'fakeapp'",
        "       class: jinja2.loaders.FileSystemLoader",
        "       encoding: 'utf-8'",
        "       followlinks: False",
        "       searchpath:",
        f"         - {folder}",
        "       -> no match",
    ]
    assert "    2: trying loader of blueprint 'first' (fakeapp.first)" in lines
    # The blueprint without a folder is not asked.
    assert "bare" not in text
    assert "    3: trying loader of blueprint 'second' (fakeapp.second)" in lines
    assert lines[-1] == f"       -> found ({str(blueprints[2].folder / 'second.html')!r})"
    assert "Error" not in text
    assert "Warning" not in text


def test_explain_returns_first_of_several(
    app: t.Any, blueprints: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    with caplog.at_level(logging.INFO, logger="fakeapp"):
        assert source(app, "both.html")[0] == "both from first"
    text = caplog.records[-1].getMessage()
    assert text.count("-> found") == 2
    assert "Warning: multiple loaders returned a match for the template" in text


def test_explain_not_found(app: t.Any, blueprints: t.Any, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(TemplateNotFound):
        explained(app, caplog, "nowhere.html")
    text = caplog.records[-1].getMessage()
    assert text.count("-> no match") == 3
    assert "Error: the template could not be found." in text
    assert "blueprint" not in text.splitlines()[-1]


def test_explain_hints_at_blueprint(
    app: t.Any, blueprints: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    with app.test_request_context("/?bp=second"), caplog.at_level(logging.INFO):
        with pytest.raises(TemplateNotFound):
            render_template("nowhere.html")
        render_template("second.html")
    missing, found = (r.getMessage() for r in caplog.records if r.name == "fakeapp")
    assert "looked up from an endpoint that belongs to the blueprint 'second'." in missing
    assert "See https://flask.palletsprojects.com/blueprints/#templates" in missing
    assert "belongs to the blueprint" not in found


def test_explain_describes_any_owner_and_loader(
    app: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    class Owner:
        import_name = "x"
        jinja_loader = None

        def __repr__(self) -> str:
            return "<owner>"

    class Loader(BaseLoader):
        def __init__(self) -> None:
            self.names = ("a", "b")
            self.mixed = [1, "x"]
            self.ratio = 1.5
            self.callback = print
            self._private = "hidden"

    attempts: list[t.Any] = [
        (Loader(), Owner(), None),
        (DictLoader({}), app, ("text", None, None)),
    ]
    with caplog.at_level(logging.INFO, logger="fakeapp"):
        explain_template_loading_attempts(app, "t.html", attempts)
    lines = caplog.records[-1].getMessage().splitlines()
    assert lines[1:7] == [
        "    1: trying loader of <owner>",
        f"       class: {__name__}.Loader",
        "       names:",
        "         - a",
        "         - b",
        "       ratio: 1.5",
    ]
    assert "hidden" not in lines
    assert lines[-1] == "       -> found ('<string>')"
