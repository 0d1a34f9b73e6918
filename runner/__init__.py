"""The grading engine: a challenge folder plus a learner's files in, a result record out.

Public API (stable; the server, the CLI and the tests use only this):

    from runner import RunnerSettings, configure, grade, load_challenge
    configure(RunnerSettings(image="flask-grader-runner:latest", warm_sandboxes=2))  # optional
    challenge = load_challenge("challenges/hello-flask")
    result = grade(challenge, {"app.py": b"..."}, on_test=print)   # GradeResult

`on_test(TestResult)` is called from a runner thread as each test finishes, while the suite
still runs. `grade` never raises for learner mistakes (those are verdicts); it raises
`EngineUnavailable` when the Docker engine cannot be reached, so callers can keep the
submission queued and try again later. Without `configure()` (or `settings=`), the settings
come from the `GRADER_*` environment (`RunnerSettings.from_env()`).
"""

from __future__ import annotations

from .challenge import Challenge, ChallengeError, discover_challenges, load_challenge
from .grading import (
    cancel_running,
    engine_status,
    grade,
    grade_folder,
    runtime_problem,
    shutdown,
)
from .model import EngineUnavailable, GradeResult, Rejected, RunnerError, TestResult, Verdict
from .settings import RunnerSettings, SettingsError, configure, current_settings

__all__ = [
    "Challenge", "ChallengeError", "EngineUnavailable", "GradeResult", "Rejected", "RunnerError",
    "RunnerSettings", "SettingsError", "TestResult", "Verdict", "cancel_running", "configure",
    "current_settings",
    "discover_challenges", "engine_status", "grade", "grade_folder", "load_challenge",
    "runtime_problem", "shutdown",
]
