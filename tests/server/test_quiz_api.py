"""The quiz API: questions without answers, graded attempts, continued attempts, statistics."""

from __future__ import annotations

import pytest
from quiz_server_support import RIGHT, WRONG, answer, load_quizzes, statuses_of

SECRET_KEYS = {"correct", "feedback", "answer", "tests", "explanation", "distractors"}


@pytest.fixture(autouse=True)
def quizzes_loaded(app):
    load_quizzes(app)


def keys_of(value, found=None):
    """Every key anywhere in a JSON value."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            keys_of(item, found)
    elif isinstance(value, list):
        for item in value:
            keys_of(item, found)
    return found


def orders(view):
    """The choice ids and order lines of every question, as shown."""
    return [([c["id"] for c in q.get("choices", [])], q.get("lines")) for q in view["questions"]]


def test_the_questions_carry_no_answers_and_a_stable_order_per_learner(client, make_user):
    _, ann = make_user("ann")
    _, bob = make_user("bob")
    first = client.get("/api/v1/challenges/quiz-routes/quiz", headers=ann).get_json()
    assert [q["id"] for q in first["questions"]] == list(RIGHT)
    assert first["points"] == 12 and first["attempts"] == [] and first["best_score"] is None
    assert not keys_of(first["questions"]) & SECRET_KEYS
    again = client.get("/api/v1/challenges/quiz-routes/quiz", headers=ann).get_json()
    assert again["questions"] == first["questions"]
    other = client.get("/api/v1/challenges/quiz-routes/quiz", headers=bob).get_json()
    assert orders(first) != orders(other), "two learners see choices and lines in other orders"
    blank = first["questions"][4]["blanks"]
    assert blank == [{"name": "rule", "width": 12}]


def test_anonymous_visitors_see_one_order_and_no_attempts(client):
    first = client.get("/api/v1/challenges/quiz-routes/quiz").get_json()
    second = client.get("/api/v1/challenges/quiz-routes/quiz").get_json()
    assert first == second and first["attempts"] == []


def test_a_challenge_without_a_quiz_is_404(client, student):
    response = client.get("/api/v1/challenges/hello-routes/quiz", headers=student)
    assert response.status_code == 404
    assert "quiz" in response.get_json()["error"]["message"]


def test_right_answers_score_every_point(app, client, student):
    response = answer(client, student, RIGHT)
    assert response.status_code == 201
    record = response.get_json()
    assert record["kind"] == "quiz" and record["status"] == "passed"
    assert (record["score"], record["max_score"]) == (12, 12)
    assert set(statuses_of(record).values()) == {"correct"}
    assert record["tests"] == [] and record["ignored"] == [] and record["answers"] == RIGHT
    predict = record["questions"][3]
    assert predict["parts"] == {"status": {"given": 404, "expected": 404, "correct": True}}
    fill = record["questions"][4]
    assert fill["tests"] == [{"title": "The view greets by name", "status": "passed",
                              "message": ""}]
    chosen = record["questions"][0]["choices"]
    assert chosen == [{"id": 0, "correct": True, "feedback":
                       "Right: the decorator adds a URL rule that points to the function."}]
    # The check was skipped (a trusted folder): the first grading computed the predict
    # answers in the sandbox and kept them with the version.
    from grader.services import challenges
    with app.app_context():
        version = challenges.get("quiz-routes", None).current_version
        assert version.report["quiz"]["expected"]["missing-route"]["status"] == 404


def test_wrong_answers_get_each_choice_feedback_and_no_points(client, student):
    record = answer(client, student, WRONG).get_json()
    assert record["status"] == "failed" and record["score"] == 1
    assert statuses_of(record) == {"route-decorator": "wrong", "route-parts": "wrong",
                                   "hello-view": "partial", "missing-route": "wrong",
                                   "dynamic-rule": "wrong"}
    assert record["questions"][0]["choices"][0]["feedback"].startswith("Nothing is called")
    assert record["questions"][2]["longest_run"] == 1
    assert record["questions"][3]["parts"]["status"] == {"given": 200, "expected": 404,
                                                         "correct": False}


def test_answers_of_the_wrong_shape_are_invalid_questions(client, student):
    response = answer(client, student, {"route-decorator": "the first", "hello-view": ["x = 1"],
                                        "missing-route": {"status": "404"},
                                        "not-a-question": [0]})
    assert response.status_code == 201
    record = response.get_json()
    states = statuses_of(record)
    assert states["route-decorator"] == states["hello-view"] == "invalid"
    assert states["missing-route"] == "invalid" and states["dynamic-rule"] == "unanswered"
    messages = {q["id"]: q["message"] for q in record["questions"]}
    assert messages["route-decorator"] == "The answer must be a list of choice ids (numbers)."
    assert messages["missing-route"] == "status must be a whole number, such as 200."
    assert record["ignored"] == ["not-a-question"] and record["score"] == 0


@pytest.mark.parametrize("body", [
    [1, 2], "answers", {"answers": [0]}, {"answers": "all right"}, {"attempt": 1}, None,
])
def test_a_body_that_is_not_an_object_of_answers_is_422(client, student, body):
    if body is None:
        response = client.post("/api/v1/challenges/quiz-routes/quiz/answers", data="not json",
                               content_type="text/plain", headers=student)
    else:
        response = client.post("/api/v1/challenges/quiz-routes/quiz/answers", json=body,
                               headers=student)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] in ("invalid_answers", "invalid_request")


def test_answering_needs_a_token(client):
    response = client.post("/api/v1/challenges/quiz-routes/quiz/answers",
                           json={"answers": RIGHT})
    assert response.status_code == 401


def test_wait_0_answers_202_and_the_record_follows(app, client, student):
    from grader.services import jobs

    app.extensions["grader_queue"].shutdown()  # nothing grades until the test says so
    response = answer(client, student, RIGHT, wait=0)
    assert response.status_code == 202
    record = response.get_json()
    assert record["status"] == "queued" and record["questions"] == []
    assert response.headers["Location"] == f"/api/v1/submissions/{record['id']}"
    with app.app_context():
        assert jobs.run_next().action == "done"
    graded = client.get(f"/api/v1/submissions/{record['id']}", headers=student).get_json()
    assert graded["status"] == "passed" and len(graded["questions"]) == 5


def test_an_attempt_is_continued_one_question_at_a_time(client, student):
    first = answer(client, student, {"route-decorator": [0]})
    assert first.status_code == 201
    attempt = first.get_json()["id"]
    assert first.get_json()["score"] == 2
    assert statuses_of(first.get_json())["route-parts"] == "unanswered"
    second = answer(client, student, {"route-parts": [0, 1]}, attempt=attempt)
    assert second.status_code == 200
    record = second.get_json()
    assert record["id"] == attempt and record["score"] == 4
    assert record["answers"] == {"route-decorator": [0], "route-parts": [0, 1]}
    again = answer(client, student, {"route-decorator": [1]}, attempt=attempt)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_answered"
    mine = client.get("/api/v1/challenges/quiz-routes/quiz", headers=student).get_json()
    assert [(a["id"], a["score"], a["answered"]) for a in mine["attempts"]] == [(attempt, 4, 2)]
    assert mine["best_score"] == 4


def test_only_the_owner_continues_an_attempt_of_this_quiz(client, student, make_user, teacher):
    attempt = answer(client, student, {"route-decorator": [0]}).get_json()["id"]
    _, bob = make_user("bob")
    assert answer(client, bob, {"route-parts": [0]}, attempt=attempt).status_code == 403
    assert answer(client, teacher, {"route-parts": [0]}, attempt=attempt).status_code == 403
    elsewhere = answer(client, student, {"abort-status": [0]}, slug="quiz-demo",
                       attempt=attempt)
    assert elsewhere.status_code == 404
    assert answer(client, student, {"route-parts": [0]}, attempt=999).status_code == 404


def test_a_code_submission_of_a_quiz_only_challenge_is_409(client, student):
    from server_support import submit

    response = submit(client, student, slug="quiz-demo")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "quiz_only"


def test_statistics_count_learners_choices(client, make_user, teacher, student):
    _, bob = make_user("bob")
    answer(client, student, RIGHT)
    answer(client, bob, WRONG)
    answer(client, teacher, WRONG)  # teachers' own tries are not counted
    stats = client.get("/api/v1/challenges/quiz-routes/quiz/stats", headers=teacher).get_json()
    assert (stats["attempts"], stats["learners"], stats["max_score"]) == (2, 2, 12)
    assert stats["mean_score"] == (12 + 1) / 2
    first = stats["questions"][0]
    assert (first["answered"], first["correct"], first["wrong"]) == (2, 1, 1)
    assert first["correct_rate"] == 0.5
    assert [(c["id"], c["chosen"], c["correct"]) for c in first["choices"]] == [
        (0, 1, True), (1, 1, False), (2, 0, False)]
    order = stats["questions"][2]
    assert (order["correct"], order["partial"]) == (1, 1) and "choices" not in order
    assert client.get("/api/v1/challenges/quiz-routes/quiz/stats",
                      headers=student).status_code == 403


def test_a_regrade_grades_quiz_attempts_out_of_the_quiz_points(app, client, student, teacher):
    from server_support import wait_final

    attempt = answer(client, student, RIGHT).get_json()["id"]
    response = client.post("/api/v1/challenges/quiz-routes/regrade", headers=teacher)
    assert response.status_code == 202 and attempt in response.get_json()["submissions"]
    graded = wait_final(app, attempt)
    assert (graded.score, graded.max_score, graded.kind) == (12, 12, "quiz")
