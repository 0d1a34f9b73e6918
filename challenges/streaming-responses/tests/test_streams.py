"""Hidden tests: streamed bodies, checked through the test client and over real HTTP."""

from __future__ import annotations

import csv
import io
import json

import pytest
import requests

REPORT = [
    "Report for {user}",
    "1: Ann Lee",
    "2: Doe, Jane",
    '3: Bob "The Builder"',
    "4: Chloé Martin",
    "end",
]


def stream_lines(url: str) -> tuple[requests.structures.CaseInsensitiveDict, list[str]]:
    with requests.get(url, stream=True, timeout=10) as r:
        assert r.status_code == 200, "The streamed page should answer 200"
        lines = [line.decode("utf-8") for line in r.iter_lines()]
        return r.headers, lines


def assert_streamed(headers) -> None:
    assert headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in headers, (
        "The body should be produced by a generator and sent while it runs, not built first"
    )


@pytest.mark.points(10)
def test_countdown(client):
    """The countdown counts down to liftoff"""
    r = client.get("/countdown?start=5")
    assert r.status_code == 200 and r.mimetype == "text/plain", "The countdown is plain text"
    assert r.text == "5\n4\n3\n2\n1\nliftoff\n", "Count down from start, then liftoff"
    assert client.get("/countdown").text.startswith("10\n9\n"), "start defaults to 10"


@pytest.mark.points(12)
def test_countdown_is_streamed(live_server):
    """The countdown is streamed over HTTP"""
    headers, lines = stream_lines(f"{live_server}/countdown?start=4")
    assert_streamed(headers)
    assert lines == ["4", "3", "2", "1", "liftoff"], "Every line arrives"


@pytest.mark.points(10)
def test_countdown_bad_start(client):
    """A bad start is refused with 400 before anything is streamed"""
    for start in ["0", "101", "ten", "-3", "2.5"]:
        r = client.get("/countdown", query_string={"start": start})
        assert r.status_code == 400, "Check start before streaming: the status cannot change later"
        assert "error" in (r.get_json(silent=True) or {}), "Explain the problem in an 'error' field"


@pytest.mark.points(14)
def test_report_reads_the_request(client, live_server):
    """The streamed report knows who asked for it"""
    r = client.get("/report?user=Ann")
    assert r.status_code == 200 and r.mimetype == "text/plain", "The report is plain text"
    assert r.text.splitlines() == [line.format(user="Ann") for line in REPORT], (
        "The report lists every contact between its first and last line"
    )
    headers, lines = stream_lines(f"{live_server}/report")
    assert_streamed(headers)
    assert lines[0] == "Report for anonymous", "user defaults to anonymous"


@pytest.mark.points(14)
def test_server_sent_events(client, live_server):
    """Events follow the server-sent events format"""
    r = client.get("/events?count=2")
    assert r.status_code == 200, "/events should answer 200"
    assert r.mimetype == "text/event-stream", "Server-sent events have their own content type"
    assert r.headers.get("Cache-Control") == "no-cache", "Events must not be cached"
    events = [block for block in r.text.split("\n\n") if block]
    assert r.text.endswith("\n\n") and events == [
        'event: tick\ndata: {"n": 1}',
        'event: tick\ndata: {"n": 2}',
        "event: done\ndata: {}",
    ], "Each event is its lines followed by an empty line"
    headers, lines = stream_lines(f"{live_server}/events")
    assert_streamed(headers)
    data = [json.loads(line[len("data: ") :]) for line in lines if line.startswith("data: ")]
    assert data == [{"n": 1}, {"n": 2}, {"n": 3}, {}], "count defaults to 3, then done"


@pytest.mark.points(6)
def test_events_bad_count(client):
    """A bad count is refused with 400"""
    for count in ["0", "51", "many"]:
        assert client.get("/events", query_string={"count": count}).status_code == 400, (
            "count must be a whole number from 1 to 50"
        )


@pytest.mark.points(14)
def test_csv_export(client):
    """The CSV export is quoted correctly"""
    r = client.get("/contacts.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv", "The export is CSV"
    disposition = (r.headers.get("Content-Disposition") or "").replace(" ", "")
    assert disposition == "attachment;filename=contacts.csv", "The export is downloaded as a file"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["id", "name", "email", "city"], "The first row names the columns"
    assert [row[1] for row in rows[1:]] == [
        "Ann Lee",
        "Doe, Jane",
        'Bob "The Builder"',
        "Chloé Martin",
    ], "A value with a comma or a quote breaks the columns unless it is quoted"
    assert all(len(row) == 4 for row in rows), "Every row has four columns"


@pytest.mark.points(10)
def test_csv_export_is_streamed(live_server):
    """The CSV export is streamed row by row"""
    headers, lines = stream_lines(f"{live_server}/contacts.csv")
    assert_streamed(headers)
    assert lines[:2] == ["id,name,email,city", "1,Ann Lee,ann@example.com,Lyon"], (
        "Every row arrives, in order"
    )
