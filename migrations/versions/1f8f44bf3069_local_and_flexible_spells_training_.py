"""Local and flexible spells, training hours, agencies and organisations' accounts

Spells gain a work type (long-term, seasonal, flexible) and may have no employer (flexible work,
described instead); training records may count hours; employment agencies are kept and vetted
like employers and a match may name the one that brought the person; employers and agencies
carry the bank account a programme paying them uses.

Revision ID: 1f8f44bf3069
Revises: 505bf46de977
Create Date: 2026-12-02 10:21:47.921072

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f8f44bf3069'
down_revision = '505bf46de977'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('bank_name', sa.String(length=40), nullable=True),
    sa.Column('bank_account', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('vet_reason', sa.String(length=500), nullable=True),
    sa.Column('vetted_by', sa.Integer(), nullable=True),
    sa.Column('vetted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_agencies_created_by_users')),
    sa.ForeignKeyConstraint(['vetted_by'], ['users.id'], name=op.f('fk_agencies_vetted_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('ref', name=op.f('uq_agencies_ref')),
    sa.UniqueConstraint('region', 'uscc', name=op.f('uq_agencies_region_uscc'))
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_region'), ['region'], unique=False)

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bank_name', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('bank_account', sa.String(length=40), nullable=True))

    with op.batch_alter_table('employment_spells', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_type', sa.String(length=12), server_default='long_term', nullable=False))
        batch_op.add_column(sa.Column('description', sa.String(length=200), nullable=True))
        batch_op.alter_column('employer_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_matches_agency_id_agencies'), 'agencies', ['agency_id'], ['id'])

    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_column('hours')

    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_matches_agency_id_agencies'), type_='foreignkey')
        batch_op.drop_column('agency_id')

    with op.batch_alter_table('employment_spells', schema=None) as batch_op:
        batch_op.alter_column('employer_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('description')
        batch_op.drop_column('work_type')

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_column('bank_account')
        batch_op.drop_column('bank_name')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_region'))

    op.drop_table('agencies')
