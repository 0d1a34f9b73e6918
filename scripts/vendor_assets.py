"""Copy the browser assets the templates need from node_modules/ into grader/static/vendor/.

Run after `npm ci --no-audit --no-fund`. The server never loads anything from a CDN: every script
and stylesheet it serves comes from the npm packages pinned in package.json and package-lock.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (package, path inside the package, path under grader/static/vendor/)
ASSETS: list[tuple[str, str, str]] = [
    ("codemirror", "lib/codemirror.js", "codemirror/codemirror.js"),
    ("codemirror", "lib/codemirror.css", "codemirror/codemirror.css"),
    ("codemirror", "mode/python/python.js", "codemirror/mode/python.js"),
    ("codemirror", "mode/xml/xml.js", "codemirror/mode/xml.js"),
    ("codemirror", "mode/javascript/javascript.js", "codemirror/mode/javascript.js"),
    ("codemirror", "mode/css/css.js", "codemirror/mode/css.js"),
    ("codemirror", "mode/htmlmixed/htmlmixed.js", "codemirror/mode/htmlmixed.js"),
    ("codemirror", "mode/jinja2/jinja2.js", "codemirror/mode/jinja2.js"),
    ("codemirror", "addon/edit/matchbrackets.js", "codemirror/addon/matchbrackets.js"),
    ("codemirror", "LICENSE", "codemirror/LICENSE"),
    ("socket.io-client", "dist/socket.io.min.js", "socket.io/socket.io.min.js"),
    ("socket.io-client", "LICENSE", "socket.io/LICENSE"),
    ("tablesort", "dist/tablesort.min.js", "tablesort/tablesort.min.js"),
    ("tablesort", "dist/sorts/tablesort.number.min.js", "tablesort/tablesort.number.min.js"),
    ("tablesort", "LICENCE", "tablesort/LICENCE"),
]


def package_version(modules: Path, package: str) -> str:
    """The installed version of a package, read from its package.json."""
    return json.loads((modules / package / "package.json").read_text())["version"]


def vendor(modules: Path, target: Path) -> list[Path]:
    """Copy every asset; raise FileNotFoundError naming the first one that is missing."""
    missing = [f"{pkg}/{src}" for pkg, src, _ in ASSETS if not (modules / pkg / src).is_file()]
    if missing:
        raise FileNotFoundError(
            f"missing in {modules}: {', '.join(missing)}; run `npm ci --no-audit --no-fund` first"
        )
    if target.exists():
        shutil.rmtree(target)  # stale files from an older version must not linger
    copied = []
    for package, source, destination in ASSETS:
        out = target / destination
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / package / source, out)
        copied.append(out)
    versions = {pkg: package_version(modules, pkg) for pkg in sorted({p for p, _, _ in ASSETS})}
    manifest = target / "versions.json"
    manifest.write_text(json.dumps(versions, indent=2) + "\n")
    copied.append(manifest)
    return copied


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: exit 1 with one clear line when node_modules/ is incomplete."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--target", type=Path, default=ROOT / "grader" / "static" / "vendor")
    args = parser.parse_args(argv)
    try:
        copied = vendor(args.modules, args.target)
    except FileNotFoundError as exc:
        print(f"vendor_assets: {exc}", file=sys.stderr)
        return 1
    print(f"vendor_assets: copied {len(copied)} files into {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
