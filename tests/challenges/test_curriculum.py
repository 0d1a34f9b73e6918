"""The bundled curriculum: every challenge valid in the real sandbox, every concept taught."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from runner.challenge import discover_challenges, load_challenge, load_concepts
from runner.check import check_challenge, format_table
from runner.quiz import load_quiz

ROOT = Path(__file__).resolve().parents[2]
CHALLENGES = ROOT / "challenges"
FOLDERS = sorted(p for p in CHALLENGES.iterdir() if (p / "challenge.toml").is_file())
PART_ONE_GROUPS = ("core.", "routing.", "request.", "response.", "templates.", "static.files",
                   "sessions.", "errors.", "logging.logger", "contexts.", "blueprints.",
                   "middleware.", "cli.commands", "debug.mode", "testing.tests", "security.xss",
                   "security.input", "deploy.wsgi", "deploy.proxy", "deploy.cloud",
                   "deploy.docker")


def part_one(challenge) -> bool:
    """Does the challenge teach Flask itself only (the concepts of the core track)?"""
    return all(cid.startswith(PART_ONE_GROUPS) for cid in challenge.concepts)


def cases(node: ast.FunctionDef) -> int:
    """How many test cases a test function makes, counting literal parametrize lists."""
    count = 1
    for decorator in node.decorator_list:
        if (isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "parametrize"
                and len(decorator.args) > 1 and isinstance(decorator.args[1], (ast.List, ast.Tuple))):
            count *= len(decorator.args[1].elts)
    return count


def count_tests(folder: Path) -> int:
    total = 0
    for path in folder.glob("test_*.py"):
        tree = ast.parse(path.read_text())
        total += sum(cases(node) for node in tree.body
                     if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"))
    return total


def test_there_is_a_curriculum():
    assert len(FOLDERS) >= 10
    challenges = discover_challenges(CHALLENGES)
    assert [c.order for c in challenges] == sorted(c.order for c in challenges)
    assert len({c.slug for c in challenges}) == len(challenges), "slugs are unique"


def test_every_concept_of_the_curriculum_is_taught():
    """All 69 ids of the curriculum: each named by a challenge (checked in the sandbox below)."""
    known = load_concepts(CHALLENGES)
    assert len(known) == 69
    taught = {cid for c in discover_challenges(CHALLENGES) for cid in c.concepts}
    assert not set(known) - taught, f"concepts with no challenge: {sorted(set(known) - taught)}"


def test_two_tracks_core_first_then_extensions():
    """Flask itself (the core track), then its extensions, each easy to hard by `order`."""
    challenges = discover_challenges(CHALLENGES)
    tracks = [c.track for c in challenges]
    assert tracks == sorted(tracks, key=("core", "extensions").index), "core comes first"
    for challenge in challenges:
        expected = "core" if part_one(challenge) else "extensions"
        assert challenge.track == expected, f"{challenge.slug} belongs to the {expected} track"


def test_challenges_name_only_known_concepts():
    known = load_concepts(CHALLENGES)
    for challenge in discover_challenges(CHALLENGES):
        unknown = set(challenge.concepts) - set(known)
        assert not unknown, f"{challenge.slug}: unknown concept ids {sorted(unknown)}"
        assert challenge.concepts, f"{challenge.slug}: names no concept"


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_challenge_folder_is_complete(folder):
    """Statement with a docs link, starter, public tests, six hidden tests, three mutants."""
    challenge = load_challenge(folder)
    statement = challenge.statement()
    assert len(statement) > 400, "the statement teaches, with an example"
    assert "flask.palletsprojects.com" in statement or "werkzeug.palletsprojects.com" in statement
    assert challenge.starter_dir.is_dir() and any(challenge.starter_dir.iterdir())
    assert count_tests(challenge.public_tests_dir) >= 2, "at least two public tests"
    assert count_tests(challenge.tests_dir) >= 6, "at least six hidden tests"
    assert len(challenge.mutant_dirs()) >= 3, "at least three mutants"


RUN_KINDS = {"predict", "fill"}  # the kinds whose answer comes from running an app in the sandbox
MAX_FILLS = 2  # each fill question is graded in the sandbox at every attempt


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_quiz_covers_every_concept(folder):
    """Three questions per concept of the challenge, one of them run in the sandbox."""
    challenge = load_challenge(folder)
    quiz = load_quiz(folder, load_concepts(CHALLENGES))
    assert quiz is not None, "every challenge, on both tracks, has a quiz.toml"
    for cid in challenge.concepts:
        questions = [q for q in quiz.questions if cid in q.concepts]
        assert len(questions) >= 3, f"{cid}: at least three questions, found {len(questions)}"
        assert {q.kind for q in questions} & RUN_KINDS, f"{cid}: a predict or fill question"
    assert len({q.kind for q in quiz.questions}) >= 3, "the quiz mixes the kinds of questions"
    fills = sum(q.kind == "fill" for q in quiz.questions)
    assert fills <= MAX_FILLS, f"at most {MAX_FILLS} fill questions, found {fills}"


def test_every_concept_is_quizzed():
    """Each concept id has three questions across the curriculum, one of them run in the sandbox."""
    known = load_concepts(CHALLENGES)
    questions = [q for folder in FOLDERS if (quiz := load_quiz(folder, known))
                 for q in quiz.questions]
    few = {cid: n for cid in known if (n := sum(cid in q.concepts for q in questions)) < 3}
    assert not few, f"concepts with fewer than three questions: {few}"
    unrun = sorted(cid for cid in known
                   if not any(cid in q.concepts and q.kind in RUN_KINDS for q in questions))
    assert not unrun, f"concepts with no predict or fill question: {unrun}"


@pytest.mark.docker
@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_challenge_is_valid_in_the_sandbox(folder, docker_engine):
    """The solution scores full points, the starter and every mutant less; the quiz is valid."""
    report = check_challenge(folder, backend="docker", jobs=2)
    assert report.ok, format_table(report)
