"""Check what ``nox -s build`` left in dist/: one wheel and one sdist per package, metadata that
agrees with the workspace, and a standalone package that installs without its siblings.

    python tools/check_dist.py DIST
"""

from __future__ import annotations

import email.parser
import pathlib
import subprocess
import sys
import tempfile
import zipfile

import workspace

ROOT = pathlib.Path(__file__).parents[1]


def wheel_metadata(wheel: pathlib.Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))


def check_files(dist: pathlib.Path) -> list[str]:
    messages = []
    for package in workspace.packages(ROOT):
        stem = f"{package.import_name}-{package.version}"
        wheels = list(dist.glob(f"{stem}-*.whl"))
        if len(wheels) != 1:
            messages.append(f"{package.name}: expected one wheel {stem}-*.whl, found {len(wheels)}")
            continue
        if not (dist / f"{stem}.tar.gz").exists():
            messages.append(f"{package.name}: no sdist {stem}.tar.gz")
        meta = wheel_metadata(wheels[0])
        if meta["Version"] != package.version:
            messages.append(f"{wheels[0].name}: Version {meta['Version']}, not {package.version}")
        requires = meta.get_all("Requires-Dist") or []
        for sibling in package.siblings:
            if f"{sibling}=={package.version}" not in requires:
                messages.append(f"{wheels[0].name}: does not pin {sibling}=={package.version}")
        with zipfile.ZipFile(wheels[0]) as archive:
            if f"{package.import_name}/py.typed" not in archive.namelist():
                messages.append(f"{wheels[0].name}: no py.typed")
    return messages


def check_standalone(dist: pathlib.Path, name: str = "erlen-routing") -> list[str]:
    """Install one leaf wheel alone in a fresh venv: it must bring no sibling."""
    package = workspace.by_name(workspace.packages(ROOT), name)
    wheel = next(dist.glob(f"{package.import_name}-*.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        venv = pathlib.Path(tmp) / "venv"
        subprocess.run(["uv", "venv", "--quiet", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run(["uv", "pip", "install", "--quiet", "-p", python, str(wheel)], check=True)
        listing = subprocess.run(
            ["uv", "pip", "list", "-p", python, "--format", "freeze"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.lower()
    installed = {line.split("==")[0] for line in listing.split()}
    messages = []
    if "werkzeug" not in installed:
        messages.append(f"{wheel.name} installed alone did not bring werkzeug")
    others = sorted(i for i in installed if i.startswith("erlen") and i != name)
    if others:
        messages.append(f"{wheel.name} installed alone brought siblings: {', '.join(others)}")
    print(f"standalone: {wheel.name} installs alone with {', '.join(sorted(installed))}")
    return messages


def main() -> int:
    dist = pathlib.Path(sys.argv[1])
    messages = check_files(dist) or check_standalone(dist)
    for message in messages:
        print(message, file=sys.stderr)
    if not messages:
        count = len(list(dist.glob("*.whl"))), len(list(dist.glob("*.tar.gz")))
        print(f"dist: {count[0]} wheels and {count[1]} sdists agree with the workspace")
    return 1 if messages else 0


if __name__ == "__main__":
    sys.exit(main())
