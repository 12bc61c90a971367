from __future__ import annotations

import subprocess
import sys

import pytest

import erlen_testing


def test_public_names_load_lazily() -> None:
    code = (
        "import sys, erlen_testing\n"
        "assert 'werkzeug' not in sys.modules\n"
        "assert 'ErlenClient' not in vars(erlen_testing)\n"
        "from erlen_testing.client import ErlenClient\n"
        "assert erlen_testing.ErlenClient is ErlenClient\n"
        "assert 'ErlenClient' in vars(erlen_testing)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names() -> None:
    assert set(erlen_testing.__all__) <= set(dir(erlen_testing))

    for name in erlen_testing.__all__:
        value = getattr(erlen_testing, name)
        assert value.__name__ == name.replace("Flask", "Erlen")


def test_unknown_name() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        erlen_testing.Nope  # noqa: B018
