"""What ``import erlen`` leaves for later: an app that only serves requests never loads click."""

from __future__ import annotations

import subprocess
import sys

_SCRIPT = """
import sys
import erlen

app = erlen.Erlen("lazy")
bp = erlen.Blueprint("shop", "lazy")
app.register_blueprint(bp)
with app.test_request_context("/"):
    pass
print("click" in sys.modules)

@app.cli.command("hello")
def hello():
    pass

print("click" in sys.modules, sorted(app.cli.commands))
"""


def test_click_is_imported_when_the_command_line_is_first_used() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["False", "True ['hello']"]
