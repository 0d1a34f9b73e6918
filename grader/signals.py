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

#: The line of waiting submissions changed (one joined, left or started): no kwargs.
queue_moved = _signals.signal("queue-moved")

#: An account's role changed (its live rooms follow without a reconnect): kwargs `user`.
role_changed = _signals.signal("role-changed")

#: A challenge version's check moved on (queued, a folder graded, done): kwargs `version`
#: (the model row), `state` (`versions.to_dict`), `row` (the folder just graded, or None).
check_progressed = _signals.signal("check-progressed")
