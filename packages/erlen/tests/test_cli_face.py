"""erlen.cli answers for every name flask.cli has, its imports and private helpers included.

The real Flask 3.1.3 is the list; install_as_flask() is not used here.
"""

from __future__ import annotations

import pytest

import erlen.cli

flask_cli = pytest.importorskip("flask.cli")


def test_every_name_of_flask_cli_resolves() -> None:
    missing = sorted(name for name in dir(flask_cli) if not hasattr(erlen.cli, name))
    assert missing == []


@pytest.mark.parametrize(
    ("flask_name", "erlen_name"),
    [
        ("_app_option", "app_option"),
        ("_debug_option", "debug_option"),
        ("_env_file_option", "env_file_option"),
        ("_validate_key", "validate_key"),
        ("_called_with_wrong_args", "call_refused"),
    ],
)
def test_private_names_are_erlen_cli_objects(flask_name: str, erlen_name: str) -> None:
    import erlen_cli

    assert getattr(erlen.cli, flask_name) is getattr(erlen_cli, erlen_name)


def test_imported_helpers_are_the_same_objects() -> None:
    import click
    from werkzeug.serving import run_simple

    import erlen.helpers

    assert erlen.cli.click is click
    assert erlen.cli.run_simple is run_simple
    assert erlen.cli.current_app is erlen.current_app
    assert erlen.cli.get_debug_flag is erlen.helpers.get_debug_flag


def test_path_is_ancestor() -> None:
    assert erlen.cli._path_is_ancestor("/srv/app", "/srv/app/static/x.css")
    assert erlen.cli._path_is_ancestor("/srv/app", "/srv/app")
    assert not erlen.cli._path_is_ancestor("/srv/app", "/srv/application")
    assert not erlen.cli._path_is_ancestor("/srv/app", "relative/app")
