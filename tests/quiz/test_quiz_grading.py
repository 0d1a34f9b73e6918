"""Grading answers: each kind, partial credit, unanswered and invalid answers, fill results."""

from __future__ import annotations

import json

import pytest
from quiz_support import EXPECTED, RIGHT

from runner import GradeResult, RunnerError, TestResult, Verdict
from runner.quiz import QuizError, grade_answers
from runner.quiz.grading import json_equal, longest_run


def no_fill(question, files):
    raise AssertionError(f"{question.id} should not reach the sandbox")


def fill_passing(question, files):
    """A stand-in for the sandbox: passes when the files hold the reference answers."""
    reference = question.app_files({b.name: b.answer for b in question.blanks})
    ok = files == reference
    return GradeResult(status=Verdict.PASSED if ok else Verdict.FAILED,
                       score=question.points if ok else 0, max_score=question.points,
                       tests=[TestResult(id="t", title="The snippet works",
                                         status="passed" if ok else "failed",
                                         points=question.points if ok else 0,
                                         max_points=question.points,
                                         message="" if ok else "look again")])


def grade(quiz, answers, run_fill=no_fill):
    return {q.id: q for q in grade_answers(quiz, answers, EXPECTED, run_fill=run_fill).questions}


def test_right_answers_earn_every_point(demo):
    result = grade_answers(demo, RIGHT, EXPECTED, run_fill=fill_passing)
    assert (result.score, result.max_score) == (22, 22)
    assert {q.status for q in result.questions} == {"correct"}
    record = result.to_dict()
    assert json.loads(json.dumps(record)) == record
    assert [q["id"] for q in record["questions"]] == [q.id for q in demo.questions]


def test_nothing_answered_scores_zero(demo):
    result = grade_answers(demo, {}, EXPECTED, run_fill=no_fill)
    assert result.score == 0
    assert {q.status for q in result.questions} == {"unanswered"}


def test_single_choice(demo):
    right = grade(demo, {"abort-status": [0]})["abort-status"]
    assert (right.status, right.points) == ("correct", 2)
    assert right.details["choices"] == [{"id": 0, "correct": True, "feedback":
                                         "Right: `abort` raises, so nothing after it in the view runs."}]
    assert right.explanation.startswith("`abort` raises")
    wrong = grade(demo, {"abort-status": [1]})["abort-status"]
    assert (wrong.status, wrong.points) == ("wrong", 0)
    assert wrong.details["choices"][0]["feedback"] == "`abort` never returns: it raises `NotFound`."


@pytest.mark.parametrize(("chosen", "points", "status"), [
    ([0, 1], 4, "correct"),
    ([1], 2, "partial"),
    ([0, 1, 2], 2, "partial"),   # two right, one wrong: (2 - 1) / 2 of 4
    ([0, 2], 0, "wrong"),        # one right, one wrong
    ([2, 3], 0, "wrong"),
    ([0, 1, 2, 3], 0, "wrong"),  # choosing everything earns nothing
])
def test_multiple_choice_partial_credit(demo, chosen, points, status):
    result = grade(demo, {"safe-methods": chosen})["safe-methods"]
    assert (result.points, result.status) == (points, status)
    assert [c["id"] for c in result.details["choices"]] == sorted(chosen)


SOLUTION = RIGHT["hooks-in-order"]


@pytest.mark.parametrize(("answer", "points", "run"), [
    (SOLUTION, 4, 4),
    ([SOLUTION[0], SOLUTION[1], SOLUTION[3], SOLUTION[2]], 2, 2),
    ([SOLUTION[1], SOLUTION[2], SOLUTION[3], SOLUTION[0]], 3, 3),
    ([SOLUTION[3], SOLUTION[2], SOLUTION[1], SOLUTION[0]], 1, 1),
    # every line in place but one indented wrongly: the run is cut there
    ([*SOLUTION[:3], "g.count = 1"], 3, 3),
    # right lines with a distractor inside
    ([*SOLUTION[:2], "    request.started = time.perf_counter()", *SOLUTION[2:]], 2, 2),
    # trailing spaces and tabs as four spaces are forgiven
    ([SOLUTION[0] + "  ", SOLUTION[1], "\tg.started = time.perf_counter()", SOLUTION[3]], 4, 4),
])
def test_order_partial_credit_by_longest_run(demo, answer, points, run):
    result = grade(demo, {"hooks-in-order": answer})["hooks-in-order"]
    assert (result.points, result.details["longest_run"]) == (points, run)
    assert result.status == ("correct" if points == 4 else "partial")


def test_longest_run():
    assert longest_run(list("abcd"), list("abcd")) == 4
    assert longest_run(list("xbcy"), list("abcd")) == 2
    assert longest_run(list("dcba"), list("abcd")) == 1
    assert longest_run([], list("abc")) == 0


def test_predict_parts_share_the_points(demo):
    results = grade(demo, {
        "converter-mismatch": {"status": 200},
        "json-echo": {"status": 200, "body": '{"ok": true, "name": "pen", "id": 3}',
                      "mimetype": "text/html"},
        "gone-away": {"status": 301, "location": " /new "},
    })
    assert (results["converter-mismatch"].status, results["converter-mismatch"].points) == ("wrong", 0)
    assert results["converter-mismatch"].details["parts"]["status"] == {
        "given": 200, "expected": 404, "correct": False}
    echo = results["json-echo"]
    assert (echo.status, echo.points) == ("partial", 2)  # two of three parts, of 3 points
    assert [p["correct"] for p in echo.details["parts"].values()] == [True, True, False]
    assert (results["gone-away"].status, results["gone-away"].points) == ("correct", 2)


def test_a_missing_part_is_wrong(demo):
    echo = grade(demo, {"json-echo": {"status": 200}})["json-echo"]
    assert (echo.status, echo.points) == ("partial", 1)
    assert echo.details["parts"]["body"] == {"given": None, "expected": EXPECTED["json-echo"]["body"],
                                             "correct": False}


@pytest.mark.parametrize(("body", "right"), [
    ('{"id":3,"name":"pen","ok":true}', True),
    ('{\n  "name": "pen", "id": 3.0, "ok": true\n}', True),
    ('{"id": 3, "name": "pen", "ok": 1}', False),  # true is not 1
    ('{"id": 3, "name": "pen"}', False),
    ("id 3 name pen", False),                      # not JSON at all
])
def test_a_json_body_is_compared_as_json(demo, body, right):
    part = grade(demo, {"json-echo": {"body": body}})["json-echo"].details["parts"]["body"]
    assert part["correct"] is right


def test_a_text_body_is_compared_after_trimming(variant):
    quiz = variant("gone-away", lambda q: q.__setitem__("ask", ["body"]))
    expected = dict(EXPECTED, **{"gone-away": dict(EXPECTED["gone-away"], body="Hi\r\nthere \n")})
    for given, right in (("  Hi\nthere", True), ("Hi\r\nthere", True), ("Hi there", False)):
        result = grade_answers(quiz, {"gone-away": {"body": given}}, expected, run_fill=no_fill)
        assert result.questions[5].details["parts"]["body"]["correct"] is right


@pytest.mark.parametrize(("given", "right"), [
    ("/new", True), ("http://localhost/new", True), ("new", True),
    ("/new/", False), ("http://example.com/new", False), ("/old", False)])
def test_a_location_is_the_same_place_on_the_test_host(demo, given, right):
    part = grade(demo, {"gone-away": {"location": given}})["gone-away"].details["parts"]["location"]
    assert part["correct"] is right


def test_mimetype_ignores_case_and_parameters(demo):
    answer = {"json-echo": {"mimetype": "Application/JSON; charset=utf-8"}}
    assert grade(demo, answer)["json-echo"].details["parts"]["mimetype"]["correct"] is True


def test_json_equal_is_strict_about_types():
    assert json_equal({"a": [1, 2.0]}, {"a": [1.0, 2]})
    assert not json_equal(True, 1) and not json_equal(0, False) and not json_equal(None, 0)
    assert not json_equal("1", 1) and not json_equal([1], [1, 1])


INVALID = [
    ("abort-status", [0, 1], "Choose exactly one answer."),
    ("abort-status", [7], "Choice ids are 0..2."),
    ("abort-status", 0, "must be a list of choice ids"),
    ("abort-status", ["0"], "must be a list of choice ids"),
    ("abort-status", [True], "must be a list of choice ids"),
    ("safe-methods", [0, 0], "only once"),
    ("hooks-in-order", "@app.before_request", "must be a list of lines"),
    ("hooks-in-order", ["@app.route('/')"], "is not one of the given lines"),
    ("hooks-in-order", [SOLUTION[0], SOLUTION[0]], "used more often than it is given"),
    ("hooks-in-order", ["a\nb"], "one line"),
    ("converter-mismatch", 404, "must be an object with status"),
    ("converter-mismatch", {"status": "404"}, "status must be a whole number"),
    ("converter-mismatch", {"status": True}, "status must be a whole number"),
    ("converter-mismatch", {"body": "x"}, "'body' is not asked"),
    ("json-echo", {"body": 3}, "body must be text"),
    ("int-converter", "<int:user_id>", "must be an object with the blanks rule"),
    ("int-converter", {"rule": "<int:id>\nimport os"}, "must be a single line"),
    ("int-converter", {"rule": "x\u2028y"}, "must be a single line"),
    ("int-converter", {"rule": "x" * 201}, "at most 200"),
    ("int-converter", {"rule": 3}, "must be text"),
    ("int-converter", {"other": "x"}, "'other' is not a blank"),
]


@pytest.mark.parametrize(("qid", "answer", "message"), INVALID,
                         ids=[f"{q}-{m}" for q, _a, m in INVALID])
def test_bad_answer_shapes_are_invalid_never_errors(demo, qid, answer, message):
    result = grade(demo, {qid: answer})[qid]
    assert (result.status, result.points) == ("invalid", 0)
    assert message in result.message


def test_answers_that_are_not_an_object_make_every_question_invalid(demo):
    result = grade_answers(demo, ["abort-status"], EXPECTED, run_fill=no_fill)
    assert result.score == 0 and {q.status for q in result.questions} == {"invalid"}
    assert "must be an object" in result.questions[0].message


def test_unknown_question_ids_are_reported(demo):
    result = grade_answers(demo, {"nope": [1], "abort-status": [0]}, EXPECTED, run_fill=no_fill)
    assert result.ignored == ["nope"] and result.score == 2


def test_fill_runs_in_the_sandbox_with_the_completed_files(demo):
    seen = {}

    def record(question, files):
        seen[question.id] = files
        return fill_passing(question, files)

    results = grade(demo, {"int-converter": {"rule": "<user_id>"},
                           "child-template": {"tag": "extends", "block": "content"}}, record)
    assert b'@app.get("/users/<user_id>")' in seen["int-converter"]["app.py"]
    assert seen["child-template"]["templates/page.html"].startswith(b'{% extends "layout.html" %}')
    assert b"render_template" in seen["child-template"]["app.py"]
    wrong = results["int-converter"]
    assert (wrong.status, wrong.points) == ("wrong", 0)
    assert wrong.details["tests"] == [{"title": "The snippet works", "status": "failed",
                                       "message": "look again"}]
    assert results["child-template"].status == "correct"


def test_a_blank_cannot_fill_another_blank(demo):
    seen = {}

    def record(question, files):
        seen.update(files)
        return fill_passing(question, files)

    grade(demo, {"child-template": {"tag": "[[block]]", "block": "content"}}, record)
    assert seen["templates/page.html"].startswith(b'{% [[block]] "layout.html" %}')


def test_fill_partial_credit_and_no_full_points_without_passing(demo):
    def partly(question, files):
        tests = [TestResult(id="a", title="A", status="passed", points=2, max_points=2),
                 TestResult(id="b", title="B", status="failed", points=0, max_points=0)]
        return GradeResult(status=Verdict.FAILED, score=2, max_score=2, tests=tests)

    def half(question, files):
        tests = [TestResult(id="a", title="A", status="passed", points=2, max_points=2),
                 TestResult(id="b", title="B", status="failed", points=0, max_points=1)]
        return GradeResult(status=Verdict.FAILED, score=2, max_score=3, tests=tests)

    # a failing test of weight 0 still keeps full points away
    assert grade(demo, {"child-template": {"tag": "x"}}, partly)["child-template"].points == 1
    result = grade(demo, {"int-converter": {"rule": "x"}}, half)["int-converter"]
    assert (result.status, result.points) == ("partial", 2)


def test_a_sandbox_fault_is_raised_not_scored(demo):
    def broken(question, files):
        return GradeResult(status=Verdict.INTERNAL_ERROR, score=0, max_score=3, message="boom")

    with pytest.raises(RunnerError, match="'int-converter' could not be graded: boom"):
        grade(demo, {"int-converter": {"rule": "x"}}, broken)


def test_a_predict_question_without_its_computed_answer_is_a_quiz_error(demo):
    with pytest.raises(QuizError, match="'json-echo' has no computed answer"):
        grade_answers(demo, {}, {"converter-mismatch": EXPECTED["converter-mismatch"]},
                      run_fill=no_fill)
