"""Similarity benchmark: one computation over 300 learners' best submissions of a 150-line solution.

    .venv/bin/python bench/bench_similarity.py [--learners 300] [--lines 150]

Builds a challenge (the notes API of tests/server/data/similarity) and, in a fresh SQLite
database, one graded submission per learner: each is one of the honest solutions, disguised
(renamed, reordered, recommented) with its own seed, plus functions of its own to reach
the length asked for, so a fifth of the learners share an origin. Then it times:

- the similarity job as the server runs it (`similarity.compute`: best submissions read from
  the database, fingerprints, every pair compared, the 500 most similar kept with their matches
  and stored);
- the reference, measured in the same run on the same files: copydetect's own `CopyDetector`
  (same noise and guarantee thresholds, the starter as boilerplate), which compares every pair
  too but pairs no matches and reads files from disk.

It prints both times, their ratio and whether the target (under 60 s) is met.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "server"))

from similarity_support import HONEST, STARTER, disguise, write_notes_challenge

TARGET_S = 60.0


def own_functions(seed: int, lines: int) -> str:
    """Functions of this learner's own, about `lines` lines long (not shared with anyone)."""
    chooser = random.Random(seed)
    words = ["title", "body", "tags", "note", "text", "limit", "page", "query", "word", "size"]
    out, number = [], 0
    while len(out) < lines:
        number += 1
        a, b = chooser.sample(words, 2)
        out += [f"def step_{seed}_{number}({a}, {b}={chooser.randint(1, 99)}):",
                f"    \"\"\"Step {number}: {chooser.choice(words)} by {b}.\"\"\"",
                f"    total = len(str({a})) * {chooser.randint(2, 9)} + {b}",
                f"    if total % {chooser.randint(2, 7)} == {chooser.randint(0, 1)}:",
                f"        return [{a}] * {chooser.randint(1, 4)}",
                f"    return {{\"{chooser.choice(words)}\": total - {chooser.randint(1, 50)}}}", ""]
    return "\n".join(out[:lines]) + "\n"


def submissions(learners: int, lines: int) -> list[str]:
    sources = list(HONEST.values())
    texts = []
    for number in range(learners):
        base = disguise(sources[number % len(sources)], seed=number)
        missing = max(0, lines - len(base.splitlines()))
        texts.append(base + "\n\n" + own_functions(number, missing))
    return texts


def time_service(texts: list[str]) -> tuple[float, int, float]:
    """(seconds, pairs kept, top similarity) of `similarity.compute` on a stored run."""
    import os

    from grader import create_app
    from grader.extensions import db
    from grader.models import Submission, User
    from grader.review_models import SimilarityRun
    from grader.services import challenges, similarity, versions

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        os.environ["GRADER_INSTANCE_PATH"] = str(Path(tmp) / "instance")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          "GRADER_BACKEND": "local", "GRADER_RECOVER_ON_START": False,
                          "SECRET_KEY": "bench-secret-key-0123456789"})
        with app.app_context():
            db.create_all()
            challenge, _, _ = versions.import_folder(write_notes_challenge(Path(tmp) / "ch"),
                                                    validate=False)
            for number, text in enumerate(texts):
                user = User(username=f"learner{number}", role="student", password_hash="-")
                db.session.add(user)
                db.session.add(Submission(
                    user=user, challenge=challenge, version=challenge.current_version,
                    status="passed", score=100, max_score=100,
                    files=challenges.zip_files({"app.py": text.encode()})))
            db.session.commit()
            best = similarity.best_submissions(challenge)
            run = SimilarityRun(challenge_id=challenge.id,
                                inputs=similarity.inputs_key(challenge, best))
            db.session.add(run)
            db.session.commit()
            start = time.perf_counter()
            assert similarity.compute(run.id)
            elapsed = time.perf_counter() - start
            db.session.expire_all()
            done = db.session.get(SimilarityRun, run.id)
            assert done.state == "done", done.message
            pairs = done.pairs or []
            top = pairs[0]["similarity"] if pairs else 0.0
            db.engine.dispose()
        return elapsed, len(pairs), top


def time_copydetect(texts: list[str]) -> float:
    """Seconds of copydetect's own detector on the same files, the starter as boilerplate."""
    from copydetect import CopyDetector

    from grader.services import fingerprints

    with tempfile.TemporaryDirectory(prefix="grader-bench-cd-") as tmp:
        root = Path(tmp)
        (root / "starter").mkdir()
        (root / "starter" / "app.py").write_text(STARTER, encoding="utf-8")
        for number, text in enumerate(texts):
            folder = root / "learners" / f"learner{number}"
            folder.mkdir(parents=True)
            (folder / "app.py").write_text(text, encoding="utf-8")
        start = time.perf_counter()
        detector = CopyDetector(test_dirs=[str(root / "learners")],
                                boilerplate_dirs=[str(root / "starter")], extensions=["py"],
                                noise_t=fingerprints.NOISE_T, guarantee_t=fingerprints.GUARANTEE_T,
                                autoopen=False, silent=True, out_file=str(root / "report.html"))
        detector.run()
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--lines", type=int, default=150)
    args = parser.parse_args()
    texts = submissions(args.learners, args.lines)
    mean_lines = sum(len(t.splitlines()) for t in texts) / len(texts)
    pairs = args.learners * (args.learners - 1) // 2
    print(f"{args.learners} submissions of {mean_lines:.0f} lines on average, {pairs} pairs")
    service_s, kept, top = time_service(texts)
    reference_s = time_copydetect(texts)
    print(f"similarity job (database to stored pairs with matches): {service_s:6.1f} s "
          f"({kept} pairs kept, top {top:.2f})")
    print(f"copydetect CopyDetector alone, same files and thresholds: {reference_s:6.1f} s")
    print(f"ratio job / copydetect: {service_s / reference_s:.2f}")
    verdict = "met" if service_s < TARGET_S else "NOT met"
    print(f"target: under {TARGET_S:.0f} s for the job: {verdict}")
    return 0 if service_s < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
