"""Check or set the one version every erlen package shares.

    python tools/versions.py check [--root DIR]
    python tools/versions.py set X.Y.Z [--root DIR]

``check`` fails, naming each file, when a package version, a sibling ``==`` pin or the newest
heading of a ``CHANGES.md`` disagrees with the others. ``set`` rewrites all of them.
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import re
import sys

import workspace

VERSION = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
HEADING = re.compile(r"^## Version (?P<version>\S+)", re.MULTILINE)
PROJECT_VERSION = re.compile(r'^version = "(?P<version>[^"]+)"', re.MULTILINE)


def problems(root: pathlib.Path) -> list[str]:
    """Every disagreement in the workspace, one message each, naming the file."""
    found = workspace.packages(root)
    if not found:
        return [f"{root}: no packages found under packages/"]
    counts = collections.Counter(p.version for p in found)
    expected = counts.most_common(1)[0][0]
    messages = []
    for package in found:
        where = package.pyproject.relative_to(root)
        if package.version != expected:
            messages.append(f"{where}: version {package.version} but the others are {expected}")
        for name, op, version in package.pins:
            if op != "==" or version != expected:
                messages.append(f"{where}: pins {name}{op}{version}, expected {name}=={expected}")
        log = package.changelog
        heading = HEADING.search(log.read_text("utf-8")) if log.exists() else None
        if heading is None:
            messages.append(f"{log.relative_to(root)}: no '## Version {expected}' heading")
        elif heading["version"] != expected:
            messages.append(
                f"{log.relative_to(root)}: newest heading is {heading['version']},"
                f" expected {expected}"
            )
    return messages


def set_version(root: pathlib.Path, new: str) -> None:
    """Write ``new`` as every package version, sibling pin and newest changelog heading."""
    if not VERSION.match(new):
        raise SystemExit(f"{new!r} is not a release version such as 1.2.0 or 1.3.0.dev0")
    for package in workspace.packages(root):
        text = package.pyproject.read_text("utf-8")
        text = PROJECT_VERSION.sub(f'version = "{new}"', text, count=1)
        for name, op, version in package.pins:
            text = text.replace(f'"{name}{op}{version}', f'"{name}=={new}')
        package.pyproject.write_text(text, "utf-8")
        log = package.changelog.read_text("utf-8")
        heading = HEADING.search(log)
        if heading is None:
            log = log.rstrip() + f"\n\n## Version {new}\n\nUnreleased\n"
        elif heading["version"] != new:
            start, end = heading.span("version")
            log = log[:start] + new + log[end:]
        package.changelog.write_text(log, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).parents[1])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="fail when versions, pins or changelogs disagree")
    setter = commands.add_parser("set", help="set one version everywhere")
    setter.add_argument("version")
    args = parser.parse_args(argv)
    if args.command == "set":
        set_version(args.root, args.version)
        print(f"every package, pin and changelog now says {args.version}")
        return 0
    messages = problems(args.root)
    for message in messages:
        print(message, file=sys.stderr)
    if messages:
        return 1
    version = workspace.packages(args.root)[0].version
    print(f"versions: all {len(workspace.packages(args.root))} packages agree on {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
