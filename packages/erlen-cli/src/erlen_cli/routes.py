"""``erlen routes``: the application's URL rules as a table."""

from __future__ import annotations

import click
from werkzeug.routing import Map

from .scriptinfo import ScriptInfo
from .scriptinfo import with_appcontext

#: Methods hidden unless ``--all-methods`` is given: every rule answers them automatically.
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})


def route_table(url_map: Map, sort: str = "endpoint", all_methods: bool = False) -> list[str]:
    """Format the rules of ``url_map`` as aligned text lines, header first.

    A ``Host`` (host matching) or ``Subdomain`` column appears when any rule has one.

    :param sort: ``endpoint``, ``methods``, ``domain`` or ``rule`` sort by that column;
        ``match`` (or ``domain`` without such a column) keeps the order rules are matched in.
    :param all_methods: also list ``HEAD`` and ``OPTIONS``.
    :return: the lines, or an empty list when there are no rules.
    """
    rules = list(url_map.iter_rules())
    if not rules:
        return []

    hidden = frozenset() if all_methods else IMPLICIT_METHODS
    by_host = url_map.host_matching
    domains = [(rule.host if by_host else rule.subdomain) or "" for rule in rules]
    has_domain = any(domains)

    columns = ["endpoint", "methods", "domain", "rule"]
    headers = ["Endpoint", "Methods", "Host" if by_host else "Subdomain", "Rule"]
    rows = [
        [rule.endpoint, ", ".join(sorted((rule.methods or set()) - hidden)), domain, rule.rule]
        for rule, domain in zip(rules, domains, strict=True)
    ]
    if not has_domain:
        del columns[2], headers[2]
        for row in rows:
            del row[2]
    if sort in columns:
        index = columns.index(sort)
        rows.sort(key=lambda row: row[index])

    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    table = [headers, ["-" * width for width in widths], *rows]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]


#: The ``--sort`` choices: a column, or ``match`` for the order rules are matched in.
SORT_KEYS = ("endpoint", "methods", "domain", "rule", "match")


@with_appcontext
def _show_routes(sort: str, all_methods: bool) -> None:
    """Show every URL rule of the app with its endpoint and methods."""
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    lines = route_table(app.url_map, sort, all_methods)
    click.echo("\n".join(lines) if lines else "No routes were registered.")


#: ``erlen routes``.
routes_command = click.command(
    "routes",
    short_help="Show the routes for the app.",
    params=[
        click.Option(
            ["--sort", "-s"],
            type=click.Choice(SORT_KEYS),
            default="endpoint",
            help="Sort by this column; 'match' is the order in which requests are matched.",
        ),
        click.Option(["--all-methods"], is_flag=True, help="Also show HEAD and OPTIONS."),
    ],
)(_show_routes)
