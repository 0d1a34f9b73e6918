import pytest
import requests


def test_factory_defaults_and_overrides(learner):
    """The factory sets NOTES_TITLE"""
    assert learner.eval("app.config.get('NOTES_TITLE')") == "Field notes", (
        "create_app() should set NOTES_TITLE to 'Field notes' by default")
    assert learner.eval("__import__('app').create_app({'NOTES_TITLE': 'Birds'})"
                        ".config['NOTES_TITLE']") == "Birds", "test_config should override settings"


@pytest.mark.points(2)
def test_add_and_list(client):
    """Notes are created with 201 and listed oldest first"""
    first = client.post("/notes", json={"text": "saw a heron"})
    assert first.status_code == 201, "Creating a note should answer 201 Created"
    assert first.get_json() == {"id": 1, "text": "saw a heron"}, "The new note comes back with its id"
    client.post("/notes", json={"text": "rain at noon"})
    listed = client.get("/notes")
    assert listed.status_code == 200
    assert [n["text"] for n in listed.get_json()] == ["saw a heron", "rain at noon"], (
        "GET /notes lists every note, oldest first")


@pytest.mark.parametrize("body", [{"text": "   "}, {}, "not json"])
def test_bad_notes_are_refused(client, body):
    """Blank, missing or non-JSON text is refused with 400"""
    reply = client.post("/notes", json=body) if isinstance(body, dict) else client.post(
        "/notes", data=body, content_type="text/plain")
    assert reply.status_code == 400, "A note without text should be refused with 400"
    assert reply.get_json(silent=True) == {"error": "text is required"}, "Say what is wrong as JSON"


def test_apps_do_not_share_notes(learner):
    """Two apps from the factory keep separate notes"""
    assert learner.eval(
        "(lambda a, b: (a.test_client().post('/notes', json={'text': 'x'}).status_code,"
        " b.test_client().get('/notes').get_json()))"
        "(__import__('app').create_app(), __import__('app').create_app())"
    ) == [201, []], "Each app built by create_app() needs its own list of notes"


def test_each_note_is_logged(client, learner_output):
    """Adding a note is logged at INFO level"""
    client.post("/notes", json={"text": "owl"})
    assert "note added: 1" in learner_output(), "Log 'note added: <id>' through app.logger at INFO"


@pytest.mark.points(2)
def test_cli_commands(cli, client):
    """flask add-note and flask count-notes work"""
    added = cli("add-note", "frost on the grass")
    assert added.exit_code == 0, "flask add-note TEXT should succeed"
    assert "Added note 1" in added.output, "flask add-note should say which note it added"
    counted = cli("count-notes")
    assert counted.exit_code == 0 and counted.output.strip() == "1", "count-notes prints the count"
    assert client.get("/notes").get_json()[0]["text"] == "frost on the grass", (
        "A note added from the command line shows up in the API")


@pytest.mark.points(2)
def test_stream_is_really_streamed(client, live_server):
    """The note stream is sent in chunks from a generator"""
    for text in ("one", "two", "three"):
        client.post("/notes", json={"text": text})
    with requests.get(f"{live_server}/notes/stream", stream=True, timeout=5) as reply:
        assert reply.status_code == 200
        assert reply.headers.get("Content-Type", "").startswith("text/plain"), "Stream plain text"
        assert "Content-Length" not in reply.headers, (
            "A streamed answer has no Content-Length: return a generator, not a finished string")
        lines = [line for line in reply.iter_lines(decode_unicode=True) if line]
    assert lines == ["1: one", "2: two", "3: three"], "One line per note: '<id>: <text>'"


@pytest.mark.parametrize("text, words", [("saw a heron", 3), ("  spaced   out  ", 2), ("", 0)])
def test_word_count(learner, text, words):
    """word_count splits on whitespace"""
    assert learner.call("app:word_count", text) == words, "Count the words separated by whitespace"
