"""Challenge tracks and owners, checks run by workers, session versions, the fair queue's index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                      server_default="0"))
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("track", sa.String(length=16), nullable=False,
                                      server_default="core"))
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_challenges_owner", "users", ["owner_id"], ["id"],
                                    ondelete="SET NULL")
    with op.batch_alter_table("challenge_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), nullable=False,
                                      server_default="done"))
        batch_op.add_column(sa.Column("check_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_challenge_versions_state", ["state"], unique=False)
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index("ix_submissions_user_submitted", ["user_id", "submitted_at"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_user_submitted")
    with op.batch_alter_table("challenge_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_challenge_versions_state")
        batch_op.drop_column("checked_at")
        batch_op.drop_column("check_started_at")
        batch_op.drop_column("state")
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        batch_op.drop_constraint("fk_challenges_owner", type_="foreignkey")
        batch_op.drop_column("owner_id")
        batch_op.drop_column("track")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
