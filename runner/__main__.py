"""`python -m runner`: check challenges, build the image, probe the engine (for authors and CI)."""

from __future__ import annotations

import argparse
import json
import sys

from .model import RunnerError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runner", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="grade solution/, starter/ and mutants/* of challenges")
    check.add_argument("folders", nargs="+")
    check.add_argument("--local", action="store_true", help="no Docker: run in local subprocesses")
    check.add_argument("--json", action="store_true", help="print JSON reports")
    check.add_argument("--jobs", type=int, default=2, help="parallel gradings (default 2)")
    build = sub.add_parser("build", help="build the runner image")
    build.add_argument("--base", default=None, help="base image (default python:3.11-slim)")
    build.add_argument("--tag", default=None)
    build.add_argument("--label", action="append", default=[], metavar="KEY=VALUE",
                       help="label the image (repeatable)")
    sub.add_parser("status", help="is the Docker engine reachable and the image built?")
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            from .build import build_image

            labels = dict(item.split("=", 1) for item in args.label if "=" in item)
            build_image(tag=args.tag, base=args.base, labels=labels)
            return 0
        if args.command == "status":
            from .grading import engine_status

            ok, message = engine_status()
            print(message)
            return 0 if ok else 1
        from .check import check_challenge, format_table

        reports = [check_challenge(f, backend="local" if args.local else "docker", jobs=args.jobs)
                   for f in args.folders]
    except RunnerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([r.to_dict() for r in reports] if len(reports) > 1 else reports[0].to_dict(),
                         indent=2))
    else:
        print("\n\n".join(format_table(r) for r in reports))
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
