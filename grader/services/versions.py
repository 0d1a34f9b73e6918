"""Challenge versions: storing a folder, checking it in the sandbox, and what a check decides.

An upload from the web is stored at once as a version waiting for its check; a grading worker
runs the check (`run_next_check`), so the web process never talks to Docker. The server's own
commands (`flask challenges sync`) check in-process, in the shell of whoever runs them.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select, update

import runner
from runner import archive
from runner.check import check_challenge, folders_to_grade
from runner.quiz import QuizError, load_quiz
from runner.submission import read_folder

from .. import signals
from ..extensions import db
from ..models import Challenge, ChallengeVersion, User, utcnow
from . import claims, pause
from .challenges import folder_checksum, materialize, store_root, write_folder, zip_files
from .errors import ServiceError, forbidden

log = logging.getLogger(__name__)
QUEUED, RUNNING, DONE = "queued", "running", "done"
# A check claimed longer ago than this was left by a worker that died: it is taken over.
STALE_CHECK = timedelta(minutes=30)
SKIPPED = {"ok": True, "skipped": "validation was skipped for a trusted folder", "rows": []}


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _check_now(folder: Path, backend: str, on_row: Any = None) -> dict[str, Any]:
    try:
        report = check_challenge(folder, backend=backend, on_row=on_row)
    except runner.EngineUnavailable as exc:
        raise ServiceError(503, "engine_unavailable",
                           f"The sandbox cannot validate the challenge right now: {exc}") from None
    return report.to_dict()


def _load(path: str | Path) -> tuple[runner.Challenge, dict[str, bytes], str]:
    try:
        loaded = runner.load_challenge(path)
        # A quiz that does not parse is refused even when the check is skipped (trusted sync):
        # learners would otherwise meet it as a broken page.
        load_quiz(loaded.path)
    except (runner.ChallengeError, QuizError) as exc:
        raise ServiceError(422, "invalid_challenge", str(exc)) from None
    files = {k: v for k, v in read_folder(loaded.path).items() if k != ".checksum"}
    return loaded, files, folder_checksum(files)


def _store(loaded: runner.Challenge, files: dict[str, bytes], checksum: str,
           user: User | None, source: str, state: str,
           report: dict[str, Any] | None) -> tuple[Challenge, ChallengeVersion]:
    """A new version row and its folder on disk (not committed)."""
    challenge = db.session.scalar(select(Challenge).where(Challenge.slug == loaded.slug))
    if challenge is None:
        challenge = Challenge(slug=loaded.slug, title=loaded.title, published=False,
                              owner_id=user.id if user is not None and source == "upload"
                              else None)
        db.session.add(challenge)
        db.session.flush()
    number = (db.session.scalar(select(func.max(ChallengeVersion.number)).where(
        ChallengeVersion.challenge_id == challenge.id)) or 0) + 1
    folder = store_root() / loaded.slug / f"v{number}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    write_folder(folder, {**files, ".checksum": checksum.encode()})
    version = ChallengeVersion(challenge=challenge, number=number, folder=str(folder),
                               checksum=checksum, archive=zip_files(files), report=report,
                               valid=False, state=state, source=source,
                               created_by_id=user.id if user else None)
    db.session.add(version)
    if challenge.current_version is None:
        _show(challenge, version, loaded)
    return challenge, version


def _show(challenge: Challenge, version: ChallengeVersion, loaded: runner.Challenge) -> None:
    """Make `version` the one learners are graded on, with its manifest's metadata."""
    challenge.current_version = version
    challenge.title = loaded.title
    challenge.concepts = list(loaded.concepts)
    challenge.difficulty = loaded.difficulty
    quiz = load_quiz(loaded.path)
    # A quiz-only challenge has no code part: the manifest's points do not apply to anything.
    challenge.points = 0 if loaded.quiz_only else loaded.points
    challenge.quiz_points = quiz.points if quiz is not None else 0
    challenge.order = loaded.order
    challenge.track = loaded.track


def apply_report(version: ChallengeVersion, report: dict[str, Any],
                 publish: bool | None) -> None:
    """Record a finished check and act on it (commits).

    A valid version becomes the one learners are graded on (published unless `publish` is
    False); a failed one is kept with its report and never replaces a valid version.
    """
    challenge = version.challenge
    version.report = report
    version.valid = bool(report.get("ok"))
    version.state = DONE
    version.checked_at = utcnow()
    if version.valid:
        _show(challenge, version, runner.load_challenge(materialize(version)))
        challenge.published = True if publish is None else publish
    elif not (challenge.current_version and challenge.current_version.valid):
        challenge.published = False
    # else: a failed upload leaves the validated version, and its visibility, as they were
    db.session.commit()


def import_folder(path: str | Path, user: User | None = None, source: str = "sync",
                  validate: bool = True, publish: bool | None = None,
                  backend: str | None = None, queue: bool = False
                  ) -> tuple[Challenge, ChallengeVersion, bool]:
    """Store a challenge folder as a new version and check it; (challenge, version, created).

    The folder is validated in the sandbox (solution full points, starter and mutants less)
    unless `validate` is False: now, in this process, or, with `queue`, by a grading worker
    later (for processes that have no Docker engine). An unchanged folder makes no new version
    (but one that was stored unchecked, e.g. at a first start, is checked now).
    """
    loaded, files, checksum = _load(path)
    if queue:
        return _queue_folder(loaded, files, checksum, user, source, publish)
    backend = backend or current_app.config["GRADER_BACKEND"]
    challenge = db.session.scalar(select(Challenge).where(Challenge.slug == loaded.slug))
    current = challenge.current_version if challenge else None
    if current is not None and current.checksum == checksum and current.valid:
        if not (validate and (current.report or {}).get("skipped")):
            return challenge, current, False
        apply_report(current, _check_now(loaded.path, backend), publish=challenge.published)
        return challenge, current, False
    report = _check_now(loaded.path, backend) if validate else dict(SKIPPED)
    challenge, version = _store(loaded, files, checksum, user, source, DONE, None)
    apply_report(version, report, publish)
    return challenge, version, True


def _queue_folder(loaded: runner.Challenge, files: dict[str, bytes], checksum: str,
                  user: User | None, source: str, publish: bool | None
                  ) -> tuple[Challenge, ChallengeVersion, bool]:
    """A version waiting for a grading worker's check (unless the same files are stored)."""
    challenge = db.session.scalar(select(Challenge).where(Challenge.slug == loaded.slug))
    if challenge is not None:
        same = db.session.scalar(select(ChallengeVersion).where(
            ChallengeVersion.challenge_id == challenge.id,
            ChallengeVersion.checksum == checksum,
            ChallengeVersion.state != DONE))
        current = challenge.current_version
        if same is not None or (current is not None and current.checksum == checksum
                                and current.valid and not (current.report or {}).get("skipped")):
            return challenge, same or current, False
    rows = [{"name": name, "kind": kind, "expected": expected, "ok": None}
            for name, kind, expected, _ in ([] if loaded.quiz_only
                                            else folders_to_grade(loaded))]
    challenge, version = _store(loaded, files, checksum, user, source, QUEUED,
                                {"ok": None, "rows": [], "problems": [],
                                 "publish": True if publish is None else publish,
                                 "planned": rows})
    db.session.commit()
    _announce(version)
    signals.grading_requested.send(_app(), submission_id=None, delay_s=0.0)
    return challenge, version, True


def import_zip(data: bytes, user: User, publish: bool = True) -> tuple[Challenge, ChallengeVersion]:
    """A teacher uploads a zipped challenge folder: stored now, checked by a grading worker.

    Only its owner (the teacher who uploaded it first) or an admin may replace a challenge.
    """
    if not user.is_teacher:
        raise forbidden("Only teachers can upload challenges")
    try:
        files = archive.read_challenge_upload(data)
    except archive.ArchiveError as exc:
        raise ServiceError(400, "bad_archive", str(exc)) from None
    if "challenge.toml" not in files:
        raise ServiceError(422, "invalid_challenge",
                           "The archive has no challenge.toml at its top (or in one top folder)")
    with tempfile.TemporaryDirectory(prefix="grader-upload-") as tmp:
        slug_dir = Path(tmp) / "upload"
        for name, content in files.items():
            (slug_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (slug_dir / name).write_bytes(content)
        loaded, files, checksum = _load(slug_dir)
        existing = db.session.scalar(select(Challenge).where(Challenge.slug == loaded.slug))
        if existing is not None and not user.is_admin and existing.owner_id != user.id:
            raise forbidden(f"The challenge {loaded.slug!r} belongs to another teacher; only "
                            "its owner or an admin can replace it (or choose another slug)")
        challenge, version, _ = _queue_folder(loaded, files, checksum, user, "upload", publish)
    return challenge, version


def sync(root: str | Path, validate: bool = True, queue: bool = False) -> list[dict[str, Any]]:
    """Load every challenge folder under `root`; one row per folder (never stops at the first).

    With `queue`, changed folders wait for a grading worker's check instead of being checked
    here (`ok` is then None until it ran).
    """
    rows: list[dict[str, Any]] = []
    root = Path(root)
    if not root.is_dir():
        raise ServiceError(404, "not_found", f"No challenges folder at {root}")
    for folder in sorted(p for p in root.iterdir() if (p / "challenge.toml").is_file()):
        try:
            challenge, version, created = import_folder(folder, validate=validate, queue=queue)
            rows.append({"slug": challenge.slug, "version": version.number, "created": created,
                         "ok": version.valid if version.state == DONE else None,
                         "published": challenge.published, "error": ""})
        except ServiceError as exc:
            db.session.rollback()
            rows.append({"slug": folder.name, "version": None, "created": False, "ok": False,
                         "published": False, "error": exc.message})
    return rows


def get(challenge: Challenge, number: int) -> ChallengeVersion:
    """A version of a challenge by number, or a 404."""
    version = db.session.scalar(select(ChallengeVersion).where(
        ChallengeVersion.challenge_id == challenge.id, ChallengeVersion.number == number))
    if version is None:
        raise ServiceError(404, "not_found", f"{challenge.slug} has no version {number}")
    return version


def wait_for_check(version_id: int, seconds: float) -> ChallengeVersion:
    """The version once its check is done, or as it stands after `seconds` (or a pause)."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        paused = pause.status()["paused"]
        version = db.session.get(ChallengeVersion, version_id)
        # While paused nothing is checked: once the worker that hit the outage has put the
        # version back in the queue, waiting longer is pointless.
        if version.state == DONE or (paused and version.state == QUEUED) \
                or time.monotonic() >= deadline:
            return version
        time.sleep(0.2)


# -- checks run by grading workers -----------------------------------------------------------

def _claim_next() -> ChallengeVersion | None:
    """The oldest upload waiting for its check (or one left by a dead worker), now running."""
    now = utcnow()
    candidates = db.session.scalars(
        select(ChallengeVersion.id).where(
            (ChallengeVersion.state == QUEUED)
            | ((ChallengeVersion.state == RUNNING)
               & (ChallengeVersion.check_started_at < now - STALE_CHECK)))
        .order_by(ChallengeVersion.id).limit(4)).all()
    for version_id in candidates:
        claimed = db.session.execute(
            update(ChallengeVersion)
            .where(ChallengeVersion.id == version_id,
                   (ChallengeVersion.state == QUEUED)
                   | ((ChallengeVersion.state == RUNNING)
                      & (ChallengeVersion.check_started_at < now - STALE_CHECK)))
            .values(state=RUNNING, check_started_at=now))
        db.session.commit()
        if claimed.rowcount == 1:
            return db.session.get(ChallengeVersion, version_id)
    return None


def run_next_check() -> bool:
    """Check the next uploaded version, announcing each graded folder; False if none waits.

    Raises `runner.EngineUnavailable` with the version queued again, for the caller to pause.
    A check cut short by this process stopping (`claims`) is queued again too.
    """
    version = _claim_next()
    if version is None:
        return False
    app = _app()
    intent = dict(version.report or {})
    version_id = version.id
    _announce(version)
    done: list[dict[str, Any]] = []

    def on_row(row: Any) -> None:
        done.append(row.to_dict())
        with app.app_context():
            current = db.session.get(ChallengeVersion, version_id)
            current.report = {**intent, "rows": list(done)}
            db.session.commit()
            _announce(current, row=done[-1])

    try:
        report = check_challenge(materialize(version), backend=app.config["GRADER_BACKEND"],
                                 on_row=on_row).to_dict()
    except runner.EngineUnavailable as exc:
        db.session.rollback()
        if not claims.stopping():
            # Paused before it goes back to the queue, so no other worker takes it meanwhile.
            pause.set_paused(True, f"The Docker engine is unavailable: {exc}")
        _requeue_check(version_id, intent)
        if claims.stopping():
            return True
        raise
    except Exception as exc:  # a grader fault: reported on the version, never lost silently
        log.exception("checking challenge version %s failed", version_id)
        db.session.rollback()
        report = {"ok": False, "rows": done, "problems": [f"The check failed: {exc}"]}
    if claims.stopping():
        # A stop may have cancelled some of its gradings: another worker checks it again.
        db.session.rollback()
        _requeue_check(version_id, intent)
        return True
    db.session.expire_all()
    version = db.session.get(ChallengeVersion, version_id)
    apply_report(version, {**report, "planned": intent.get("planned", [])},
                 intent.get("publish", True))
    _announce(version)
    return True


def _requeue_check(version_id: int, intent: dict[str, Any]) -> None:
    """A check that could not finish goes back to the queue, its partial rows dropped."""
    version = db.session.get(ChallengeVersion, version_id)
    version.state, version.check_started_at = QUEUED, None
    version.report = intent
    db.session.commit()
    _announce(version)


def to_dict(version: ChallengeVersion) -> dict[str, Any]:
    """A version and its check, as the API and the live event describe it."""
    report = version.report or {}
    planned = report.get("planned") or []
    return {"challenge": version.challenge.slug, "version": version.number,
            "state": version.state, "valid": version.valid if version.state == DONE else None,
            "published": version.challenge.published,
            "rows_done": len(report.get("rows") or []),
            "rows_total": len(planned) or len(report.get("rows") or []), "report": report}


def _announce(version: ChallengeVersion, row: dict[str, Any] | None = None) -> None:
    signals.check_progressed.send(_app(), version=version, state=to_dict(version), row=row)
