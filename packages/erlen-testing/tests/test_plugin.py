"""The pytest plugin, exercised through pytester runs of small test suites."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

CONFTEST = """
import click
import flask
import pytest

from erlen_testing import ErlenCliRunner
from erlen_testing import ErlenClient


@pytest.fixture
def app():
    app = flask.Flask("inner")
    app.config.update(TESTING=True, SECRET_KEY="inner key", CUSTOM="original")
    app.test_client_class = ErlenClient
    app.test_cli_runner_class = ErlenCliRunner

    @app.route("/")
    def index():
        return "hello"

    @app.route("/external")
    def external():
        return flask.url_for("index", _external=True)

    @app.cli.command("greet")
    @flask.cli.with_appcontext
    def greet():
        click.echo(f"hi from {flask.current_app.name}")

    return app
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run the inner suite in process; Hypothesis' plugin is left out because it would be
    imported afresh (slowly) for every run."""
    return pytester.runpytest("-p", "no:hypothesispytest", *args)


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    return pytester


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, erlen_testing.plugin\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'werkzeug', 'click', 'flask'})\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_options_are_listed_in_help(suite: pytest.Pytester) -> None:
    result = run(suite, "--help")
    result.stdout.fnmatch_lines(
        ["*--no-start-live-server*", "*--live-server-host*", "*--live-server-port*"]
    )
    result.stdout.fnmatch_lines(["*check_context_leaks*"])


def test_client_runner_and_config(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import flask
        from erlen_testing import ErlenClient
        from erlen_testing import ErlenCliRunner

        def test_client(app, client):
            assert type(client) is ErlenClient and client.application is app
            assert client.get("/").data == b"hello"
            assert not flask.has_request_context()

        def test_with_client(client):
            with client:
                client.get("/")
                assert flask.request.path == "/"

        def test_runner(runner):
            assert type(runner) is ErlenCliRunner
            result = runner.invoke(args=["greet"])
            assert result.output == "hi from inner\\n"

        def test_config(app, config):
            assert config is app.config and config["CUSTOM"] == "original"
        """
    )
    run(suite).assert_outcomes(passed=4)


def test_client_class(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.usefixtures("client_class")
        class TestViews:
            def test_index(self):
                assert self.client.get("/").data == b"hello"

        def test_function_is_left_alone(client_class):
            assert client_class is None
        """
    )
    run(suite).assert_outcomes(passed=2)


def test_app_ctx_and_req_ctx(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import flask

        def test_nothing_pushed_by_default(app):
            assert not flask.has_app_context()

        def test_app_ctx(app, app_ctx):
            assert flask.current_app._get_current_object() is app
            assert flask.globals.app_ctx._get_current_object() is app_ctx
            assert not flask.has_request_context()

        def test_req_ctx(app, req_ctx):
            assert flask.request.path == "/"
            assert flask.globals.request_ctx._get_current_object() is req_ctx
            assert flask.url_for("index") == "/"

        def test_popped_afterwards():
            assert not flask.has_app_context()
        """
    )
    run(suite).assert_outcomes(passed=4)


def test_accept_headers(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        seen = []

        def test_json(accept_json, accept_jsonp):
            assert accept_json == [("Accept", "application/json")]
            assert accept_jsonp == [("Accept", "application/json-p")]

        def test_mimetype(accept_mimetype, mimetype):
            assert accept_mimetype == [("Accept", mimetype)]
            seen.append(mimetype)

        def test_any(accept_any):
            seen.append(accept_any[0][1])

        def test_all_seen():
            assert sorted(seen) == ["*", "*/*", "application/json", "text/html"]
        """
    )
    run(suite).assert_outcomes(passed=6)


def test_options_marker(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.options(custom="marked", debug=True)
        def test_function(app, config):
            assert config["CUSTOM"] == "marked"
            assert app.debug is True

        def test_undone(config):
            assert config["CUSTOM"] == "original"

        @pytest.mark.options(custom="class", extra=1)
        class TestClass:
            def test_class_marker(self, config):
                assert config["CUSTOM"] == "class" and config["EXTRA"] == 1

            @pytest.mark.options(custom="method")
            def test_closest_wins(self, config):
                assert config["CUSTOM"] == "method" and config["EXTRA"] == 1
        """
    )
    run(suite).assert_outcomes(passed=4)


def test_options_marker_errors(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.options(debug=True)
        def test_no_app():
            pass

        @pytest.mark.options("debug")
        def test_positional(app):
            pass
        """
    )
    result = run(suite)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*this test has no 'app' fixture*",
            "*takes config keys as keyword arguments*",
        ]
    )


def test_live_server_answers_http(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import urllib.request

        import flask

        def test_http(app, live_server):
            assert live_server.app is app and live_server.host == "127.0.0.1"
            with urllib.request.urlopen(live_server.url("/external"), timeout=10) as rv:
                body = rv.read().decode()
            assert body == live_server.url("/")
            with app.app_context():
                assert flask.url_for("index", _external=True) == live_server.url("/")
                url = flask.url_for("index", _external=True)
            with urllib.request.urlopen(url, timeout=10) as rv:
                assert rv.read() == b"hello"

        def test_stopped_after(app):
            assert app.config["SERVER_NAME"] is None
        """
    )
    run(suite).assert_outcomes(passed=2)


def test_live_server_options(suite: pytest.Pytester) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    suite.makepyfile(
        f"""
        import urllib.request

        def test_not_started(live_server):
            assert not live_server.running
            assert live_server.url("/") == "http://127.0.0.1:{port}/"
            live_server.start()
            with urllib.request.urlopen(live_server.url("/"), timeout=10) as rv:
                assert rv.read() == b"hello"
        """
    )
    result = run(suite, "--no-start-live-server", f"--live-server-port={port}")
    result.assert_outcomes(passed=1)


def test_live_server_scope(suite: pytest.Pytester) -> None:
    suite.makeconftest(
        CONFTEST.replace("@pytest.fixture\ndef app", "@pytest.fixture(scope='module')\ndef app")
    )
    suite.makepyfile(
        """
        ports = []

        def test_one(live_server):
            ports.append(live_server.port)

        def test_two(live_server):
            ports.append(live_server.port)
            assert ports[0] == ports[1] and live_server.running
        """
    )
    run(suite, "--live-server-scope=module").assert_outcomes(passed=2)


LEAKY = """
import flask
import pytest

{mark}
def test_leaky(app):
    app.test_request_context("/leak").push()

def test_clean_afterwards():
    leaked = flask.globals._cv_request.get(None)
    if leaked is not None:
        leaked.pop()
        pytest.fail("the previous test's context was still pushed")
"""


def test_leak_check_errors_a_leaky_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(LEAKY.format(mark="@pytest.mark.check_context_leaks"))
    result = run(suite)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaky*",
            "*ContextLeakError: 1 context(s) left pushed: RequestContext of app 'inner'"
            " for GET http://localhost/leak*",
        ]
    )


def test_leak_check_is_opt_in(suite: pytest.Pytester) -> None:
    suite.makepyfile(LEAKY.format(mark=""))
    result = run(suite)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*the previous test's context was still pushed*"])


def test_leak_check_ini_option_and_opt_out(suite: pytest.Pytester) -> None:
    suite.makeini("[pytest]\ncheck_context_leaks = true\n")
    suite.makepyfile(
        LEAKY.format(mark="")
        + """
@pytest.mark.check_context_leaks(False)
def test_opted_out(app):
    app.app_context().push()

@pytest.mark.check_context_leaks(enabled=False)
def test_cleanup_opted_out():
    flask.globals._cv_app.get().pop()
"""
    )
    result = run(suite)
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_leaky*"])


def test_leak_check_passes_clean_tests(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import flask
        import pytest

        pytestmark = pytest.mark.check_context_leaks

        def test_with_blocks(app, client, req_ctx):
            with client:
                client.get("/")
            with app.app_context():
                pass

        @pytest.fixture
        def pushed(app):
            ctx = app.app_context()
            ctx.push()
            yield ctx
            ctx.pop()

        def test_fixture_contexts(pushed, app_ctx):
            assert flask.globals.app_ctx._get_current_object() is app_ctx
        """
    )
    run(suite).assert_outcomes(passed=2)


def test_leak_check_keeps_the_original_failure(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import flask
        import pytest

        @pytest.fixture
        def broken_teardown(app):
            yield
            app.app_context().push()
            raise RuntimeError("teardown broke")

        @pytest.mark.check_context_leaks
        def test_it(broken_teardown):
            pass

        def test_clean_afterwards():
            assert not flask.has_app_context()
        """
    )
    result = run(suite)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*RuntimeError: teardown broke*"])
    result.stdout.no_fnmatch_line("*ContextLeakError*")
