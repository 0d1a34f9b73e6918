"""The LTI 1.3 tool: platforms and keys, launch, deep linking, grade passback and roster sync.

`init_app` reads the LTI settings, makes the session cookie cross-site for launched sessions,
lets the grading workers send grade passbacks, and listens for final gradings.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

from .. import signals
from ..config import ConfigError
from ..extensions import db
from ..services import jobs
from . import commands, framing, passback

log = logging.getLogger(__name__)


def _number(app: Flask, name: str, default: float, environ: dict[str, str]) -> float:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return app.config.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{name} must be a number above 0, got {raw!r}")
    return value


def settings(app: Flask, environ: dict[str, str]) -> None:
    """The LTI settings (GRADER_LTI_PRIVATE_KEY and the rest) from the environment, unless the
    app's config set them."""
    app.config.setdefault("GRADER_LTI_PRIVATE_KEY", (environ.get("GRADER_LTI_PRIVATE_KEY")
                                                     or "").strip())
    app.config["GRADER_LTI_RETRY_S"] = _number(app, "GRADER_LTI_RETRY_S", 30, environ)
    app.config["GRADER_LTI_MAX_ATTEMPTS"] = int(_number(app, "GRADER_LTI_MAX_ATTEMPTS", 8,
                                                        environ))
    app.config["GRADER_LTI_HTTP_TIMEOUT_S"] = _number(app, "GRADER_LTI_HTTP_TIMEOUT_S", 10,
                                                      environ)


def _on_submission_changed(app: Flask, submission: Any = None, **_: Any) -> None:
    """A final grading of course work: queue the learner's score for the LMS."""
    if submission is None or not submission.is_final or submission.course_id is None:
        return
    try:
        passback.queue_for(submission.course_id, submission.challenge_id, submission.user_id)
    except Exception:  # grading must finish whatever happens here; the course refresh retries
        log.exception("could not queue the grade passback of submission %s", submission.id)
        db.session.rollback()


def _on_course_standings(app: Flask, course: str = "", **_: Any) -> None:
    """New course rules (a due time, an extension) may change credited scores."""
    try:
        passback.refresh_course(course)
    except Exception:
        log.exception("could not refresh the grade passbacks of course %s", course)
        db.session.rollback()


def _on_score_overridden(app: Flask, submission: Any = None, **_: Any) -> None:
    _on_submission_changed(app, submission=submission)


def init_app(app: Flask, environ: dict[str, str] | None = None) -> None:
    """Wire the tool into the app: settings, session cookie, worker job kind, signals."""
    settings(app, dict(os.environ) if environ is None else environ)
    app.session_interface = framing.FramedSessionInterface()
    app.cli.add_command(commands.lti_cli)
    app.before_request(framing.allow_session_framing)
    jobs.register_kind(app, jobs.JobKind("grade passback", passback.run_next,
                                         passback.seconds_to_next))
    signals.submission_changed.connect(_on_submission_changed)
    signals.course_standings_changed.connect(_on_course_standings)
    signals.score_overridden.connect(_on_score_overridden)
