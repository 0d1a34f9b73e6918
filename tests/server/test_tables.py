"""Big tables: standings and one page of a list over 10,000 submissions take a fixed few SQL
statements, the same as over a hundred.

No timing here: the timings, against a small table as the reference, are bench/bench_tables.py's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from bulk_data import fill
from server_support import submit
from sqlalchemy import event

from grader.extensions import db
from grader.services import leaderboard

# Every statement a request may make besides its list: the token or session user, the rate
# limit, the status of grading, the count, the page, its test rows, the line for queued rows.
MAX_STATEMENTS = 12


@contextlib.contextmanager
def statements(app) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def counted_get(app, client, url: str, **kwargs) -> tuple[int, object]:
    """The statements of one GET, in the steady state (after the same request once: a token's
    first use of the minute also stores when it was used)."""
    client.get(url, **kwargs)
    with statements(app) as seen:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(seen), response


def test_the_standings_of_ten_thousand_submissions_are_one_statement(app):
    expected = fill(app, 10_000)
    with statements(app) as seen, app.app_context():
        rows = leaderboard.standings()
    assert len(seen) == 1
    # Exactly the rule: the sum over challenges of each learner's best score, highest first.
    assert {row["name"]: row["score"] for row in rows} == expected
    assert [row["score"] for row in rows] == sorted(expected.values(), reverse=True)
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))


def test_one_page_takes_the_same_statements_with_100_and_10000_submissions(
        app, client, auth, teacher, make_user):
    _, learner = make_user("ann")
    for _ in range(3):  # some of ann's own, among everyone's
        assert submit(client, learner).status_code == 202
    app.extensions["grader_queue"].shutdown(wait=True)  # bulk rows are graded by nobody
    fill(app, 100, learners=20, queued=10)
    auth.login()
    # Each of these pages holds queued submissions, whose places in line are part of a record.
    urls = ["/api/v1/submissions?all=1", "/api/v1/submissions?all=1&per_page=10",
            "/api/v1/submissions?all=1&challenge=hello-routes&per_page=10&page=2",
            "/api/v1/leaderboard", "/teach/challenges/hello-routes/submissions",
            "/leaderboard/"]
    small = {url: counted_get(app, client, url, headers=teacher)[0] for url in urls}
    small["mine"] = counted_get(app, client, "/api/v1/submissions", headers=learner)[0]

    fill(app, 9_900, queued=990)
    large = {url: counted_get(app, client, url, headers=teacher)[0] for url in urls}
    large["mine"] = counted_get(app, client, "/api/v1/submissions", headers=learner)[0]
    assert large == small
    assert max(large.values()) <= MAX_STATEMENTS, large
    # Ten records or fifty: no statement per record.
    assert large["/api/v1/submissions?all=1"] == large["/api/v1/submissions?all=1&per_page=10"]

    _, body = counted_get(app, client, "/api/v1/submissions?all=1", headers=teacher)
    page = body.get_json()
    assert (page["page"], page["per_page"], page["total"]) == (1, 50, 10_003)
    assert len(page["submissions"]) == 50


def test_the_standings_find_each_best_score_by_index(app):
    """Without the index SQLite joins every best score back to all of a learner's submissions."""
    fill(app, 300, learners=10, queued=0)
    captured: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, *_args) -> None:
        captured.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            leaderboard.standings()
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        (statement, parameters), = captured
        raw = db.session.connection().connection.driver_connection
        # With the table's statistics (ANALYZE) the plan is the one the data calls for, not a
        # guess that may differ from run to run.
        raw.execute("ANALYZE")
        plan = [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    # The score that counts is computed (a teacher's override may replace it), so the index
    # narrows each best score to the learner's submissions of that one challenge.
    assert any("USING INDEX ix_submissions_user_challenge_score (user_id=? AND challenge_id=?"
               in step for step in plan), plan
