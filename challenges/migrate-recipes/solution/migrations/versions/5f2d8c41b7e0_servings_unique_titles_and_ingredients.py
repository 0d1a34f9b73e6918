"""servings, unique titles and ingredients

Revision ID: 5f2d8c41b7e0
Revises: 0b3c9d5e7a21
Create Date: 2025-03-10 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f2d8c41b7e0'
down_revision = '0b3c9d5e7a21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ingredient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipe.id'], name=op.f('fk_ingredient_recipe_id_recipe')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingredient'))
    )
    # SQLite cannot add a constraint to a table: batch mode builds a new table and copies the rows
    with op.batch_alter_table('recipe', schema=None) as batch_op:
        # the recipes already in the table need a value for the new NOT NULL column
        batch_op.add_column(sa.Column('servings', sa.Integer(), nullable=False, server_default='2'))
        batch_op.create_unique_constraint(batch_op.f('uq_recipe_title'), ['title'])


def downgrade():
    with op.batch_alter_table('recipe', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_recipe_title'), type_='unique')
        batch_op.drop_column('servings')

    op.drop_table('ingredient')
