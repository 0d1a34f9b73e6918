"""What the services announce, for the live events and the queue to act on.

Services send these signals and import neither `live` nor `queue`; `live.init_app` and
`queue.init_app` connect their receivers. The sender is always the current Flask app, so a
receiver acts for the app that sent (tests build many apps in one process).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A submission row is stored (or reset for a regrade) and must be graded: kwargs
#: `submission_id`, `delay_s` (0 for now).
grading_requested = _signals.signal("grading-requested")

#: A submission's status or score changed: kwargs `submission` (the model row).
submission_changed = _signals.signal("submission-changed")

#: One hidden test finished while the suite runs: kwargs `submission_id`, `owner_id`, `test`
#: (the test row of the result record, as a dict).
test_reported = _signals.signal("test-reported")

#: A final grading may have changed the standings: kwargs `rows` (the leaderboard rows).
standings_changed = _signals.signal("standings-changed")

#: A course's standings may have changed (a course submission graded, credits recomputed):
#: kwargs `course` (its slug), `rows` (the course leaderboard rows).
course_standings_changed = _signals.signal("course-standings-changed")

#: A comment was added on a submission: kwargs `submission` (the model row), `comment` (as a
#: dict, the API's shape).
review_commented = _signals.signal("review-commented")

#: A teacher set or removed a submission's score override, so its effective score changed
#: (course credit and grade passback recompute from it): kwargs `submission`, `old`, `new`
#: (effective scores before and after).
score_overridden = _signals.signal("score-overridden")

#: A learner's count of unread comments changed: kwargs `user_id`, `count`.
review_unread = _signals.signal("review-unread")

#: A similarity computation is stored and must run: kwargs `run_id`.
similarity_requested = _signals.signal("similarity-requested")

#: A similarity computation moved on: kwargs `progress` (the API's progress shape).
similarity_progress = _signals.signal("similarity-progress")

#: The line of waiting submissions changed (one joined, left or started): no kwargs.
queue_moved = _signals.signal("queue-moved")

#: An account's role changed (its live rooms follow without a reconnect): kwargs `user`.
role_changed = _signals.signal("role-changed")

#: A challenge version's check moved on (queued, a folder graded, done): kwargs `version`
#: (the model row), `state` (`versions.to_dict`), `row` (the folder just graded, or None).
check_progressed = _signals.signal("check-progressed")
