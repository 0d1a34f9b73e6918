"""The similarity check: copies rank above honest solutions; the API's job, cache and events."""

from __future__ import annotations

import io
import itertools
import time

import pytest
from server_support import wait_final
from similarity_support import HONEST, STARTER, disguise, write_notes_challenge

from grader.extensions import socketio
from grader.services import fingerprints, versions

SLUG = "notes-api"


def corpus() -> tuple[dict[int, str], dict[int, str]]:
    """Every honest solution and a disguised copy of each: key -> text, key -> family."""
    texts, family = {}, {}
    for number, (name, source) in enumerate(HONEST.items()):
        texts[2 * number + 1], family[2 * number + 1] = source, name
        texts[2 * number + 2], family[2 * number + 2] = disguise(source, seed=number), name
    return texts, family


def test_every_copy_pair_ranks_above_every_honest_pair():
    texts, family = corpus()
    starter = fingerprints.boilerplate({"app.py": STARTER})
    docs = [fingerprints.document(key, {"app.py": text}, starter) for key, text in texts.items()]
    pairs = fingerprints.all_pairs(docs)
    copies = [p["similarity"] for p in pairs if family[p["a"]] == family[p["b"]]]
    honest = [p["similarity"] for p in pairs if family[p["a"]] != family[p["b"]]]
    assert len(copies) == len(HONEST) >= 5
    assert min(copies) > max(honest), (sorted(copies), sorted(honest)[-5:])
    assert min(copies) >= 0.85 and max(honest) < 0.5
    ranked = [family[p["a"]] == family[p["b"]] for p in pairs]
    assert ranked[:len(copies)] == [True] * len(copies)  # highest first: the copies lead


def test_renaming_and_reordering_are_each_seen_through():
    from similarity_support import recomment, rename, reorder

    source = HONEST["honest_closures"]
    starter = fingerprints.boilerplate({"app.py": STARTER})
    original = fingerprints.document(1, {"app.py": source}, starter)
    for number, change in enumerate((rename, reorder, recomment), start=2):
        changed = change(source)
        assert changed != source
        similarity, _ = fingerprints.compare(
            original, fingerprints.document(number, {"app.py": changed}, starter))
        assert similarity >= 0.9, change.__name__


def test_the_starter_code_never_counts_as_copied():
    starter = fingerprints.boilerplate({"app.py": STARTER})
    extended = STARTER.replace("    return app\n", "    @app.get('/ping')\n    def ping():\n"
                               "        return 'pong'\n\n    return app\n")
    a = fingerprints.document(1, {"app.py": STARTER}, starter)
    b = fingerprints.document(2, {"app.py": extended}, starter)
    assert fingerprints.compare(a, b) == (0.0, [])
    # without the starter left out, the same two files look alike
    plain = fingerprints.compare(fingerprints.document(1, {"app.py": STARTER}),
                                 fingerprints.document(2, {"app.py": extended}))
    assert plain[0] > 0.5


def test_matches_are_character_offsets_of_corresponding_code():
    source = HONEST["honest_blueprint"]
    copy = disguise(source, seed=3)
    a = fingerprints.document(1, {"app.py": source})
    b = fingerprints.document(2, {"app.py": copy})
    similarity, matches = fingerprints.compare(a, b)
    assert similarity > 0.9 and matches
    for a_start, a_end, b_start, b_end in matches:
        assert 0 <= a_start < a_end <= len(source) and 0 <= b_start < b_end <= len(copy)
    # the factory, moved from the end to the start, is matched where it is on each side
    at_a, at_b = source.index("global store"), copy.index("global ")
    assert at_b < at_a - 1000  # the copy has it much earlier
    assert any(a0 <= at_a < a1 and b0 <= at_b < b1 for a0, a1, b0, b1 in matches)


def test_files_of_several_paths_are_joined_in_path_order():
    doc = fingerprints.document(7, {"templates/a.html": "<p>{{ x }}</p>\n", "app.py": "x = 1\n"})
    assert doc.text == "x = 1\n<p>{{ x }}</p>\n"
    assert doc.segments == [("app.py", 0, 6), ("templates/a.html", 6, 21)]


# -- the API, the job and the live progress ----------------------------------------------------

@pytest.fixture
def notes(app, tmp_path):
    with app.app_context():
        versions.import_folder(write_notes_challenge(tmp_path / "challenges"), validate=False)
    return SLUG


def hand_in(client, make_user, app, name: str, text: str) -> int:
    _, headers = make_user(name)
    answer = client.post("/api/v1/submissions", headers=headers, content_type="multipart/form-data",
                         data={"challenge": SLUG, "app.py": (io.BytesIO(text.encode()), "app.py")})
    assert answer.status_code == 202, answer.get_json()
    return wait_final(app, answer.get_json()["id"]).id


def until_done(client, teacher, query: str = "", timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(f"/api/v1/challenges/{SLUG}/similarity{query}", headers=teacher)
        if answer.status_code == 200:
            return answer
        assert answer.status_code == 202, answer.get_json()
        time.sleep(0.1)
    raise AssertionError("the similarity was not computed in time")


def test_api_computes_in_the_background_then_answers_the_contract(
        app, client, notes, teacher, make_user, fake_runner):
    ids = {}
    for name, (key, source) in zip(("ann", "bob", "cat", "dan"),
                                   [("a", HONEST["honest_closures"]),
                                    ("b", disguise(HONEST["honest_closures"], seed=1)),
                                    ("c", HONEST["honest_methodview"]),
                                    ("d", HONEST["honest_dataclass"])], strict=True):
        ids[key] = hand_in(client, make_user, app, name, source)
    first = client.get(f"/api/v1/challenges/{SLUG}/similarity", headers=teacher)
    assert first.status_code == 202
    progress = first.get_json()
    assert progress["state"] in ("queued", "running") and progress["submissions"] == 4
    assert progress["total"] == 6
    body = until_done(client, teacher).get_json()
    assert body["run"] == progress["run"] and body["submissions"] == 4
    top = body["pairs"][0]
    assert {top["a"], top["b"]} == {ids["a"], ids["b"]}
    assert sorted(top["users"]) == ["ann", "bob"] and top["similarity"] > 0.85
    assert all(len(m) == 4 for m in top["matches"]) and top["matches"]
    sims = [p["similarity"] for p in body["pairs"]]
    assert sims == sorted(sims, reverse=True) and all(0.0 <= s <= 1.0 for s in sims)
    assert set(top) == {"a", "b", "users", "similarity", "matches"}
    # filtered: only the copy is above one half
    above = until_done(client, teacher, "?threshold=0.5").get_json()["pairs"]
    assert [(p["a"], p["b"]) for p in above] == [(top["a"], top["b"])]


def test_the_result_is_cached_until_a_new_submission_arrives(
        app, client, notes, teacher, make_user, fake_runner):
    hand_in(client, make_user, app, "ann", HONEST["honest_closures"])
    hand_in(client, make_user, app, "bob", HONEST["honest_inline"])
    run = until_done(client, teacher).get_json()["run"]
    again = client.get(f"/api/v1/challenges/{SLUG}/similarity", headers=teacher)
    assert again.status_code == 200 and again.get_json()["run"] == run
    cat = hand_in(client, make_user, app, "cat", disguise(HONEST["honest_inline"], seed=5))
    stale = client.get(f"/api/v1/challenges/{SLUG}/similarity", headers=teacher)
    assert stale.status_code == 202 and stale.get_json()["run"] != run
    fresh = until_done(client, teacher).get_json()
    assert fresh["submissions"] == 3 and cat in (fresh["pairs"][0]["a"], fresh["pairs"][0]["b"])
    # a forced recomputation is a new run of the same inputs
    forced = client.post(f"/api/v1/challenges/{SLUG}/similarity", headers=teacher)
    assert forced.status_code == 202 and forced.get_json()["run"] > fresh["run"]


def test_only_teachers_see_similarity(app, client, notes, student):
    assert client.get(f"/api/v1/challenges/{SLUG}/similarity", headers=student).status_code == 403
    assert client.post(f"/api/v1/challenges/{SLUG}/similarity",
                       headers=student).status_code == 403
    assert client.get(f"/api/v1/challenges/{SLUG}/similarity").status_code == 401


def test_unknown_challenge_and_bad_threshold(client, notes, teacher):
    missing = client.get("/api/v1/challenges/nope/similarity", headers=teacher)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    bad = client.get(f"/api/v1/challenges/{SLUG}/similarity?threshold=2", headers=teacher)
    assert bad.status_code == 422 and "threshold" in bad.get_json()["error"]["message"]


def test_pair_view_gives_both_texts(app, client, notes, teacher, make_user, fake_runner):
    a = hand_in(client, make_user, app, "ann", HONEST["honest_dataclass"])
    b = hand_in(client, make_user, app, "bob", disguise(HONEST["honest_dataclass"], seed=2))
    until_done(client, teacher)
    detail = client.get(f"/api/v1/challenges/{SLUG}/similarity/{b}/{a}", headers=teacher)
    assert detail.status_code == 200
    body = detail.get_json()
    assert body["sides"]["a"]["id"] == body["a"] and body["sides"]["a"]["text"]
    assert body["sides"]["b"]["files"] == [{"path": "app.py", "start": 0,
                                            "end": len(body["sides"]["b"]["text"])}]
    for a0, a1, b0, b1 in body["matches"]:
        assert a1 <= len(body["sides"]["a"]["text"]) and b1 <= len(body["sides"]["b"]["text"])
    missing = client.get(f"/api/v1/challenges/{SLUG}/similarity/{a}/{a + 99}", headers=teacher)
    assert missing.status_code == 404


def test_progress_goes_live_to_teachers_only(app, client, notes, teacher, student, make_user,
                                             fake_runner):
    for number, name in enumerate(("bea", "cal", "dee")):
        hand_in(client, make_user, app, name, disguise(HONEST["honest_methodview"], seed=number))
    watcher = socketio.test_client(app, namespace="/live",
                                   auth={"token": teacher["Authorization"].split()[1]})
    learner = socketio.test_client(app, namespace="/live",
                                   auth={"token": student["Authorization"].split()[1]})
    until_done(client, teacher)
    deadline = time.monotonic() + 10
    got: list[dict] = []
    while time.monotonic() < deadline and not any(
            e["args"][0]["state"] == "done" for e in got):
        got += [e for e in watcher.get_received("/live") if e["name"] == "similarity.progress"]
        time.sleep(0.05)
    states = [e["args"][0]["state"] for e in got]
    assert states[0] == "queued" and states[-1] == "done" and "running" in states
    assert got[-1]["args"][0]["done"] == got[-1]["args"][0]["total"] == 3
    assert not [e for e in learner.get_received("/live") if e["name"] == "similarity.progress"]


def test_bench_scale_pairs_are_all_compared():
    """Every pair of a small set is compared once (the counts the progress reports)."""
    texts, _ = corpus()
    docs = [fingerprints.document(k, {"app.py": t}) for k, t in texts.items()]
    seen: list[tuple[int, int]] = []
    fingerprints.all_pairs(docs, progress=lambda done, total: seen.append((done, total)))
    total = len(docs) * (len(docs) - 1) // 2
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(list(itertools.combinations(docs, 2))) == total


def _answers(source: str) -> list[tuple[int, object]]:
    import sys
    import types

    module = types.ModuleType("notes_app")
    module.__file__ = "notes_app.py"  # Flask finds its root path from it
    sys.modules["notes_app"] = module
    try:
        exec(compile(source, "notes_app.py", "exec"), module.__dict__)  # noqa: S102 - test data
        client = module.create_app().test_client()
        calls = [("post", "/notes", {"title": "milk", "tags": ["shop"]}), ("get", "/notes/1", None),
                 ("put", "/notes/1", {"body": "2 litres"}), ("get", "/notes?q=MIL", None),
                 ("get", "/stats", None), ("delete", "/notes/1", None), ("get", "/notes/1", None)]
        return [(r.status_code, r.get_json(silent=True) if r.status_code != 404 else None)
                for r in (getattr(client, m)(path, json=body) for m, path, body in calls)]
    finally:
        del sys.modules["notes_app"]


@pytest.mark.parametrize("name", sorted(HONEST))
def test_the_disguised_copies_still_work_like_their_original(name):
    assert _answers(disguise(HONEST[name], seed=7)) == _answers(HONEST[name])
