"""create recipe table

Revision ID: 0b3c9d5e7a21
Revises:
Create Date: 2025-03-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b3c9d5e7a21'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recipe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe'))
    )


def downgrade():
    op.drop_table('recipe')
