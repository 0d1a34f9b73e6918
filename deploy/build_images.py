"""Build the images compose.yaml runs, with no network inside the builds.

    .venv/bin/python deploy/build_images.py             # the runner and the web/worker images
    .venv/bin/python deploy/build_images.py --app-only  # only the web/worker image

The web/worker image installs the server's Python packages from a wheelhouse downloaded on the
host (kept in the cache folder until the requirements change) and starts FROM `--base`
(default python:3.11-slim). When no registry can supply that base, the runner's offline
fallback is reused: a Debian bookworm base bootstrapped with debootstrap and imported once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from any folder
    sys.path.insert(0, str(ROOT))

from runner import build as runner_build  # noqa: E402
from runner import docker_engine  # noqa: E402
from runner.model import RunnerError  # noqa: E402

DEPLOY_DIR = Path(__file__).resolve().parent
DEFAULT_APP_TAG = "flask-grader-app:latest"
IMAGE_LABEL = {"org.opencontainers.image.title": "flask-grader-app"}
# What the server image runs: the packages, the bundled challenges and the project metadata.
APP_SOURCES = ("grader", "runner", "challenges", "pyproject.toml")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", "instance")
VENDOR_DIR = ROOT / "grader" / "static" / "vendor"
# Wheels the host's resolver leaves out because a marker is false on the host's newer Python:
# Debian bookworm's Python is 3.11.2 and redis needs async-timeout below 3.11.3.
OLDER_PYTHON_EXTRAS = ["async-timeout>=4.0.3"]


def server_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The server's runtime dependencies from pyproject.toml (the one list kept by hand):
    the base packages and the `server` extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["server"],
            *OLDER_PYTHON_EXTRAS]


def requirements_file(requirements: list[str]) -> Path:
    """The requirements in the cache folder, rewritten only when they change (keeps the stamp)."""
    path = runner_build.cache_dir() / "app-requirements.txt"
    text = "\n".join(requirements) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def check_sources() -> None:
    """The browser assets are generated (npm + scripts/vendor_assets.py), not kept in git."""
    if not (VENDOR_DIR / "socket.io").is_dir():
        raise RunnerError(f"{VENDOR_DIR.relative_to(ROOT)} is missing: run `make setup` "
                          "(or `npm ci && python scripts/vendor_assets.py`) first")


def prepare_context(context: Path, wheelhouse: Path, requirements: Path) -> None:
    """Lay out the build context: Dockerfile, entry script, wheels and the application."""
    shutil.copy2(DEPLOY_DIR / "Dockerfile", context / "Dockerfile")
    shutil.copy2(DEPLOY_DIR / "entrypoint.sh", context / "entrypoint.sh")
    shutil.copy2(requirements, context / "requirements.txt")
    shutil.copytree(wheelhouse, context / "wheels", copy_function=runner_build.link_or_copy,
                    ignore=shutil.ignore_patterns(".stamp"))
    app = context / "app"
    app.mkdir()
    for name in APP_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, app / name, ignore=SKIPPED)
        else:
            shutil.copy2(source, app / name)


def build_app_image(tag: str | None = None, base: str | None = None,
                    progress: runner_build.Progress = print) -> str:
    """Build the web/worker image; returns its tag."""
    tag = tag or os.environ.get("GRADER_APP_IMAGE") or DEFAULT_APP_TAG
    check_sources()
    docker_engine.connect()
    requirements = requirements_file(server_requirements())
    wheelhouse = runner_build.ensure_wheelhouse(requirements, progress=progress)
    base_image = runner_build.ensure_base_image(base or os.environ.get("GRADER_APP_BASE"),
                                                progress)
    with tempfile.TemporaryDirectory(prefix="grader-app-image-") as tmp:
        context = Path(tmp)
        prepare_context(context, wheelhouse, requirements)
        progress(f"Building {tag} from {base_image} ...")
        docker_engine.build(context, tag, {"BASE": base_image}, progress=runner_build.build_steps_only(progress),
                            labels=IMAGE_LABEL)
    progress(f"Server image {tag} is ready.")
    return tag


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build the images, report failures in one line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", help=f"server image tag (default {DEFAULT_APP_TAG}, "
                                      "or GRADER_APP_IMAGE)")
    parser.add_argument("--base", help="base image (default python:3.11-slim, or GRADER_APP_BASE;"
                                       " a debootstrapped Debian when it cannot be pulled)")
    parser.add_argument("--app-only", action="store_true",
                        help="do not (re)build the runner image")
    args = parser.parse_args(argv)
    try:
        if not args.app_only:
            runner_build.build_image()
        build_app_image(args.tag, args.base)
    except RunnerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
