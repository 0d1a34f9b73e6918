"""Challenges: stored versions on disk, listing, descriptions, statistics and CSV exports."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import statistics
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import markdown
import nh3
from flask import current_app
from sqlalchemy import func, select

import runner
from runner import archive
from runner.submission import read_folder

from ..extensions import db
from ..models import Challenge, ChallengeVersion, Submission, TestResultRow, User
from ..statuses import COUNTED
from .errors import ServiceError, forbidden, not_found

_loaded: dict[str, runner.Challenge] = {}
_lock = threading.Lock()
STATEMENT_TAGS = {"p", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a",
                  "em", "strong", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr",
                  "br", "span", "div", "kbd", "dl", "dt", "dd", "sup", "sub", "del", "img"}


def store_root() -> Path:
    """Where challenge versions are unpacked (inside the instance folder)."""
    return Path(current_app.instance_path) / "challenge_store"


def folder_checksum(files: dict[str, bytes]) -> str:
    """A SHA-256 over every path and content: equal folders, equal checksums."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def zip_files(files: dict[str, bytes], prefix: str = "") -> bytes:
    """A deterministic zip of in-memory files."""
    return archive.write_zip(files, prefix)


def unzip_files(data: bytes) -> dict[str, bytes]:
    """Files of a zip this server wrote itself."""
    with zipfile.ZipFile(io.BytesIO(data)) as stored:
        return {i.filename: stored.read(i) for i in stored.infolist() if not i.is_dir()}


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder.parent))
    for name, content in files.items():
        target = tmp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)  # atomic: a reader sees the whole folder or none


def materialize(version: ChallengeVersion) -> Path:
    """The version's folder on this host, unpacked from the database when missing."""
    folder = Path(version.folder)
    marker = folder / ".checksum"
    if marker.is_file() and marker.read_text().strip() == version.checksum:
        return folder
    folder = store_root() / version.challenge.slug / f"v{version.number}"
    marker = folder / ".checksum"
    with _lock:
        if not (marker.is_file() and marker.read_text().strip() == version.checksum):
            folder.parent.mkdir(parents=True, exist_ok=True)
            files = unzip_files(version.archive)
            files[".checksum"] = version.checksum.encode()
            write_folder(folder, files)
    return folder


def runner_challenge(version: ChallengeVersion) -> runner.Challenge:
    """The runner's view of a stored version (manifest parsed once per process)."""
    key = f"{version.challenge_id}:{version.checksum}"
    cached = _loaded.get(key)
    if cached is not None and cached.path.is_dir():
        return cached
    loaded = runner.load_challenge(materialize(version))
    _loaded[key] = loaded
    return loaded


def _best_scores(user: User) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(Submission.challenge_id, func.max(Submission.score), func.count(Submission.id))
        .where(Submission.user_id == user.id, Submission.status.in_(COUNTED))
        .group_by(Submission.challenge_id))
    return {cid: (best, n) for cid, best, n in rows}


def visible(user: User | None) -> list[Challenge]:
    """Challenges this user may see, in course order (teachers also see hidden ones)."""
    query = select(Challenge).where(Challenge.current_version_id.is_not(None))
    if user is None or not user.is_authenticated or not user.is_teacher:
        query = query.where(Challenge.published.is_(True))
    return list(db.session.scalars(query.order_by(Challenge.track, Challenge.order, Challenge.slug)))


def list_for(user: User | None, concept: str | None = None) -> list[dict[str, Any]]:
    """Rows for the challenges list: the challenge, my best score and my attempts."""
    best = _best_scores(user) if user is not None and user.is_authenticated else {}
    rows = []
    for challenge in visible(user):
        if concept and not any(c == concept or c.startswith(concept + ".")
                               for c in challenge.concepts):
            continue
        score, attempts = best.get(challenge.id, (None, 0))
        rows.append({"challenge": challenge, "best_score": score, "attempts": attempts,
                     "solved": score is not None and score >= challenge.points})
    return rows


def concepts(user: User | None) -> list[str]:
    """Every concept id taught by a visible challenge, sorted."""
    return sorted({c for ch in visible(user) for c in ch.concepts})


def get(slug: str, user: User | None) -> Challenge:
    """A challenge the user may see, or a 404 ServiceError (hidden ones exist only for teachers)."""
    challenge = db.session.scalar(select(Challenge).where(Challenge.slug == slug))
    if challenge is None or challenge.current_version is None:
        raise not_found(f"Challenge {slug!r}")
    if not challenge.published and not (user is not None and user.is_authenticated
                                        and user.is_teacher):
        raise not_found(f"Challenge {slug!r}")
    return challenge


def to_dict(challenge: Challenge, statement: bool = False) -> dict[str, Any]:
    """The API's description of a challenge."""
    loaded = runner_challenge(challenge.current_version)
    data: dict[str, Any] = {
        "slug": challenge.slug, "title": challenge.title, "concepts": list(challenge.concepts),
        "difficulty": challenge.difficulty, "points": challenge.points,
        "files": list(loaded.files), "published": challenge.published,
        "version": challenge.current_version.number, "feedback": loaded.feedback,
        "timeout_s": loaded.timeout_s, "entry": loaded.entry, "order": challenge.order,
        "track": challenge.track,
    }
    if statement:
        data["statement"] = loaded.statement()
    return data


def statement_html(challenge: Challenge) -> str:
    """The statement rendered from Markdown and sanitized (no scripts, no event handlers)."""
    text = runner_challenge(challenge.current_version).statement()
    html = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
    return nh3.clean(html, tags=STATEMENT_TAGS,
                     attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"},
                                 "code": {"class"}, "span": {"class"}, "div": {"class"},
                                 "th": {"align"}, "td": {"align"}},
                     url_schemes={"http", "https", "mailto"})


def starter_files(challenge: Challenge) -> dict[str, bytes]:
    """The starter files learners begin from."""
    return read_folder(runner_challenge(challenge.current_version).starter_dir)


def starter_zip(challenge: Challenge) -> bytes:
    """The starter folder (plus statement and public tests) as `<slug>/...` in a zip."""
    loaded = runner_challenge(challenge.current_version)
    files = dict(read_folder(loaded.starter_dir))
    files["README.md"] = loaded.statement().encode("utf-8")
    for name, content in read_folder(loaded.public_tests_dir).items():
        files[f"public_tests/{name}"] = content
    return zip_files(files, prefix=f"{challenge.slug}/")


def set_published(user: User, challenge: Challenge, published: bool) -> Challenge:
    """Hide or publish (only a validated version can be published)."""
    if not user.is_teacher:
        raise forbidden()
    if published and not (challenge.current_version and challenge.current_version.valid):
        raise ServiceError(409, "not_validated",
                           "This challenge has no version that passed validation; fix and upload it")
    challenge.published = published
    db.session.commit()
    return challenge


def update_metadata(user: User, challenge: Challenge, *, title: str | None = None,
                    concepts: list[str] | None = None, difficulty: int | None = None,
                    order: int | None = None) -> Challenge:
    """Edit what learners see about a challenge (the tests and points stay with the version)."""
    if not user.is_teacher:
        raise forbidden()
    if title is not None:
        title = title.strip()
        if not title or len(title) > 200:
            raise ServiceError(422, "invalid_title", "The title must be 1-200 characters")
        challenge.title = title
    if concepts is not None:
        cleaned = [c.strip() for c in concepts if c.strip()]
        if any(len(c) > 60 or " " in c for c in cleaned):
            raise ServiceError(422, "invalid_concepts", "Concept ids look like 'routing.converters'")
        challenge.concepts = cleaned
    if difficulty is not None:
        if difficulty not in (1, 2, 3):
            raise ServiceError(422, "invalid_difficulty", "Difficulty must be 1, 2 or 3")
        challenge.difficulty = difficulty
    if order is not None:
        challenge.order = order
    db.session.commit()
    return challenge


def stats(challenge: Challenge) -> dict[str, Any]:
    """Attempts, learners, pass rate, median score and the tests that fail most."""
    subs = list(db.session.scalars(select(Submission).where(
        Submission.challenge_id == challenge.id, Submission.status.in_(COUNTED))))
    scores = [s.score for s in subs]
    learners = {s.user_id for s in subs}
    solved = {s.user_id for s in subs if s.status == "passed"}
    failing = db.session.execute(
        select(TestResultRow.test_id, func.max(TestResultRow.title), func.count(TestResultRow.id))
        .join(Submission, Submission.id == TestResultRow.submission_id)
        .where(Submission.challenge_id == challenge.id, Submission.status.in_(COUNTED),
               TestResultRow.status != "passed")
        .group_by(TestResultRow.test_id).order_by(func.count(TestResultRow.id).desc(),
                                                 TestResultRow.test_id).limit(5))
    return {
        "attempts": len(subs),
        "learners": len(learners),
        "solved": len(solved),
        "pass_rate": (sum(s.status == "passed" for s in subs) / len(subs)) if subs else 0.0,
        "median_score": statistics.median(scores) if scores else None,
        "most_failed": [{"id": tid, "title": title, "failures": n} for tid, title, n in failing],
    }


def scores_csv(challenge: Challenge) -> str:
    """One CSV row per learner: best score, attempts, first full score, last submission."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "best_score", "max_score", "attempts", "solved_at",
                     "last_submitted_at"])
    rows = db.session.execute(
        select(User.username, func.max(Submission.score), func.count(Submission.id),
               func.min(Submission.finished_at).filter(Submission.status == "passed"),
               func.max(Submission.submitted_at))
        .join(User, User.id == Submission.user_id)
        .where(Submission.challenge_id == challenge.id, Submission.status.in_(COUNTED))
        .group_by(User.username).order_by(User.username))
    for username, best, attempts, solved_at, last in rows:
        writer.writerow([username, best, challenge.points, attempts,
                         solved_at.isoformat() + "Z" if solved_at else "",
                         last.isoformat() + "Z" if last else ""])
    return out.getvalue()
