"""What learners are shown: no answers, and an order shuffled per learner, stable per learner."""

from __future__ import annotations

import json
import subprocess
import sys

from quiz_support import DEMO

from runner.quiz import public_view


def test_the_view_is_plain_json_without_answers(demo):
    view = public_view(demo, seed="ann")
    text = json.dumps(view)
    assert json.loads(text) == view
    for secret in ("feedback", "correct", "answer", "tests", "explanation", "distractors"):
        assert f'"{secret}"' not in text, f"the view has a {secret!r} field"
    for question in demo.questions:
        for choice in getattr(question, "choices", ()):
            assert choice.feedback not in text
        assert not question.explanation or question.explanation not in text
        for blank in getattr(question, "blanks", ()):
            assert f'"{blank.answer}"' not in text
        if getattr(question, "tests", ""):
            assert "def test_" not in text
    assert view["points"] == 22 and view["intro"] == demo.intro
    assert [q["id"] for q in view["questions"]] == [q.id for q in demo.questions]


def test_each_kind_shows_what_the_learner_needs(demo):
    view = {q["id"]: q for q in public_view(demo, seed=1)["questions"]}
    choice = view["safe-methods"]
    assert choice["multiple"] is True
    assert sorted(c["id"] for c in choice["choices"]) == [0, 1, 2, 3]
    assert {c["id"]: c["text"] for c in choice["choices"]} == {0: "GET", 1: "HEAD", 2: "POST",
                                                                3: "DELETE"}
    order = view["hooks-in-order"]
    assert sorted(order["lines"]) == sorted(["@app.before_request", "def start_timer():",
                                             "g.started = time.perf_counter()", "g.count = 1",
                                             "request.started = time.perf_counter()"])
    assert order["indent"] == 4
    predict = view["json-echo"]
    assert predict["request"] == {"method": "POST", "path": "/items/3", "json": {"name": "pen"}}
    assert predict["ask"] == ["status", "body", "mimetype"] and "create_app" in predict["app"]
    fill = view["child-template"]
    assert fill["blanks"] == [{"name": "tag", "width": 8}, {"name": "block", "width": 8}]
    assert "[[tag]]" in fill["snippet"] and fill["snippet_path"] == "templates/page.html"
    assert "templates/layout.html" in fill["files"]


def _orders(view):
    return {q["id"]: [c["id"] for c in q["choices"]] if "choices" in q else q.get("lines")
            for q in view["questions"] if "choices" in q or "lines" in q}


def test_the_same_seed_gives_the_same_order(demo):
    assert _orders(public_view(demo, "ann")) == _orders(public_view(demo, "ann"))


def test_the_order_is_the_same_in_another_process(demo):
    code = ("import json, sys; from runner.quiz import load_quiz, public_view; "
            f"print(json.dumps(public_view(load_quiz({str(DEMO)!r}), 'ann')))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert _orders(json.loads(other.stdout)) == _orders(public_view(demo, "ann"))


def test_different_seeds_give_different_orders(demo):
    seen = {json.dumps(_orders(public_view(demo, seed))) for seed in range(20)}
    assert len(seen) >= 15
    firsts = {public_view(demo, s)["questions"][1]["choices"][0]["id"] for s in range(40)}
    assert firsts == {0, 1, 2, 3}, "every choice comes first for some learner"


def test_fixed_order_keeps_the_file_order(variant):
    quiz = variant("safe-methods", lambda q: q.__setitem__("fixed_order", True))
    for seed in range(10):
        choices = public_view(quiz, seed)["questions"][1]["choices"]
        assert [c["id"] for c in choices] == [0, 1, 2, 3]


def test_order_lines_never_show_the_solution_in_one_piece(variant):
    quiz = variant("hooks-in-order", lambda q: q.__setitem__("distractors", []))
    solution = ["@app.before_request", "def start_timer():", "g.started = time.perf_counter()",
                "g.count = 1"]
    for seed in range(100):
        assert public_view(quiz, seed)["questions"][2]["lines"] != solution
