"""What ``import erlen`` leaves for later: an app that only serves requests never loads click,
and one that renders no template never loads jinja2.
"""

from __future__ import annotations

import subprocess
import sys

_SERVE = """
import sys
import erlen

app = erlen.Erlen("lazy")
bp = erlen.Blueprint("shop", "lazy")
app.register_blueprint(bp)
app.add_url_rule("/", "index", lambda: {"ok": True})
assert app.test_client().get("/").json == {"ok": True}
print(sorted(name for name in ("click", "jinja2") if name in sys.modules))
"""


def loaded_after(script: str) -> list[str]:
    """The lines a script printed, run in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _SERVE + script], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_click_is_imported_when_the_command_line_is_first_used() -> None:
    script = """
@app.cli.command("hello")
def hello():
    pass

print("click" in sys.modules, sorted(app.cli.commands))
"""
    assert loaded_after(script) == ["[]", "True ['hello']"]


def test_jinja2_is_imported_when_a_template_is_first_rendered() -> None:
    script = """
with app.app_context():
    print(erlen.render_template_string("{{ 6 * 7 }}"), "jinja2" in sys.modules)
print(app.jinja_environment is erlen.Flask.jinja_environment, app.jinja_env.__module__)
"""
    assert loaded_after(script) == ["[]", "42 True", "True erlen_templating.environment"]
