"""The quiz pages without a browser: plain forms in both modes, feedback, attempts, statistics."""

from __future__ import annotations

import re

import pytest
from quiz_server_support import DEMO_RIGHT, RIGHT, WRONG, answer, load_quizzes
from server_support import PASSWORD, wait_final

from grader.extensions import db
from grader.models import Submission
from grader.services import accounts

ORDER = "hello-view"


@pytest.fixture(autouse=True)
def quizzes_loaded(app):
    load_quizzes(app)


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def sign_in(app, auth, name: str) -> None:
    """A new learner, signed in through the login page."""
    with app.app_context():
        accounts.register(name, PASSWORD)
    auth.login(name)


def shown_view(client) -> dict:
    """The questions as the signed-in learner's page shows them (same seed as the API)."""
    return client.get("/api/v1/challenges/quiz-routes/quiz").get_json()


def form_for(view: dict, answers: dict, mode: str = "all") -> dict:
    """The form fields a learner fills in to give `answers`."""
    data: dict = {"mode": mode}
    questions = {q["id"]: q for q in view["questions"]}
    for qid, value in answers.items():
        q = questions[qid]
        if q["kind"] == "choice":
            data[f"q.{qid}"] = [str(v) for v in value]
        elif q["kind"] == "order":
            for place, line in enumerate(value):
                data[f"q.{qid}.line.{place}"] = str(q["lines"].index(line.strip()))
                data[f"q.{qid}.indent.{place}"] = str((len(line) - len(line.lstrip())) // 4)
        elif q["kind"] == "predict":
            data.update({f"q.{qid}.{part}": str(v) for part, v in value.items()})
        else:
            data.update({f"q.{qid}.blank.{name}": v for name, v in value.items()})
    return data


def test_the_page_shows_every_question_without_its_answers(client):
    html = page(client, "/challenges/quiz-routes/quiz")
    for qid in RIGHT:
        assert f'id="question-{qid}"' in html
    assert "Right: the decorator" not in html, "no feedback before an answer"
    assert "A route maps a URL rule" not in html, "no explanation before an answer"
    assert 'aria-describedby="prompt-route-decorator hint-route-decorator"' in html
    assert 'aria-label="Blank rule"' in html and 'size="12"' in html
    assert "sign in</a>" in html and "Check my answers" not in html


def test_all_at_once_the_form_is_graded_and_the_attempt_shows_its_feedback(app, client, auth):
    sign_in(app, auth, "ann")
    response = client.post("/challenges/quiz-routes/quiz", data=form_for(shown_view(client), WRONG))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/challenges/quiz-routes/quiz/attempts/\d+", location)
    wait_final(app, int(location.rsplit("/", 1)[1]))  # a busy machine may outlast the page's wait
    html = page(client, location)
    assert 'id="quiz-score">1<small> / 12' in html
    assert html.count("<strong>Wrong</strong>") == 4 and "<strong>Partly right</strong>" in html
    assert "Your choice, wrong:" in html and "Nothing is called at start-up" in html
    assert "The longest stretch in the right order: 1 of 3 lines." in html
    assert "<code>200</code>" in html and "404" in html  # predict: given and real answer
    assert "the name should come from the URL" in html  # the fill test's message
    assert "A route maps a URL rule to a view function." in html  # the explanation
    quiz = page(client, "/challenges/quiz-routes/quiz")
    assert 'id="attempts"' in quiz and "1 / 12" in quiz


def test_one_at_a_time_each_answer_gets_its_feedback_then_the_next(app, client, auth):
    sign_in(app, auth, "ann")
    first = page(client, "/challenges/quiz-routes/quiz?mode=one")
    assert "Question 1 of 5" in first and 'id="question-route-parts"' not in first
    assert 'name="question" value="route-decorator"' in first
    view = shown_view(client)
    sent = client.post("/challenges/quiz-routes/quiz", data={
        **form_for(view, {"route-decorator": [0]}, mode="one"), "question": "route-decorator"})
    location = sent.headers["Location"]
    attempt = int(re.search(r"attempt=(\d+)", location).group(1))
    assert location.endswith("q=0#feedback")
    wait_final(app, attempt)
    feedback = page(client, location.split("#")[0])
    assert "<strong>Correct</strong>" in feedback and "Next question" in feedback
    assert 'name="question"' not in feedback, "an answered question shows feedback, no form"
    blank = client.post("/challenges/quiz-routes/quiz", data={
        "mode": "one", "question": "route-parts", "attempt": attempt})
    assert blank.status_code == 302
    assert "Answer the question before checking it" in page(client, blank.headers["Location"])
    client.post("/challenges/quiz-routes/quiz", data={
        **form_for(view, {ORDER: RIGHT[ORDER]}, mode="one"), "question": ORDER,
        "attempt": attempt})
    wait_final(app, attempt)
    with app.app_context():
        stored = db.session.get(Submission, attempt)
        assert set(stored.answers) == {"route-decorator", ORDER} and stored.score == 5
    resumed = page(client, f"/challenges/quiz-routes/quiz?mode=one&attempt={attempt}")
    assert "Question 2 of 5" in resumed, "a continued attempt opens on its first open question"
    again = client.post("/challenges/quiz-routes/quiz", data={
        **form_for(view, {"route-decorator": [1]}, mode="one"), "question": "route-decorator",
        "attempt": attempt})
    assert "already answered route-decorator" in page(client, again.headers["Location"])


def test_the_submission_page_of_an_attempt_is_its_quiz_page(client, auth, teacher):
    attempt = answer(client, teacher, RIGHT).get_json()["id"]
    auth.login()
    response = client.get(f"/submissions/{attempt}")
    assert response.headers["Location"] == f"/challenges/quiz-routes/quiz/attempts/{attempt}"


def test_learners_see_only_their_own_attempts(app, client, auth, student):
    attempt = answer(client, student, RIGHT).get_json()["id"]
    sign_in(app, auth, "bob")
    page(client, f"/challenges/quiz-routes/quiz/attempts/{attempt}", status=403)
    auth.logout()
    auth.login()  # the teacher
    html = page(client, f"/challenges/quiz-routes/quiz/attempts/{attempt}")
    assert "by <strong>ann</strong>" in html and 'id="quiz-score">12' in html


def test_the_teacher_page_counts_each_choice(client, auth, student, make_user):
    _, bob = make_user("bob")
    answer(client, student, RIGHT)
    answer(client, bob, WRONG)
    auth.login()
    html = page(client, "/teach/challenges/quiz-routes/quiz")
    section = html.split('id="stats-route-decorator"')[1].split("</section>")[0]
    assert "Answered in <strong>2</strong> attempts" in section and "<strong>50%</strong>" in section
    rows = re.findall(r'<tr class="(right|wrong)">.*?<td class="num">(\d+)</td>', section, re.DOTALL)
    assert rows == [("right", "1"), ("wrong", "1"), ("wrong", "0")]
    assert "✗</span> wrong answer" in section and "✓</span> right answer" in section
    assert "quiz-stats-link" in page(client, "/teach/challenges/quiz-routes")


def test_the_statistics_page_is_for_teachers(app, client, auth):
    sign_in(app, auth, "ann")
    assert client.get("/teach/challenges/quiz-routes/quiz").status_code == 403


def test_the_challenge_page_links_its_quiz_and_a_quiz_only_one_takes_no_code(client):
    routes = page(client, "/challenges/quiz-routes")
    assert 'id="quiz-link" href="/challenges/quiz-routes/quiz"' in routes
    assert "112</strong> points (100 code, 12 quiz)" in routes and 'id="submit"' in routes
    demo = page(client, "/challenges/quiz-demo")
    assert 'id="quiz-only"' in demo and 'id="submit"' not in demo
    listing = page(client, "/challenges/")
    assert "100 code + 12 quiz" in listing


def test_a_quiz_only_challenge_answered_in_the_page(app, client, auth):
    auth.login()
    view = client.get("/api/v1/challenges/quiz-demo/quiz").get_json()
    data = form_for(view, DEMO_RIGHT)
    location = client.post("/challenges/quiz-demo/quiz", data=data).headers["Location"]
    wait_final(app, int(location.rsplit("/", 1)[1]))
    assert 'id="quiz-score">22<small> / 22' in page(client, location)
