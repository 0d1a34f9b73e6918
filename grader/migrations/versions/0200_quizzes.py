"""Concept quizzes: quiz attempts as submissions (kind, answers, result), each challenge's quiz points.

Revision ID: 0200_quizzes
Revises: 0100_review
Create Date: 2026-12-08 09:00:00
"""
import io
import re
import tomllib
import zipfile

import sqlalchemy as sa
from alembic import op

revision = "0200_quizzes"
down_revision = "0100_review"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiz_points", sa.Integer(), nullable=False,
                                      server_default="0"))
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        # Every submission stored before quizzes existed is code.
        batch_op.add_column(sa.Column("kind", sa.String(length=8), nullable=False,
                                      server_default="code"))
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("quiz_result", sa.JSON(), nullable=True))
        batch_op.create_index("ix_submissions_challenge_kind", ["challenge_id", "kind"],
                              unique=False)
    _count_quiz_points()


HIDDEN_TEST = re.compile(r"tests/test_[^/]*\.py")


def quiz_parts(archive: bytes) -> tuple[int, bool] | None:
    """(the quiz's points, whether the folder has hidden tests) of a stored version's zip, or
    None without a readable quiz.toml. Read here with the standard library only, so this
    migration keeps working whatever the quiz code becomes."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as stored:
            names = set(stored.namelist())
            if "quiz.toml" not in names:
                return None
            data = tomllib.loads(stored.read("quiz.toml").decode("utf-8"))
    except (zipfile.BadZipFile, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError):
        return None
    questions = data.get("questions")
    if not isinstance(questions, list):
        return None
    points = sum(q["points"] for q in questions
                 if isinstance(q, dict) and type(q.get("points")) is int)
    return points, any(HIDDEN_TEST.fullmatch(name) for name in names)


def _count_quiz_points():
    """Challenges stored before quizzes: their quiz's points from their current version."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT challenges.id, challenge_versions.archive FROM challenges "
        "JOIN challenge_versions ON challenge_versions.id = challenges.current_version_id"))
    for challenge_id, archive in rows.fetchall():
        parts = quiz_parts(bytes(archive))
        if parts is None:
            continue
        points, has_tests = parts
        bind.execute(sa.text("UPDATE challenges SET quiz_points = :points WHERE id = :id"),
                     {"points": points, "id": challenge_id})
        if not has_tests:  # quiz only: the manifest's points belong to no code part
            bind.execute(sa.text("UPDATE challenges SET points = 0 WHERE id = :id"),
                         {"id": challenge_id})


def downgrade():
    # Without `kind` a quiz attempt would read as a code submission with no files.
    op.execute("DELETE FROM test_outcomes WHERE submission_id IN "
               "(SELECT id FROM submissions WHERE kind = 'quiz')")
    op.execute("DELETE FROM submissions WHERE kind = 'quiz'")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_challenge_kind")
        batch_op.drop_column("quiz_result")
        batch_op.drop_column("answers")
        batch_op.drop_column("kind")
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.drop_column("quiz_points")
