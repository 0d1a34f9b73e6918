"""Building the runner image offline: a host-side wheelhouse, and a base image that always exists.

`build_image()` is what `flask --app grader runner build` and the README's set-up call. It is
idempotent and fast the second time: the wheelhouse is kept while the requirements are unchanged,
the base image is kept, and Docker's layer cache does the rest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import docker_engine
from .model import RunnerError

IMAGE_DIR = Path(__file__).resolve().parent / "image"
HARNESS_DIR = Path(__file__).resolve().parent / "harness"
DEFAULT_TAG = "flask-grader-runner:latest"
DEFAULT_BASE = "python:3.11-slim"
FALLBACK_BASE = "flask-grader-base:bookworm"
DEBIAN_PACKAGES = "python3,python3-venv,ca-certificates"

Progress = Callable[[str], None]


def cache_dir() -> Path:
    root = os.environ.get("GRADER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "flask-grader")
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_wheelhouse(requirements: Path = IMAGE_DIR / "requirements.txt",
                      progress: Progress = print) -> Path:
    """Wheels for every requirement (sdists built into wheels), kept until requirements change."""
    wheelhouse = cache_dir() / f"wheelhouse-{requirements.stem}"
    stamp_value = hashlib.sha256(requirements.read_bytes() + sys.version.encode()).hexdigest()
    stamp = wheelhouse / ".stamp"
    if stamp.is_file() and stamp.read_text() == stamp_value:
        return wheelhouse
    progress(f"Downloading wheels for {requirements.name} into {wheelhouse} ...")
    wheelhouse.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--wheel-dir", str(wheelhouse), "-r", str(requirements)],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise RunnerError(f"pip could not download the wheels: {result.stderr.strip()[-1500:]}")
    stamp.write_text(stamp_value)
    return wheelhouse


def debootstrap_base(name: str = FALLBACK_BASE, progress: Progress = print) -> str:
    """A minimal Debian bookworm with Python 3.11, bootstrapped from Debian's packages."""
    if shutil.which("debootstrap") is None:
        raise RunnerError("No base image can be pulled and debootstrap is missing "
                          "(apt-get install -y debootstrap)")
    if os.geteuid() != 0:
        raise RunnerError("No base image can be pulled, and building one with debootstrap "
                          "needs root")
    mirror = os.environ.get("GRADER_DEBIAN_MIRROR", "http://deb.debian.org/debian")
    progress(f"No registry answered: bootstrapping {name} from {mirror} (about a minute) ...")
    with tempfile.TemporaryDirectory(prefix="grader-base-") as tmp:
        root = Path(tmp) / "root"
        result = subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={DEBIAN_PACKAGES}", "bookworm",
             str(root), mirror], capture_output=True, text=True)
        if result.returncode != 0:
            raise RunnerError(f"debootstrap failed: {(result.stdout + result.stderr)[-1500:]}")
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc",
                     "usr/share/man", "usr/share/locale"):
            shutil.rmtree(root / junk, ignore_errors=True)
        tarball = Path(tmp) / "rootfs.tar"
        subprocess.run(["tar", "-C", str(root), "-cf", str(tarball), "."], check=True)
        docker_engine.import_rootfs(tarball, name)
    return name


def ensure_base_image(base: str | None = None, progress: Progress = print) -> str:
    """The configured base if present or pullable, else the debootstrap fallback (made once)."""
    base = base or os.environ.get("GRADER_RUNNER_BASE") or DEFAULT_BASE
    if docker_engine.image_exists(base):
        return base
    progress(f"Pulling {base} ...")
    if docker_engine.try_pull(base):
        return base
    if docker_engine.image_exists(FALLBACK_BASE):
        progress(f"{base} cannot be pulled; using {FALLBACK_BASE}")
        return FALLBACK_BASE
    return debootstrap_base(FALLBACK_BASE, progress)


def build_image(tag: str | None = None, base: str | None = None,
                progress: Progress = print, labels: dict[str, str] | None = None) -> str:
    """Build the runner image (see the module docstring); returns its tag."""
    tag = tag or os.environ.get("GRADER_RUNNER_IMAGE") or DEFAULT_TAG
    docker_engine.connect()
    wheelhouse = ensure_wheelhouse(progress=progress)
    base_image = ensure_base_image(base, progress)
    with tempfile.TemporaryDirectory(prefix="grader-image-") as tmp:
        context = Path(tmp)
        shutil.copy2(IMAGE_DIR / "Dockerfile", context / "Dockerfile")
        shutil.copy2(IMAGE_DIR / "requirements.txt", context / "requirements.txt")
        shutil.copytree(wheelhouse, context / "wheels", copy_function=link_or_copy)
        (context / "wheels" / ".stamp").unlink(missing_ok=True)
        shutil.copytree(HARNESS_DIR, context / "harness",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        progress(f"Building {tag} from {base_image} ...")
        docker_engine.build(context, tag, {"BASE": base_image}, progress=build_steps_only(progress),
                            labels=labels)
    progress(f"Runner image {tag} is ready.")
    return tag


def link_or_copy(src: str, dst: str) -> None:
    """Hard-link a wheel into a build context (copy across filesystems)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build_steps_only(progress: Progress) -> Progress:
    """Docker's build output reduced to its steps and errors."""
    def show(line: str) -> None:
        if line.startswith("Step ") or "error" in line.lower():
            progress(line)

    return show
