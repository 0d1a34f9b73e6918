"""Quiz scores beside code scores: the leaderboard, the challenges list, quiz-only challenges."""

from __future__ import annotations

import pytest
from quiz_server_support import DEMO_RIGHT, RIGHT, WRONG, answer, load_quizzes
from server_support import submit, wait_final


@pytest.fixture(autouse=True)
def quizzes_loaded(app):
    load_quizzes(app)


def code(app, client, headers, score: int = 100, slug: str = "quiz-routes") -> None:
    """A graded code submission (the fake runner scores it `score` of 100)."""
    submission_id = submit(client, headers, slug=slug).get_json()["id"]
    assert wait_final(app, submission_id).score == score


def row_of(client, name: str) -> dict:
    rows = client.get("/api/v1/leaderboard").get_json()["rows"]
    return next(r for r in rows if r["name"] == name)


def listed(client, headers, slug: str) -> dict:
    rows = client.get("/api/v1/challenges", headers=headers).get_json()["challenges"]
    return next(r for r in rows if r["slug"] == slug)


def test_a_challenge_is_out_of_its_code_points_plus_its_quiz_points(client, student):
    routes = listed(client, student, "quiz-routes")
    assert (routes["points"], routes["quiz_points"], routes["total_points"]) == (100, 12, 112)
    assert routes["has_quiz"] and not routes["quiz_only"] and routes["files"] == ["app.py"]
    demo = listed(client, student, "quiz-demo")
    assert (demo["points"], demo["quiz_points"], demo["total_points"]) == (0, 22, 22)
    assert demo["quiz_only"] and demo["files"] == []
    hello = listed(client, student, "hello-routes")
    assert (hello["quiz_points"], hello["has_quiz"]) == (0, False)


def test_the_best_code_score_and_the_best_quiz_score_add_up(app, client, student, fake_runner):
    from server_support import passing_result

    fake_runner.script = [passing_result(60), passing_result(100)]
    code(app, client, student, 60)
    code(app, client, student, 100)
    answer(client, student, WRONG)  # 1 point
    answer(client, student, RIGHT)  # 12 points
    answer(client, student, WRONG)
    row = row_of(client, "ann")
    assert row["score"] == 112, "each kind's best counts once"
    assert row["solved"] == 1
    mine = listed(client, student, "quiz-routes")
    assert (mine["best_score"], mine["best_code_score"], mine["best_quiz_score"]) == (112, 100, 12)
    assert (mine["attempts"], mine["quiz_attempts"], mine["solved"]) == (2, 3, True)


def test_solved_means_every_part_at_full_points(app, client, make_user, fake_runner):
    _, bob = make_user("bob")
    _, cleo = make_user("cleo")
    code(app, client, bob)  # full code points, no quiz
    answer(client, cleo, RIGHT)  # full quiz points, no code
    assert (row_of(client, "bob")["score"], row_of(client, "bob")["solved"]) == (100, 0)
    assert (row_of(client, "cleo")["score"], row_of(client, "cleo")["solved"]) == (12, 0)
    assert not listed(client, bob, "quiz-routes")["solved"]
    answer(client, bob, RIGHT)
    assert (row_of(client, "bob")["score"], row_of(client, "bob")["solved"]) == (112, 1)
    code(app, client, bob, slug="hello-routes")  # a challenge without a quiz: code is all
    assert (row_of(client, "bob")["score"], row_of(client, "bob")["solved"]) == (212, 2)


def test_a_quiz_only_challenge_is_solved_by_its_quiz(client, student):
    response = answer(client, student, DEMO_RIGHT, slug="quiz-demo")
    assert response.status_code == 201
    assert (response.get_json()["score"], response.get_json()["max_score"]) == (22, 22)
    assert row_of(client, "ann") | {"last_improvement": None} == {
        "rank": 1, "name": "ann", "score": 22, "solved": 1, "last_improvement": None}
    demo = listed(client, student, "quiz-demo")
    assert (demo["best_score"], demo["best_code_score"], demo["solved"]) == (22, None, True)


def test_teachers_quiz_attempts_are_not_ranked(client, teacher):
    answer(client, teacher, RIGHT)
    assert client.get("/api/v1/leaderboard").get_json()["rows"] == []


def test_a_partial_attempt_counts_its_points(client, student):
    answer(client, student, {"route-decorator": [0], "missing-route": {"status": 404}})
    assert row_of(client, "ann")["score"] == 4 and row_of(client, "ann")["solved"] == 0


def test_the_scores_csv_has_the_quiz_columns(app, client, student, auth, fake_runner):
    code(app, client, student)
    answer(client, student, WRONG)
    auth.login()
    text = client.get("/teach/challenges/quiz-routes/scores.csv").get_data(as_text=True)
    header, ann = text.splitlines()[:2]
    assert header.endswith("best_quiz_score,quiz_max_score,quiz_attempts")
    assert ann.startswith("ann,100,100,1,") and ann.endswith(",1,12,1")
