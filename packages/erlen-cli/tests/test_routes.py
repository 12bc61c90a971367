from __future__ import annotations

import typing as t

import pytest
from click.testing import CliRunner
from miniapp import MiniApp
from werkzeug.routing import Map
from werkzeug.routing import Rule

from erlen_cli import ErlenGroup
from erlen_cli.routes import route_table


@pytest.fixture
def app() -> MiniApp:
    return MiniApp(
        "routed",
        [
            Rule(
                "/get_post/<int:x>/<int:y>",
                methods=["GET", "POST", "OPTIONS"],
                endpoint="yyy_get_post",
            ),
            Rule("/static/<path:filename>", methods=["GET", "OPTIONS"], endpoint="static"),
            Rule("/zzz_post", methods=["POST", "OPTIONS"], endpoint="aaa_post"),
        ],
    )


@pytest.fixture
def invoke(app: MiniApp, runner: CliRunner) -> t.Callable[..., t.Any]:
    group = ErlenGroup(create_app=lambda: app)

    def invoke(*args: str) -> t.Any:
        return runner.invoke(group, ["routes", *args])

    return invoke


def endpoints(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines()[2:]]


def test_table(invoke: t.Callable[..., t.Any]) -> None:
    result = invoke()
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Endpoint      Methods    Rule",
        "------------  ---------  -------------------------",
        "aaa_post      POST       /zzz_post",
        "static        GET        /static/<path:filename>",
        "yyy_get_post  GET, POST  /get_post/<int:x>/<int:y>",
    ]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("endpoint", ["aaa_post", "static", "yyy_get_post"]),
        ("methods", ["static", "yyy_get_post", "aaa_post"]),
        ("rule", ["yyy_get_post", "static", "aaa_post"]),
    ],
)
def test_sort(invoke: t.Callable[..., t.Any], sort: str, order: list[str]) -> None:
    assert endpoints(invoke("--sort", sort).output) == order
    assert endpoints(invoke("-s", sort).output) == order


@pytest.mark.parametrize("sort", ["match", "domain"])
def test_match_order(invoke: t.Callable[..., t.Any], app: MiniApp, sort: str) -> None:
    expected = [rule.endpoint for rule in app.url_map.iter_rules()]
    assert endpoints(invoke("--sort", sort).output) == expected


def test_bad_sort(invoke: t.Callable[..., t.Any]) -> None:
    result = invoke("--sort", "size")
    assert result.exit_code == 2
    assert "'size' is not one of" in result.stderr


def test_all_methods(invoke: t.Callable[..., t.Any]) -> None:
    assert "GET, HEAD, OPTIONS, POST" not in invoke().output
    assert "GET, HEAD, OPTIONS, POST" in invoke("--all-methods").output


def test_no_routes(runner: CliRunner) -> None:
    result = runner.invoke(ErlenGroup(create_app=MiniApp), ["routes"])
    assert result.exit_code == 0
    assert result.output == "No routes were registered.\n"


def test_subdomain_column() -> None:
    url_map = Map(
        [
            Rule("/a", subdomain="api", endpoint="b", methods=["GET"]),
            Rule("/b", endpoint="a", methods=["GET"]),
        ]
    )
    lines = route_table(url_map)
    assert lines[0].split() == ["Endpoint", "Methods", "Subdomain", "Rule"]
    assert lines[2].split() == ["a", "GET", "/b"]
    assert lines[3].split() == ["b", "GET", "api", "/a"]
    assert [line.split()[0] for line in route_table(url_map, "domain")[2:]] == ["a", "b"]


def test_host_column(runner: CliRunner) -> None:
    app = MiniApp(
        "hosts",
        [
            Rule("/a", host="a.example", endpoint="a", methods=["GET"]),
            Rule("/b", host="b.example", endpoint="b", methods=["GET"]),
        ],
        host_matching=True,
    )
    result = runner.invoke(ErlenGroup(create_app=lambda: app), ["routes", "--sort", "domain"])
    lines = result.output.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Host", "Rule"]
    assert lines[2].split() == ["a", "GET", "a.example", "/a"]


def test_rule_without_methods() -> None:
    lines = route_table(Map([Rule("/any", endpoint="any")]))
    assert lines[2].split() == ["any", "/any"]


def test_no_trailing_spaces(invoke: t.Callable[..., t.Any]) -> None:
    assert all(line == line.rstrip() for line in invoke().output.splitlines())
