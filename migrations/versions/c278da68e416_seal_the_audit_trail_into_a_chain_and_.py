"""seal the audit trail into a chain and name the people an action handled

Each audit entry gets its place in the keyed hash chain and its link (empty until the sealer
reaches it; existing entries are sealed by the first run of the job or `exchange audit seal`);
the chain's end is one row of its own. An entry that revealed, exported, printed or disclosed
identities names those people in audit_subjects: each labourer's access record.

Revision ID: c278da68e416
Revises: ce35b4a67fcc
Create Date: 2026-12-02 04:39:04.443288

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c278da68e416'
down_revision = 'ce35b4a67fcc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seal_seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    op.create_table('audit_subjects',
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_log.id'], name=op.f('fk_audit_subjects_audit_id_audit_log')),
    sa.ForeignKeyConstraint(['seeker_id'], ['seekers.id'], name=op.f('fk_audit_subjects_seeker_id_seekers')),
    sa.PrimaryKeyConstraint('audit_id', 'seeker_id', name=op.f('pk_audit_subjects'))
    )
    with op.batch_alter_table('audit_subjects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_subjects_seeker_id'), ['seeker_id'], unique=False)

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.drop_index(batch_op.f('ix_audit_log_region'))
        batch_op.create_index('ix_audit_log_region_at', ['region', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_unsealed', ['id'], unique=False, postgresql_where=sa.text('seal_seq IS NULL'), sqlite_where=sa.text('seal_seq IS NULL'))
        batch_op.create_index('ix_audit_log_user_id', ['user_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_seal_seq'), ['seal_seq'])



def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_log_seal_seq'), type_='unique')
        batch_op.drop_index('ix_audit_log_user_id')
        batch_op.drop_index('ix_audit_log_unsealed', postgresql_where=sa.text('seal_seq IS NULL'), sqlite_where=sa.text('seal_seq IS NULL'))
        batch_op.drop_index('ix_audit_log_region_at')
        batch_op.create_index(batch_op.f('ix_audit_log_region'), ['region'], unique=False)
        batch_op.drop_column('hash')
        batch_op.drop_column('seal_seq')

    with op.batch_alter_table('audit_subjects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_subjects_seeker_id'))

    op.drop_table('audit_subjects')
    op.drop_table('audit_chain_head')
