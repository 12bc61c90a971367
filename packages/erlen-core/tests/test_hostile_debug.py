"""The interactive debugger is never reachable unless debug mode is explicitly on, and a
production error page says nothing about the error.
"""

from __future__ import annotations

import logging
import typing as t

import pytest
from click.testing import CliRunner

from erlen_cli import run_command
from erlen_cli import ScriptInfo
from erlen_context.globals import request
from erlen_core import Erlen

from .test_hostile_app import call
from .test_hostile_app import environ
from .test_hostile_app import make_app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, t.Any]:
    """Capture the options the development server would have been started with."""
    import werkzeug.serving

    options: dict[str, t.Any] = {}

    def run_simple(host: str, port: int, app: t.Any, **kwargs: t.Any) -> None:
        options.update(kwargs, app=app)

    monkeypatch.setattr(werkzeug.serving, "run_simple", run_simple)
    monkeypatch.setattr("erlen_cli.serve.run_simple", run_simple)
    return options


def test_app_run_has_no_debugger_by_default(served: dict[str, t.Any]) -> None:
    make_app().run(load_dotenv=False)
    assert served["use_debugger"] is False and served["use_reloader"] is False


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_falsy_flask_debug_keeps_the_debugger_off(
    served: dict[str, t.Any], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", value)
    app = Erlen("erlen_hostile")
    assert app.debug is False
    app.run(load_dotenv=False)
    assert served["use_debugger"] is False


def test_debugger_only_when_asked(
    served: dict[str, t.Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_app().run(debug=True, load_dotenv=False)
    assert served["use_debugger"] is True
    monkeypatch.setenv("FLASK_DEBUG", "1")
    make_app().run(load_dotenv=False)
    assert served["use_debugger"] is True


def _cli(args: list[str]) -> t.Any:
    app = make_app()
    info = ScriptInfo(create_app=lambda: app, load_dotenv_defaults=False)
    return CliRunner().invoke(run_command, args, obj=info)


@pytest.mark.parametrize(
    ("args", "debugger"),
    [
        ([], False),
        (["--no-debug"], False),
        (["--debug"], True),
        (["--debug", "--no-debugger"], False),
    ],
)
def test_cli_run_debugger(
    served: dict[str, t.Any], monkeypatch: pytest.MonkeyPatch, args: list[str], debugger: bool
) -> None:
    # The --debug option writes FLASK_DEBUG; monkeypatch restores it afterwards.
    monkeypatch.setenv("FLASK_DEBUG", "")
    result = _cli(args)
    assert result.exit_code == 0, result.output
    assert served["use_debugger"] is debugger


@pytest.mark.parametrize("debug", [False, True])
def test_the_app_never_serves_the_debugger_itself(debug: bool) -> None:
    # The debugger is a middleware the development server adds; the app has no such route.
    app = make_app(DEBUG=debug)
    for query in ("__debugger__=yes&cmd=resource&f=debugger.js", "__debugger__=yes&cmd=printpin"):
        answer = call(app, environ("/console", query=query))
        assert answer.status == 404
        assert b"debugger" not in answer.body.lower()


def test_production_error_page_reveals_nothing(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=None)
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        answer = call(app, environ("/fail"))
    assert answer.status == 500
    assert b"KeyError" not in answer.body and b"from the view" not in answer.body
    assert b"Traceback" not in answer.body
    # The details go to the log instead.
    assert "from the view" in caplog.text


def test_debug_mode_propagates_for_the_server_debugger() -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=None, DEBUG=True)
    with pytest.raises(KeyError, match="from the view"):
        call(app, environ("/fail"))


@pytest.mark.parametrize(("debug", "shown"), [(False, False), (True, True)])
def test_missing_form_key_is_named_only_in_debug(debug: bool, shown: bool) -> None:
    # In debug mode bad requests are trapped by default (they raise); report them here instead.
    app = make_app(DEBUG=debug, TRAP_BAD_REQUEST_ERRORS=False)

    @app.post("/need")
    def need() -> str:
        return request.form["secret_field"]

    answer = call(
        app,
        environ("/need", "POST", body=b"other=1", content_type="application/x-www-form-urlencoded"),
    )
    assert answer.status == 400
    assert (b"secret_field" in answer.body) is shown
