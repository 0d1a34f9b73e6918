"""Concept quizzes: quiz attempts as submissions (kind, answers, result), each challenge's quiz points.

Revision ID: 0200_quizzes
Revises: 0002
Create Date: 2026-12-08 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0200_quizzes"
down_revision = "0002"
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


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_challenge_kind")
        batch_op.drop_column("quiz_result")
        batch_op.drop_column("answers")
        batch_op.drop_column("kind")
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.drop_column("quiz_points")
