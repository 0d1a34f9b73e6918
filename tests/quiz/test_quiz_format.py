"""Reading quiz.toml: the demo parses into the four kinds; every mistake is one clear line."""

from __future__ import annotations

import pytest
from quiz_support import DEMO

from runner import ChallengeError, load_challenge
from runner.quiz import (
    ChoiceQuestion,
    FillQuestion,
    OrderQuestion,
    PredictQuestion,
    QuizError,
    load_quiz,
    parse_quiz,
)


def test_the_demo_parses_into_every_kind(demo):
    kinds = [type(q) for q in demo.questions]
    assert kinds == [ChoiceQuestion, ChoiceQuestion, OrderQuestion, PredictQuestion,
                     PredictQuestion, PredictQuestion, FillQuestion, FillQuestion]
    assert demo.points == 22
    assert demo.intro == "Eight questions, two of each kind."
    choice = demo.question("safe-methods")
    assert choice.multiple and choice.right == {0, 1} and [c.id for c in choice.choices] == [0, 1, 2, 3]
    predict = demo.question("json-echo")
    assert predict.entry == "app:create_app" and predict.ask == ("status", "body", "mimetype")
    assert predict.request == {"method": "POST", "path": "/items/3", "json": {"name": "pen"}}
    assert demo.question("gone-away").request == {"method": "GET", "path": "/old"}
    fill = demo.question("child-template")
    assert fill.snippet_path == "templates/page.html"
    assert [b.name for b in fill.blanks] == ["tag", "block"]
    assert "app.py" in fill.files


def test_requests_may_repeat_names_and_upload_files(variant):
    quiz = variant("converter-mismatch", lambda q: q.__setitem__("request", {
        "method": "post", "path": "/upload", "query_string": "tag=a&tag=b",
        "data": {"title": "Q4"}, "files": {"document": {"filename": "r.pdf", "content": "%PDF"}}}))
    assert quiz.question("converter-mismatch").request == {
        "method": "POST", "path": "/upload", "query_string": "tag=a&tag=b", "data": {"title": "Q4"},
        "files": {"document": {"filename": "r.pdf", "content": "%PDF"}}}


def test_a_folder_without_quiz_has_none(tmp_path):
    assert load_quiz(tmp_path) is None


def test_a_quiz_only_folder_is_a_challenge():
    challenge = load_challenge(DEMO)
    assert challenge.quiz_only and challenge.slug == "quiz-demo"


def test_a_folder_with_neither_tests_nor_quiz_is_refused(tmp_path):
    (tmp_path / "challenge.toml").write_text('slug = "nothing"\ntitle = "Nothing"\n')
    with pytest.raises(ChallengeError, match="test_\\*.py file"):
        load_challenge(tmp_path)


def test_toml_syntax_errors_name_the_file(tmp_path):
    (tmp_path / "quiz.toml").write_text("[[questions]\n")
    with pytest.raises(QuizError, match="^quiz.toml: "):
        load_quiz(tmp_path)


def test_unknown_concepts_are_refused_when_the_curriculum_is_known(demo_data):
    with pytest.raises(QuizError, match="'abort-status': concepts names an unknown concept id"):
        parse_quiz(demo_data, concepts={"routing.converters"})


def _set(key, value):
    return lambda q: q.__setitem__(key, value)


def _drop(key):
    return lambda q: q.pop(key)


BAD = [
    ("abort-status", _set("kind", "essay"), "'abort-status': kind must be one of"),
    ("abort-status", _set("points", 0), "'abort-status': points must be a whole number 1..100"),
    ("abort-status", _set("points", 2.5), "'abort-status': points must be a whole number"),
    ("abort-status", _set("concepts", []), "'abort-status': concepts must be a non-empty list"),
    ("abort-status", _drop("prompt"), "'abort-status': prompt is required"),
    ("abort-status", _set("answer", 0), "'abort-status': answer is not a known field"),
    ("abort-status", lambda q: q["choices"][1].__setitem__("correct", True),
     "'abort-status': choices have 2 right answers: set multiple = true"),
    ("abort-status", lambda q: q["choices"][0].pop("correct"),
     "'abort-status': choices need at least one with correct = true"),
    ("abort-status", lambda q: q["choices"][2].pop("feedback"),
     "'abort-status': choices[2]: feedback is required"),
    ("abort-status", lambda q: q.__setitem__("choices", q["choices"][:1]),
     "'abort-status': choices must hold at least two"),
    ("abort-status", lambda q: q["choices"][2].__setitem__("text", q["choices"][1]["text"]),
     "'abort-status': choices must not repeat a text"),
    ("hooks-in-order", lambda q: q.__setitem__("lines", q["lines"][:2]),
     "'hooks-in-order': lines must hold at least three lines"),
    ("hooks-in-order", lambda q: q["lines"].__setitem__(2, "\tg.started = 1"),
     "'hooks-in-order': lines line"),
    ("hooks-in-order", lambda q: q["lines"].__setitem__(2, "   g.started = 1"),
     "indented by multiples of 4 spaces"),
    ("hooks-in-order", _set("distractors", ["def start_timer():"]),
     "'hooks-in-order': distractors line 'def start_timer():' is also a line of the solution"),
    ("converter-mismatch", _drop("app"), "'converter-mismatch': app is required"),
    ("converter-mismatch", _set("ask", ["status", "cookies"]), "'converter-mismatch': ask must"),
    ("converter-mismatch", _set("ask", []), "'converter-mismatch': ask must"),
    ("converter-mismatch", _set("request", {"path": "items"}),
     "'converter-mismatch': request: path must start with /"),
    ("converter-mismatch", _set("request", {"method": "FETCH", "path": "/"}),
     "'converter-mismatch': request: method must be one of"),
    ("converter-mismatch", _set("request", {"path": "/", "body": "x"}),
     "'converter-mismatch': request: body is not a known field"),
    ("converter-mismatch", _set("request", {"path": "/", "json": {}, "data": "x"}),
     "request: data and json cannot both be sent"),
    ("converter-mismatch", _set("request", {"path": "/", "files": {"doc": {"filename": "a"}}}),
     "request: files must be a table of field = { filename = ..., content = ... }"),
    ("converter-mismatch", _set("request", {"path": "/", "data": "x",
                                            "files": {"doc": {"filename": "a", "content": "b"}}}),
     "request: files are sent as a multipart form"),
    ("converter-mismatch", _set("request", {"path": "/", "query_string": ["a"]}),
     "request: query_string must be text (a=1&b=2) or a table of name = text"),
    ("converter-mismatch", _set("entry", "factory:make"),
     "'converter-mismatch': entry names module 'factory', which no file defines"),
    ("converter-mismatch", _set("files", {"../evil.py": "x"}), "'converter-mismatch': files"),
    ("converter-mismatch", _set("files", {"app.py": "x"}), "files must not hold app.py"),
    ("int-converter", _set("snippet", "no blanks here"), "'int-converter': snippet has no blank"),
    ("int-converter", lambda q: q["blanks"].__setitem__("extra", {"answer": "x"}),
     "'int-converter': blanks must match the snippet's blanks: missing [], not in the snippet ['extra']"),
    ("int-converter", lambda q: q["blanks"]["rule"].pop("answer"),
     "'int-converter': blanks.rule: answer is required"),
    ("int-converter", lambda q: q["blanks"]["rule"].__setitem__("answer", "a\nb"),
     "'int-converter': blanks.rule: answer must be one line"),
    ("int-converter", lambda q: q["blanks"]["rule"].__setitem__("width", 0),
     "'int-converter': blanks.rule: width must be a whole number"),
    ("int-converter", _set("tests", "def test_x(:\n"), "'int-converter': tests is not valid Python"),
    ("int-converter", _set("tests", "x = 1\n"), "'int-converter': tests must define at least one"),
    ("child-template", lambda q: q["files"].pop("app.py"),
     "'child-template': entry names module 'app', which no file defines"),
]


@pytest.mark.parametrize(("qid", "change", "message"), BAD, ids=[m for _q, _c, m in BAD])
def test_each_mistake_is_a_clear_error(variant, qid, change, message):
    with pytest.raises(QuizError) as caught:
        variant(qid, change)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text and text.startswith("quiz.toml: question ")


def test_ids_are_unique(demo_data):
    data = dict(demo_data, questions=[*demo_data["questions"], demo_data["questions"][0]])
    with pytest.raises(QuizError, match="'abort-status': id is used twice"):
        parse_quiz(data)


def test_a_bad_id_is_named_as_written_or_by_position(demo_data):
    first = demo_data["questions"][0]
    with pytest.raises(QuizError, match="question 'Bad Id': id must match"):
        parse_quiz(dict(demo_data, questions=[dict(first, id="Bad Id")]))
    with pytest.raises(QuizError, match="questions\\[1\\]: id must match"):
        parse_quiz(dict(demo_data, questions=[first, dict(first, id=7)]))


def test_the_top_level_is_checked(demo_data):
    with pytest.raises(QuizError, match="title is not a known field"):
        parse_quiz(dict(demo_data, title="x"))
    with pytest.raises(QuizError, match="needs at least one"):
        parse_quiz({"questions": []})
