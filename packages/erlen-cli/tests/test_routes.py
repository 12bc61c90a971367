"""``erlen routes``: the table of rules, its columns, its sort orders and its options."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from miniapp import current
from miniapp import MiniApp
from werkzeug.routing import Map
from werkzeug.routing import Rule

from erlen_cli import ErlenGroup
from erlen_cli import route_table
from erlen_cli import routes_command


def library_rules() -> list[Rule]:
    """A lending library's rules, registered in an order no sort key gives."""
    return [
        Rule("/books/<int:book_id>", endpoint="book", methods=["GET", "PUT", "DELETE"]),
        Rule("/", endpoint="home", methods=["GET"]),
        Rule("/loans", endpoint="loans.create", methods=["POST"]),
        Rule("/assets/<path:name>", endpoint="static", methods=["GET"]),
    ]


def column(lines: list[str], index: int = 0) -> list[str]:
    """One column of the table's body, split on white space."""
    return [line.split()[index] for line in lines[2:]]


class TestTable:
    def test_layout(self) -> None:
        assert route_table(Map(library_rules())) == [
            "Endpoint      Methods           Rule",
            "------------  ----------------  --------------------",
            "book          DELETE, GET, PUT  /books/<int:book_id>",
            "home          GET               /",
            "loans.create  POST              /loans",
            "static        GET               /assets/<path:name>",
        ]

    def test_implicit_methods_only_on_request(self) -> None:
        # werkzeug adds HEAD to every GET rule; an app adds OPTIONS to every rule.
        def rules() -> list[Rule]:
            return [*library_rules(), Rule("/feed", endpoint="feed", methods=["GET", "OPTIONS"])]

        table = route_table(Map(rules()), all_methods=True)
        rows = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in table[2:]}
        assert rows["book"].startswith("DELETE, GET, HEAD, PUT  ")
        assert rows["feed"].startswith("GET, HEAD, OPTIONS  ")
        assert not {"HEAD", "OPTIONS"} & set("\n".join(route_table(Map(rules()))).split())

    @pytest.mark.parametrize(
        ("sort", "endpoints"),
        [
            ("endpoint", ["book", "home", "loans.create", "static"]),
            ("methods", ["book", "home", "static", "loans.create"]),
            ("rule", ["home", "static", "book", "loans.create"]),
            ("match", ["book", "home", "loans.create", "static"]),
        ],
    )
    def test_sort_orders(self, sort: str, endpoints: list[str]) -> None:
        url_map = Map(library_rules())
        assert column(route_table(url_map, sort)) == endpoints
        if sort == "match":
            assert endpoints == [rule.endpoint for rule in url_map.iter_rules()]

    def test_a_domain_column_appears_when_a_rule_has_one(self) -> None:
        url_map = Map(
            [
                Rule("/", endpoint="site", methods=["GET"]),
                Rule("/v1", endpoint="api", subdomain="api", methods=["GET"]),
            ]
        )
        lines = route_table(url_map, "domain")
        assert lines[0].split() == ["Endpoint", "Methods", "Subdomain", "Rule"]
        assert column(lines) == ["site", "api"]
        assert lines[3].split() == ["api", "GET", "api", "/v1"]

    def test_with_host_matching_the_column_is_the_host(self) -> None:
        url_map = Map(
            [
                Rule("/", endpoint="shop", host="shop.test", methods=["GET"]),
                Rule("/", endpoint="blog", host="blog.test", methods=["GET"]),
            ],
            host_matching=True,
        )
        lines = route_table(url_map, "domain")
        assert lines[0].split() == ["Endpoint", "Methods", "Host", "Rule"]
        assert column(lines, 2) == ["blog.test", "shop.test"]

    def test_without_domains_sorting_by_domain_keeps_the_match_order(self) -> None:
        url_map = Map(library_rules())
        assert route_table(url_map, "domain") == route_table(url_map, "match")

    def test_a_rule_for_any_method(self) -> None:
        assert route_table(Map([Rule("/hook", endpoint="hook")]))[2].split() == ["hook", "/hook"]

    def test_no_line_ends_in_spaces(self) -> None:
        url_map = Map([*library_rules(), Rule("/x", endpoint="x")])
        assert all(line == line.rstrip() for line in route_table(url_map, all_methods=True))

    def test_no_rules(self) -> None:
        assert route_table(Map()) == []


class TestCommand:
    @pytest.fixture
    def group(self) -> ErlenGroup:
        return ErlenGroup(create_app=lambda: MiniApp("library", library_rules()))

    def test_prints_the_table(self, group: ErlenGroup, runner: CliRunner) -> None:
        result = runner.invoke(group, ["routes"])
        assert result.exit_code == 0
        assert result.output.splitlines() == route_table(Map(library_rules()))

    @pytest.mark.parametrize("args", [["-s", "rule", "--all-methods"], ["--sort=methods"]])
    def test_options(self, group: ErlenGroup, runner: CliRunner, args: list[str]) -> None:
        sort = args[0].removeprefix("--sort=") if "=" in args[0] else args[1]
        expected = route_table(Map(library_rules()), sort, "--all-methods" in args)
        assert runner.invoke(group, ["routes", *args]).output.splitlines() == expected

    def test_an_unknown_sort_key(self, group: ErlenGroup, runner: CliRunner) -> None:
        result = runner.invoke(group, ["routes", "--sort", "length"])
        assert result.exit_code == 2
        assert "'length' is not one of" in result.stderr

    def test_an_app_without_rules(self, runner: CliRunner) -> None:
        result = runner.invoke(ErlenGroup(create_app=MiniApp), ["routes"])
        assert result.exit_code == 0
        assert result.output == "No routes were registered.\n"

    def test_runs_in_the_app_context(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        app = MiniApp("library")
        seen: list[MiniApp] = []
        monkeypatch.setattr("erlen_cli.routes.route_table", lambda *a: seen.append(current()) or [])
        runner.invoke(ErlenGroup(create_app=lambda: app), ["routes"])
        assert seen == [app]

    def test_help(self, runner: CliRunner) -> None:
        assert routes_command.short_help == "Show the routes for the app."
        result = runner.invoke(routes_command, ["--help"])
        assert "Show every URL rule of the app" in result.output
        assert "--all-methods" in result.output
