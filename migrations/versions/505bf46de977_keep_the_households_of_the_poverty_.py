"""keep the households of the poverty registry

A household (户) of the sending county's poverty registry, with its status and the official who
helps it; a seeker may name the household they belong to.

Revision ID: 505bf46de977
Revises: 1ac34cf18f40
Create Date: 2026-12-02 06:01:26.268495

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '505bf46de977'
down_revision = '1ac34cf18f40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('household_no', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('township', sa.String(length=32), nullable=True),
    sa.Column('village', sa.String(length=32), nullable=True),
    sa.Column('official_name', sa.String(length=64), nullable=True),
    sa.Column('official_phone', sa.String(length=20), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_households_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('region', 'household_no', name=op.f('uq_households_region_household_no'))
    )
    with op.batch_alter_table('seekers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_seekers_household_id'), ['household_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_seekers_household_id_households'), 'households', ['household_id'], ['id'])


def downgrade():
    with op.batch_alter_table('seekers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_seekers_household_id_households'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_seekers_household_id'))
        batch_op.drop_column('household_id')

    op.drop_table('households')
