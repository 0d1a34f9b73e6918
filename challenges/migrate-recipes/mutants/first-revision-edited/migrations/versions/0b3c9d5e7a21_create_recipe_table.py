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
    sa.Column('servings', sa.Integer(), nullable=False, server_default='2'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe')),
    sa.UniqueConstraint('title', name=op.f('uq_recipe_title'))
    )
    op.create_table('ingredient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipe.id'], name=op.f('fk_ingredient_recipe_id_recipe')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingredient'))
    )


def downgrade():
    op.drop_table('ingredient')
    op.drop_table('recipe')
