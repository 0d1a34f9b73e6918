"""The standings' index: each learner's best score per challenge found by index, not by a scan.

Revision ID: 0300_scale
Revises: 0400_lti
Create Date: 2026-12-01 14:00:00
"""
from alembic import op

revision = "0300_scale"
down_revision = "0400_lti"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index("ix_submissions_user_challenge_score",
                              ["user_id", "challenge_id", "score"], unique=False)


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_user_challenge_score")
