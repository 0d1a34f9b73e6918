"""The scale-out test's own challenge obeys the challenge contract."""

from __future__ import annotations

from deploy_topology import CHALLENGE, CHALLENGES_DIR

from runner.check import check_challenge


def test_scale_challenge_solution_scores_full_and_the_rest_less() -> None:
    report = check_challenge(CHALLENGES_DIR / CHALLENGE, backend="local")
    rows = {row.name: (row.kind, row.result.score, row.ok) for row in report.rows}
    assert report.ok, rows
    assert rows["solution"] == ("solution", 90, True)
    assert {kind for kind, _, _ in rows.values()} == {"solution", "starter", "mutant"}
