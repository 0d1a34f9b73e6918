"""Migration 0200_quizzes: challenges stored before quizzes get their quiz points from their
stored folder; a downgrade removes quiz attempts with the columns that describe them."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from quiz_server_support import DEMO, QUIZ_ROUTES
from server_support import HELLO, make_app

from grader.app import MIGRATIONS
from grader.extensions import db
from grader.models import QUIZ, Challenge, Submission
from grader.services import accounts, challenges, versions


def points(slug: str) -> tuple[int, int]:
    challenge = db.session.scalar(db.select(Challenge).where(Challenge.slug == slug))
    return challenge.points, challenge.quiz_points


def test_an_upgrade_counts_the_quiz_points_of_stored_challenges(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    try:
        with app.app_context():
            db.drop_all()  # the schema comes from the migrations here, not from the models
            upgrade(directory=MIGRATIONS, revision="0100_review")
            upgrade(directory=MIGRATIONS)
            for folder in (HELLO, QUIZ_ROUTES, DEMO):
                versions.import_folder(folder, validate=False)
            ann = accounts.register("ann", "correct-horse-9")
            routes = challenges.get("quiz-routes", None)
            db.session.add_all([
                Submission(user=ann, challenge=routes, version=routes.current_version, kind=QUIZ,
                           status="passed", score=12, max_score=12, files=b"", answers={}),
                Submission(user=ann, challenge=routes, version=routes.current_version,
                           status="passed", score=100, max_score=100, files=b"")])
            db.session.commit()

            downgrade(directory=MIGRATIONS, revision="0100_review")
            left = db.session.execute(db.text("SELECT score FROM submissions")).scalars().all()
            assert left == [100], "the quiz attempt went with the columns that described it"
            upgrade(directory=MIGRATIONS)
            db.session.expire_all()
            assert points("quiz-routes") == (100, 12)
            assert points("quiz-demo") == (0, 22), "a quiz-only challenge has no code points"
            assert points("hello-routes") == (100, 0)
            stored = db.session.scalars(db.select(Submission)).all()
            assert [(s.kind, s.score) for s in stored] == [("code", 100)]
    finally:
        app.extensions["grader_queue"].shutdown()
        with app.app_context():
            db.engine.dispose()
