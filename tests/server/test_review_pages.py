"""Review pages: threads under the lines, the unread badge, overrides and the audit log, and
the similarity list and side-by-side view (server-rendered; the browser tests drive them live)."""

from __future__ import annotations

import io
import re
import time

from server_support import PASSWORD, passing_result, submit, wait_final
from similarity_support import HONEST, disguise, write_notes_challenge

from grader.services import versions


def html_of(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def badge(html: str) -> str:
    match = re.search(r'id="review-badge" data-count="(\d+)"', html)
    assert match, "the navigation has no review badge"
    return match.group(1)


def test_threads_show_under_their_line_and_the_badge_counts_unread(app, client, auth, teacher,
                                                                   student, fake_runner):
    sub = wait_final(app, submit(client, student).get_json()["id"]).id
    client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher,
                json={"path": "app.py", "line": 8, "body": "Check the <b>greeting</b> text"})
    auth.login("ann", PASSWORD)
    listing = html_of(client, "/challenges/")
    assert badge(listing) == "1"
    page = html_of(client, f"/submissions/{sub}")
    # the thread is in the row right after line 8, escaped, marked new this once
    row = page.index('id="L-app.py-8"')
    assert page.index("Check the &lt;b&gt;greeting&lt;/b&gt; text") > row
    assert page.index("Check the &lt;b&gt;greeting") < page.index('id="L-app.py-9"')
    assert "badge-new" in page and 'name="parent"' in page
    assert "line-button" not in page  # learners reply; they do not start threads
    again = html_of(client, f"/submissions/{sub}")
    assert badge(again) == "0" and "badge-new" not in again


def test_the_learner_replies_from_the_page(app, client, auth, teacher, student, fake_runner):
    sub = wait_final(app, submit(client, student).get_json()["id"]).id
    root = client.post(f"/api/v1/submissions/{sub}/comments", headers=teacher,
                       json={"path": "app.py", "line": 1, "body": "Why import this?"}).get_json()
    auth.login("ann", PASSWORD)
    answer = client.post(f"/submissions/{sub}/comments",
                         data={"parent": root["id"], "body": "It is the app class"})
    assert answer.status_code == 302 and "#comment-" in answer.headers["Location"]
    thread = client.get(f"/api/v1/submissions/{sub}/comments", headers=teacher).get_json()
    assert [c["body"] for c in thread["comments"]] == ["Why import this?", "It is the app class"]
    empty = client.post(f"/submissions/{sub}/comments", data={"parent": root["id"], "body": ""},
                        follow_redirects=True)
    assert "The comment was not saved: The comment is empty" in empty.get_data(as_text=True)


def test_teacher_overrides_from_the_page_and_the_learner_sees_why(app, client, auth, student,
                                                                  fake_runner):
    fake_runner.script = [passing_result(40)]
    sub = wait_final(app, submit(client, student).get_json()["id"]).id
    auth.login()
    page = html_of(client, f"/submissions/{sub}")
    assert 'id="override-form"' in page and 'id="audit-log"' not in page
    assert 'class="line-button"' in page
    bad = client.post(f"/submissions/{sub}/override", data={"score": "500", "reason": "x"},
                      follow_redirects=True)
    assert "The score must be between 0 and 100" in bad.get_data(as_text=True)
    done = client.post(f"/submissions/{sub}/override",
                       data={"score": "85", "reason": "Handles the edge case by hand"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"The score of #{sub} is now 85." in done
    assert 'id="audit-log"' in done and "Handles the edge case by hand" in done
    assert re.search(r'<span id="score">85</span>', done)
    auth.logout()
    auth.login("ann", PASSWORD)
    mine = html_of(client, f"/submissions/{sub}")
    assert "set by teach" in mine and "Handles the edge case by hand" in mine
    assert "(the tests gave 40)" in mine and 'id="override-form"' not in mine
    assert 'id="audit-log"' not in mine
    assert re.search(r"85 / 100", html_of(client, "/submissions/"))
    assert client.post(f"/submissions/{sub}/override",
                       data={"score": "100", "reason": "me"}).status_code == 403


def test_removing_an_override_needs_a_reason(app, client, auth, teacher, student, fake_runner):
    fake_runner.script = [passing_result(40)]
    sub = wait_final(app, submit(client, student).get_json()["id"]).id
    client.put(f"/api/v1/submissions/{sub}/override", headers=teacher,
               json={"score": 70, "reason": "first look"})
    auth.login()
    refused = client.post(f"/submissions/{sub}/override/remove", data={"reason": ""},
                          follow_redirects=True).get_data(as_text=True)
    assert "The override was not removed" in refused and "first look" in refused
    removed = client.post(f"/submissions/{sub}/override/remove", data={"reason": "second look"},
                          follow_redirects=True).get_data(as_text=True)
    assert f"The graded score of #{sub} counts again." in removed
    assert "removed" in removed and "second look" in removed


def test_similarity_pages_show_progress_then_pairs_side_by_side(app, client, auth, make_user,
                                                                tmp_path, fake_runner):
    with app.app_context():
        versions.import_folder(write_notes_challenge(tmp_path / "ch"), validate=False)
    ids = []
    for number, (name, text) in enumerate([("ann", HONEST["honest_inline"]),
                                           ("bob", disguise(HONEST["honest_inline"], seed=4)),
                                           ("cat", HONEST["honest_blueprint"])]):
        _, headers = make_user(name)
        answer = client.post("/api/v1/submissions", headers=headers,
                             content_type="multipart/form-data",
                             data={"challenge": "notes-api",
                                   "app.py": (io.BytesIO(text.encode()), "app.py")})
        ids.append(wait_final(app, answer.get_json()["id"]).id)
    auth.login()
    first = html_of(client, "/teach/challenges/notes-api/similarity")
    assert 'id="similarity-progress"' in first or 'id="similarity-pairs"' in first
    deadline = time.monotonic() + 60
    while 'id="similarity-pairs"' not in first and time.monotonic() < deadline:
        time.sleep(0.2)
        first = html_of(client, "/teach/challenges/notes-api/similarity")
    assert 'id="similarity-pairs"' in first
    rows = re.findall(r'<tr data-a="(\d+)" data-b="(\d+)">', first)
    assert rows == [(str(ids[0]), str(ids[1]))]  # only the copy is at least 50% similar
    everything = html_of(client, "/teach/challenges/notes-api/similarity?threshold=0.0")
    assert len(re.findall(r"<tr data-a=", everything)) >= 2
    pair = html_of(client, f"/teach/challenges/notes-api/similarity/{ids[0]}/{ids[1]}")
    assert 'id="side-a"' in pair and 'id="side-b"' in pair
    marked = re.findall(r'class="code-line matched match-\d" data-matches="([\d ]+)"', pair)
    assert len(marked) > 40  # most lines of both sides are marked
    assert "@app.get(&#34;/stats&#34;)" in pair or '@app.get("/stats")' in pair
    html_of(client, "/teach/challenges/notes-api/similarity?threshold=7", status=400)
    assert client.post("/teach/challenges/notes-api/similarity").status_code == 302


def test_similarity_pages_are_for_teachers(app, client, auth, student, tmp_path):
    with app.app_context():
        versions.import_folder(write_notes_challenge(tmp_path / "ch"), validate=False)
    auth.login("ann", PASSWORD)
    html_of(client, "/teach/challenges/notes-api/similarity", status=403)
    html_of(client, "/teach/challenges/notes-api/similarity/1/2", status=403)
