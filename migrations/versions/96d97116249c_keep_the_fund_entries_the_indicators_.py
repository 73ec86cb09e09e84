"""Keep the fund entries the indicators count

援助资金: the money a pairing's receiving side gives, recorded by date, source and purpose, so
a pairing's `funds_yuan` indicators can sum it (spec/indicators.md).

Revision ID: 96d97116249c
Revises: 1f8f44bf3069
Create Date: 2026-12-02 12:07:06.073285

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '96d97116249c'
down_revision = '1f8f44bf3069'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fund_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=128), nullable=False),
    sa.Column('purpose', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_fund_entries_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_entries')),
    sa.UniqueConstraint('ref', name=op.f('uq_fund_entries_ref'))
    )
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.create_index('ix_fund_entries_pairing_date', ['pairing_id', 'date'], unique=False)



def downgrade():
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_fund_entries_pairing_date')

    op.drop_table('fund_entries')
