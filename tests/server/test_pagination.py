"""Long lists come a page at a time: page, per_page, total and next in the API, a pager in the
pages, and a clear refusal of a page number that cannot be.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bulk_data import fill
from server_support import submit, wait_final


def test_following_next_walks_every_submission_once_newest_first(app, client, teacher,
                                                                   make_user):
    _, learner = make_user("ann")
    for _ in range(2):
        answer = submit(client, learner)
        assert answer.status_code == 202
        wait_final(app, answer.get_json()["id"])  # only the bulk rows below stay queued
    app.extensions["grader_queue"].shutdown(wait=True)
    fill(app, 230, learners=10, queued=5)
    url, records, pages = "/api/v1/submissions?all=1&per_page=100", [], []
    while url:
        body = client.get(url, headers=teacher).get_json()
        pages.append((body["page"], len(body["submissions"]), body["total"]))
        records += body["submissions"]
        url = body["next"]
        if url:
            assert parse_qs(urlsplit(url).query)["all"] == ["1"]  # the filters carry over
    assert pages == [(1, 100, 232), (2, 100, 232), (3, 32, 232)]
    ids = [record["id"] for record in records]
    assert ids == sorted(set(ids), reverse=True) and len(ids) == 232
    # Queued records still tell their place in line (the line is computed once per page).
    places = sorted(r["queue_position"] for r in records if r["status"] == "queued")
    assert places == [1, 2, 3, 4, 5]
    assert all(r["queue_position"] is None for r in records if r["status"] != "queued")

    past = client.get("/api/v1/submissions?all=1&page=9", headers=teacher).get_json()
    assert (past["submissions"], past["total"], past["next"]) == ([], 232, None)
    mine = client.get("/api/v1/submissions", headers=learner).get_json()
    assert (mine["total"], [r["user"] for r in mine["submissions"]]) == (2, ["ann", "ann"])
    assert mine["next"] is None


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=201", "page=first"])
def test_a_bad_page_is_refused_with_the_reason(client, teacher, query):
    response = client.get(f"/api/v1/submissions?all=1&{query}", headers=teacher)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert query.split("=")[0] in error["message"]


def test_the_pages_show_where_they_are_and_link_the_next(app, client, auth, make_user):
    fill(app, 120, learners=5, queued=0)
    auth.login()
    first = client.get("/teach/challenges/hello-routes/submissions").get_data(as_text=True)
    total = first.count('data-submission-id="')
    assert total == 50
    assert "Page 1 of" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last_page = first.split("Page 1 of ")[1].split(" ")[0]
    last = client.get(f"/teach/challenges/hello-routes/submissions?page={last_page}")
    text = last.get_data(as_text=True)
    assert f"Page {last_page} of {last_page}" in text and 'rel="next"' not in text
    assert client.get("/submissions/?page=2").status_code == 200


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=201", "page=first"])
def test_a_bad_page_of_a_page_is_refused_with_the_reason(client, auth, query):
    auth.login()
    for url in ("/teach/challenges/hello-routes/submissions", "/submissions/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert f"{query.split('=')[0]} must be a whole number" in response.get_data(as_text=True)


def test_per_page_is_kept_from_page_to_page(app, client, auth):
    fill(app, 30, learners=3, queued=0)
    auth.login()
    first = client.get("/teach/challenges/hello-routes/submissions?per_page=5")
    text = first.get_data(as_text=True)
    assert text.count('data-submission-id="') == 5
    assert "per_page=5" in text.split('rel="next" href="')[1].split('"')[0]
