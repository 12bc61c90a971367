"""Contexts, test helpers, CLI, templates, async support and the development server."""

from __future__ import annotations

import sys
import typing as t

import click
import pytest

from erlen_context import AppContext
from erlen_context import RequestContext
from erlen_context.globals import g
from erlen_context.globals import request
from erlen_core import Erlen


def test_app_and_request_contexts(app: Erlen) -> None:
    assert isinstance(app.app_context(), AppContext)
    with app.test_request_context("/path?q=1", method="POST") as ctx:
        assert isinstance(ctx, RequestContext)
        assert request.path == "/path" and request.args["q"] == "1"
        assert request.method == "POST"
    app.config["SERVER_NAME"] = "example.org"
    app.config["APPLICATION_ROOT"] = "/app"
    with app.test_request_context("/x"):
        assert request.url == "http://example.org/app/x"


def test_test_client_and_runner_classes(app: Erlen) -> None:
    from erlen_testing import FlaskClient
    from erlen_testing import FlaskCliRunner

    assert isinstance(app.test_client(), FlaskClient)
    assert isinstance(app.test_cli_runner(), FlaskCliRunner)

    class MyClient(FlaskClient):
        pass

    class MyRunner(FlaskCliRunner):
        pass

    app.test_client_class = MyClient
    app.test_cli_runner_class = MyRunner
    assert isinstance(app.test_client(), MyClient)
    assert isinstance(app.test_cli_runner(), MyRunner)


def test_cli_group(app: Erlen) -> None:
    assert app.cli.name == "erlen_test"

    @app.cli.command("hello")
    def hello() -> None:
        click.echo("hello from cli")

    result = app.test_cli_runner().invoke(args=["hello"])
    assert result.output == "hello from cli\n"


def test_cli_subcommand_shares_the_group_app_context(app: Erlen) -> None:
    from erlen_cli import with_appcontext

    @app.cli.group()
    @with_appcontext
    def db() -> None:
        g.directory = "migrations"  # what Flask-Migrate's group does

    @db.command()
    def init() -> None:
        click.echo(f"init in {g.directory}")

    assert not app.app_context_active()
    result = app.test_cli_runner().invoke(args=["db", "init"])
    assert result.output == "init in migrations\n", result.exception
    with app.app_context():
        assert app.app_context_active()
    other = Erlen("other")
    with other.app_context():
        assert not app.app_context_active()


def test_jinja_environment_globals_and_options(app: Erlen) -> None:
    env = app.jinja_env
    assert isinstance(env, app.jinja_environment)
    for name in ("url_for", "get_flashed_messages", "config", "request", "session", "g"):
        assert name in env.globals
    assert env.policies["json.dumps_function"] == app.json.dumps
    assert env.auto_reload is False

    class Custom(Erlen):
        jinja_options = {"autoescape": False, "auto_reload": True}

    custom = Custom(__name__)
    assert custom.jinja_env.autoescape is False
    assert custom.jinja_env.auto_reload is True
    other = Erlen(__name__)
    other.config["TEMPLATES_AUTO_RELOAD"] = True
    assert other.jinja_env.auto_reload is True


def test_update_template_context(app: Erlen) -> None:
    app.context_processor(lambda: {"who": "app", "extra": 1})
    app.template_context_processors["bp"].append(lambda: {"who": "bp"})
    app.add_url_rule("/bp", "bp.view", lambda: "")

    with app.app_context():
        context: dict[str, t.Any] = {}
        app.update_template_context(context)
        assert context["who"] == "app"
    with app.test_request_context("/bp"):
        context = {"extra": "kept"}
        app.update_template_context(context)
        assert context["who"] == "bp"
        assert context["extra"] == "kept"


async def _async_value() -> str:
    return "async view"


def test_async_views_and_hooks(app: Erlen) -> None:
    pytest.importorskip("asgiref")
    calls: list[str] = []

    @app.before_request
    async def before() -> None:
        calls.append("before")

    @app.errorhandler(LookupError)
    async def handle(e: Exception) -> str:
        return "async handler"

    @app.route("/")
    async def index() -> str:
        return await _async_value()

    @app.route("/fail")
    async def fail() -> str:
        raise LookupError

    client = app.test_client()
    assert client.get("/").data == b"async view"
    assert client.get("/fail").data == b"async handler"
    assert calls == ["before", "before"]


def test_ensure_sync_leaves_plain_functions(app: Erlen) -> None:
    def plain() -> None:
        return None

    assert app.ensure_sync(plain) is plain


def test_async_without_asgiref(app: Erlen, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)
    with pytest.raises(RuntimeError, match="async"):
        app.ensure_sync(_async_value)


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[t.Any, ...]] = []

    def __call__(self, host: str, port: int, app: t.Any, **options: t.Any) -> None:
        self.calls.append((host, port, app, options))


@pytest.fixture
def run_simple(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    import werkzeug.serving

    recorder = _Recorder()
    monkeypatch.setattr(werkzeug.serving, "run_simple", recorder)
    return recorder


def test_run_defaults(app: Erlen, run_simple: _Recorder) -> None:
    app.run(load_dotenv=False)
    host, port, served, options = run_simple.calls[0]
    assert (host, port, served) == ("127.0.0.1", 5000, app)
    assert options == {"use_reloader": False, "use_debugger": False, "threaded": True}


def test_run_server_name_and_debug(app: Erlen, run_simple: _Recorder) -> None:
    app.config["SERVER_NAME"] = "example.test:8123"
    app.run(debug=True, load_dotenv=False)
    host, port, _, options = run_simple.calls[0]
    assert (host, port) == ("example.test", 8123)
    assert options["use_reloader"] is True and options["use_debugger"] is True
    assert app.debug is True
    app.run(host="0.0.0.0", port="0", load_dotenv=False)  # type: ignore[arg-type]
    assert run_simple.calls[1][:2] == ("0.0.0.0", 0)


def test_run_resets_first_request_flag(app: Erlen, run_simple: _Recorder) -> None:
    app._got_first_request = True
    app.run(load_dotenv=False)
    assert app._got_first_request is False


def test_run_loads_dotenv_debug(
    app: Erlen, run_simple: _Recorder, monkeypatch: pytest.MonkeyPatch, tmp_path: t.Any
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app.run()
    assert app.debug is True


def test_run_from_cli_is_ignored(
    app: Erlen, run_simple: _Recorder, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app.run()
    assert run_simple.calls == []
    assert "Ignoring a call to 'app.run()'" in capsys.readouterr().out
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    app.run()
    assert capsys.readouterr().out == ""


def test_g_is_per_app_context(app: Erlen) -> None:
    @app.route("/")
    def index() -> str:
        g.value = "set"
        return g.value  # type: ignore[no-any-return]

    assert app.test_client().get("/").data == b"set"
    with app.app_context():
        assert "value" not in g


def test_run_loads_dotenv_without_debug(
    app: Erlen, run_simple: _Recorder, monkeypatch: pytest.MonkeyPatch, tmp_path: t.Any
) -> None:
    monkeypatch.chdir(tmp_path)
    app.debug = False
    app.run()
    assert app.debug is False
    assert len(run_simple.calls) == 1
