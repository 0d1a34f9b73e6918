"""Challenge folders: reading and validating the manifest (`challenge.toml`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENTRY_RE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
FEEDBACK_MODES = ("hints", "full")
TRACKS = ("core", "extensions")  # Flask itself, then its extensions


class ChallengeError(ValueError):
    """A challenge folder that does not follow the format."""


@dataclass(frozen=True)
class Challenge:
    """A challenge folder and its manifest."""

    path: Path
    slug: str
    title: str
    concepts: tuple[str, ...]
    difficulty: int = 1
    points: int = 100
    files: tuple[str, ...] = ("app.py",)
    entry: str = "app:app"
    timeout_s: int = 20
    memory_mb: int = 256
    feedback: str = "hints"
    order: int = 0
    track: str = "core"
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def statement_path(self) -> Path:
        return self.path / "statement.md"

    @property
    def tests_dir(self) -> Path:
        return self.path / "tests"

    @property
    def starter_dir(self) -> Path:
        return self.path / "starter"

    @property
    def solution_dir(self) -> Path:
        return self.path / "solution"

    @property
    def public_tests_dir(self) -> Path:
        return self.path / "public_tests"

    @property
    def quiz_path(self) -> Path:
        return self.path / "quiz.toml"

    @property
    def quiz_only(self) -> bool:
        """A quiz and no hidden tests: learners answer questions and submit no code."""
        return self.quiz_path.is_file() and not any(self.tests_dir.glob("test_*.py"))

    def mutant_dirs(self) -> list[Path]:
        mutants = self.path / "mutants"
        if not mutants.is_dir():
            return []
        return sorted(p for p in mutants.iterdir() if p.is_dir())

    def statement(self) -> str:
        try:
            return self.statement_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise ChallengeError(message)


def parse_manifest(data: dict, path: Path) -> Challenge:
    """Validate a parsed manifest; every problem is a one-line `ChallengeError`."""
    where = f"{path.name}/challenge.toml"
    slug = data.get("slug", path.name)
    _require(isinstance(slug, str) and bool(SLUG_RE.match(slug)),
             f"{where}: slug must match [a-z0-9-]+, got {slug!r}")
    title = data.get("title")
    _require(isinstance(title, str) and title.strip() != "", f"{where}: title is required")
    concepts = data.get("concepts", [])
    _require(isinstance(concepts, list) and all(isinstance(c, str) for c in concepts),
             f"{where}: concepts must be a list of concept ids")
    difficulty = data.get("difficulty", 1)
    _require(difficulty in (1, 2, 3), f"{where}: difficulty must be 1, 2 or 3")
    points = data.get("points", 100)
    _require(isinstance(points, int) and 0 < points <= 10000, f"{where}: points must be 1..10000")
    files = data.get("files", ["app.py"])
    _require(isinstance(files, list) and files and all(isinstance(f, str) and f for f in files),
             f"{where}: files must be a non-empty list of paths or globs")
    for pattern in files:
        _require(not pattern.startswith("/") and ".." not in pattern.split("/"),
                 f"{where}: file pattern {pattern!r} must be relative")
    entry = data.get("entry", "app:app")
    _require(isinstance(entry, str) and bool(ENTRY_RE.match(entry)),
             f"{where}: entry must look like module:factory, got {entry!r}")
    timeout_s = data.get("timeout_s", 20)
    _require(isinstance(timeout_s, int) and 1 <= timeout_s <= 600, f"{where}: timeout_s must be 1..600")
    memory_mb = data.get("memory_mb", 256)
    _require(isinstance(memory_mb, int) and 64 <= memory_mb <= 4096,
             f"{where}: memory_mb must be 64..4096")
    feedback = data.get("feedback", "hints")
    _require(feedback in FEEDBACK_MODES, f"{where}: feedback must be 'hints' or 'full'")
    order = data.get("order", 0)
    _require(isinstance(order, int), f"{where}: order must be an integer")
    track = data.get("track", "core")
    _require(track in TRACKS, f"{where}: track must be 'core' or 'extensions', got {track!r}")
    known = {"slug", "title", "concepts", "difficulty", "points", "files", "entry", "timeout_s",
             "memory_mb", "feedback", "order", "track"}
    return Challenge(
        path=path, slug=slug, title=title.strip(), concepts=tuple(concepts),
        difficulty=difficulty, points=points, files=tuple(files), entry=entry,
        timeout_s=timeout_s, memory_mb=memory_mb, feedback=feedback, order=order, track=track,
        extra={k: v for k, v in data.items() if k not in known},
    )


def load_challenge(path: str | Path) -> Challenge:
    """Read `path/challenge.toml` and check the folder has hidden tests, a quiz, or both."""
    path = Path(path).resolve()
    manifest = path / "challenge.toml"
    if not manifest.is_file():
        raise ChallengeError(f"{path.name}: no challenge.toml")
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ChallengeError(f"{path.name}/challenge.toml: {exc}") from None
    challenge = parse_manifest(data, path)
    if not challenge.quiz_only and not any(challenge.tests_dir.glob("test_*.py")):
        raise ChallengeError(f"{path.name}: tests/ must hold at least one test_*.py file "
                             "(or the folder a quiz.toml, for a quiz-only challenge)")
    return challenge


def discover_challenges(root: str | Path) -> list[Challenge]:
    """Every challenge folder directly under `root`, in course order (order, then slug)."""
    root = Path(root)
    found = [load_challenge(p) for p in sorted(root.iterdir()) if (p / "challenge.toml").is_file()]
    return sorted(found, key=lambda c: (c.order, c.slug))


def load_concepts(root: str | Path) -> dict[str, str]:
    """The curriculum's concept ids and descriptions from `root/concepts.toml` (empty if absent)."""
    path = Path(root) / "concepts.toml"
    if not path.is_file():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("concepts", {}))
